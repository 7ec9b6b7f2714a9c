"""Named transforms and the field mapping: what each does, and what sends a record to
quarantine (with the field named)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from connectors.config import Table
from connectors.dates import possible_ymd
from connectors.mapping import RecordError, parse_field_map
from connectors.transforms import TransformError, parse_transform


def run(text: str, value: Any) -> Any:
    transform, arg = parse_transform(text)
    return transform.fn(value, arg)


CASES = [
    ("trim", " 王思霞\u3000", "王思霞"),
    ("trim", "   ", None),
    ("trim", None, None),
    ("fullwidth_to_halfwidth", "４２０８０２Ｘ", "420802X"),
    ("upper", "42080219540523750x", "42080219540523750X"),
    ("lower", "ABC", "abc"),
    ("remove_spaces", "420802 19540523 7506", "420802195405237506"),
    ("null_if:-", "-", None),
    ("default:未知", None, "未知"),
    ("date:%Y%m%d", "19540523", "1954-05-23"),
    ("date:auto", "1954-05-23", "1954-05-23"),
    ("date:auto", "1954/5/23", "1954-05-23"),
    ("date:auto", "1954年5月23日", "1954-05-23"),
    ("date:auto", "1954-05-23T00:00:00+08:00", "1954-05-23"),
    ("date:auto", "", None),
    ("datetime:auto", "2024-05-01 10:00:00", "2024-05-01T10:00:00"),
    ("datetime:%Y/%m/%d %H:%M", "2024/05/01 10:00", "2024-05-01T10:00:00"),
    ("gender:gb2261", "1", "male"),
    ("gender:gb2261", "2", "female"),
    ("gender:gb2261", "9", "unknown"),
    ("gender:zh", "女", "female"),
    ("gender:mf", "M", "male"),
    ("gender:mf", "U", "unknown"),
    ("phone", "138-1234-5678", "13812345678"),
    ("phone", "+86 138 1234 5678", "13812345678"),
    ("phone", "+8613812345678", "13812345678"),
    ("phone", "0724-2345678", "0724-2345678"),
    ("phone", "07242345678", "0724-2345678"),
    ("phone", "010-12345678", "010-12345678"),
    ("phone", "", None),
    ("id_number", " ４２０８０２１９５４０５２３７５０ｘ ", "42080219540523750X"),
    ("id_number", "420802 19540523 7506", "420802195405237506"),
    ("id_number", "420802540523750", "420802540523750"),
    ("id_number", "", None),
    ("tag_if_true:低保", "1", ["低保"]),
    ("tag_if_true:低保", "0", []),
    ("tag_if_true:低保", True, ["低保"]),
    ("tag_if_true:低保", None, []),
    ("tag_if_present:残疾", "12345", ["残疾"]),
    ("tag_if_present:残疾", "", []),
    ("split:,", "高血压, 糖尿病,", ["高血压", "糖尿病"]),
    ("map:1=户主,2=配偶", "2", "配偶"),
    ("int", "3", 3),
    ("int", 3, 3),
    ("bool", "是", True),
    ("bool", False, False),
    ("text", "x", "x"),
    ("list", ["高血压"], ["高血压"]),
    # the fast paths for clean values, and the slower ones beside them
    ("phone", "8613812345678", "13812345678"),
    ("phone", "008613812345678", "13812345678"),
    ("phone", "１３８１２３４５６７８", "13812345678"),
    ("id_number", "42080219540523750x", "42080219540523750X"),
    ("id_number", "420802200002297506", "420802200002297506"),
    ("gender:gb2261", " 1 ", "male"),
    ("gender:mf", "m", "male"),
    ("date:%Y%m%d", " ２０００0229 ", "2000-02-29"),
    ("date:%d/%m/%Y", "23/5/1954", "1954-05-23"),
    ("date:auto", "1954.5.23", "1954-05-23"),
    ("map:1=户主,2=配偶", 1, "户主"),
]


@pytest.mark.parametrize(("text", "value", "expected"), CASES)
def test_transform(text: str, value: Any, expected: Any) -> None:
    assert run(text, value) == expected


FAILURES = [
    ("trim", 12, "expected text, got int"),
    ("date:%Y%m%d", "19540230", "is not a date in the format %Y%m%d"),
    ("date:%Y%m%d", 19540523, "expected text, got int"),
    ("date:auto", "1954-02-30", "impossible date '1954-02-30'"),
    ("date:auto", "1954-02-30T00:00:00+08:00", "impossible or unrecognised date"),
    ("date:auto", "yesterday", "unrecognised date 'yesterday'"),
    ("datetime:auto", "2024-02-30 10:00:00", "impossible or unrecognised date and time"),
    ("gender:gb2261", "男", "unknown gender code '男' for gender:gb2261"),
    ("phone", "12345", "not a phone number"),
    ("phone", "call me", "not a phone number"),
    ("id_number", "42080219540523750", "not a resident ID number"),
    ("id_number", "420802195402307506", "impossible birth date 19540230"),
    ("tag_if_true:低保", 1, "not a yes/no flag: int 1"),
    ("tag_if_true:低保", "maybe", "not a yes/no flag"),
    ("map:1=户主", "3", "'3' is not one of 1"),
    ("int", "3人", "expected an integer, got str '3人'"),
    ("list", "高血压,糖尿病", "expected a list of text, got str"),
    ("text", 5, "expected text, got int 5"),
    ("date:%Y%m%d", "19000229", "is not a date in the format %Y%m%d"),
    ("date:%d/%m/%Y", "31/4/2020", "is not a date in the format %d/%m/%Y"),
    ("date:auto", "1900年2月29日", "impossible date"),
    ("id_number", "420802190002297506", "impossible birth date 19000229"),
    ("id_number", ["420802195405237506"], "expected text, got list"),
    ("gender:gb2261", 1, "expected text, got int 1"),
    ("phone", "8613812345", "not a phone number"),
]


@pytest.mark.parametrize(("text", "value", "reason"), FAILURES)
def test_transform_rejects(text: str, value: Any, reason: str) -> None:
    with pytest.raises(TransformError) as raised:
        run(text, value)
    assert reason in str(raised.value)


def test_possible_dates_are_exactly_those_that_exist() -> None:
    for year in (1, 4, 100, 400, 1900, 1954, 2000, 2023, 2024, 9999):
        for month in range(14):
            for day in range(33):
                try:
                    exists = bool(date(year, month, day))
                except ValueError:
                    exists = False
                assert possible_ymd(f"{year:04d}{month:02d}{day:02d}") == exists
    assert not possible_ymd("00000101")


def mapping(fields: dict[str, Any], required: list[str] | None = None) -> Any:
    resource = {"primary_key": "id", "fields": fields, "required": required or []}
    return parse_field_map(Table(resource, "t.toml", "resources.x"), flat=False)


def test_mapping_fills_our_fields_and_keeps_the_rest_as_extras() -> None:
    fields = {
        "name": "xm | trim",
        "residence_address": ["jzdz | trim", "hjdz | trim"],
        "tags": [
            "dbbz | tag_if_true:低保",
            "tkbz | tag_if_true:特困",
            "flags.old | tag_if_true:老",
        ],
        "case_number": "ajh",
    }
    raw = {
        "id": 7,
        "xm": " 王五 ",
        "jzdz": "",
        "hjdz": "荆门市",
        "dbbz": "1",
        "tkbz": "1",
        "flags": {"old": "0"},
        "ajh": "MZ1",
    }
    m = mapping(fields)
    assert m.source_id(raw) == "7"
    assert m.apply(raw) == {
        "name": "王五",
        "residence_address": "荆门市",
        "tags": ["低保", "特困"],
        "extras": {"case_number": "MZ1"},
    }


@pytest.mark.parametrize(
    ("raw", "field", "reason"),
    [
        ({"xm": "a"}, "id", "missing primary key"),
        ({"id": "  ", "xm": "a"}, "id", "missing primary key"),
        ({"id": {"n": 1}, "xm": "a"}, "id", "primary key must be text"),
        ({"id": "1", "xm": 5}, "name", "expected text, got int"),
        ({"id": "1", "xm": "a", "csrq": "19540230"}, "birth_date", "is not a date"),
        ({"id": "1", "xm": " "}, "name", "is required but missing"),
        ({"id": "1", "xm": "a", "sex": "X"}, "gender", "'X' is not one of male, female"),
        ({"id": "1", "xm": "a", "born": "23.5.1954"}, "birth_date", "is not an ISO date"),
    ],
)
def test_a_bad_record_names_the_field(raw: dict[str, Any], field: str, reason: str) -> None:
    m = mapping(
        {
            "name": "xm | trim",
            "birth_date": ["csrq | date:%Y%m%d", "born"],  # the first non-null
            "gender": "sex",
        },
        required=["name"],
    )
    with pytest.raises(RecordError) as raised:
        m.source_id(raw)
        m.apply(raw)
    assert raised.value.field == field
    assert reason in raised.value.reason


def test_the_hash_changes_with_the_payload_and_with_the_mapping() -> None:
    a, b = mapping({"name": "xm | trim"}), mapping({"name": "xm"})
    raw = {"id": "1", "xm": "王五"}
    assert a.content_hash(raw) == a.content_hash({"xm": "王五", "id": "1"})
    assert a.content_hash(raw) != a.content_hash({**raw, "xm": "王六"})
    assert a.content_hash(raw) != b.content_hash(raw)
