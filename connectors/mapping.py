"""Field mapping: a department's raw record → our record fields, validated, with a hash.

A mapping is a TOML table from our field names to expressions ``"source.path | transform
| transform:arg"``; a list of expressions takes the first non-null value (for ``tags``:
all of them, concatenated). Fields we do not know become ``extras``. A record that fails
(missing primary key, a value of the wrong type, an impossible date …) raises
``RecordError`` naming the field, and goes to quarantine instead of the store.

Each field is compiled once into one plain function of the raw record: the key lookup,
the transforms' steps, and a type check only where the last transform does not already
guarantee the type. Mapping a record is then one dict comprehension; only a record that
fails is walked again, field by field, to name the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.canonical import Canonical, Hasher, canonical_json
from connectors.config import Table
from connectors.fields import FIELD_TYPES, compile_field, lookup
from connectors.fields import Expression as Compiled
from connectors.transforms import Transform, TransformError, parse_transform

__all__ = ["FIELD_TYPES", "Expression", "FieldMap", "RecordError", "lookup", "parse_field_map"]


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
    compiled: Compiled = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        built = tuple((transform.make(arg), transform.gives) for transform, arg in self.steps)
        object.__setattr__(self, "compiled", Compiled(self.path, built))

    def evaluate(self, raw: Mapping[str, Any]) -> Any:
        return self.compiled(raw)


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


@dataclass(frozen=True)
class FieldMap:
    """The mapping of one resource, with a fingerprint that changes when the mapping does."""

    primary_key: tuple[str, ...]
    primary_key_text: str
    fields: dict[str, tuple[Expression, ...]]
    required: tuple[str, ...]
    fingerprint: str
    _ours: tuple[tuple[str, str | None, Callable[[Any], Any]], ...] = field(
        init=False, repr=False, compare=False
    )
    _extras: tuple[tuple[str, str | None, Callable[[Any], Any]], ...] = field(
        init=False, repr=False, compare=False
    )
    hasher: Callable[[str], str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plans = [
            (name, *compile_field(name, [e.compiled for e in expressions]))
            for name, expressions in self.fields.items()
        ]
        object.__setattr__(self, "_ours", tuple(p for p in plans if p[0] in FIELD_TYPES))
        object.__setattr__(self, "_extras", tuple(p for p in plans if p[0] not in FIELD_TYPES))
        object.__setattr__(self, "hasher", Hasher(self.fingerprint))

    def source_id(self, raw: Any) -> str:
        if not isinstance(raw, Mapping):
            raise RecordError("(record)", f"expected an object, got {type(raw).__name__}")
        key = self.primary_key
        value = raw.get(key[0]) if len(key) == 1 else lookup(raw, key)
        if isinstance(value, str):
            found = value.strip()
            if found:
                return found
            raise RecordError(self.primary_key_text, "missing primary key")
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if value is None:
            raise RecordError(self.primary_key_text, "missing primary key")
        raise RecordError(self.primary_key_text, f"primary key must be text, got {value!r}")

    def apply(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Map and validate one raw record; raise RecordError on the first bad field."""
        get = raw.get
        try:
            record = {name: fn(raw if key is None else get(key)) for name, key, fn in self._ours}
            if self._extras:
                record["extras"] = {
                    name: fn(raw if key is None else get(key)) for name, key, fn in self._extras
                }
        except TransformError:
            raise self._explain(raw) from None
        for name in self.required:
            value = record[name] if name in FIELD_TYPES else record["extras"][name]
            if value is None or value == "" or value == []:
                raise RecordError(name, "is required but missing")
        return record

    def _explain(self, raw: Mapping[str, Any]) -> RecordError:
        """The first field, in the spec's order, that fails for this record."""
        plans = {name: (key, fn) for name, key, fn in self._ours + self._extras}
        for name in self.fields:
            key, fn = plans[name]
            try:
                fn(raw if key is None else raw.get(key))
            except TransformError as exc:
                return RecordError(name, str(exc))
        raise AssertionError("a field failed once but not again")  # pragma: no cover

    def content_hash(self, raw: Any) -> str:
        return self.digest(raw)[1]

    def digest(self, raw: Any, canonical: Canonical = canonical_json) -> tuple[str, str]:
        """(canonical JSON of the payload, content hash): the JSON is what gets stored."""
        text = canonical(raw)
        return text, self.hasher(text)


def content_hash(fingerprint: str, raw: Any) -> str:
    """SHA-256 of the mapping fingerprint and the canonical raw payload."""
    return Hasher(fingerprint)(canonical_json(raw))


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
    for name in required:
        if name not in fields:
            raise resource.error("required", f"{name!r} is not a mapped field")
    fingerprint = hashlib.sha256(
        canonical_json(
            [pk_text, {k: [e.text for e in v] for k, v in fields.items()}, required]
        ).encode()
    ).hexdigest()[:16]
    return FieldMap(split_path(pk_text, flat), pk_text, fields, required, fingerprint)
