"""Field mapping: a department's raw record → our record fields, validated, with a hash.

A mapping is a TOML table from our field names to expressions ``"source.path | transform
| transform:arg"``; a list of expressions takes the first non-null value (for ``tags``:
all of them, concatenated). Fields we do not know become ``extras``. A record that fails
(missing primary key, a value of the wrong type, an impossible date …) raises
``RecordError`` naming the field, and goes to quarantine instead of the store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from connectors.config import Table
from connectors.dates import is_iso_date
from connectors.transforms import Transform, TransformError, parse_transform

FIELD_TYPES: dict[str, str] = {
    "name": "text",
    "id_number": "text",
    "gender": "gender",
    "birth_date": "date",
    "phone": "text",
    "residence_address": "text",
    "registered_address": "text",
    "household_key": "text",
    "relation": "text",
    "tags": "tags",
    "head_name": "text",
    "address": "text",
    "member_count": "int",
}
GENDERS = ("male", "female", "unknown")


class RecordError(ValueError):
    """A record that cannot be stored: which field, and why."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


@dataclass(frozen=True)
class Expression:
    text: str
    path: tuple[str, ...]
    steps: tuple[tuple[Transform, str], ...]

    def __post_init__(self) -> None:
        calls = tuple((transform.fn, arg) for transform, arg in self.steps)
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "_key", self.path[0] if len(self.path) == 1 else None)

    def evaluate(self, raw: Mapping[str, Any]) -> Any:
        key = self._key  # type: ignore[attr-defined]
        value = raw.get(key) if key is not None else lookup(raw, self.path)
        for fn, arg in self._calls:  # type: ignore[attr-defined]
            value = fn(value, arg)
        return value


def lookup(raw: Any, path: tuple[str, ...]) -> Any:
    """Follow a key path through nested objects; a missing key is ``None``."""
    value = raw
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def split_path(text: str, flat: bool) -> tuple[str, ...]:
    """``"data.list"`` → ("data", "list"); ledger columns are names, never split."""
    text = text.strip()
    return (text,) if flat else tuple(part for part in text.split(".") if part)


def parse_expression(table: Table, key: str, text: str, flat: bool) -> Expression:
    source, *steps = (part.strip() for part in text.split("|"))
    if not source:
        raise table.error(key, f"{text!r} names no source field")
    parsed = []
    for step in steps:
        try:
            parsed.append(parse_transform(step))
        except ValueError as exc:
            raise table.error(key, str(exc)) from None
    return Expression(text, split_path(source, flat), tuple(parsed))


def _check_type(field: str, value: Any) -> None:
    kind = FIELD_TYPES.get(field)
    if value is None or kind is None:
        return
    if kind == "text" and not isinstance(value, str):
        raise RecordError(field, f"expected text, got {type(value).__name__} {value!r}")
    if kind == "gender" and value not in GENDERS:
        raise RecordError(field, f"{value!r} is not one of {', '.join(GENDERS)} (add gender:…)")
    if kind == "date" and not (isinstance(value, str) and is_iso_date(value)):
        raise RecordError(field, f"{value!r} is not an ISO date (add date:…)")
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        raise RecordError(field, f"expected an integer, got {type(value).__name__} {value!r}")
    if kind == "tags" and not (isinstance(value, list) and all(isinstance(t, str) for t in value)):
        raise RecordError(field, f"expected a list of tags, got {value!r}")


@dataclass(frozen=True)
class FieldMap:
    """The mapping of one resource, with a fingerprint that changes when the mapping does."""

    primary_key: tuple[str, ...]
    primary_key_text: str
    fields: dict[str, tuple[Expression, ...]]
    required: tuple[str, ...]
    fingerprint: str

    def __post_init__(self) -> None:
        plan = tuple(
            (field, expressions[0] if len(expressions) == 1 and field != "tags" else None)
            for field, expressions in self.fields.items()
        )
        object.__setattr__(self, "_plan", plan)

    def source_id(self, raw: Any) -> str:
        if not isinstance(raw, Mapping):
            raise RecordError("(record)", f"expected an object, got {type(raw).__name__}")
        value = lookup(raw, self.primary_key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise RecordError(self.primary_key_text, "missing primary key")
        raise RecordError(self.primary_key_text, f"primary key must be text, got {value!r}")

    def apply(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Map and validate one raw record; raise RecordError on the first bad field."""
        record: dict[str, Any] = {}
        extras: dict[str, Any] = {}
        for field, single in self._plan:  # type: ignore[attr-defined]
            try:
                if single is not None:
                    value = single.evaluate(raw)
                else:
                    value = _combine(field, self.fields[field], raw)
            except TransformError as exc:
                raise RecordError(field, str(exc)) from None
            if value is not None:
                _check_type(field, value)
            (record if field in FIELD_TYPES else extras)[field] = value
        for field in self.required:
            if record.get(field, extras.get(field)) in (None, "", []):
                raise RecordError(field, "is required but missing")
        if extras:
            record["extras"] = extras
        return record

    def content_hash(self, raw: Any) -> str:
        return self.digest(raw)[1]

    def digest(self, raw: Any) -> tuple[str, str]:
        """(canonical JSON of the payload, content hash): the JSON is what gets stored."""
        text = canonical_json(raw)
        return text, hashlib.sha256(f"{self.fingerprint}\n{text}".encode()).hexdigest()


def _combine(field: str, expressions: tuple[Expression, ...], raw: Mapping[str, Any]) -> Any:
    if field == "tags":
        tags: list[str] = []
        for expression in expressions:
            value = expression.evaluate(raw)
            for tag in [value] if isinstance(value, str) else value or []:
                if tag not in tags:
                    tags.append(tag)
        return tags
    for expression in expressions:
        value = expression.evaluate(raw)
        if value is not None:
            return value
    return None


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(fingerprint: str, raw: Any) -> str:
    """SHA-256 of the mapping fingerprint and the canonical raw payload."""
    return hashlib.sha256(f"{fingerprint}\n{canonical_json(raw)}".encode()).hexdigest()


def parse_field_map(resource: Table, flat: bool) -> FieldMap:
    """Read ``primary_key``, ``required`` and the ``fields`` table of one resource."""
    pk_text = resource.text("primary_key")
    table = resource.table("fields")
    fields: dict[str, tuple[Expression, ...]] = {}
    for key in table.names():
        value = table.data[key]
        texts = [value] if isinstance(value, str) else value
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            raise table.error(key, "must be an expression string or a list of them")
        fields[key] = tuple(parse_expression(table, key, t, flat) for t in texts)
    if not fields:
        raise resource.error("fields", "maps no fields")
    required = resource.str_list("required")
    for field in required:
        if field not in fields:
            raise resource.error("required", f"{field!r} is not a mapped field")
    fingerprint = hashlib.sha256(
        canonical_json(
            [pk_text, {k: [e.text for e in v] for k, v in fields.items()}, required]
        ).encode()
    ).hexdigest()[:16]
    return FieldMap(split_path(pk_text, flat), pk_text, fields, required, fingerprint)
