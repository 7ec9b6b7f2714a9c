"""Phone numbers: mainland mobiles and landlines, whatever the separators and prefixes.

A mobile is 11 digits on 1[3-9] once ``+86`` / ``0086`` / ``86`` and separators are gone
(``+86 138 1234 5678``, ``138-1234-5678``). A landline is an area code (010 and 02x
have three digits, all others four) and a 7- or 8-digit subscriber number, kept as
``0724-2345678``; ``+86 724 2345678`` regains its trunk 0. A number without an area
code, or anything else, is missing with a reason: guessing the area would make strangers
agree. Extensions (``转801``) are dropped; of several numbers the first usable one is kept.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from identity.cleaning import is_placeholder, shown, take_text

_LIMIT = 128
_SEVERAL = re.compile(r"[,;/、|，；]")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x)\s*\d{1,6}$", re.IGNORECASE | re.ASCII)
_DASHED_EXTENSION = re.compile(r"(0\d{2,3}-\d{7,8})-\d{1,6}", re.ASCII)
_NOISE = str.maketrans("", "", " -.()（）")
_SPACES_AND_DASHES = str.maketrans("", "", " -")
_SHORTEST_OTHER = 20  # longer values are never plain mobiles
_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_LANDLINE = re.compile(r"0(?:[12]\d|[3-9]\d{2})[2-9]\d{6,7}", re.ASCII)


class PhoneKind(enum.StrEnum):
    MOBILE = "mobile"
    LANDLINE = "landline"


@dataclass(frozen=True, slots=True)
class Phone:
    number: str  # 13812345678 or 0724-2345678
    kind: PhoneKind


def parse_phone(value: object) -> tuple[Phone | None, str | None]:
    """(phone, None), or (None, reason); a reason beside a phone notes dropped numbers."""
    if isinstance(value, str) and len(value) <= _SHORTEST_OTHER:
        mobile = _plain_mobile(value)
        if mobile is not None:  # the common forms: 13812345678, +86 138 1234 5678, 138-1234-5678
            return Phone(mobile, PhoneKind.MOBILE), None
        if len(value) == 11 and value.isdigit() and value.isascii():
            return _parse_one(value)
    text, reason = take_text(value, _LIMIT)
    if text is None:
        return None, reason
    parts = [part for part in _SEVERAL.split(text) if part.strip()]
    for part in parts:
        phone, reason = _parse_one(part.strip())
        if phone is not None:
            return phone, None if len(parts) == 1 else f"{len(parts)} numbers, kept {phone.number}"
    return None, reason


def _plain_mobile(value: str) -> str | None:
    """The mobile of a value made of its 11 digits, spaces, dashes and perhaps ``+86``;
    None for anything else (left to the general parser, which agrees on these)."""
    digits = value.translate(_SPACES_AND_DASHES)
    if digits.startswith("+86"):
        digits = digits[3:]
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return None
    if digits[1] not in "3456789" or digits[0] != "1" or is_placeholder(digits[3:]):
        return None
    return digits


def _parse_one(text: str) -> tuple[Phone | None, str | None]:
    if text.isdigit():
        digits = text
    else:
        text = _DASHED_EXTENSION.sub(r"\1", _EXTENSION.sub("", text).strip())
        digits = text.translate(_NOISE)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("86"):
            return None, f"foreign number {shown(text)}"
        digits = _trunk(digits[2:])
    elif digits.startswith("0086"):
        digits = _trunk(digits[4:])
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if not digits.isascii() or not digits.isdigit():
        return None, f"not a phone number {shown(text)}"
    if is_placeholder(digits):
        return None, f"placeholder {digits}"
    if _MOBILE.fullmatch(digits):
        if is_placeholder(digits[3:]):
            return None, f"placeholder {digits}"
        return Phone(digits, PhoneKind.MOBILE), None
    if _LANDLINE.fullmatch(digits):
        split = 3 if digits[1] in "12" else 4
        if is_placeholder(digits[split:]):
            return None, f"placeholder {digits}"
        return Phone(f"{digits[:split]}-{digits[split:]}", PhoneKind.LANDLINE), None
    if 7 <= len(digits) <= 8 and digits[0] not in "01":
        return None, f"landline without area code {shown(text)}"
    return None, f"not a phone number {shown(text)}"


def _trunk(national: str) -> str:
    """A landline after a country code usually drops its trunk 0: ``+86 724 2345678``."""
    return national if national.startswith(("0", "1")) else "0" + national
