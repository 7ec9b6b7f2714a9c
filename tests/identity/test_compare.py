"""Comparison levels per field, on pairs of hand-made records."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from identity import RawRecord, comparison, normalize_record
from identity.compare import (
    BirthDateComparison,
    Comparison,
    GenderComparison,
    HouseholdComparison,
    IdComparison,
    NameComparison,
    NamePartComparison,
    OtherIdComparison,
    compare,
    default_comparisons,
)
from identity.comparison import similarity
from identity.frame import build_frame
from identity.idnumber import check_character
from tests.identity.latin_people import latin_records

TODAY = date(2024, 12, 31)
FLAT = "荆门市东宝区龙泉街道七一桥社区3栋2单元501室"


def valid_id(area: str, born: str, sequence: int) -> str:
    first17 = f"{area}{born}{sequence:03d}"
    return first17 + check_character(first17)


NUMBER = valid_id("420802", "19800312", 123)


def level(comparison: Comparison, field: str, a: object, b: object) -> str:
    """The level ``comparison`` gives a pair that differs only in ``field``."""
    left = RawRecord(source="ga", source_id="1", **{field: a})
    right = RawRecord(source="wj", source_id="2", **{field: b})
    frame = build_frame([normalize_record(left, TODAY), normalize_record(right, TODAY)])
    found = comparison.compare(frame, np.array([0]), np.array([1]))
    return comparison.levels[int(found[0])]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (NUMBER, NUMBER, "exact"),
        (NUMBER, NUMBER[:6] + NUMBER[8:17], "exact_unconfirmed"),  # legacy 15-digit form
        (NUMBER, NUMBER[:10] + "9" + NUMBER[11:], "one_off"),  # one digit, checksum fails
        (NUMBER, NUMBER[:12] + NUMBER[13] + NUMBER[12] + NUMBER[14:], "one_off"),  # swapped
        (NUMBER, NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1"), "one_off"),  # check char
        (NUMBER, NUMBER[:5] + NUMBER[6:], "one_off"),  # a digit left out: edit distance
        (NUMBER, valid_id("420802", "19800312", 125), "different_valid"),
        (NUMBER, valid_id("420881", "19550203", 311)[:16] + "00", "different"),
        (NUMBER, "无", "null"),
        (NUMBER, "000000000000000000", "null"),
        ("-", "-", "null"),
    ],
)
def test_id_levels(a: str, b: str, expected: str) -> None:
    assert level(IdComparison(), "id_number", a, b) == expected


def test_two_valid_numbers_one_digit_apart_are_still_different_people() -> None:
    other = valid_id("420802", "19800312", 124)  # neighbours in the sequence
    assert level(IdComparison(), "id_number", NUMBER, other) == "different_valid"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("张伟", "张伟", "exact"),
        ("刘丽华", "劉麗華", "exact"),  # traditional characters, simplified
        ("张伟", "章伟", "pinyin"),  # homophone surname
        ("王伟", "王玮", "pinyin"),
        ("欧阳锋", "欧阳峰", "pinyin"),
        ("陈浩宇", "陈浩", "close"),
        ("王伟", "张强", "different"),
        ("王伟", "无", "null"),
        ("-", "-", "null"),
    ],
)
def test_name_levels(a: str, b: str, expected: str) -> None:
    assert level(NameComparison(), "name", a, b) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1980-03-12", "19800312", "exact"),
        ("1980-03-12", "1980-12-03", "one_part"),  # day and month swapped
        ("1980-03-12", "1980-03-13", "one_part"),  # one digit
        ("1994-06-03", "1949-06-03", "one_part"),  # neighbouring digits swapped
        ("1980-03-12", "1980-04-20", "close"),  # a lunar and a solar birthday
        ("1980-01-20", "1979-12-24", "close"),  # across the new year
        ("1980-03-12", "1980-11-23", "year"),
        ("1955-02-03", "1982-07-15", "different"),
        ("1980-03-12", "不详", "null"),
    ],
)
def test_birth_date_levels(a: str, b: str, expected: str) -> None:
    assert level(BirthDateComparison(), "birth_date", a, b) == expected


def test_birth_date_falls_back_to_the_id_number() -> None:
    left = RawRecord(source="ga", source_id="1", id_number=NUMBER)
    right = RawRecord(source="wj", source_id="2", birth_date="1980-03-12")
    frame = build_frame([normalize_record(left, TODAY), normalize_record(right, TODAY)])
    comparison = BirthDateComparison()
    found = comparison.compare(frame, np.array([0]), np.array([1]))
    assert comparison.levels[int(found[0])] == "exact"


@pytest.mark.parametrize(
    ("a", "b", "expected"), [("1", "男", "same"), ("F", "男", "different"), ("M", "9", "null")]
)
def test_gender_levels(a: str, b: str, expected: str) -> None:
    assert level(GenderComparison(), "gender", a, b) == expected


def household(a: dict[str, str], b: dict[str, str]) -> str:
    comparison = HouseholdComparison()
    left = RawRecord(source="ga", source_id="1", **a)
    right = RawRecord(source=b.pop("source", "wj"), source_id="2", **b)
    frame = build_frame([normalize_record(left, TODAY), normalize_record(right, TODAY)])
    return comparison.levels[int(comparison.compare(frame, np.array([0]), np.array([1]))[0])]


def test_household_levels_are_one_hierarchy() -> None:
    phone = "13812345678"
    assert (
        household(
            {"address": FLAT, "phone": phone}, {"address": "七一桥社区3-2-501", "phone": phone}
        )
        == "phone_and_dwelling"
    )
    assert (
        household(
            {"address": FLAT, "phone": phone}, {"address": "七一桥社区5-1-101", "phone": phone}
        )
        == "phone"
    )
    assert (
        household({"address": FLAT}, {"address": "湖北省荆门市东宝区七一桥社区3栋2单元501室"})
        == "dwelling"
    )
    assert household({"address": FLAT}, {"address": "七一桥社区3-1-102"}) == "building"
    assert (
        household({"address": FLAT}, {"address": "荆门市东宝区龙泉街道七一桥社区9栋1单元101室"})
        == "community"
    )
    assert (
        household({"address": FLAT}, {"address": "荆门市东宝区泉口街道白云社区1栋1单元101室"})
        == "different"
    )
    assert household({"address": FLAT}, {"phone": phone}) == "null"
    assert household({"phone": "00000000000"}, {"phone": "00000000000"}) == "null"  # fmt: skip


def test_village_houses_and_groups() -> None:
    house = "荆门市钟祥市胡集镇板桥村12组155号"
    assert household({"address": house}, {"address": "板桥村12组155号"}) == "dwelling"
    assert household({"address": house}, {"address": "板桥村12组87号"}) == "building"
    assert household({"address": house}, {"address": "板桥村3组155号"}) == "community"
    # written down to the group or the village only, an address names no dwelling
    assert household({"address": "板桥村12组"}, {"address": "板桥村12组"}) == "building"
    assert household({"address": "钟祥市胡集镇板桥村"}, {"address": house}) == "community"


def test_same_community_name_in_another_district_is_different() -> None:
    a = {"address": "荆门市东宝区龙泉街道城中社区1栋1单元101室"}
    b = {"address": "荆门市钟祥市郢中街道城中社区1栋1单元101室"}
    assert household(a, b) == "different"


def test_a_household_number_counts_within_its_source_only() -> None:
    assert household({"household_key": "H1"}, {"household_key": "H1", "source": "ga"}) == "dwelling"
    assert household({"household_key": "H1"}, {"household_key": "H1", "source": "mz"}) == "null"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1804974", "1804974", "exact"),
        ("1804974", "1809474", "one_edit"),  # two digits swapped
        ("1804974", "180497", "one_edit"),  # one left out
        ("1804974", "5130911", "different"),
        ("1804974", NUMBER, "null"),  # a resident ID is no evidence about another identifier
        ("1804974", "", "null"),
    ],
)
def test_other_identifiers_are_compared_as_opaque_strings(a: str, b: str, expected: str) -> None:
    assert level(OtherIdComparison(), "id_number", a, b) == expected


def test_a_resident_id_is_not_compared_with_another_identifier() -> None:
    assert level(IdComparison(), "id_number", NUMBER, "1804974") == "null"


GIVEN = NamePartComparison("given_name", tf_columns={1: "given"}, part="given")
SURNAME = NamePartComparison("surname", tf_columns={1: "surname"}, part="surname")


@pytest.mark.parametrize(
    ("a", "b", "given", "surname"),
    [
        ("dreyer, jinni", "Jinni Dreyer", "exact", "exact"),
        ("dreyer, jinni", "jinni, dreyer", "exact", "exact"),  # swapped: aligned back
        ("hannagan, mikhayla", "hannaan, mikhvyla", "close", "close"),  # typos
        ("green, tayla", "white, tayla", "exact", "different"),  # a new surname
        ("matson, xavier", "matosn, xavier", "exact", "close"),
        ("paine, benjamin", "paine, benjnin", "similar", "exact"),
        ("pacey, casey", "pacey", "null", "exact"),  # no given name on one side
        ("pacey, casey", ", casey", "exact", "null"),
        ("dreyer, jinni", "王伟", "null", "null"),  # Latin parts for Latin names only
    ],
)
def test_latin_names_are_compared_part_by_part(a: str, b: str, given: str, surname: str) -> None:
    assert level(GIVEN, "name", a, b) == given
    assert level(SURNAME, "name", a, b) == surname


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("王伟", "王伟", "exact"),
        ("dreyer, jinni", "王伟", "different"),
        ("dreyer, jinni", "jinni dreyer", "null"),  # two Latin names: compared by part
    ],
)
def test_the_whole_name_is_compared_unless_both_are_latin(a: str, b: str, expected: str) -> None:
    assert level(NameComparison(), "name", a, b) == expected


LATIN_HOME = "20 rupp place, brentwood village, penshurst vic 2257"


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ("20 rupp place, brentwood vlge, penshurst vic 2257", "dwelling"),
        ("20 rupp lace, penshurst vic 2257", "dwelling"),  # a typo in the road
        ("20 brentwood village, rupp place, penshurst vic 2257", "dwelling"),  # lines swapped
        ("20 rupp place, penshurst vic 2275", "dwelling"),  # postcode digits swapped
        ("31 rupp place, penshurst vic 2257", "building"),
        ("rupp place, penshurst 2257", "building"),  # no house number
        ("20 rupp place", "dwelling"),  # no locality: nothing says it is elsewhere
        ("9 rupp place", "community"),  # a close road, but the locality cannot be told
        ("7 were street, penshurst vic 2257", "community"),
        ("20 rupp place, carlingford nsw 6105", "different"),  # another town
        ("7 were street, carlingford nsw 6105", "different"),
        (FLAT, "null"),  # a Chinese address: no common ground to compare
    ],
)
def test_latin_addresses_are_one_hierarchy_too(other: str, expected: str) -> None:
    assert household({"address": LATIN_HOME}, {"address": other}) == expected


@pytest.mark.parametrize(
    "columns", [("given", "given"), ("given", "surname"), ("road", "locality")]
)
def test_scores_through_a_table_of_values_are_the_pairwise_scores(
    columns: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Latin records and random pairs of them
    raws = [raw for raw, _ in latin_records(80, seed=9)]
    frame = build_frame([normalize_record(raw, TODAY) for raw in raws])
    rng = np.random.default_rng(4)
    left, right = rng.integers(0, frame.size, 500), rng.integers(0, frame.size, 500)
    # When scored pair by pair, and through a table of every value against every other
    monkeypatch.setattr(comparison, "CELLS_PER_PAIR", 0)
    pairwise = similarity(frame, columns[0], left, right, columns[1])
    monkeypatch.setattr(comparison, "CELLS_PER_PAIR", 10**9)
    tabled = similarity(frame, columns[0], left, right, columns[1])
    turned = similarity(frame, columns[1], right, left, columns[0])  # the table, transposed
    # Then the scores agree
    assert frame.tables, "the table was kept on the frame"
    assert pairwise.tolist() == pytest.approx(tabled.tolist())
    assert turned.tolist() == pytest.approx(tabled.tolist())


def test_compare_fills_one_column_per_comparison() -> None:
    records = [
        RawRecord(source="ga", source_id=str(i), name="王伟", id_number=NUMBER) for i in range(3)
    ]
    frame = build_frame([normalize_record(record, TODAY) for record in records])
    comparisons = default_comparisons()
    levels = compare(frame, comparisons, np.array([0, 1]), np.array([1, 2]))
    by_name = dict(zip((c.name for c in comparisons), levels.T.tolist(), strict=True))
    assert levels.shape == (2, len(comparisons))
    assert by_name["id_number"] == by_name["name"] == [1, 1]
    assert by_name["birth_date"] == by_name["gender"] == [1, 1]  # from the ID number
    assert by_name["household"] == by_name["other_id"] == [0, 0]
    assert by_name["given_name"] == by_name["surname"] == [0, 0]  # Latin names only
