import time
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from identity import Gender, IdStatus, NormalizedRecord, PhoneKind, RawRecord, normalize_record
from tests.identity.noisy import Noisy, noisy_records

TODAY = date(2024, 12, 31)

# The same resident as each department platform sends her (docs/department-apis.md).
PLATFORMS = [
    RawRecord("ga", "GA00000001", "王思霞", "420802195405237506", "2", "19540523",
              "13812345678", "荆门市东宝区龙泉街道七一桥社区3栋2单元501室", "4208020000001"),
    RawRecord("ga", "GA00000001", "王思霞", "420802540523750", "2", "19540523", None,
              "荆门市东宝区龙泉街道七一桥社区3栋2单元501室", "4208020000001"),
    RawRecord("mz", "MZ0000001", "王思霞", "４２０８０２１９５４０５２３７５０６", "女",
              "1954/5/23", "138-1234-5678", "七一桥社区3-2-501", "MZJZ2024000001"),
    RawRecord("mz", "MZ0000001", "王 思霞", "420802 19540523 7506", "女", "1954年5月23日",
              "13812345678", "七一桥社区3-2-501"),
    RawRecord("wj", "wj-000001", "王思霞", "420802195405237506", "F", "1954-05-23T00:00:00+08:00",
              "+86 138 1234 5678", "湖北省荆门市东宝区七一桥社区3栋2单元501室"),
    RawRecord.from_mapping({"source": "cl", "source_id": "42080219540523750642", "name": "王思霞",
                            "id_number": "420802195405237506", "gender": "女",
                            "birth_date": "1954-05-23", "phone": "13812345678",
                            "address": "荆门市东宝区龙泉街道七一桥社区3栋2单元501室", "备注": "x"}),
]  # fmt: skip


@pytest.mark.parametrize("raw", PLATFORMS, ids=lambda raw: str(raw.source))
def test_every_platform_gives_the_same_resident(raw: RawRecord) -> None:
    record = normalize_record(raw, TODAY)

    assert record.issues == ()
    assert record.name is not None and record.name.text == "王思霞"
    assert record.id_number is not None and record.id_number.value == "420802195405237506"
    assert (record.gender, record.birth_date) == (Gender.FEMALE, date(1954, 5, 23))
    assert not record.birth_date_conflict and not record.gender_conflict
    if record.phone is not None:
        assert (record.phone.number, record.phone.kind) == ("13812345678", PhoneKind.MOBILE)
    assert record.address is not None
    assert record.address.key.endswith("|七一桥社区|3-2-501")


def test_a_legacy_number_is_upgraded_but_not_counted_as_valid() -> None:
    record = normalize_record(PLATFORMS[1], TODAY)

    assert record.id_number is not None and record.id_number.status is IdStatus.LEGACY
    assert not record.id_number.valid


@pytest.mark.parametrize(
    ("birth_date", "gender", "birth_conflict", "gender_conflict"),
    [
        ("1954-05-23", "女", False, False),
        ("1954-05-24", "女", True, False),
        ("1954-05-23", "男", False, True),
        ("1945-05-23", "1", True, True),
        (None, "9", False, False),  # nothing stated: nothing to disagree with
    ],
)
def test_stated_birth_date_and_gender_are_cross_checked_with_the_id(
    birth_date: str | None, gender: str, birth_conflict: bool, gender_conflict: bool
) -> None:
    raw = RawRecord("mz", "1", "王思霞", "420802195405237506", gender, birth_date)

    record = normalize_record(raw, TODAY)

    assert (record.birth_date_conflict, record.gender_conflict) == (birth_conflict, gender_conflict)
    assert record.birth_date == (date.fromisoformat(birth_date) if birth_date else None)
    assert record.id_number is not None and record.id_number.birth_date == date(1954, 5, 23)
    assert {issue.field for issue in record.issues} == {
        field for field, on in (("birth_date", birth_conflict), ("gender", gender_conflict)) if on
    }


def test_an_invalid_id_neither_decodes_nor_conflicts() -> None:
    raw = RawRecord("mz", "1", "王思霞", "420802195405237507", "男", "1960-01-01")

    record = normalize_record(raw, TODAY)

    assert record.id_number is not None and record.id_number.status is IdStatus.INVALID
    assert (record.id_number.birth_date, record.id_number.gender) == (None, None)
    assert not record.birth_date_conflict and not record.gender_conflict
    assert [issue.field for issue in record.issues] == ["id_number"]


def test_placeholders_never_survive_as_values() -> None:
    raw = RawRecord(
        "mz", "1", "无", "000000000000000000", "不详", "00000000", "00000000000", "无", "-"
    )

    record = normalize_record(raw, TODAY)

    assert (record.name, record.id_number, record.birth_date, record.phone, record.address) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert record.gender is Gender.UNKNOWN and record.household_key is None
    assert {issue.field for issue in record.issues} == {
        "name", "id_number", "birth_date", "phone", "address", "household_key"
    }  # fmt: skip


