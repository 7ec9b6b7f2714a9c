"""Realistic synthetic Chinese names: frequency-weighted surnames, era- and gender-flavoured
given names.

Surname weights follow the published frequency ranking roughly (per mille); given names mix
very common whole names (建国, 秀英, 子轩 …) with names composed from common characters, so
namesakes such as two 王伟 born in the same year occur at realistic rates.
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from itertools import accumulate

from store.base import Gender

# Surname and frequency per mille, most common first.
_SURNAME_TABLE = """
王71 李70 张67 刘54 陈45 杨32 黄22 赵20 吴19 周19 徐15 孙15 马14 朱13 胡13 郭12
何12 林9 罗9 高9 郑8 梁7 谢6 宋6 唐6 许6 韩5 冯5 邓5 曹5 彭5 曾4 肖4 田4 董4 袁4
潘3 于3 蒋3 蔡3 余3 杜3 叶3 程3 苏3 魏3 吕3 丁3 任3 沈3 姚3 卢3 姜2 崔2 钟2 谭2 陆2
汪2 范2 金2 石2 廖2 贾2 夏2 韦1.5 付2 方2 白2 邹2 孟2 熊2.5 秦2 邱2 江2 尹2 薛1 闫1
段1 雷1.5 侯1 龙1 史1 陶1 黎1 贺1 顾1 毛1 郝1 龚1.2 邵1 万1.2 钱1 严1 覃0.8 武1 戴1
莫0.8 孔0.8 向1 汤1 常0.8 易1 鲁0.8 桂0.5 聂0.8 欧阳0.4 司马0.05 上官0.05 诸葛0.04
皇甫0.03 东方0.03 令狐0.02
"""
_SURNAMES: tuple[tuple[str, float], ...] = tuple(
    (surname, float(weight))
    for surname, weight in re.findall(r"([^\d\s]+)([\d.]+)", _SURNAME_TABLE)
)

# Characters for composed given names, most common first (weights fall off along the list).
_MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁浩凯健俊帆帅旭宇林成"
    "建国志文海东亮龙峰德兵江洋晨博轩睿泽然豪锋春"
)
_FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞燕玲婷雪红梅琳莉兰萍倩颖慧佳欣悦怡琪晶璐丹蕾秀英桂凤月晓瑶涵萱诗雨思可琴云"
)
_NEUTRAL_CHARS = "文晓春海明玉子雨宇嘉佳一思安新金永小"

# Whole given names typical of a birth era, by gender: (born before, male names, female names).
_ERA_NAMES: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        1960,
        ("建国", "国华", "建华", "国强", "德明", "志强", "正华", "永明", "长江", "福生"),
        ("秀英", "桂英", "秀兰", "玉兰", "桂兰", "秀珍", "淑珍", "凤英", "玉梅", "翠华"),
    ),
    (
        1980,
        ("建军", "卫东", "红兵", "志刚", "建平", "国平", "海涛", "立新", "永红", "晓东"),
        ("丽华", "红梅", "秀芳", "爱华", "春梅", "晓红", "雪梅", "小红", "桂芳", "丽君"),
    ),
    (
        2000,
        ("志强", "海波", "俊杰", "晓明", "文杰", "建伟", "鹏飞", "子豪", "振华", "浩然"),
        ("丽娟", "晓燕", "婷婷", "丹丹", "静怡", "雅琴", "晓丽", "海燕", "文静", "倩倩"),
    ),
    (
        9999,
        ("子轩", "浩然", "宇轩", "梓豪", "俊熙", "一鸣", "子墨", "浩宇", "宇航", "皓轩"),
        ("梓涵", "欣怡", "雨涵", "子涵", "诗涵", "一诺", "雨桐", "可馨", "紫萱", "梦琪"),
    ),
)


def _zipf(n: int, shift: int = 8) -> list[float]:
    """Cumulative weights 1/(rank+shift): common characters likelier than rare ones."""
    return list(accumulate(1.0 / (rank + shift) for rank in range(n)))


_SURNAME_CUM = list(accumulate(weight for _, weight in _SURNAMES))
_MALE_CUM = _zipf(len(_MALE_CHARS))
_FEMALE_CUM = _zipf(len(_FEMALE_CHARS))
_NEUTRAL_CUM = _zipf(len(_NEUTRAL_CHARS))
_ERA_CUM = _zipf(10, shift=6)


def _pick(rng: random.Random, items: str | tuple[str, ...], cum: list[float]) -> str:
    return items[bisect(cum, rng.random() * cum[-1])]


def random_surname(rng: random.Random) -> str:
    """A surname drawn by national frequency."""
    return _SURNAMES[bisect(_SURNAME_CUM, rng.random() * _SURNAME_CUM[-1])][0]


def _given_char(rng: random.Random, gender: Gender) -> str:
    if rng.random() < 0.2:
        return _pick(rng, _NEUTRAL_CHARS, _NEUTRAL_CUM)
    if gender is Gender.MALE:
        return _pick(rng, _MALE_CHARS, _MALE_CUM)
    return _pick(rng, _FEMALE_CHARS, _FEMALE_CUM)


def given_name(rng: random.Random, gender: Gender, birth_year: int) -> str:
    """A one- or two-character given name flavoured by gender and birth era."""
    roll = rng.random()
    single_share = 0.35 if 1970 <= birth_year < 2005 else 0.2
    if roll < single_share:
        return _given_char(rng, gender)
    if roll < single_share + 0.08:
        for born_before, male, female in _ERA_NAMES:
            if birth_year < born_before:
                return _pick(rng, male if gender is Gender.MALE else female, _ERA_CUM)
    first = _given_char(rng, gender)
    second = _given_char(rng, gender)
    return first + second if first != second or rng.random() < 0.3 else first + first


def full_name(
    rng: random.Random, gender: Gender, birth_year: int, surname: str | None = None
) -> str:
    """Surname plus given name; pass ``surname`` to keep a family's name."""
    return (surname or random_surname(rng)) + given_name(rng, gender, birth_year)
