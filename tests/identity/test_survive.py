"""Golden records: per-field priority and recency, normalised values, cadre values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from identity.gender import Gender
from identity.survive import CadreValue, SourceValues, survive

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def record(source: str, day: int = 0, **values: object) -> SourceValues:
    return SourceValues(source, f"{source}-1", T0 + timedelta(days=day), values)


def test_priority_decides_the_name_and_the_provenance_names_the_record() -> None:
    golden = survive([record("wj", name="王晓明"), record("ga", name="王小明")])
    assert golden.values["name"] == "王小明"
    assert golden.provenance["name"]["source"] == "ga"
    assert golden.provenance["name"]["source_id"] == "ga-1"
    assert golden.provenance["name"]["fetched_at"] == T0.isoformat()


def test_the_most_recent_phone_wins_over_priority() -> None:
    old = record("wj", day=0, phone="13800000001")
    new = record("ga", day=5, phone="138-0000-0002")
    golden = survive([old, new])
    assert golden.values["phone"] == "13800000002"  # normalised, and the newer one
    assert golden.provenance["phone"]["source"] == "ga"


def test_a_valid_id_beats_a_higher_priority_one_failing_its_checksum() -> None:
    golden = survive(
        [record("ga", id_number="420802195405237507"), record("wj", id_number="420802195405237506")]
    )
    assert golden.values["id_number"] == "420802195405237506"


def test_birth_date_and_gender_come_from_the_id_when_no_record_states_them() -> None:
    golden = survive([record("ga", name="王思霞", id_number="420802195405237506")])
    assert golden.values["birth_date"] == date(1954, 5, 23)
    assert golden.values["gender"] is Gender.FEMALE
    assert golden.provenance["birth_date"]["derived"] == "id_number"


def test_traditional_names_are_simplified_and_placeholders_are_not_values() -> None:
    golden = survive([record("mz", name="陳勇傑", phone="无")])
    assert golden.values["name"] == "陈勇杰"
    assert golden.values["phone"] is None
    assert "phone" not in golden.provenance


def test_a_cadre_value_outranks_sources_until_a_source_changes_it_later() -> None:
    entered = CadreValue("13900000009", "community", T0 + timedelta(days=2))
    before = survive([record("wj", day=1, phone="13800000001")], {"phone": entered})
    assert before.values["phone"] == "13900000009"
    assert before.provenance["phone"]["cadre"] == "community"
    same_later = survive([record("wj", day=3, phone="13900000009")], {"phone": entered})
    assert same_later.provenance["phone"]["cadre"] == "community"
    changed_later = survive([record("wj", day=3, phone="13800000007")], {"phone": entered})
    assert changed_later.values["phone"] == "13800000007"
    assert changed_later.provenance["phone"]["source"] == "wj"


def test_tags_are_the_union_of_the_sources() -> None:
    golden = survive([record("mz", tags=["低保"]), record("cl", tags=["残疾", "低保"])])
    assert golden.tags == ("低保", "残疾")


def test_a_correction_survives_a_record_that_changed_in_another_field() -> None:
    corrected = CadreValue("13900000009", "community", T0 + timedelta(days=2), "13800000001")
    unrelated = survive([record("wj", day=3, phone="13800000001")], {"phone": corrected})
    assert unrelated.values["phone"] == "13900000009"
    assert unrelated.provenance["phone"]["cadre"] == "community"
    new_value = survive([record("wj", day=3, phone="13800000002")], {"phone": corrected})
    assert new_value.values["phone"] == "13800000002"
