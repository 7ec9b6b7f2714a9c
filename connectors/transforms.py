"""Named transforms for field mappings: ``"csrq | date:%Y%m%d"``, ``"xb | gender:gb2261"``.

A transform takes a value and returns the cleaned value, or raises ``TransformError``
with a reason; the record then goes to quarantine naming the field. ``None`` passes
through every transform except ``default`` and the tag transforms, so a missing
optional value stays missing. Arguments are checked when the spec loads, not at the
first record, and each transform is built once per mapping (``Transform.make``): its
argument parsed, its tables and patterns ready, so a record costs one plain call.
``gives`` says what a non-null result always is (``"text"``, ``"date"`` …), which
spares the mapping a type check it could never fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectors.dates import date_parser, datetime_parser
from connectors.values import (
    FULLWIDTH,
    SPACES,
    WHITESPACE,
    TransformError,
    gender_step,
    id_number,
    phone,
    text,
)

__all__ = ["TRANSFORMS", "Step", "Transform", "TransformError", "parse_transform"]

Step = Callable[[Any], Any]
TEXT = frozenset({"text"})
_TRUE = frozenset({"1", "true", "y", "yes", "是"})
_FLAGS = _TRUE | {"0", "false", "n", "no", "否", ""}


@dataclass(frozen=True)
class Transform:
    name: str
    make: Callable[[str], Step]  # the argument after the colon → the step
    arg: str  # "none", "required" or "optional"
    check: Callable[[str], str | None] | None = None
    gives: frozenset[str] | None = frozenset()  # None: the value's own type passes through

    def fn(self, value: Any, arg: str) -> Any:
        """Apply once (tests, one-off use); a mapping builds its steps once with ``make``."""
        return self.make(arg)(value)


TRANSFORMS: dict[str, Transform] = {}


def _register(
    name: str,
    arg: str = "none",
    check: Callable[[str], str | None] | None = None,
    gives: frozenset[str] | None = frozenset(),
) -> Callable[[Callable[[str], Step]], Callable[[str], Step]]:
    def add(make: Callable[[str], Step]) -> Callable[[str], Step]:
        TRANSFORMS[name] = Transform(name, make, arg, check, gives)
        return make

    return add


def _plain(name: str, step: Step, gives: frozenset[str] | None = TEXT) -> None:
    """A transform without an argument: the step is the function itself."""
    TRANSFORMS[name] = Transform(name, lambda _arg: step, "none", None, gives)


def parse_transform(spec: str) -> tuple[Transform, str]:
    """``"date:%Y%m%d"`` → (the date transform, "%Y%m%d"); ValueError names the problem."""
    name, _, arg = spec.strip().partition(":")
    found = TRANSFORMS.get(name)
    if found is None:
        raise ValueError(f"unknown transform {name!r} (known: {', '.join(sorted(TRANSFORMS))})")
    if found.arg == "required" and not arg:
        raise ValueError(f"transform {name!r} needs an argument ({name}:…)")
    if found.arg == "none" and arg:
        raise ValueError(f"transform {name!r} takes no argument")
    problem = found.check(arg) if found.check and arg else None
    if problem:
        raise ValueError(f"transform {spec.strip()!r}: {problem}")
    return found, arg


def trim(value: Any) -> Any:
    """Strip spaces (also the ideographic space); an empty result becomes null."""
    return None if value is None else text(value).strip(WHITESPACE) or None


def halfwidth(value: Any) -> Any:
    if value is None:
        return None
    found = text(value)
    return found if found.isascii() else found.translate(FULLWIDTH)


def remove_spaces(value: Any) -> Any:
    return None if value is None else SPACES.sub("", text(value))


def text_only(value: Any) -> Any:
    """Insist on text: a number or object where text belongs is a malformed record."""
    return None if value is None else text(value)


_plain("trim", trim)
_plain("fullwidth_to_halfwidth", halfwidth)
_plain("upper", lambda value: None if value is None else text(value).upper())
_plain("lower", lambda value: None if value is None else text(value).lower())
_plain("remove_spaces", remove_spaces)
_plain("text", text_only)
_plain("phone", phone)
_plain("id_number", id_number)


@_register("null_if", "required", gives=None)
def null_if(arg: str) -> Step:
    return lambda value: None if value is None or str(value) == arg else value


@_register("default", "required")
def default(arg: str) -> Step:
    return lambda value: arg if value is None or value == "" else value


def _check_date(arg: str) -> str | None:
    if arg == "auto":
        return None
    if "%Y" not in arg and "%y" not in arg:
        return "a date format needs a year (%Y)"
    return None


@_register("date", "required", _check_date, frozenset({"text", "date"}))
def to_date(arg: str) -> Step:
    """A strptime format, or ``auto`` for the usual shapes → ISO 8601 date."""
    parse = date_parser(arg)

    def step(value: Any) -> Any:
        if value is None:
            return None
        found = text(value)
        if not found.isascii():
            found = found.translate(FULLWIDTH)
        found = found.strip(WHITESPACE)
        if not found:
            return None
        try:
            return parse(found)
        except ValueError as exc:
            reason = str(exc) if arg == "auto" else f"{found!r} is not a date in the format {arg}"
            raise TransformError(reason) from None

    return step


@_register("datetime", "required", _check_date, TEXT)
def to_datetime(arg: str) -> Step:
    """A strptime format, or ``auto`` for ISO 8601 → ISO 8601 date and time."""
    parse = datetime_parser(arg)

    def step(value: Any) -> Any:
        if value is None:
            return None
        found = text(value).strip(WHITESPACE)
        if not found:
            return None
        try:
            return parse(found)
        except ValueError:
            raise TransformError(f"impossible or unrecognised date and time {found!r}") from None

    return step


def _check_gender(arg: str) -> str | None:
    try:
        gender_step(arg)
    except KeyError as exc:
        return str(exc.args[0])
    return None


TRANSFORMS["gender"] = Transform(
    "gender", gender_step, "required", _check_gender, frozenset({"text", "gender"})
)


def _flag(value: Any) -> bool:
    """A boolean, or text such as "1"/"0", "是"/"否"; a number is the wrong type."""
    if value is True or value is False:
        return value
    if value is None:
        return False
    if isinstance(value, str):
        key = value.strip().lower()
        if key in _FLAGS:
            return key in _TRUE
    raise TransformError(f"not a yes/no flag: {type(value).__name__} {value!r}")


TAGS = frozenset({"tags"})


@_register("tag_if_true", "required", gives=TAGS)
def tag_if_true(arg: str) -> Step:
    """A flag (``"1"``, ``true``, ``是`` …) → ``[arg]``; a false or missing flag → ``[]``."""
    return lambda value: [arg] if _flag(value) else []


@_register("tag_if_present", "required", gives=TAGS)
def tag_if_present(arg: str) -> Step:
    """Any non-empty value → ``[arg]``."""
    return lambda value: [arg] if value is not None and value != "" and value != [] else []


@_register("split", "required", gives=TAGS)
def split(arg: str) -> Step:
    def step(value: Any) -> Any:
        if value is None:
            return None
        parts = (part.strip(WHITESPACE) for part in text(value).split(arg))
        return [part for part in parts if part]

    return step


def _check_map(arg: str) -> str | None:
    pairs = [p.partition("=") for p in arg.split(",")]
    return None if all(sep and key for key, sep, _ in pairs) else "use map:code=value,code=value"


@_register("map", "required", _check_map, TEXT)
def map_values(arg: str) -> Step:
    """``map:1=户主,2=配偶``: look the value up; an unlisted value is an error."""
    table = dict(p.split("=", 1) for p in arg.split(","))

    def step(value: Any) -> Any:
        if value is None:
            return None
        found = table.get(str(value))
        if found is None:
            raise TransformError(f"{value!r} is not one of {', '.join(table)}")
        return found

    return step


def to_list(value: Any) -> Any:
    """Insist on a JSON list of text (e.g. diagnoses); a joined string is the wrong type."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TransformError(f"expected a list of text, got {type(value).__name__} {value!r}")
    return value


def to_int(value: Any) -> Any:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise TransformError(f"expected an integer, got {type(value).__name__} {value!r}")


_plain("list", to_list, TAGS)
_plain("int", to_int, frozenset({"int"}))
_plain("bool", lambda value: None if value is None else _flag(value), frozenset())
