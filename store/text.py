"""Search keys derived from a name: toneless pinyin and initials (张伟 → zhangwei, zw)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def name_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials), lower-case ASCII without spaces."""
    syllables = [s.lower() for s in lazy_pinyin(name.strip(), style=Style.NORMAL, errors="ignore")]
    syllables = [s for s in syllables if s.isascii() and s.isalpha()]
    return "".join(syllables), "".join(s[0] for s in syllables)
