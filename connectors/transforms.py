"""Named transforms for field mappings: ``"csrq | date:%Y%m%d"``, ``"xb | gender:gb2261"``.

A transform takes a value (and its argument after the colon) and returns the cleaned
value, or raises ``TransformError`` with a reason; the record then goes to quarantine
naming the field. ``None`` passes through every transform except ``default`` and the tag
transforms, so a missing optional value stays missing. Arguments are checked when the
spec loads, not at the first record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from connectors.dates import parse_date_auto, parse_moment

Fn = Callable[[Any, str], Any]

WHITESPACE = " \t\r\n\u3000\xa0"
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_TRUE = {"1", "true", "y", "yes", "是"}
_FALSE = {"0", "false", "n", "no", "否", ""}
_GENDERS = {
    "gb2261": {"1": "male", "2": "female", "0": "unknown", "9": "unknown"},
    "zh": {"男": "male", "女": "female", "未知": "unknown", "未说明": "unknown"},
    "mf": {"m": "male", "f": "female", "u": "unknown"},
}
_ID_NUMBER = re.compile(r"^(\d{15}|\d{17}[\dX])$")


class TransformError(ValueError):
    """The value cannot be transformed; the message is the reason kept in quarantine."""


@dataclass(frozen=True)
class Transform:
    name: str
    fn: Fn
    arg: str  # "none", "required" or "optional"
    check: Callable[[str], str | None] | None = None


TRANSFORMS: dict[str, Transform] = {}


def _register(
    name: str, arg: str = "none", check: Callable[[str], str | None] | None = None
) -> Callable[[Fn], Fn]:
    def add(fn: Fn) -> Fn:
        TRANSFORMS[name] = Transform(name, fn, arg, check)
        return fn

    return add


def parse_transform(text: str) -> tuple[Transform, str]:
    """``"date:%Y%m%d"`` → (the date transform, "%Y%m%d"); ValueError names the problem."""
    name, _, arg = text.strip().partition(":")
    found = TRANSFORMS.get(name)
    if found is None:
        raise ValueError(f"unknown transform {name!r} (known: {', '.join(sorted(TRANSFORMS))})")
    if found.arg == "required" and not arg:
        raise ValueError(f"transform {name!r} needs an argument ({name}:…)")
    if found.arg == "none" and arg:
        raise ValueError(f"transform {name!r} takes no argument")
    problem = found.check(arg) if found.check and arg else None
    if problem:
        raise ValueError(f"transform {text.strip()!r}: {problem}")
    return found, arg


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TransformError(f"expected text, got {type(value).__name__} {value!r}")
    return value


def _halfwidth(value: str) -> str:
    return value.translate(_FULLWIDTH)


@_register("trim")
def trim(value: Any, _arg: str) -> Any:
    """Strip spaces (also the ideographic space); an empty result becomes null."""
    if value is None:
        return None
    return _text(value).strip(WHITESPACE) or None


@_register("fullwidth_to_halfwidth")
def fullwidth_to_halfwidth(value: Any, _arg: str) -> Any:
    return None if value is None else _halfwidth(_text(value))


@_register("upper")
def upper(value: Any, _arg: str) -> Any:
    return None if value is None else _text(value).upper()


@_register("lower")
def lower(value: Any, _arg: str) -> Any:
    return None if value is None else _text(value).lower()


@_register("remove_spaces")
def remove_spaces(value: Any, _arg: str) -> Any:
    return None if value is None else re.sub(r"[\s\u3000]+", "", _text(value))


@_register("null_if", "required")
def null_if(value: Any, arg: str) -> Any:
    return None if value is None or str(value) == arg else value


@_register("default", "required")
def default(value: Any, arg: str) -> Any:
    return arg if value is None or value == "" else value


def _check_date(arg: str) -> str | None:
    if arg == "auto":
        return None
    if "%Y" not in arg and "%y" not in arg:
        return "a date format needs a year (%Y)"
    return None


@_register("date", "required", _check_date)
def to_date(value: Any, arg: str) -> Any:
    """Parse with a strptime format, or ``auto`` for the usual shapes; return ISO 8601."""
    if value is None:
        return None
    text = _halfwidth(_text(value)).strip(WHITESPACE)
    if not text:
        return None
    if arg != "auto":
        try:
            return parse_moment(text, arg).date().isoformat()
        except ValueError:
            raise TransformError(f"{text!r} is not a date in the format {arg}") from None
    try:
        return parse_date_auto(text)
    except ValueError as exc:
        raise TransformError(str(exc)) from None


@_register("datetime", "required", _check_date)
def to_datetime(value: Any, arg: str) -> Any:
    """Parse with a strptime format, or ``auto`` for ISO 8601; return ISO 8601."""
    if value is None:
        return None
    text = _text(value).strip(WHITESPACE)
    if not text:
        return None
    try:
        if arg == "auto":
            return datetime.fromisoformat(text).isoformat()
        return parse_moment(text, arg).isoformat()
    except ValueError:
        raise TransformError(f"impossible or unrecognised date and time {text!r}") from None


def _check_gender(arg: str) -> str | None:
    return None if arg in _GENDERS else f"unknown gender code table (known: {', '.join(_GENDERS)})"


@_register("gender", "required", _check_gender)
def gender(value: Any, arg: str) -> Any:
    """Department gender codes → male / female / unknown (gb2261: 1/2/0/9, zh, mf)."""
    if value is None:
        return None
    key = _text(value).strip(WHITESPACE).lower()
    if not key:
        return None
    try:
        return _GENDERS[arg][key]
    except KeyError:
        raise TransformError(f"unknown gender code {value!r} for gender:{arg}") from None


@_register("phone")
def phone(value: Any, _arg: str) -> Any:
    """Mobiles as 11 digits (+86, spaces and dashes removed); landlines as ``0724-2345678``."""
    if value is None:
        return None
    digits = re.sub(r"[\s\-().]", "", _halfwidth(_text(value)))
    if not digits:
        return None
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    if not digits.isdigit():
        raise TransformError(f"not a phone number: {value!r}")
    if len(digits) == 11 and digits[0] == "1":
        return digits
    if digits[0] == "0" and 10 <= len(digits) <= 12:
        area = 3 if digits[1] in "12" else 4
        return f"{digits[:area]}-{digits[area:]}"
    if 7 <= len(digits) <= 8:
        return digits
    raise TransformError(f"not a phone number: {value!r}")


@_register("id_number")
def id_number(value: Any, _arg: str) -> Any:
    """Resident ID: full-width digits and spaces removed, ``x`` upper-cased; 15 or 18 long
    with a possible birth date. The check character is left to identity resolution."""
    if value is None:
        return None
    text = re.sub(r"[\s\u3000]+", "", _halfwidth(_text(value))).upper()
    if not text:
        return None
    if not _ID_NUMBER.match(text):
        raise TransformError(f"not a resident ID number: {value!r}")
    born = text[6:14] if len(text) == 18 else "19" + text[6:12]
    try:
        date(int(born[:4]), int(born[4:6]), int(born[6:]))
    except ValueError:
        raise TransformError(f"impossible birth date {born} in ID number {text}") from None
    return text


def _flag(value: Any) -> bool:
    """A boolean, or text such as "1"/"0", "是"/"否"; a number is the wrong type."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise TransformError(f"not a yes/no flag: {type(value).__name__} {value!r}")


