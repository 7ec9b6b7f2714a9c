"""Date parsing for the transforms: fast for the usual numeric formats, strict about
impossible dates (``datetime.strptime`` is correct but slow enough to dominate a sync).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_FAST = ("%Y", "%m", "%d", "%H", "%M", "%S")
_AUTO_DATES = ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
_DATE_DIGITS = re.compile(r"^\d{4}\D{0,1}\d{1,2}\D{0,1}\d{1,2}\D{0,1}$")


@lru_cache(maxsize=64)
def _pattern(fmt: str) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """A regex for formats made of %Y %m %d %H %M %S and literals (strptime is slow).

    A field right next to another (``%Y%m%d``) has its full width; one followed by a
    literal may be shorter (``1954/5/23``).
    """
    parts = re.split(r"(%.)", fmt)
    if any(p.startswith("%") and p not in _FAST for p in parts):
        return None
    regex = []
    for index, part in enumerate(parts):
        if part not in _FAST:
            regex.append(re.escape(part))
            continue
        adjacent = (index + 2 < len(parts) and parts[index + 1] == "") or (
            index >= 2 and parts[index - 1] == "" and parts[index - 2] in _FAST
        )
        width = "4" if part == "%Y" else "2" if adjacent else "1,2"
        regex.append(rf"(\d{{{width}}})")
    return re.compile("".join(regex) + "$"), tuple(p for p in parts if p in _FAST)


def parse_moment(text: str, fmt: str) -> datetime:
    """``datetime.strptime`` for the usual numeric formats, fast; ValueError when wrong."""
    compiled = _pattern(fmt)
    if compiled is None:
        return datetime.strptime(text, fmt)
    match = compiled[0].match(text)
    if match is None:
        raise ValueError(f"{text!r} does not match {fmt}")
    fields = dict(zip(compiled[1], map(int, match.groups()), strict=True))
    return datetime(
        fields["%Y"],
        fields.get("%m", 1),
        fields.get("%d", 1),
        fields.get("%H", 0),
        fields.get("%M", 0),
        fields.get("%S", 0),
    )


def parse_date_auto(text: str) -> str:
    """The usual ways departments write a date (or an ISO date-time) → ISO date.

    ValueError says "impossible date" for a well-formed one that does not exist
    (30 February), "unrecognised date" for anything else.
    """
    if "T" in text or (len(text) > 10 and ":" in text):
        try:
            return datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            raise ValueError(f"impossible or unrecognised date {text!r}") from None
    for fmt in _AUTO_DATES:
        try:
            return parse_moment(text, fmt).date().isoformat()
        except ValueError:
            continue
    if _DATE_DIGITS.match(text):
        raise ValueError(f"impossible date {text!r}")
    raise ValueError(f"unrecognised date {text!r}")


def is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
