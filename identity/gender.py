"""Gender codes as the department platforms send them, mapped onto one enum.

公安 uses GB/T 2261.1 (1 male, 2 female, 0 unknown, 9 unspecified), 民政 and 残联 write
男 / 女, 卫健 sends M / F / U. "Unknown" and "missing" both mean "no evidence", so both
become ``Gender.UNKNOWN``; only an unrecognised code earns a reason.
"""

from __future__ import annotations

import enum

from identity.cleaning import shown, take_text


class Gender(enum.StrEnum):
    """Same values as ``store.base.Gender``; identity keeps its own so it needs no store."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


_CODES: dict[str, Gender] = {
    "1": Gender.MALE,
    "2": Gender.FEMALE,
    "0": Gender.UNKNOWN,
    "9": Gender.UNKNOWN,
    "男": Gender.MALE,
    "女": Gender.FEMALE,
    "男性": Gender.MALE,
    "女性": Gender.FEMALE,
    "m": Gender.MALE,
    "f": Gender.FEMALE,
    "u": Gender.UNKNOWN,
    "male": Gender.MALE,
    "female": Gender.FEMALE,
    "unknown": Gender.UNKNOWN,
    "未知": Gender.UNKNOWN,
    "未说明": Gender.UNKNOWN,
    "未知的性别": Gender.UNKNOWN,
    "未说明的性别": Gender.UNKNOWN,
}
_LIMIT = 32


def parse_gender(value: object) -> tuple[Gender, str | None]:
    """(gender, None), or (``Gender.UNKNOWN``, reason) for a value that is no known code."""
    if isinstance(value, Gender):
        return value, None
    if isinstance(value, str) and len(value) <= _LIMIT:
        found = _CODES.get(value.strip().lower())  # the common case, without folding
        if found is not None:
            return found, None
    text, reason = take_text(value, _LIMIT)
    if text is None:
        return Gender.UNKNOWN, None if reason is None or reason.startswith(
            "placeholder"
        ) else reason
    found = _CODES.get(text.lower())
    if found is None:
        return Gender.UNKNOWN, f"unknown gender code {shown(text)}"
    return found, None