@_register("tag_if_true", "required")
def tag_if_true(value: Any, arg: str) -> Any:
    """A flag (``"1"``, ``true``, ``是`` …) → ``[arg]``; a false or missing flag → ``[]``."""
    return [arg] if _flag(value) else []


@_register("tag_if_present", "required")
def tag_if_present(value: Any, arg: str) -> Any:
    """Any non-empty value → ``[arg]``."""
    present = value is not None and value != "" and value != []
    return [arg] if present else []


@_register("split", "required")
def split(value: Any, arg: str) -> Any:
    if value is None:
        return None
    return [part.strip(WHITESPACE) for part in _text(value).split(arg) if part.strip(WHITESPACE)]


def _check_map(arg: str) -> str | None:
    pairs = [p.partition("=") for p in arg.split(",")]
    return None if all(sep and key for key, sep, _ in pairs) else "use map:code=value,code=value"


@_register("map", "required", _check_map)
def map_values(value: Any, arg: str) -> Any:
    """``map:1=户主,2=配偶``: look the value up; an unlisted value is an error."""
    if value is None:
        return None
    table = dict(p.split("=", 1) for p in arg.split(","))
    try:
        return table[str(value)]
    except KeyError:
        raise TransformError(f"{value!r} is not one of {', '.join(table)}") from None


@_register("list")
def to_list(value: Any, _arg: str) -> Any:
    """Insist on a JSON list of text (e.g. diagnoses); a joined string is the wrong type."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TransformError(f"expected a list of text, got {type(value).__name__} {value!r}")
    return value


@_register("int")
def to_int(value: Any, _arg: str) -> Any:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise TransformError(f"expected an integer, got {type(value).__name__} {value!r}")


@_register("bool")
def to_bool(value: Any, _arg: str) -> Any:
    return None if value is None else _flag(value)


@_register("text")
def text(value: Any, _arg: str) -> Any:
    """Insist on text: a number or object where text belongs is a malformed record."""
    return None if value is None else _text(value)
