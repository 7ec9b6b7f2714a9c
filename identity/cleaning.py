"""The first step of every field parser: accept only text, bound its length, fold
full-width forms to ASCII, and recognise placeholders.

Department data arrives as JSON, CSV and spreadsheets, so a field may hold a number, a
list, a 10 MB blob or a clerk's "无". Each of these becomes a missing value with a reason,
decided before any regex runs, so garbage costs one ``len`` and never reaches matching.
"""

from __future__ import annotations

import re

# Full-width ASCII (！ to ～) to ASCII, the ideographic space to a space, control
# characters to spaces, zero-width characters and the BOM removed, dashes to "-".
_FOLD: dict[int, int | None] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD |= {0x3000: 0x20, 0xA0: 0x20, 0x7F: 0x20}
_FOLD |= {code: 0x20 for code in range(0x00, 0x20)}
_FOLD |= {code: None for code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)}
_FOLD |= {code: 0x2D for code in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212)}
_FOLD |= {0xFE63: 0x2D}

# Values clerks type when they do not know; compared lower-cased, after folding.
PLACEHOLDERS = frozenset(
    {
        "-",
        "--",
        "---",
        "/",
        "\\",
        ".",
        "?",
        "??",
        "*",
        "无",
        "暂无",
        "没有",
        "空",
        "不详",
        "未知",
        "不明",
        "待定",
        "待补",
        "待补充",
        "未填",
        "未填写",
        "其他",
        "unknown",
        "none",
        "null",
        "nil",
        "nan",
        "n/a",
        "na",
        "undefined",
        "test",
    }
)
_NEEDS_FOLD = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]"
)  # one C-speed scan decides whether the slower translate is needed at all
_LONGEST_PLACEHOLDER = max(map(len, PLACEHOLDERS))


def fold(text: str) -> str:
    """Full-width to ASCII, odd spaces and dashes to plain ones, outer whitespace removed."""
    if _NEEDS_FOLD.search(text) is None:
        return text.strip()
    return text.translate(_FOLD).strip()


def is_placeholder(text: str) -> bool:
    """True for a folded value that says "unknown", or one character repeated (0000…)."""
    if len(text) <= _LONGEST_PLACEHOLDER and text.lower() in PLACEHOLDERS:
        return True
    return len(text) >= 3 and text.count(text[0]) == len(text)


def take_text(value: object, limit: int) -> tuple[str | None, str | None]:
    """(folded text, None), or (None, reason) when the value cannot be used.

    ``None`` and blank text are simply missing (no reason). A value longer than
    ``limit`` characters is refused without being scanned, whatever its size.
    """
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f"expected text, got {type(value).__name__}"
    if len(value) > limit:
        return None, f"too long ({len(value)} characters, limit {limit})"
    text = value.strip() if _NEEDS_FOLD.search(value) is None else fold(value)
    if not text:
        return None, None
    if len(text) <= _LONGEST_PLACEHOLDER and is_placeholder(text):
        return None, f"placeholder {text!r}"
    if len(text) > _LONGEST_PLACEHOLDER and text.count(text[0]) == len(text):
        return None, f"placeholder {shown(text)}"
    return text, None


def shown(text: str, width: int = 40) -> str:
    """A value for a reason message, cut short so a reason never carries a whole blob."""
    return repr(text if len(text) <= width else text[:width] + "…")
