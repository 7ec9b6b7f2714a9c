"""Cleaning the values departments send about a person: text, gender codes, phone numbers
and resident ID numbers. Each check goes straight through for a value that is already
clean (ASCII digits, a known code) and takes the longer way only when it must.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from connectors.dates import possible_ymd

WHITESPACE = " \t\r\n\u3000\xa0"
FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
SPACES = re.compile(r"[\s\u3000]+")
GENDER_TABLES = {
    "gb2261": {"1": "male", "2": "female", "0": "unknown", "9": "unknown"},
    "zh": {"男": "male", "女": "female", "未知": "unknown", "未说明": "unknown"},
    "mf": {"m": "male", "f": "female", "u": "unknown"},
}
_PHONE_JUNK = re.compile(r"[\s\-().]")
_PHONE_PREFIXES = ("+86", "0086", "86")
_ID_NUMBER = re.compile(r"^(\d{15}|\d{17}[\dX])$")


class TransformError(ValueError):
    """The value cannot be transformed; the message is the reason kept in quarantine."""


def text(value: Any) -> str:
    """The value itself when it is text; a number or object where text belongs is an error."""
    if isinstance(value, str):
        return value
    raise TransformError(f"expected text, got {type(value).__name__} {value!r}")


def halfwidth(value: str) -> str:
    return value if value.isascii() else value.translate(FULLWIDTH)


def gender_step(arg: str) -> Callable[[Any], Any]:
    """Department gender codes → male / female / unknown (gb2261: 1/2/0/9, zh, mf)."""
    if arg not in GENDER_TABLES:
        raise KeyError(f"unknown gender code table (known: {', '.join(GENDER_TABLES)})")
    table = GENDER_TABLES[arg]

    def step(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            found = table.get(value)
            if found is not None:
                return found
        key = text(value).strip(WHITESPACE).lower()
        if not key:
            return None
        found = table.get(key)
        if found is None:
            raise TransformError(f"unknown gender code {value!r} for gender:{arg}")
        return found

    return step


def phone(value: Any) -> Any:
    """Mobiles as 11 digits (+86, spaces and dashes removed); landlines as ``0724-2345678``."""
    if value is None:
        return None
    digits = text(value)
    if digits.isascii() and digits.isdigit():
        if len(digits) == 11 and digits[0] == "1":
            return digits
    else:
        digits = _PHONE_JUNK.sub("", halfwidth(digits))
        if not digits:
            return None
    for prefix in _PHONE_PREFIXES:
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


def id_number(value: Any) -> Any:
    """Resident ID: full-width digits and spaces removed, ``x`` upper-cased; 15 or 18 long
    with a possible birth date. The check character is left to identity resolution."""
    if value is None:
        return None
    found = text(value)
    if not (found.isascii() and found.isalnum()):
        found = SPACES.sub("", halfwidth(found))
        if not found:
            return None
    found = found.upper()
    if not _ID_NUMBER.match(found):
        raise TransformError(f"not a resident ID number: {value!r}")
    born = found[6:14] if len(found) == 18 else "19" + found[6:12]
    if not (possible_ymd(born) if born.isascii() else _possible(born)):
        raise TransformError(f"impossible birth date {born} in ID number {found}")
    return found


def _possible(born: str) -> bool:
    """``possible_ymd`` for digits other than ASCII ones (``\\d`` matches them too)."""
    try:
        date(int(born[:4]), int(born[4:6]), int(born[6:]))
    except ValueError:
        return False
    return True