def test_wrong_types_cost_only_their_own_field() -> None:
    raw = RawRecord("wj", 17, 42, 420802195405237506, 1, 19540523, 13812345678, ["荆门"], {"x": 1})

    record = normalize_record(raw, TODAY)

    assert record.source_id == "17"  # an integer key is as good as its digits
    assert (record.name, record.id_number, record.birth_date, record.phone, record.address) == (
        None,
        None,
        None,
        None,
        None,
    )
    reasons = {issue.field: issue.reason for issue in record.issues}
    assert reasons["name"] == "expected text, got int"
    assert reasons["address"] == "expected text, got list"
    assert reasons["household_key"] == "expected text, got dict"


def test_a_record_without_source_or_key_says_so() -> None:
    record = normalize_record(RawRecord(None, "  ", "王思霞"), TODAY)

    assert (record.source, record.source_id) == ("", "")
    assert [(issue.field, issue.reason) for issue in record.issues] == [
        ("source", "missing"),
        ("source_id", "missing"),
    ]


def test_a_ten_megabyte_field_is_refused_without_being_read() -> None:
    blob = "七一桥社区" * 2_000_000
    raw = RawRecord("mz", "1", blob, blob, blob, blob, blob, blob, blob)

    started = time.perf_counter()
    record = normalize_record(raw, TODAY)
    elapsed = time.perf_counter() - started

    assert elapsed < 0.05
    assert len(record.issues) == 7
    assert all(issue.reason.startswith("too long") for issue in record.issues)
    assert all(len(issue.reason) < 100 for issue in record.issues)


def test_from_mapping_ignores_extra_columns_and_misses_absent_ones() -> None:
    raw = RawRecord.from_mapping({"source": "cl", "source_id": "9", "姓名": "x", "phone": "1"})

    assert raw == RawRecord("cl", "9", phone="1")


def _comparable(record: NormalizedRecord) -> NormalizedRecord:
    """What normalising again must keep: all but the issues and the legacy mark."""
    id_number = record.id_number
    if id_number is not None and id_number.status is IdStatus.LEGACY:
        id_number = replace(id_number, status=IdStatus.VALID)
    return replace(record, id_number=id_number, issues=())


PEOPLE = list(noisy_records(400, seed=11))


@settings(max_examples=300)
@given(
    st.sampled_from(PEOPLE),
    st.sampled_from(["name", "id_number", "gender", "birth_date", "phone", "address", None]),
    st.text(max_size=30) | st.integers() | st.none(),
)
def test_normalising_the_canonical_output_changes_nothing(
    noisy: Noisy, field: str | None, junk: object
) -> None:
    raw = noisy.raw
    if field is not None:
        raw = replace(raw, **{field: junk})

    first = normalize_record(raw, TODAY)
    second = normalize_record(first.to_raw(), TODAY)

    assert _comparable(second) == _comparable(first)
    assert not any(issue.reason.startswith("unexpected") for issue in first.issues)


@given(st.builds(RawRecord, st.text(max_size=5), st.text(max_size=5), *[st.text(max_size=40)] * 7))
def test_any_text_in_any_field_never_raises(raw: RawRecord) -> None:
    record = normalize_record(raw, TODAY)

    assert not any(issue.reason.startswith("unexpected") for issue in record.issues)


def test_a_noisy_population_normalises_to_its_truth() -> None:
    """Given ~3,000 people written by four platforms with clerks' noise,
    when every record is normalised,
    then ID numbers, dates, genders, names (up to homophones) and flats agree with the truth.
    """
    records = list(noisy_records(3000, seed=3))
    wrong: dict[str, int] = {"id": 0, "birth": 0, "gender": 0, "name": 0, "pinyin": 0, "flat": 0}
    for noisy in records:
        record, truth = normalize_record(noisy.raw, TODAY), noisy.truth
        assert not any(issue.reason.startswith("unexpected") for issue in record.issues)
        if noisy.clean_id:
            wrong["id"] += record.id_number is None or record.id_number.value != truth.id_number
        if record.birth_date is not None:
            wrong["birth"] += record.birth_date != truth.birth_date
        if record.gender is not Gender.UNKNOWN:
            wrong["gender"] += record.gender.value != truth.gender.value
        if record.name is not None:
            wrong["name"] += noisy.clean_name and record.name.text != truth.name
            wrong["pinyin"] += _pinyin(truth.name) != record.name.pinyin
        if record.address is not None and "栋" in truth.residence_address:
            flat = truth.residence_address.split("社区")[-1]
            wrong["flat"] += not record.address.key.endswith(
                flat.replace("栋", "-").replace("单元", "-").rstrip("室")
            )
    assert len(records) > 4000
    assert wrong == {"id": 0, "birth": 0, "gender": 0, "name": 0, "pinyin": 0, "flat": 0}


def _pinyin(name: str) -> str:
    parsed = normalize_record(RawRecord("t", "t", name), TODAY).name
    assert parsed is not None
    return parsed.pinyin
