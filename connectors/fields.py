"""Our record fields and their types, and compiling a field's expressions into one function.

A compiled field takes the raw record and returns the field's value, or raises
``TransformError`` with the reason. It runs the expressions' steps and then the field's
type check, unless the last step already guarantees the type (``trim`` gives text,
``date:…`` an ISO date, ``gender:…`` one of our genders).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from connectors.dates import is_iso_date
from connectors.transforms import Step, TransformError

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

Evaluate = Callable[[Mapping[str, Any]], Any]
Compiled = tuple[Evaluate, frozenset[str]]  # the function, and what its non-null result is
# How a mapping gets a field: ``fn(raw.get(key))`` when ``key`` is set, else ``fn(raw)``.
Plan = tuple[str | None, Callable[[Any], Any]]


def lookup(raw: Any, path: tuple[str, ...]) -> Any:
    """Follow a key path through nested objects; a missing key is ``None``."""
    value = raw
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _identity(value: Any) -> Any:
    return value


def _compose(calls: tuple[Step, ...]) -> Step:
    if not calls:
        return _identity
    if len(calls) == 1:
        return calls[0]
    if len(calls) == 2:
        first, second = calls
        return lambda value: second(first(value))

    def chain(value: Any) -> Any:
        for step in calls:
            value = step(value)
        return value

    return chain


class Expression:
    """``source.path | step | step``, compiled: ``steps`` applies every step to a value."""

    def __init__(
        self, path: tuple[str, ...], steps: Sequence[tuple[Step, frozenset[str] | None]]
    ) -> None:
        self.path = path
        self.key = path[0] if len(path) == 1 else None
        self.steps = _compose(tuple(step for step, _ in steps))
        self.gives: frozenset[str] = frozenset()
        for _, kinds in steps:
            self.gives = self.gives if kinds is None else kinds

    def __call__(self, raw: Mapping[str, Any]) -> Any:
        if self.key is not None:
            return self.steps(raw.get(self.key))
        return self.steps(lookup(raw, self.path))


def compile_field(name: str, expressions: Sequence[Expression]) -> Plan:
    """How to get the field's value (the first non-null of its expressions; for ``tags``
    all of them), type-checked when the expressions do not guarantee the type."""
    kind = FIELD_TYPES.get(name)
    key: str | None = None
    if name == "tags":
        every = tuple(expressions)
        gives = frozenset({"tags"}) if all(e.gives & {"tags", "text"} for e in every) else None
        get: Callable[[Any], Any] = lambda raw: _tags(every, raw)  # noqa: E731
    elif len(expressions) == 1:
        [only] = expressions
        gives, key, get = only.gives, only.key, only.steps if only.key is not None else only
    else:
        every = tuple(expressions)
        gives = frozenset.intersection(*(e.gives for e in every))
        get = lambda raw: _first(every, raw)  # noqa: E731
    if kind is None or (gives is not None and kind in gives):
        return key, get
    check = _CHECKS[kind]

    def checked(value: Any) -> Any:
        value = get(value)
        if value is not None:
            check(value)
        return value

    return key, checked


def _first(evaluators: tuple[Expression, ...], raw: Mapping[str, Any]) -> Any:
    for evaluate in evaluators:
        value = evaluate(raw)
        if value is not None:
            return value
    return None


def _tags(evaluators: tuple[Expression, ...], raw: Mapping[str, Any]) -> list[Any]:
    tags: list[Any] = []
    for evaluate in evaluators:
        value = evaluate(raw)
        if isinstance(value, str):
            value = [value]
        elif not isinstance(value, list):
            if value:
                raise TransformError(f"expected a list of tags, got {value!r}")
            continue
        for tag in value:
            if tag not in tags:
                tags.append(tag)
    return tags


def _text(value: Any) -> None:
    if not isinstance(value, str):
        raise TransformError(f"expected text, got {type(value).__name__} {value!r}")


def _gender(value: Any) -> None:
    if value not in GENDERS:
        raise TransformError(f"{value!r} is not one of {', '.join(GENDERS)} (add gender:…)")


def _date(value: Any) -> None:
    if not (isinstance(value, str) and is_iso_date(value)):
        raise TransformError(f"{value!r} is not an ISO date (add date:…)")


def _int(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TransformError(f"expected an integer, got {type(value).__name__} {value!r}")


def _list_of_tags(value: Any) -> None:
    if not (isinstance(value, list) and all(isinstance(t, str) for t in value)):
        raise TransformError(f"expected a list of tags, got {value!r}")


_CHECKS: dict[str, Callable[[Any], None]] = {
    "text": _text,
    "gender": _gender,
    "date": _date,
    "int": _int,
    "tags": _list_of_tags,
}
