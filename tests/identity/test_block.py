"""Blocking: the pairs each rule finds, repeats removed, huge blocks skipped, recall."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest

from identity import RawRecord, normalize_record
from identity.block import BlockingRule, block, block_pairs, blocking_recall, rule_key
from identity.frame import Frame, build_frame
from identity.idnumber import check_character
from identity.settings import DEFAULT_RULES

TODAY = date(2024, 12, 31)


def valid_id(area: str, born: str, sequence: int) -> str:
    first17 = f"{area}{born}{sequence:03d}"
    return first17 + check_character(first17)


def frame_of(*records: RawRecord) -> Frame:
    return build_frame([normalize_record(record, TODAY) for record in records])


def record(source_id: str, **fields: object) -> RawRecord:
    return RawRecord(source=source_id[:2], source_id=source_id, **fields)


def pairs_of(
    frame: Frame, *rules: BlockingRule, max_block_size: int = 1000
) -> set[tuple[int, int]]:
    found = block(frame, rules, max_block_size)
    return set(zip(found.left.tolist(), found.right.tolist(), strict=True))


def test_block_pairs_match_brute_force_on_random_keys() -> None:
    rng = np.random.default_rng(3)
    key = rng.integers(-1, 40, 500)
    left, right, big = block_pairs(key, max_block_size=1000)
    expected = {
        (i, j)
        for i, j in itertools.combinations(range(len(key)), 2)
        if key[i] == key[j] and key[i] >= 0
    }
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == expected
    assert len(left) == len(expected) and not big
    assert (left < right).all()


def test_a_block_over_the_cap_is_skipped_and_reported() -> None:
    key = np.array([5] * 6 + [7, 7, -1], dtype=np.int64)
    left, right, big = block_pairs(key, max_block_size=5)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(6, 7)]
    assert big == [(6, 0)]


def test_legacy_and_eighteen_digit_forms_meet_in_the_id_block() -> None:
    number = valid_id("420802", "19480312", 24)
    frame = frame_of(
        record("ga1", id_number=number[:6] + number[8:17]),
        record("wj1", id_number=number),
        record("mz1", id_number="４２０８０２" + number[6:]),  # full-width digits
        record("ga2", id_number=valid_id("420802", "19480312", 26)),
    )
    assert pairs_of(frame, BlockingRule("id", ("id17",))) == {(0, 1), (0, 2), (1, 2)}


def test_a_typo_in_the_sequence_meets_through_area_and_birth_date() -> None:
    number = valid_id("420881", "19730904", 147)
    typo = number[:15] + str((int(number[15]) + 3) % 10) + number[16:]
    frame = frame_of(
        record("ga1", name="于俊", id_number=number),
        record("cl1", name="吴俊", id_number=typo),  # another surname: no pair
        record("wj1", name="于军", id_number=number[:14] + "5" + number[15:]),
    )
    assert pairs_of(frame, BlockingRule("id", ("id17",))) == set()
    assert pairs_of(frame, DEFAULT_RULES[1]) == {(0, 2)}


def test_a_latin_pair_meets_through_whichever_two_fields_survived() -> None:
    # Given two copies of one person with a swapped and misspelt name, another birth
    # date, and a road typo: only the postcode and the house number agree
    frame = frame_of(
        record("a1", name="dreyer, jinni", birth_date="19420127", address="11 were st, kew 3172"),
        record("b1", name="jinny, dryer", birth_date="19241207", address="11 wre st, 3172"),
    )
    # When blocked with the default rules
    found = block(frame, DEFAULT_RULES)
    # Then the postcode and house number rule finds them
    assert [found.rules[bit] for bit in range(32) if found.found_by[0] >> bit & 1] == [
        "postcode_house"
    ]


def test_the_latin_rules_find_nothing_among_chinese_records() -> None:
    number = valid_id("420802", "19800312", 123)
    frame = frame_of(
        record("ga1", name="王伟", id_number=number, address="七一桥社区3-2-501"),
        record("mz1", name="王伟", id_number=number, address="七一桥社区3-2-501"),
    )
    found = block(frame, DEFAULT_RULES)
    latin = [
        rule
        for rule in DEFAULT_RULES
        if {"postcode", "locality", "house", "road"} & set(rule.columns)
    ]
    assert latin and all(found.generated[rule.name] == 0 for rule in latin)


def test_placeholders_block_nothing() -> None:
    frame = frame_of(
        record("ga1", name="无", id_number="无", phone="-", address="无", birth_date="-"),
        record("ga2", name="-", id_number="000000000000000000", phone="00000000000"),
        record("ga3", name="不详", id_number="-", phone="无", address="不详"),
    )
    assert len(block(frame, DEFAULT_RULES)) == 0


def test_pairs_found_by_several_rules_are_kept_once_with_every_rule() -> None:
    number = valid_id("420804", "19771118", 115)
    frame = frame_of(
        record("ga1", name="陈涛", id_number=number, birth_date="19771118", phone="15672602053"),
        record("wj1", name="陈涛", birth_date="1977-11-18", phone="+86 156 7260 2053"),
        record("mz1", name="王芳", birth_date="1980-01-01", phone="13800000001"),
    )
    found = block(frame, DEFAULT_RULES)
    assert list(zip(found.left.tolist(), found.right.tolist(), strict=True)) == [(0, 1)]
    names = {rule for bit, rule in enumerate(found.rules) if found.found_by[0] >> bit & 1}
    assert names == {"birth_surname", "birth_given", "name_birth_year", "phone"}
    assert found.generated["phone"] == 1 and found.only_by("phone") == 0


def test_rule_keys_need_every_column() -> None:
    frame = frame_of(
        record("ga1", name="王伟", birth_date="1980-05-01"),
        record("ga2", name="王伟"),
        record("ga3", name="王玮", birth_date="1980-05-01"),
    )
    key = rule_key(frame, BlockingRule("birth_surname", ("birth", "surname")))
    assert key[1] == -1 and key[0] == key[2] >= 0


@pytest.mark.parametrize(
    ("truth", "expected"),
    [(["a", "a", "b", "b"], 0.5), (["a", "a", "a", None], 1 / 3), ([1, 2, 3, 4], 1.0)],
)
def test_blocking_recall_counts_true_pairs_among_candidates(
    truth: list[object], expected: float
) -> None:
    frame = frame_of(
        record("ga1", name="王伟", phone="13800000001"),
        record("ga2", name="王伟", phone="13800000001"),
        record("ga3", name="李娜", phone="13800000002"),
        record("ga4", name="李娜", phone="13800000003"),
    )
    found = block(frame, [BlockingRule("phone", ("phone",))])
    assert blocking_recall(found, truth) == pytest.approx(expected)
