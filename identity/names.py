"""Personal names: cleaned, simplified, split into surname and given name, with pinyin.

Clerks type names by ear, so homophones (张伟 / 章伟, 王伟 / 王玮) are the commonest
typo; toneless pinyin makes them agree where characters do not. Traditional characters
(劉麗華) are converted one character at a time (a name is not a phrase, so OpenCC's
phrase tables would only mislead, e.g. 鍾馗 → 锺馗). Surnames whose reading differs
from the character's everyday one (曾 zeng, 单 shan, 解 xie …) get their surname
reading, so 曾伟 and its homophone typo 增伟 agree. Given names are read one character
at a time, each character always the same way. Phrase readings would make a typo in
one character change its neighbour's pinyin (长江 chang jiang, but 长姜 zhang jiang);
per character, the heteronym itself can miss (常江 chang jiang): the compare stage may
want pypinyin's heteronyms for such characters.

Parsing is cached per distinct raw name: in a population most names repeat, and the
cached ``Name`` is shared, so a million records cost a few hundred thousand conversions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from identity.cleaning import is_placeholder, shown, take_text
from identity.latin_names import parse_latin_name

_LIMIT = 64
_LONGEST = 20
_PLACEHOLDERS = frozenset({"无名氏", "某某", "佚名", "姓名", "xxx", "测试", "未登记"})
_DROPPED = str.maketrans("", "", " \t·•.・‧∙")
_BRACKETED = re.compile(r"[(\[【（].*?(?:[)\]】）]|$)")
_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f〇"  # with rare ones
_HAN = re.compile(f"[{_HAN_CHARS}]+")
_NOT_NAME = re.compile(f"[^{_HAN_CHARS}A-Za-z]+")

_COMPOUND_SURNAMES = (
    "欧阳 太史 端木 上官 司马 东方 独孤 南宫 万俟 闻人 夏侯 诸葛 尉迟 公羊 赫连 澹台 皇甫 "
    "宗政 濮阳 公冶 太叔 申屠 公孙 慕容 仲孙 钟离 长孙 宇文 司徒 鲜于 司空 闾丘 子车 亓官 "
    "司寇 巫马 公西 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 轩辕 令狐 段干 百里 呼延 "
    "东郭 南门 羊舌 微生 梁丘 左丘 西门 第五 南荣 东里 东宫"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES.split())
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao",
    "查": "zha", "覃": "qin", "乐": "yue", "缪": "miao", "盖": "ge", "秘": "bi",
    "种": "chong", "召": "shao", "繁": "po", "翟": "zhai", "句": "gou", "隗": "wei",
    "员": "yun", "折": "she", "宓": "fu", "阚": "kan", "薄": "bo", "尉": "wei",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Name:
    text: str  # cleaned and simplified: 欧阳锋; a Latin name in the comma form: "smith, tom"
    surname: str  # 欧阳; smith
    given: str  # 锋; tom
    pinyin: str  # syllables, space-separated: "ou yang feng"; Latin words sorted: "smith tom"
    initials: str  # "oyf"; "ts"
    surname_pinyin: str  # "ouyang"; "smith"
    given_pinyin: str  # "feng"; "tom"
    latin: bool = False  # written in Latin letters (see identity.latin_names)


def parse_name(value: object) -> tuple[Name | None, str | None]:
    """(name, reason or None), or (None, reason) when no name is left after cleaning."""
    if isinstance(value, str) and len(value) <= _LIMIT:
        return _parse(value)
    return None, take_text(value, _LIMIT)[1]


@lru_cache(maxsize=1 << 18)
def _parse(raw: str) -> tuple[Name | None, str | None]:
    text, reason = take_text(raw, _LIMIT)
    if text is None:
        return None, reason
    if len(text) <= _LONGEST and _HAN.fullmatch(text):
        return _chinese(text, raw, None)  # the common case
    if not _HAN.search(text):
        return _latin(text, raw)
    cleaned = text.translate(_DROPPED)
    if _BRACKETED.search(cleaned):
        cleaned = _BRACKETED.sub("", cleaned)
        reason = f"dropped a bracketed remark from {shown(text)}"
    if _NOT_NAME.search(cleaned):
        cleaned = _NOT_NAME.sub("", cleaned)
        reason = f"dropped characters that are no part of a name from {shown(text)}"
    if not cleaned:
        return None, f"no name in {shown(text)}"
    if len(cleaned) > _LONGEST:
        return None, f"too long for a name ({len(cleaned)} characters)"
    if not _HAN.fullmatch(cleaned):
        if _HAN.search(cleaned):
            cleaned = "".join(_HAN.findall(cleaned))
            reason = f"dropped Latin letters from {shown(text)}"
        else:  # the Chinese characters were all in a bracketed remark
            return _latin(text, raw)
    return _chinese(cleaned, raw, reason)


def _latin(text: str, raw: str) -> tuple[Name | None, str | None]:
    parts, reason = parse_latin_name(text)
    if parts is None:
        return None, reason
    surname, given = parts
    words = (*given.split(), *surname.split())
    if " ".join(words) in _PLACEHOLDERS:
        return None, f"placeholder {shown(raw)}"
    name = Name(
        text=f"{surname}, {given}".rstrip() if given or " " in surname else surname,
        surname=surname,
        given=given,
        pinyin=" ".join(sorted(words)),
        initials="".join(word[0] for word in words),
        surname_pinyin=surname.replace(" ", ""),
        given_pinyin=given.replace(" ", ""),
        latin=True,
    )
    return name, reason


def _chinese(han: str, raw: str, reason: str | None) -> tuple[Name | None, str | None]:
    text = "".join(map(_simplified, han))
    if text in _PLACEHOLDERS or is_placeholder(text):  # also 無, once simplified
        return None, f"placeholder {shown(raw)}"
    size = 2 if len(text) > 2 and text[:2] in COMPOUND_SURNAMES else 1
    surname, given = text[:size], text[size:]
    if size == 2:
        surname_syllables = _compound_reading(surname)
    else:
        surname_syllables = [SURNAME_READINGS.get(surname) or _reading(surname)]
    given_syllables = [_reading(char) for char in given]
    syllables = surname_syllables + given_syllables
    name = Name(
        text=text,
        surname=surname,
        given=given,
        pinyin=" ".join(syllables),
        initials="".join(syllable[0] for syllable in syllables),
        surname_pinyin="".join(surname_syllables),
        given_pinyin="".join(given_syllables),
    )
    return name, reason


@lru_cache(maxsize=1 << 15)
def _reading(char: str) -> str:
    """A character's everyday toneless reading, the same whatever its neighbours."""
    return str(lazy_pinyin(char, style=Style.NORMAL)[0]).lower()


@lru_cache(maxsize=256)
def _compound_reading(surname: str) -> list[str]:
    """Compound surnames are read as phrases: 万俟 is mo qi, 尉迟 yu chi."""
    return [str(syllable).lower() for syllable in lazy_pinyin(surname, style=Style.NORMAL)]


@lru_cache(maxsize=1 << 14)
def _simplified(char: str) -> str:
    """One character in its simplified form.

    A character of GB 2312 (the simplified character set) is left alone: OpenCC would
    turn the given name 乾 into 干 and the surname 於 into 于, both wrong in a name.
    A conversion is only taken if its result is within GBK, which every platform shows.
    """
    try:
        char.encode("gb2312")
        return char
    except UnicodeEncodeError:
        pass
    converted: str = _converter().convert(char)
    try:
        converted.encode("gbk")  # not into a rare character few systems can show (鋂 → 𰾄)
    except UnicodeEncodeError:
        return char
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=1)
def _converter() -> Any:
    """OpenCC's traditional-to-simplified tables, loaded on first use only."""
    import opencc

    return opencc.OpenCC("t2s")
