"""The labelled generator: deterministic, every hard case present, truth consistent."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from identity.idnumber import IdStatus, parse_id_number
from identity.labelled import CONTRACT_COLUMNS, LabelledRecord, generate, read_csv
from identity.normalize import normalize_record
from population import is_valid_id_number

PERSONS = 600


@pytest.fixture(scope="module")
def records() -> list[LabelledRecord]:
    return list(generate(PERSONS, seed=7))


def _persons(records: list[LabelledRecord]) -> dict[str, list[LabelledRecord]]:
    by_person: dict[str, list[LabelledRecord]] = defaultdict(list)
    for record in records:
        by_person[record.truth].append(record)
    return by_person


def _ga(records: list[LabelledRecord], case: str) -> list[LabelledRecord]:
    return [r for r in records if r.source == "ga" and case in r.cases.split(";")]


def test_same_seed_same_records_and_other_seed_differs(records: list[LabelledRecord]) -> None:
    assert list(generate(PERSONS, seed=7)) == records
    assert list(generate(PERSONS, seed=8)) != records


def test_sources_keys_and_persons(records: list[LabelledRecord]) -> None:
    assert {r.source for r in records} == {"ga", "mz", "wj", "cl"}
    keys = [(r.source, r.source_id) for r in records]
    assert len(set(keys)) == len(keys)
    by_person = _persons(records)
    assert len(by_person) >= PERSONS  # plus injected twins and namesakes
    assert 2.2 < len(records) / len(by_person) < 2.8
    assert all(sum(r.source == "ga" for r in held) == 1 for held in by_person.values())


def test_truth_is_a_unique_valid_id_per_person(records: list[LabelledRecord]) -> None:
    households: dict[str, str] = {}
    for record in records:
        assert is_valid_id_number(record.truth)
        assert households.setdefault(record.truth, record.truth_household) == (
            record.truth_household
        )
    # a record's own valid ID is always its person's: no valid ID belongs to two persons
    for record in records:
        number, _ = parse_id_number(record.id_number or None)
        if number is not None and number.status is not IdStatus.INVALID:
            assert number.value == record.truth


def test_twins_share_birth_date_and_household_but_not_name_or_id(
    records: list[LabelledRecord],
) -> None:
    twins = _ga(records, "twin")
    pairs = defaultdict(list)
    for record in twins:
        pairs[record.truth_household, record.truth[6:14]].append(record)
    groups = [group for group in pairs.values() if len(group) == 2]
    assert groups
    for first, second in groups:
        assert first.birth_date == second.birth_date
        assert first.name != second.name and first.name[0] == second.name[0]
        assert first.truth != second.truth


def test_namesakes_and_father_and_son(records: list[LabelledRecord]) -> None:
    namesakes = defaultdict(list)
    for record in records:
        for case in record.cases.split(";"):
            if case.startswith("namesake:") and record.source == "ga":
                namesakes[case].append(record)
    assert namesakes
    for first, second in namesakes.values():
        assert first.name == second.name and first.truth[6:10] == second.truth[6:10]
        assert first.truth != second.truth and first.truth_household != second.truth_household
        assert "村" in first.address and "村" in second.address
    father_son = _ga(records, "father_son")
    assert len(father_son) >= 2
    father, son = father_son[:2]
    assert father.name == son.name and father.truth_household == son.truth_household
    assert father.birth_date != son.birth_date


@pytest.mark.parametrize(
    "case", ["legacy_id", "typo_id", "missing_id", "placeholder_id", "homophone",
             "traditional", "changed_phone", "placeholder_phone", "village_address"],
)  # fmt: skip
def test_record_noise_present_and_as_labelled(records: list[LabelledRecord], case: str) -> None:
    noisy = [r for r in records if case in r.cases.split(";")]
    assert noisy, case
    for record in noisy:
        number, _ = parse_id_number(record.id_number or None)
        if case == "legacy_id":
            assert len(record.id_number) == 15 and number is not None
            assert number.status is IdStatus.LEGACY and number.value == record.truth
        elif case == "typo_id":
            assert number is not None and number.status is IdStatus.INVALID
            assert sum(a != b for a, b in zip(record.id_number, record.truth, strict=True)) <= 2
        elif case in ("missing_id", "placeholder_id"):
            assert number is None


def test_clan_villages_share_addresses_and_surnames(records: list[LabelledRecord]) -> None:
    village = [r for r in records if "village_address" in r.cases]
    shared = defaultdict(set)
    for record in village:
        shared[record.address].add(record.truth)
    assert max(len(persons) for persons in shared.values()) >= 3
    names = [r.name for r in records if r.source == "ga" and "village" in r.cases]
    assert sum(len(name) == 2 for name in names) / len(names) > 0.4


def test_csv_round_trip_and_resolver_view(records: list[LabelledRecord], tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    stats = generate(PERSONS, seed=7).write_csv(path)
    assert stats.records == len(records) and stats.persons == len(_persons(records))
    assert path.read_text(encoding="utf-8").splitlines()[0].startswith(",".join(CONTRACT_COLUMNS))
    back = list(read_csv(path))
    assert sorted(back, key=lambda r: (r.source, r.source_id)) == sorted(
        records, key=lambda r: (r.source, r.source_id)
    )
    normalised = normalize_record(back[0].raw())
    assert normalised.source == back[0].source and normalised.source_id == back[0].source_id
