"""Connector specs: one TOML file per department, read once and validated at load.

A department is data, not code (dlt's rest_api style): base URL, auth, and resources,
each with a path, a paginator, a record selector, a primary key, an optional
incremental cursor and a field mapping. Ledger departments name a CSV or XLSX file
instead. Every option is documented in ``docs/connectors.md``; an invalid spec raises
``SpecError`` with the file, the key path and the problem.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from connectors.auth import Auth, build_auth
from connectors.config import SpecError, Table
from connectors.mapping import FieldMap, parse_field_map, split_path
from connectors.paging import Paginator, build_paginator

DEPARTMENTS_DIR = Path(__file__).parent / "departments"
RECORD_KINDS = ("person", "household")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_LAG = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
_LAG_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class RetrySettings:
    attempts: int = 8
    initial_wait: float = 0.5
    max_wait: float = 30.0


@dataclass(frozen=True)
class Incremental:
    """Ask only for records whose ``cursor_field`` is at least the last high mark − lag."""

    cursor_field: tuple[str, ...]
    param: str
    lag: timedelta
    format: str | None


@dataclass(frozen=True)
class Ledger:
    file: Path
    format: str  # "csv" or "xlsx"
    sheet: str | None
    header_row: int | None  # None: the first row that holds the primary-key column
    encoding: str
    delimiter: str
    batch: int


@dataclass(frozen=True)
class Resource:
    name: str
    kind: str
    mapping: FieldMap
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)
    records: tuple[str, ...] = ()
    paginator: Paginator | None = None
    incremental: Incremental | None = None
    success_path: tuple[str, ...] | None = None
    success_value: Any = None
    message_path: tuple[str, ...] | None = None
    ledger: Ledger | None = None


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    kind: str  # "rest" or "ledger"
    base_url: str
    auth: Auth
    resources: dict[str, Resource]
    rate_limit: float | None = None
    concurrency: int = 4
    timeout: float = 30.0
    retry: RetrySettings = RetrySettings()
    origin: str = "<spec>"


def parse_lag(table: Table, key: str) -> timedelta:
    raw = table.scalar(key, "0")
    if raw in ("0", 0):
        return timedelta(0)
    match = _LAG.match(str(raw).strip())
    if not match:
        raise table.error(key, f"must be a duration like 30s, 10m, 2h or 1d, not {raw!r}")
    return timedelta(**{_LAG_UNITS[match.group(2)]: float(match.group(1))})


def _incremental(table: Table) -> Incremental:
    result = Incremental(
        split_path(table.text("cursor_field"), False),
        table.text("param"),
        parse_lag(table, "lag"),
        table.text("format", None),
    )
    table.done()
    return result


def _rest_resource(name: str, table: Table) -> Resource:
    params_table = table.table("params", None)
    params: dict[str, str] = {}
    if params_table is not None:
        for key in params_table.names():
            params[key] = str(params_table.scalar(key))
    records = table.text("records", None)
    success = table.text("success_path", None)
    message = table.text("message_path", None)
    resource = Resource(
        name=name,
        kind=table.choice("kind", RECORD_KINDS),
        mapping=parse_field_map(table, flat=False),
        path=table.text("path"),
        params=params,
        records=split_path(records, False) if records else (),
        paginator=build_paginator(table.table("paginator")),
        incremental=_incremental(inc) if (inc := table.table("incremental", None)) else None,
        success_path=split_path(success, False) if success else None,
        success_value=table.scalar("success_value", None) if success else None,
        message_path=split_path(message, False) if message else None,
    )
    if success is None and table.has("success_value"):
        raise table.error("success_value", "needs success_path")
    return resource


def _ledger_resource(name: str, table: Table) -> Resource:
    file = Path(table.text("file"))
    suffix = file.suffix.lower().lstrip(".")
    fmt = table.choice("format", ("csv", "xlsx"), suffix if suffix in ("csv", "xlsx") else None)
    if fmt is None:
        raise table.error("format", f"cannot tell csv or xlsx from {file.name!r}: give format")
    ledger = Ledger(
        file=file,
        format=fmt,
        sheet=table.text("sheet", None),
        header_row=table.positive_int("header_row", None),
        encoding=table.text("encoding", "utf-8-sig"),
        delimiter=table.text("delimiter", ","),
        batch=table.positive_int("batch", 500),
    )
    return Resource(
        name=name,
        kind=table.choice("kind", RECORD_KINDS),
        mapping=parse_field_map(table, flat=True),
        ledger=ledger,
    )


def _resources(root: Table, kind: str) -> dict[str, Resource]:
    table = root.table("resources")
    resources: dict[str, Resource] = {}
    kinds: dict[str, str] = {}
    for name in table.names():
        if not re.match(r"^[A-Za-z][A-Za-z0-9_]{0,63}$", name):
            raise table.error(name, "a resource name is letters, digits and _ (at most 64)")
        sub = table.table(name)
        resource = _rest_resource(name, sub) if kind == "rest" else _ledger_resource(name, sub)
        sub.done()
        if resource.kind in kinds:
            other = kinds[resource.kind]
            raise sub.error("kind", f"{resource.kind!r} is already the kind of {other}")
        kinds[resource.kind] = name
        resources[name] = resource
    if not resources:
        raise root.error("resources", "defines no resource")
    return resources


def _retry(root: Table) -> RetrySettings:
    table = root.table("retry", None)
    if table is None:
        return RetrySettings()
    defaults = RetrySettings()
    settings = RetrySettings(
        table.positive_int("attempts", defaults.attempts),
        table.positive_number("initial_wait", defaults.initial_wait),
        table.positive_number("max_wait", defaults.max_wait),
    )
    table.done()
    return settings


def parse_spec(
    data: Mapping[str, Any], origin: str = "<spec>", env: Mapping[str, str] | None = None
) -> Spec:
    """Validate one parsed TOML document; raise SpecError naming the key path."""
    root = Table(data, origin, env=env)
    code = root.text("code")
    if not _CODE.match(code):
        raise root.error("code", "must be lower-case letters, digits and _, starting with a letter")
    kind = root.choice("kind", ("rest", "ledger"))
    base_url = root.text("base_url") if kind == "rest" else root.text("base_url", "")
    if kind == "rest" and not base_url.startswith(("http://", "https://")):
        raise root.error("base_url", f"must be an http(s) URL, not {base_url!r}")
    auth_table = root.table("auth", None)
    spec = Spec(
        code=code,
        name=root.text("name"),
        kind=kind,
        base_url=base_url.rstrip("/"),
        auth=build_auth(auth_table),
        resources=_resources(root, kind),
        rate_limit=root.positive_number("rate_limit", None),
        concurrency=root.positive_int("concurrency", 4),
        timeout=root.positive_number("timeout", 30.0),
        retry=_retry(root),
        origin=origin,
    )
    root.done()
    return spec


def parse_spec_text(
    text: str, origin: str = "<spec>", env: Mapping[str, str] | None = None
) -> Spec:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(origin, "", f"not valid TOML: {exc}") from None
    return parse_spec(data, origin, env)


def load_spec(path: Path | str, env: Mapping[str, str] | None = None) -> Spec:
    path = Path(path)
    spec = parse_spec_text(path.read_text(encoding="utf-8"), str(path), env)
    if spec.code != path.stem:
        raise SpecError(str(path), "code", f"{spec.code!r} does not match the file name")
    return spec


def load_specs(
    directory: Path | str | None = None, env: Mapping[str, str] | None = None
) -> dict[str, Spec]:
    """Every ``<code>.toml`` in ``directory`` (default: ``connectors/departments``), by code."""
    folder = Path(directory) if directory is not None else DEPARTMENTS_DIR
    if not folder.is_dir():
        raise SpecError(str(folder), "", "no such directory")
    specs = [load_spec(path, env) for path in sorted(folder.glob("*.toml"))]
    return {spec.code: spec for spec in specs}
