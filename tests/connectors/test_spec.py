"""Specs: the shipped departments load, and every kind of mistake fails at load time
with the file, the key path and the problem."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from connectors import SpecError, load_spec, load_specs, parse_spec_text
from connectors.auth import ApiKeyAuth, BasicAuth, BearerAuth
from connectors.paging import CursorPaginator, OffsetPaginator, PageNumberPaginator
from connectors.spec import DEPARTMENTS_DIR, parse_spec

BASE: dict[str, Any] = {
    "code": "tt",
    "name": "Test department",
    "kind": "rest",
    "base_url": "http://127.0.0.1:9",
    "auth": {"type": "api_key", "header": "X-Key", "key": "k"},
    "resources": {
        "items": {
            "kind": "person",
            "path": "/api/items",
            "records": "rows",
            "primary_key": "id",
            "paginator": {"type": "page", "size": 10, "total_pages_path": "pages"},
            "incremental": {"cursor_field": "updated", "param": "since", "lag": "5m"},
            "fields": {
                "name": "name | trim",
                "birth_date": "born | date:%Y%m%d",
                "gender": "sex | gender:gb2261",
            },
        }
    },
}
DELETE = object()


def changed(*edits: tuple[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for path, value in edits:
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target.setdefault(key, {})
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
    return data


def test_the_shipped_departments_load() -> None:
    specs = load_specs(env={})
    assert set(specs) == {"ga", "mz", "wj", "cl"}
    ga, mz, wj, cl = specs["ga"], specs["mz"], specs["wj"], specs["cl"]
    assert isinstance(ga.auth, ApiKeyAuth) and ga.auth.key == "demo-ga-key"
    assert isinstance(mz.auth, BearerAuth) and isinstance(wj.auth, BasicAuth)
    assert set(ga.resources) == {"persons", "households"}
    assert isinstance(ga.resources["persons"].paginator, OffsetPaginator)
    assert isinstance(mz.resources["jzxx"].paginator, PageNumberPaginator)
    assert isinstance(wj.resources["residents"].paginator, CursorPaginator)
    incremental = wj.resources["residents"].incremental
    assert incremental is not None and incremental.lag == timedelta(minutes=10)
    ledger = cl.resources["disabled"].ledger
    assert ledger is not None and ledger.format == "xlsx" and ledger.header_row is None
    assert ga.base_url == "http://127.0.0.1:8101"


def test_credentials_and_urls_come_from_the_environment() -> None:
    env = {"YIWANG_GA_URL": "http://10.0.0.5:9000/", "YIWANG_GA_KEY": "real-key"}
    ga = load_specs(env=env)["ga"]
    assert ga.base_url == "http://10.0.0.5:9000"
    assert isinstance(ga.auth, ApiKeyAuth) and ga.auth.key == "real-key"
    assert "real-key" not in repr(ga.auth)


INVALID = [
    (changed(("code", DELETE)), "code: is required"),
    (changed(("code", "GA!")), "code: must be lower-case letters"),
    (changed(("kind", "soap")), "kind: must be one of rest, ledger, not 'soap'"),
    (changed(("base_url", "ftp://host")), "base_url: must be an http(s) URL"),
    (changed(("base_url", 8080)), "base_url: must be a string, not int"),
    (changed(("concurrency", -1)), "concurrency: must be a positive integer"),
    (changed(("rate_limit", 0)), "rate_limit: must be a positive number"),
    (changed(("retry", {"attempts": 0})), "retry.attempts: must be a positive integer"),
    (changed(("colour", "red")), "colour: unknown key"),
    (changed(("auth.type", "oauth")), "auth.type: must be one of none, api_key, bearer, basic"),
    (changed(("auth.key", DELETE)), "auth.key: is required"),
    (
        changed(("auth", {"type": "bearer", "token": "${NO_SUCH_TOKEN}"})),
        "auth.token: environment variable NO_SUCH_TOKEN is not set",
    ),
    (changed(("auth", {"type": "basic", "username": "u"})), "auth.password: is required"),
    (changed(("resources", {})), "resources: defines no resource"),
    (changed(("resources.items.kind", "company")), "resources.items.kind: must be one of person"),
    (changed(("resources.items.primary_key", DELETE)), "resources.items.primary_key: is required"),
    (changed(("resources.items.path", "")), "resources.items.path: must not be empty"),
    (changed(("resources.items.colour", "red")), "resources.items.colour: unknown key"),
    (
        changed(("resources.items.success_value", 0)),
        "resources.items.success_value: needs success_path",
    ),
    (
        changed(("resources.items.paginator.size", 0)),
        "resources.items.paginator.size: must be a positive integer",
    ),
    (
        changed(("resources.items.paginator.type", "scroll")),
        "resources.items.paginator.type: must be one of page, offset, cursor, link_header",
    ),
    (
        changed(("resources.items.paginator.total_pages_path", DELETE)),
        "resources.items.paginator: no stop condition",
    ),
    (
        changed(("resources.items.paginator", {"type": "offset", "limit": "5", "total_path": "n"})),
        "resources.items.paginator.limit: must be a positive integer",
    ),
    (
        changed(("resources.items.paginator", {"type": "cursor"})),
        "resources.items.paginator.next_cursor_path: is required",
    ),
    (
        changed(("resources.items.paginator", {"type": "link_header", "rel": "next", "x": 1})),
        "resources.items.paginator.x: unknown key",
    ),
    (
        changed(("resources.items.incremental.lag", "ten minutes")),
        "resources.items.incremental.lag: must be a duration like 30s, 10m, 2h or 1d",
    ),
    (
        changed(("resources.items.incremental.param", DELETE)),
        "resources.items.incremental.param: is required",
    ),
    (changed(("resources.items.fields", {})), "resources.items.fields: maps no fields"),
    (
        changed(("resources.items.fields.name", "name | trimm")),
        "resources.items.fields.name: unknown transform 'trimm'",
    ),
    (
        changed(("resources.items.fields.birth_date", "born | date")),
        "resources.items.fields.birth_date: transform 'date' needs an argument",
    ),
    (
        changed(("resources.items.fields.birth_date", "born | date:%d.%m")),
        "a date format needs a year",
    ),
    (
        changed(("resources.items.fields.gender", "sex | gender:xyz")),
        "resources.items.fields.gender: transform 'gender:xyz': unknown gender code table",
    ),
    (
        changed(("resources.items.fields.name", "name | trim:x")),
        "transform 'trim' takes no argument",
    ),
    (changed(("resources.items.fields.name", 5)), "resources.items.fields.name: must be an"),
    (changed(("resources.items.fields.name", " | trim")), "names no source field"),
    (
        changed(("resources.items.required", ["phone"])),
        "resources.items.required: 'phone' is not a mapped field",
    ),
    (
        changed(("resources.more", copy.deepcopy(BASE["resources"]["items"]))),
        "resources.more.kind: 'person' is already the kind of items",
    ),
    (
        changed(("kind", "ledger"), ("resources.items", {"kind": "person"})),
        "resources.items.file: is required",
    ),
    (
        changed(
            ("kind", "ledger"),
            ("resources.items", {"kind": "person", "file": "a.ods", "primary_key": "id"}),
        ),
        "resources.items.format: cannot tell csv or xlsx from 'a.ods'",
    ),
]


@pytest.mark.parametrize(("data", "message"), INVALID, ids=[m for _, m in INVALID])
def test_an_invalid_spec_names_the_key_path_and_the_problem(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(SpecError) as raised:
        parse_spec(data, "tt.toml", env={})
    assert str(raised.value).startswith("tt.toml: ")
    assert message in str(raised.value)


def test_the_base_spec_is_valid() -> None:
    spec = parse_spec(BASE, "tt.toml", env={})
    assert spec.resources["items"].mapping.primary_key == ("id",)


def test_a_broken_department_file_is_named_with_the_key_path(tmp_path: Path) -> None:
    text = (DEPARTMENTS_DIR / "mz.toml").read_text(encoding="utf-8")
    (tmp_path / "mz.toml").write_text(text.replace("size = 200", "size = 0"), encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load_specs(tmp_path, env={})
    assert str(raised.value) == (
        f"{tmp_path / 'mz.toml'}: resources.jzxx.paginator.size: must be a positive integer"
    )


def test_not_toml_and_a_wrong_file_name_fail(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="not valid TOML"):
        parse_spec_text("code = ", "x.toml")
    text = (DEPARTMENTS_DIR / "ga.toml").read_text(encoding="utf-8")
    (tmp_path / "gaa.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError, match=r"code: 'ga' does not match the file name"):
        load_spec(tmp_path / "gaa.toml", env={})
    with pytest.raises(SpecError, match="no such directory"):
        load_specs(tmp_path / "missing")


def test_environment_defaults_and_escapes() -> None:
    data = changed(("auth", {"type": "bearer", "token": "${TT_TOKEN:-fallback}$${literal}"}))
    spec = parse_spec(data, "tt.toml", env={})
    assert isinstance(spec.auth, BearerAuth) and spec.auth.token == "fallback${literal}"
    spec = parse_spec(data, "tt.toml", env={"TT_TOKEN": "set"})
    assert isinstance(spec.auth, BearerAuth) and spec.auth.token == "set${literal}"
