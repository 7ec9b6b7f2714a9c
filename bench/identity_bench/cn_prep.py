"""Splink's side of the Chinese benchmark: the cleaning a Splink user would write.

Splink compares strings, so the Chinese-specific work is done before it, once per
distinct value: ID numbers folded to ASCII, placeholders dropped, 15-digit numbers
upgraded; names simplified (OpenCC) with a toneless pinyin column for homophones; dates
in one format; phones as digits; addresses without province, city, district and street,
with ``3栋2单元501室`` written as ``3-2-501``. Nothing here comes from ``identity/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_FOLD = str.maketrans("０１２３４５６７８９Ｘｘx", "0123456789XXX", " -")
_PLACEHOLDERS = {"", "无", "-", "--", "不详", "未知", "0", "null", "none"}
_DATE = re.compile(r"^(\d{4})\D?(\d{1,2})\D?(\d{1,2})")
_FLAT = re.compile(r"(\d+)栋(\d+)单元(\d+)室")
_COMMUNITY = re.compile(r"(社区|村)")


def clean_id(value: str) -> str | None:
    text = value.translate(_FOLD)
    if text in _PLACEHOLDERS or len(set(text)) == 1:
        return None
    if len(text) == 15 and text.isdigit():
        first17 = text[:6] + "19" + text[6:]
        total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
        return first17 + "10X98765432"[total % 11]
    return text if len(text) == 18 else None


def clean_date(value: str) -> str | None:
    match = _DATE.match(value.strip())
    if not match or match.group(1) == "0000":
        return None
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def clean_gender(value: str) -> str | None:
    return {"1": "m", "M": "m", "男": "m", "2": "f", "F": "f", "女": "f"}.get(value.strip())


def clean_phone(value: str) -> str | None:
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 7 or len(set(digits)) == 1:
        return None
    return digits


def clean_address(value: str) -> str | None:
    text = value.strip().replace("京山县", "京山市")
    if text in _PLACEHOLDERS:
        return None
    found = _COMMUNITY.search(text)
    if found:
        before = text[: found.start()]
        cut = max(before.rfind(mark) for mark in ("省", "市", "区", "县", "镇", "道"))
        text = text[cut + 1 :]
    else:
        text = text.removeprefix("湖北省")
    return _FLAT.sub(r"\1-\2-\3", text)


def name_cleaners() -> tuple[Callable[[str], str | None], Callable[[str], str | None]]:
    """(simplified name, toneless pinyin) functions; OpenCC and pypinyin are loaded once."""
    import opencc
    from pypinyin import lazy_pinyin

    converter = opencc.OpenCC("t2s")

    def simplified(value: str) -> str | None:
        text = "".join(ch for ch in value if not ch.isspace() and ch not in ".·•")
        return converter.convert(text) if text and text not in _PLACEHOLDERS else None

    def pinyin(value: str) -> str | None:
        name = simplified(value)
        return " ".join(lazy_pinyin(name)) if name else None

    return simplified, pinyin


def prepare(frame: Any) -> Any:
    """The records (a pandas frame of contract columns, all text) as Splink's input."""
    import pandas as pd

    simplified, pinyin = name_cleaners()

    def by_value(column: str, clean: Callable[[str], str | None]) -> Any:
        values = frame[column].fillna("")
        distinct = values.unique()
        table = dict(zip(distinct, map(clean, distinct), strict=True))
        return values.map(table)

    prepared = pd.DataFrame(
        {
            "unique_id": frame["source"] + ":" + frame["source_id"],
            "source": frame["source"],
            "name": by_value("name", simplified),
            "name_py": by_value("name", pinyin),
            "id_number": by_value("id_number", clean_id),
            "birth_date": by_value("birth_date", clean_date),
            "gender": by_value("gender", clean_gender),
            "phone": by_value("phone", clean_phone),
            "address": by_value("address", clean_address),
        }
    )
    prepared["surname_py"] = prepared["name_py"].str.split(" ").str[0]
    return prepared
