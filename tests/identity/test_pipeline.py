"""End to end: the hard cases inside a noisy synthetic population, and the population."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from identity import RawRecord, normalize_record, parse_id_number
from identity.distinct import normalised_frame
from identity.frame import build_frame
from identity.idnumber import check_character
from identity.pipeline import Resolution, resolve
from identity.score import Model
from identity.settings import Settings
from tests.identity.noisy import noisy_records

SETTINGS = Settings(today=date(2024, 12, 31))
FLAT = "荆门市掇刀区掇刀石街道浏河社区51栋2单元1303室"
VILLAGE = "荆门市钟祥市胡集镇板桥村"


def valid_id(area: str, born: str, sequence: int) -> str:
    first17 = f"{area}{born}{sequence:03d}"
    return first17 + check_character(first17)


def rec(source: str, source_id: str, truth: str, **fields: str) -> tuple[RawRecord, str]:
    return RawRecord(source=source, source_id=source_id, **fields), truth


TWIN_A, TWIN_B = valid_id("420804", "20050310", 11), valid_id("420804", "20050310", 13)
WANG_1, WANG_2 = valid_id("420881", "19800501", 37), valid_id("420881", "19801123", 55)
FATHER, SON = valid_id("420881", "19550203", 71), valid_id("420881", "19820715", 91)
LIU = valid_id("420802", "19480614", 24)
CHEN = valid_id("420822", "19700823", 142)
ZHAO = valid_id("420804", "19770118", 115)
ZHAO_TYPO = ZHAO[:9] + str((int(ZHAO[9]) + 4) % 10) + ZHAO[10:]
HARD = [
    # twins: same birth date, flat and household, different given names and valid IDs
    rec("ga", "T1", "twin-a", name="李明", id_number=TWIN_A, birth_date="20050310", gender="1", address=FLAT, household_key="H-T"),  # noqa: E501
    rec("ga", "T2", "twin-b", name="李亮", id_number=TWIN_B, birth_date="20050310", gender="1", address=FLAT, household_key="H-T"),  # noqa: E501
    rec("wj", "T3", "twin-a", name="李明", birth_date="2005-03-10", gender="M", address="湖北省荆门市掇刀区浏河社区51栋2单元1303室"),  # noqa: E501
    rec("mz", "T4", "twin-b", name="李亮", id_number=TWIN_B, birth_date="2005/3/10", gender="男", address="浏河社区51-2-1303"),  # noqa: E501
    # two 王伟 born the same year in the same village
    rec("ga", "W1", "wang-1", name="王伟", id_number=WANG_1, birth_date="19800501", gender="1", address=VILLAGE + "3组12号", phone="13971000001"),  # noqa: E501
    rec("ga", "W2", "wang-2", name="王伟", id_number=WANG_2, birth_date="19801123", gender="1", address=VILLAGE + "3组40号", phone="13971000002"),  # noqa: E501
    rec("mz", "W3", "wang-1", name="王伟", birth_date="1980-05-01", gender="男", address="板桥村3组12号"),  # noqa: E501
    rec("cl", "W4", "wang-2", name="王玮", birth_date="1980年11月23日", gender="男", phone="13971000002"),  # noqa: E501
    # father and son of one name in one household
    rec("ga", "F1", "father", name="张建国", id_number=FATHER, birth_date="19550203", gender="1", address=VILLAGE + "5组8号", household_key="H-F", phone="13971000003"),  # noqa: E501
    rec("ga", "F2", "son", name="张建国", id_number=SON, birth_date="19820715", gender="1", address=VILLAGE + "5组8号", household_key="H-F", phone="13971000004"),  # noqa: E501
    rec("wj", "F3", "father", name="张建国", birth_date="1955-02-03", gender="M", address=VILLAGE + "5组8号", phone="13971000003"),  # noqa: E501
    rec("cl", "F4", "son", name="张建国", birth_date="1982/7/15", gender="男", address=VILLAGE + "5组8号"),  # noqa: E501
    # a legacy 15-digit number at 公安, the 18-digit form elsewhere
    rec("ga", "L1", "liu", name="刘桂兰", id_number=LIU[:6] + LIU[8:17], birth_date="19480614", gender="2"),  # noqa: E501
    rec("wj", "L2", "liu", name="刘桂兰", id_number=LIU, gender="F"),
    rec("mz", "L3", "liu", name="刘桂兰", id_number=LIU.translate(str.maketrans("0123456789", "０１２３４５６７８９")), gender="女"),  # noqa: E501
    # traditional and homophone spellings of one name
    rec("ga", "C1", "chen", name="陳麗華", id_number=CHEN, birth_date="19700823", gender="2"),
    rec("wj", "C2", "chen", name="陈丽华", birth_date="1970-08-23", gender="F", phone="13971000005"),  # noqa: E501
    rec("mz", "C3", "chen", name="陈利华", id_number=CHEN, gender="女", phone="13971000005"),
    # a typo'd ID that fails its checksum
    rec("ga", "Z1", "zhao", name="赵强", id_number=ZHAO, birth_date="19770118", gender="1"),
    rec("cl", "Z2", "zhao", name="赵强", id_number=ZHAO_TYPO, birth_date="1977年1月18日", gender="男"),  # noqa: E501
    # placeholders everywhere: two different people must stay apart
    rec("cl", "P1", "zhou", name="周敏", id_number="无", phone="-", address="无", birth_date="1966-01-01"),  # noqa: E501
    rec("cl", "P2", "wu", name="吴芳", id_number="000000000000000000", phone="00000000000", address="-", birth_date="1990-09-09"),  # noqa: E501
    rec("mz", "P3", "nobody-1", name="无", id_number="-", phone="无"),
    rec("mz", "P4", "nobody-2", name="不详", id_number="无", phone="-"),
]  # fmt: skip


@pytest.fixture(scope="module")
def population() -> tuple[list[RawRecord], list[Hashable]]:
    noisy = list(noisy_records(2000, seed=21))
    return [n.raw for n in noisy], [n.truth.id_number for n in noisy]


@pytest.fixture(scope="module")
def mixed(population: tuple[list[RawRecord], list[Hashable]]) -> tuple[Resolution, list[Hashable]]:
    records, truth = population
    records = records + [raw for raw, _ in HARD]
    truth = truth + [label for _, label in HARD]
    return resolve(records, SETTINGS, truth=truth), truth


def person_of(resolution: Resolution, source_id: str) -> str:
    index = next(i for i, (_, key) in enumerate(resolution.keys) if key == source_id)
    return resolution.cluster_ids[index]


@pytest.mark.parametrize(
    ("together", "apart"),
    [
        (["T1", "T3"], ["T2"]),  # twins
        (["T2", "T4"], ["T1"]),
        (["W1", "W3"], ["W2"]),  # namesakes in one village
        (["W2", "W4"], ["W1"]),
        (["F1", "F3"], ["F2"]),  # father and son
        (["F2", "F4"], ["F1"]),
        (["L1", "L2", "L3"], []),  # legacy and 18-digit forms
        (["C1", "C2", "C3"], []),  # traditional and homophone names
        (["Z1", "Z2"], []),  # a typo'd ID
        (["P1"], ["P2", "P3", "P4"]),  # placeholders agree on nothing
        (["P3"], ["P4"]),
    ],
)
def test_hard_cases(
    mixed: tuple[Resolution, list[Hashable]], together: list[str], apart: list[str]
) -> None:
    resolution, _ = mixed
    people = {person_of(resolution, key) for key in together}
    assert len(people) == 1, together
    assert not people & {person_of(resolution, key) for key in apart}


def test_twins_are_two_persons_in_one_household(mixed: tuple[Resolution, list[Hashable]]) -> None:
    resolution, _ = mixed
    index = {key: i for i, (_, key) in enumerate(resolution.keys)}
    households = {resolution.household_ids[index[key]] for key in ("T1", "T2")}
    assert len(households) == 1


def pairwise(labels: Sequence[Hashable], truth: Sequence[Hashable]) -> tuple[float, float, float]:
    def pairs(groups: Counter[Hashable]) -> int:
        return sum(n * (n - 1) // 2 for n in groups.values())

    both = pairs(Counter(zip(labels, truth, strict=True)))
    precision, recall = both / pairs(Counter(labels)), both / pairs(Counter(truth))
    return precision, recall, 2 * precision * recall / (precision + recall)


def different_valid_ids_merged(records: Sequence[RawRecord], labels: Sequence[int]) -> int:
    numbers: dict[int, set[str]] = {}
    for record, label in zip(records, labels, strict=True):
        parsed, _ = parse_id_number(record.id_number)
        if parsed is not None and parsed.valid:
            numbers.setdefault(label, set()).add(parsed.value)
    return sum(len(found) > 1 for found in numbers.values())


def test_two_thousand_people_end_to_end(
    population: tuple[list[RawRecord], list[Hashable]], tmp_path: Path
) -> None:
    records, truth = population
    started = time.perf_counter()
    resolution = resolve(records, SETTINGS, truth=truth)
    seconds = time.perf_counter() - started
    labels = resolution.labels.tolist()
    precision, recall, f1 = pairwise(labels, truth)
    print(
        f"\n{len(records)} records: precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}, "
        f"{resolution.stats.candidate_pairs} candidate pairs, {seconds:.2f} s"
    )
    assert f1 >= 0.98
    assert different_valid_ids_merged(records, labels) == 0
    assert resolution.stats.blocking_recall is not None and resolution.stats.blocking_recall > 0.99
    assert resolution.model.training.em_converged
    # the same input gives the same IDs, and the saved model the same persons
    path = tmp_path / "model.json"
    resolution.model.save(path)
    again = resolve(records, SETTINGS, model=Model.load(path))
    assert again.cluster_ids == resolution.cluster_ids
    assert again.household_ids == resolution.household_ids


def test_hard_case_population_merges_no_valid_ids(mixed: tuple[Resolution, list[Hashable]]) -> None:
    resolution, truth = mixed
    assert pairwise(resolution.labels.tolist(), truth)[2] >= 0.98
    assert resolution.stats.largest_cluster <= 6


def namesake_families(count: int) -> list[RawRecord]:
    """Households where father and son share a name; the father also appears at 卫健
    without an ID number, so only birth dates tell him from his son."""
    surnames, given = (
        "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜",
        "建国志强海波文华明军立新永红卫东国庆",
    )
    records = []
    for k in range(count):
        name = (
            surnames[k % len(surnames)]
            + given[k * 3 % len(given)]
            + given[(k * 7 + 1) % len(given)]
        )
        father = valid_id("420881", f"{1950 + k % 15}0{1 + k % 9}1{k % 10}", 2 * k + 1)
        son = valid_id("420881", f"{1978 + k % 15}1{k % 3}0{1 + k % 9}", 2 * k + 3)
        house = f"{VILLAGE}{1 + k % 12}组{k + 1}号"
        records += [
            RawRecord(
                "ga", f"F{k}a", name, father, "1", father[6:14], f"1397{k:07d}", house, f"F{k}"
            ),
            RawRecord("ga", f"F{k}b", name, son, "1", son[6:14], None, house, f"F{k}"),
            RawRecord("wj", f"F{k}c", name, None, "M", father[6:14], None, house, None),
        ]
    return records


def test_namesake_fathers_and_sons_are_not_even_doubtful(
    population: tuple[list[RawRecord], list[Hashable]],
) -> None:
    # Given 60 such families among 2,000 people (EM sees them, unlabelled)
    records = population[0] + namesake_families(60)
    # When resolved
    resolution = resolve(records, SETTINGS)
    # Then every father is one person, apart from his son, and no pair is left to review
    for k in range(60):
        father, son, elsewhere = (person_of(resolution, f"F{k}{part}") for part in "abc")
        assert father == elsewhere != son
    assert not resolution.review


def test_manual_links_are_respected(population: tuple[list[RawRecord], list[Hashable]]) -> None:
    records = [raw for raw, _ in HARD]
    must = [(("ga", "P1"), ("ga", "X"))]  # names a record not in the input
    must += [(("cl", "P1"), ("cl", "P2"))]
    cannot = [(("ga", "C1"), ("wj", "C2"))]
    resolution = resolve(records, SETTINGS, must_link=must, cannot_link=cannot)
    assert person_of(resolution, "P1") == person_of(resolution, "P2")
    assert person_of(resolution, "C1") != person_of(resolution, "C2")
    assert resolution.stats.conflicts == (
        "must-link ('ga', 'P1')-('ga', 'X') names a record not in the input",
    )


def test_review_items_explain_themselves() -> None:
    records = [raw for raw, _ in HARD]
    loose = Settings(today=SETTINGS.today, review_threshold=0.01, link_threshold=0.999999)
    resolution = resolve(records, loose)
    assert resolution.review, "a loose band must leave something to review"
    item = resolution.review[0]
    assert [c.comparison for c in item.explanation] == [
        "id_number", "other_id", "name", "given_name", "surname", "birth_date", "gender",
        "household",
    ]  # fmt: skip
    prior = resolution.model.prior(len(records))
    total = sum(c.weight for c in item.explanation)
    assert item.match_weight == pytest.approx(total + math.log2(prior / (1 - prior)), abs=0.01)
    assert 0.01 <= item.probability < 0.999999 or item.reason != "uncertain"


def test_normalising_distinct_values_gives_the_frame_of_normalised_records() -> None:
    # Given noisy records, garbage, placeholders, wrong types and huge fields included
    raws = [noisy.raw for noisy in noisy_records(3000, seed=2)] + [raw for raw, _ in HARD]
    raws += [RawRecord(["x"], {"a": 1}, 3.5, True, 1, b"1980", 12345678901, None, 7)]
    today = SETTINGS.today or date.today()
    # When framed value by value, and record by record
    fast, issues = normalised_frame(raws, today)
    normalised = [normalize_record(raw, today) for raw in raws]
    slow = build_frame(normalised)
    # Then the two frames are the same
    assert fast.keys == slow.keys
    assert fast.codes.keys() == slow.codes.keys()
    for name, codes in slow.codes.items():
        assert fast.codes[name].tolist() == codes.tolist(), name
    for name in ("id_status", "id_digits", "birth_digits"):
        assert getattr(fast, name).tolist() == getattr(slow, name).tolist(), name
    everyone = np.arange(fast.size)
    assert fast.vocabulary.keys() == slow.vocabulary.keys()
    for name in fast.vocabulary:
        assert fast.text(name, everyone).tolist() == slow.text(name, everyone).tolist(), name
    assert issues == sum(bool(record.issues) for record in normalised)


def test_empty_input() -> None:
    resolution = resolve([], SETTINGS)
    assert resolution.cluster_ids == [] and resolution.stats.clusters == 0
