"""The compiled field mapping: a type check is left out only where the transforms
guarantee the type, tags combine, and a failing record names its first bad field."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.config import Table
from connectors.mapping import FieldMap, RecordError, parse_field_map


def mapping(fields: dict[str, Any], required: list[str] | None = None) -> FieldMap:
    resource = {"primary_key": "id", "fields": fields, "required": required or []}
    return parse_field_map(Table(resource, "t.toml", "resources.x"), flat=False)


def reason(m: FieldMap, raw: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(RecordError) as raised:
        m.apply(raw)
    return raised.value.field, raised.value.reason


@pytest.mark.parametrize(
    ("fields", "raw", "field", "why"),
    [
        ({"gender": "sex | default:male"}, {"sex": "X"}, "gender", "'X' is not one of male"),
        ({"name": "xm | null_if:-"}, {"xm": 5}, "name", "expected text, got int 5"),
        ({"birth_date": "csrq | trim"}, {"csrq": "19540523"}, "birth_date", "not an ISO date"),
        ({"member_count": "rs"}, {"rs": "3"}, "member_count", "expected an integer"),
        ({"member_count": "rs | bool"}, {"rs": "1"}, "member_count", "expected an integer"),
        ({"tags": "flags"}, {"flags": [1]}, "tags", "expected a list of tags"),
        ({"tags": "flags"}, {"flags": 7}, "tags", "expected a list of tags"),
        ({"phone": ["a | int", "b"]}, {"a": "12"}, "phone", "expected text, got int 12"),
    ],
)
def test_a_type_the_transforms_do_not_guarantee_is_checked(
    fields: dict[str, Any], raw: dict[str, Any], field: str, why: str
) -> None:
    found = reason(mapping(fields), {"id": "1", **raw})
    assert found[0] == field
    assert why in found[1]


def test_values_of_the_right_type_pass() -> None:
    m = mapping(
        {
            "gender": "sex | default:male",
            "name": "xm | null_if:-",
            "birth_date": "born",
            "member_count": "rs | int",
            "address": "addr.line | trim",
        }
    )
    raw = {"id": "1", "xm": "-", "born": "1954-05-23", "rs": "3", "addr": {"line": " 东宝区 "}}
    assert m.apply(raw) == {
        "gender": "male",
        "name": None,
        "birth_date": "1954-05-23",
        "member_count": 3,
        "address": "东宝区",
    }


def test_tags_are_combined_without_repeats() -> None:
    m = mapping({"tags": ["a | tag_if_true:低保", "b", "c | split:,", "d"]})
    raw = {"id": "1", "a": "1", "b": "低保", "c": "残疾, 低保", "d": None}
    assert m.apply(raw) == {"tags": ["低保", "残疾"]}
    assert m.apply({"id": "2"}) == {"tags": []}


def test_the_first_bad_field_in_the_spec_is_named_extras_included() -> None:
    m = mapping({"case_no": "ajh | int", "name": "xm | trim", "gender": "xb | gender:zh"})
    assert reason(m, {"id": "1", "ajh": "x", "xm": 5, "xb": "?"})[0] == "case_no"
    assert reason(m, {"id": "1", "ajh": "7", "xm": 5, "xb": "?"})[0] == "name"
    assert reason(m, {"id": "1", "ajh": "7", "xm": "王五", "xb": "?"})[0] == "gender"
    assert m.apply({"id": "1", "ajh": "7", "xm": "王五", "xb": "女"}) == {
        "name": "王五",
        "gender": "female",
        "extras": {"case_no": 7},
    }


def test_a_required_extra_must_be_there() -> None:
    m = mapping({"name": "xm | trim", "case_no": "ajh | trim"}, required=["case_no"])
    assert reason(m, {"id": "1", "xm": "王五", "ajh": " "}) == (
        "case_no",
        "is required but missing",
    )
    assert m.apply({"id": "1", "xm": "王五", "ajh": "A1"})["extras"] == {"case_no": "A1"}


def test_a_nested_primary_key_and_a_non_object_record() -> None:
    m = parse_field_map(
        Table({"primary_key": "meta.id", "fields": {"name": "xm"}}, "t.toml", "x"), flat=False
    )
    assert m.source_id({"meta": {"id": 42}, "xm": "a"}) == "42"
    with pytest.raises(RecordError, match="missing primary key"):
        m.source_id({"meta": {}})
    with pytest.raises(RecordError, match="expected an object, got list"):
        m.source_id(["not", "a", "record"])
