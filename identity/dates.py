"""Birth dates in every form the department platforms use, to ``datetime.date``.

Accepted: ``19540523``; ``1954-05-23``, ``1954/5/23``, ``1954.5.23``, ``1954年5月23日``,
each optionally followed by a time and a time zone (``1954-05-23T00:00:00+08:00``,
``1954-05-23 10:00:00``); ``date`` and ``datetime`` objects (spreadsheet cells); and
``yymmdd`` only when exactly one century gives a date that is not in the future.
A time zone other than China's (UTC+8) is converted first, because a platform that
stores midnight in Beijing as UTC writes the previous day (``1954-05-22T16:00:00Z``).
Impossible dates (30 February, before 1880, in the future) are missing, with a reason.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

from identity.cleaning import shown, take_text

CHINA = timezone(timedelta(hours=8))
EARLIEST = date(1880, 1, 1)
_LIMIT = 64

_DATE = re.compile(
    r"(?P<y>\d{4})"
    r"(?:\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?|(?P<m8>\d{2})(?P<d8>\d{2}))"
    r"(?:(?:T|\s+)(?P<h>\d{1,2}):(?P<min>\d{2})(?::(?P<s>\d{2})(?:\.\d{1,9})?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)
_SHORT = re.compile(r"(?P<y>\d{2})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:T00:00:00\+08:00)?", re.ASCII)
_CHINA_MIDNIGHT = "T00:00:00+08:00"


def parse_date(value: object, today: date | None = None) -> tuple[date | None, str | None]:
    """(date, None), or (None, reason) when the value holds no possible birth date.

    ``today`` bounds the future (default: the system date); it also decides the
    century of a six-digit ``yymmdd``.
    """
    today = today or date.today()
    if isinstance(value, datetime):
        found = _china_date(value)
    elif isinstance(value, date):
        found = value
    elif isinstance(value, str) and len(value) <= _LIMIT:
        parsed = _parse_text(value)
        if parsed is None or isinstance(parsed, str):
            return None, parsed
        if isinstance(parsed, tuple):
            return _pick_century(value, parsed, today)
        found = parsed
    else:
        return None, take_text(value, _LIMIT)[1]
    if found < EARLIEST:
        return None, f"date {found.isoformat()} is before {EARLIEST.year}"
    if found > today:
        return None, f"date {found.isoformat()} is in the future"
    return found, None


@lru_cache(maxsize=1 << 18)
def _parse_text(raw: str) -> date | tuple[date, ...] | str | None:
    """The date written in ``raw``; the possible dates of a ``yymmdd``; the reason there
    is none; or None for a blank. Cached on the raw text: birth dates repeat."""
    if (plain := _plain(raw)) is not None:
        return plain
    text, reason = take_text(raw, _LIMIT)
    if text is None:
        return reason
    if len(text) == 6 and (short := _SHORT.fullmatch(text)) is not None:
        return _centuries(short)
    match = _DATE.fullmatch(text)
    if match is None:
        return f"unrecognised date {shown(text)}"
    year = int(match["y"])
    month = int(match["m"] or match["m8"])
    day = int(match["d"] or match["d8"])
    try:
        found = date(year, month, day)
    except ValueError:
        return f"impossible date {shown(text)}"
    tz = match["tz"]
    if tz is None or tz in ("+08:00", "+0800", "+08"):
        return found
    try:
        when = datetime(year, month, day, int(match["h"]), int(match["min"]), int(match["s"] or 0))
    except ValueError:
        return f"impossible time in {shown(text)}"
    return _china_date(when.replace(tzinfo=_offset(tz)))


def _plain(raw: str) -> date | None:
    """The date of ``19540523``, ``1954-05-23`` or ``1954-05-23T00:00:00+08:00`` (most
    dates the platforms send), read by slicing; None for anything else, impossible
    dates and one digit repeated (a placeholder) included, which the regex path reads."""
    if len(raw) == 8 and raw.isdigit() and raw.isascii() and raw.count(raw[0]) != 8:
        year, month, day = raw[:4], raw[4:6], raw[6:]
    elif (len(raw) == 10 or raw.endswith(_CHINA_MIDNIGHT)) and _ISO_DAY.fullmatch(raw):
        year, month, day = raw[:4], raw[5:7], raw[8:10]
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _offset(tz: str) -> timezone:
    if tz == "Z":
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timezone(sign * timedelta(minutes=minutes))


def _china_date(when: datetime) -> date:
    """The calendar date in China; a naive datetime is taken as China time already."""
    if when.tzinfo is None:
        return when.date()
    return when.astimezone(CHINA).date()


def _centuries(match: re.Match[str]) -> tuple[date, ...]:
    """The real dates a ``yymmdd`` can stand for, in 19yy and in 20yy."""
    yy, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    found = []
    for century in (1900, 2000):
        try:
            found.append(date(century + yy, month, day))
        except ValueError:
            continue
    return tuple(found)


def _pick_century(
    text: str, candidates: tuple[date, ...], today: date
) -> tuple[date | None, str | None]:
    """``yymmdd`` is usable only if exactly one century gives a possible past date."""
    possible = [when for when in candidates if EARLIEST <= when <= today]
    if len(possible) == 1:
        return possible[0], None
    if possible:
        years = f"{possible[0].year} or {possible[1].year}"
        return None, f"six-digit date {shown(text.strip())} could be {years}"
    return None, f"impossible date {shown(text.strip())}"
