"""Date parsing for the transforms: fast for the usual numeric formats, strict about
impossible dates (``datetime.strptime`` is correct but slow enough to dominate a sync).

A format is compiled once (``date_parser``, ``datetime_parser``) into a regex and the
positions of its fields; parsing a value is then one match and one ``date(...)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

_FAST = ("%Y", "%m", "%d", "%H", "%M", "%S")
_AUTO_DATES = ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
_DATE_DIGITS = re.compile(r"^\d{4}\D{0,1}\d{1,2}\D{0,1}\d{1,2}\D{0,1}$")

_MONTH_DAYS = frozenset(
    f"{month:02d}{day:02d}"
    for month, days in enumerate((31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), 1)
    for day in range(1, days + 1)
)

Parser = Callable[[str], str]
Compiled = tuple[re.Pattern[str], tuple[int, ...]]
_DEFAULTS = (1, 1, 1, 0, 0, 0)


@lru_cache(maxsize=64)
def _pattern(fmt: str) -> Compiled | None:
    """A regex for formats made of %Y %m %d %H %M %S and literals, with the group index
    of each of those fields (-1: absent). A field right next to another (``%Y%m%d``) has
    its full width; one followed by a literal may be shorter (``1954/5/23``)."""
    parts = re.split(r"(%.)", fmt)
    if any(p.startswith("%") and p not in _FAST for p in parts):
        return None
    regex, order = [], []
    for index, part in enumerate(parts):
        if part not in _FAST:
            regex.append(re.escape(part))
            continue
        adjacent = (index + 2 < len(parts) and parts[index + 1] == "") or (
            index >= 2 and parts[index - 1] == "" and parts[index - 2] in _FAST
        )
        width = "4" if part == "%Y" else "2" if adjacent else "1,2"
        regex.append(rf"(\d{{{width}}})")
        order.append(part)
    if "%Y" not in order:
        return None
    where = tuple(order.index(f) if f in order else -1 for f in _FAST)
    return re.compile("".join(regex) + "$"), where


def parse_moment(value: str, fmt: str) -> datetime:
    """``datetime.strptime`` for the usual numeric formats, fast; ValueError when wrong."""
    compiled = _pattern(fmt)
    if compiled is None:
        return datetime.strptime(value, fmt)
    pattern, where = compiled
    match = pattern.match(value)
    if match is None:
        raise ValueError(f"{value!r} does not match {fmt}")
    groups = match.groups()
    year, month, day, hour, minute, second = (
        int(groups[i]) if i >= 0 else d for i, d in zip(where, _DEFAULTS, strict=True)
    )
    return datetime(year, month, day, hour, minute, second)


def possible_ymd(digits: str) -> bool:
    """Whether eight ASCII digits ``YYYYMMDD`` name a day that exists (as ``date`` would)."""
    month_day = digits[4:8]
    if month_day not in _MONTH_DAYS or digits[:4] == "0000":
        return False
    if month_day == "0229":
        year = int(digits[:4])
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return True


def _ymd(pattern: re.Pattern[str], value: str) -> str | None:
    """ISO date of a ``%Y %m %d`` pattern's match, None when it does not match;
    ValueError when it matches but the date does not exist."""
    match = pattern.match(value)
    if match is None:
        return None
    year, month, day = match.groups()
    return date(int(year), int(month), int(day)).isoformat()


def _is_ymd(compiled: Compiled | None) -> bool:
    return compiled is not None and compiled[1] == (0, 1, 2, -1, -1, -1)


def date_parser(fmt: str) -> Parser:
    """Text → ISO date for a strptime format, or ``auto``; ValueError when wrong."""
    if fmt == "auto":
        return parse_date_auto
    compiled = _pattern(fmt)
    if compiled is not None and _is_ymd(compiled):
        pattern, digits = compiled[0], fmt == "%Y%m%d"

        def parse(value: str) -> str:
            if digits and len(value) == 8 and value.isascii() and value.isdigit():
                if possible_ymd(value):
                    return f"{value[:4]}-{value[4:6]}-{value[6:]}"
                raise ValueError(f"impossible date {value!r}")
            found = _ymd(pattern, value)
            if found is None:
                raise ValueError(f"{value!r} does not match {fmt}")
            return found

        return parse
    return lambda value: parse_moment(value, fmt).date().isoformat()


def datetime_parser(fmt: str) -> Parser:
    """Text → ISO date and time for a strptime format, or ``auto`` (ISO 8601)."""
    if fmt == "auto":
        return lambda value: datetime.fromisoformat(value).isoformat()
    return lambda value: parse_moment(value, fmt).isoformat()


_AUTO = tuple(c[0] for c in map(_pattern, _AUTO_DATES) if c is not None and _is_ymd(c))


def parse_date_auto(value: str) -> str:
    """The usual ways departments write a date (or an ISO date-time) → ISO date.

    ValueError says "impossible date" for a well-formed one that does not exist
    (30 February), "unrecognised date" for anything else.
    """
    if "T" in value or (len(value) > 10 and ":" in value):
        try:
            return datetime.fromisoformat(value).date().isoformat()
        except ValueError:
            raise ValueError(f"impossible or unrecognised date {value!r}") from None
    for pattern in _AUTO:
        try:
            found = _ymd(pattern, value)
        except ValueError:
            break  # the shape fits but the date does not exist
        if found is not None:
            return found
    if _DATE_DIGITS.match(value):
        raise ValueError(f"impossible date {value!r}")
    raise ValueError(f"unrecognised date {value!r}")


def is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
