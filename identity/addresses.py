"""Addresses split into province, city, district, street, community and the dwelling.

The same flat reaches yiwang as ``荆门市东宝区龙泉街道七一桥社区3栋2单元501室`` (公安),
``七一桥社区3-2-501`` (民政) and ``湖北省荆门市东宝区七一桥社区3栋2单元501室`` (卫健, no
street); a village house as ``…花山村3组12号``. Every part that is written is taken, in
order, each optional; a part that is left out stays missing. Only the province and city
are filled in, from a Jingmen district (东宝区 can only be in 荆门市); a missing district
is never guessed from a community name, since names such as 城中社区 recur everywhere.

``key`` is the canonical form for blocking and comparison,
``district|street|community|dwelling``, e.g. ``东宝区|龙泉街道|七一桥社区|3-2-501``;
``standard()`` writes the address out in full and parses back to the same ``Address``.

An address without Chinese characters but with Latin letters is read as a Latin one
(``identity.latin_addresses``): its parts are kept in ``latin``, its key is its standard
spelling, and the Chinese parts stay missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from identity.cleaning import shown, take_text
from identity.latin_addresses import LatinParts, parse_latin_address

_LIMIT = 256
HUBEI = "湖北省"
JINGMEN = "荆门市"
JINGMEN_DISTRICTS = ("东宝区", "掇刀区", "京山市", "沙洋县", "钟祥市", "漳河新区", "屈家岭管理区")
_DISTRICT_ALIASES = {"京山县": "京山市", "钟祥县": "钟祥市"}  # renamed 2018 and 1992
_HUBEI_CITY_NAMES = (
    "武汉市 黄石市 十堰市 宜昌市 襄阳市 鄂州市 荆门市 孝感市 荆州市 黄冈市 咸宁市 随州市 "
    "恩施土家族苗族自治州 仙桃市 潜江市 天门市 神农架林区"
)
HUBEI_CITIES = tuple(_HUBEI_CITY_NAMES.split())
_CITY_ALIASES = {"襄樊市": "襄阳市", "恩施州": "恩施土家族苗族自治州"}
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def _alternation(names: Iterable[str]) -> str:
    """A regex alternation that tries longer names first (京山市 before 京山)."""
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


_JINGMEN_DISTRICT = f"(?:{_alternation((*JINGMEN_DISTRICTS, *_DISTRICT_ALIASES))})"
_LABEL = re.compile(r"(?:家庭|户籍|居住|现|常)?(?:住址|地址)[:]?")
_DROP = re.compile("[ ,，、;；]+")
_PROVINCE = re.compile(
    rf"{_alternation(_MUNICIPALITIES)}|湖北省?(?=荆门|{_alternation(HUBEI_CITIES)})"
    r"|湖北省|\D{2,3}省|\D{2,10}?自治区",
    re.ASCII,
)
_HUBEI_CITY = re.compile(
    rf"{_alternation((*HUBEI_CITIES, *_CITY_ALIASES))}|荆门(?={_JINGMEN_DISTRICT})"
)
_ANY_CITY = re.compile(r"\D{2,8}?(?:市|自治州|地区|盟)", re.ASCII)
_KNOWN_DISTRICT = re.compile(_JINGMEN_DISTRICT)
_ANY_DISTRICT = re.compile(r"\D{1,8}?(?<!社)(?<!小)(?:区|县|市|旗)", re.ASCII)
_STREET = re.compile(r"([^\d社村组号栋室]{1,10}?)(街道办事处|街道|办事处|镇|乡)", re.ASCII)
_COMMUNITY = re.compile(
    r"([^\d组号栋室]{1,12}?)(社区居民委员会|社区居委会|社区|居民委员会|居委会)", re.ASCII
)
_VILLAGE = re.compile(r"([^\d组号栋室社]{1,12}?)(村民委员会|村委会|村)", re.ASCII)
_CN_NUMBER = re.compile(r"[一二三四五六七八九十两〇零]{1,4}(?=组|队|栋|幢|号|楼|单元|室)")
_DASHED = re.compile(r"(\d+)-(\d+)-(\d+)(?:室|号|房)?", re.ASCII)
_GROUP = re.compile(r"(\d+)(?:组|队)", re.ASCII)
_PLACE = re.compile(
    r"\D{1,20}?(?:大道|路|街|巷|弄|胡同|小区|花园|公寓|大院|家园|新村|广场|大厦)", re.ASCII
)
_HOUSE = re.compile(r"(\d+)号(?!楼|房)", re.ASCII)
_BUILDING = re.compile(r"(\d+)(?:号楼|栋|幢|座|#楼?|楼)", re.ASCII)
_UNIT = re.compile(r"(\d+)单元", re.ASCII)
_ROOM = re.compile(r"(\d+)(?:室|号房|房|号)?", re.ASCII)
_DIGITS = "零一二三四五六七八九"
_LATIN_LETTER = re.compile("[A-Za-z]")
_ASCII_DIGIT = re.compile(r"\d", re.ASCII)
_FLAT = re.compile(r"(\d+)栋(\d+)单元(\d+)室", re.ASCII)
_GROUP_HOUSE = re.compile(r"(\d+)组(\d+)号", re.ASCII)
_HAN = re.compile("[\u4e00-\u9fff]")
_Part = str | None
_Dwelling = tuple[_Part, _Part, _Part, _Part, _Part, _Part, _Part]


@dataclass(frozen=True, slots=True)
class Address:
    province: str | None = None
    city: str | None = None
    district: str | None = None
    street: str | None = None  # 街道, 镇 or 乡
    community: str | None = None  # 社区 or 村
    place: str | None = None  # road, estate: 解放路, 幸福小区
    group: str | None = None  # village group (组)
    house: str | None = None  # 号 on a road or in a group
    building: str | None = None  # 栋 / 幢 / 号楼
    unit: str | None = None  # 单元
    room: str | None = None  # 室
    rest: str | None = None  # whatever could not be parsed, kept for fuzzy comparison
    key: str = ""
    latin: LatinParts | None = None  # an address in Latin letters: its parts

    def standard(self) -> str:
        """The full address in one standard spelling."""
        if self.latin is not None:
            return self.latin.standard()
        return "".join(
            part
            for part in (
                self.province, self.city, self.district, self.street, self.community,
                _suffixed(self.group, "组"), self.place, _suffixed(self.house, "号"),
                _suffixed(self.building, "栋"), _suffixed(self.unit, "单元"),
                _suffixed(self.room, "室"), self.rest,
            )
            if part
        )  # fmt: skip


def parse_address(value: object) -> tuple[Address | None, str | None]:
    """(address, None), or (None, reason) when the value holds no address."""
    if isinstance(value, str) and len(value) <= _LIMIT:
        return _parse(value)
    return None, take_text(value, _LIMIT)[1]


@lru_cache(maxsize=1 << 19)  # a household's address recurs across its members and sources
def _parse(raw: str) -> tuple[Address | None, str | None]:
    text, reason = take_text(raw, _LIMIT)
    if text is None:
        return None, reason
    if not _has_han(text):
        return _latin(text)
    s = _DROP.sub("", text)
    if "址" in s:
        s = _LABEL.sub("", s, count=1)
    s = s.removeprefix("中华人民共和国").removeprefix("中国")
    digit = _ASCII_DIGIT.search(s)
    parts, pos = _head(s[: digit.start()] if digit else s)
    dwelling = _dwelling(_CN_NUMBER.sub(_arabic, s[pos:]))
    if not any(parts) and not _has_han(s):
        return None, f"no address in {shown(text)}"
    district, street, community = parts[2:]
    address = Address(*parts, *dwelling, key=_key(district, street, community, dwelling))
    return address, None


@lru_cache(maxsize=1 << 16)
def _head(s: str) -> tuple[tuple[_Part, _Part, _Part, _Part, _Part], int]:
    """(province, city, district, street, community) at the start of ``s``, and where
    they end. Every pattern here stops at an ASCII digit, so the head of an address is
    parsed from the text before its first digit, once for all the flats that share it."""
    province, pos = _take(_PROVINCE, s, 0)
    city, pos = _take(_HUBEI_CITY, s, pos)
    if city is None and province is not None and province not in _MUNICIPALITIES:
        city, pos = _take(_ANY_CITY, s, pos)
    if city is not None and not city.endswith(("市", "州", "区", "盟")):
        city += "市"  # 荆门东宝区
    city = _CITY_ALIASES.get(city or "", city)
    district, pos = _take(_KNOWN_DISTRICT, s, pos)
    if district is None and (city not in (None, JINGMEN) or province in _MUNICIPALITIES):
        district, pos = _take(_ANY_DISTRICT, s, pos)
    district = _DISTRICT_ALIASES.get(district or "", district)
    if district in JINGMEN_DISTRICTS:
        city = city or JINGMEN
    if city in HUBEI_CITIES:
        province = province or HUBEI
    if province is not None and not province.endswith(("省", "市", "区")):
        province += "省"  # 湖北荆门市
    street = community = None
    if match := _STREET.match(s, pos):
        street = match[1] + (match[2] if match[2] in ("镇", "乡") else "街道")
        pos = match.end()
    if match := _COMMUNITY.match(s, pos):
        community, pos = match[1] + "社区", match.end()
    elif match := _VILLAGE.match(s, pos):
        community, pos = match[1] + "村", match.end()
    return (province, city, district, street, community), pos


def _latin(text: str) -> tuple[Address | None, str | None]:
    parts = parse_latin_address(text) if _LATIN_LETTER.search(text) else None
    if parts is None:
        return None, f"no address in {shown(text)}"
    return Address(key=parts.standard(), latin=parts), None


def _dwelling(s: str) -> _Dwelling:
    """(place, group, house, building, unit, room, rest) of what follows the community."""
    if match := _FLAT.fullmatch(s):  # the common forms first: 36栋2单元1201室, 14组291号
        return None, None, None, _digits(match[1]), _digits(match[2]), _digits(match[3]), None
    if match := _GROUP_HOUSE.fullmatch(s):
        return None, _digits(match[1]), _digits(match[2]), None, None, None, None
    place = group = house = building = unit = room = None
    pos = 0
    group, pos = _number(_GROUP, s, pos)
    if match := _PLACE.match(s, pos):
        place, pos = match[0], match.end()
    house, pos = _number(_HOUSE, s, pos)
    if match := _DASHED.match(s, pos):
        building, unit, room = (_digits(match[index]) for index in (1, 2, 3))
        pos = match.end()
    else:
        building, pos = _number(_BUILDING, s, pos)
        unit, pos = _number(_UNIT, s, pos)
        room, pos = _number(_ROOM, s, pos)
        if house is not None and building is None and unit is not None:
            house, building = None, house  # 3号2单元501室
    return place, group, house, building, unit, room, s[pos:] or None


def _key(district: _Part, street: _Part, community: _Part, dwelling: _Dwelling) -> str:
    place, group, house, building, unit, room, rest = dwelling
    flat = f"{building or ''}-{unit or ''}-{room or ''}" if building or unit or room else ""
    local = _suffixed(group, "组") + (place or "") + _suffixed(house, "号") + flat + (rest or "")
    return f"{district or ''}|{street or ''}|{community or ''}|{local}"


def _take(pattern: re.Pattern[str], s: str, pos: int) -> tuple[str | None, int]:
    match = pattern.match(s, pos)
    return (match[0], match.end()) if match else (None, pos)


def _number(pattern: re.Pattern[str], s: str, pos: int) -> tuple[str | None, int]:
    match = pattern.match(s, pos)
    return (_digits(match[1]), match.end()) if match else (None, pos)


def _digits(number: str) -> str:
    return number.lstrip("0") or "0"


def _suffixed(number: str | None, suffix: str) -> str:
    return number + suffix if number else ""


def _has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def _arabic(match: re.Match[str]) -> str:
    """一 → 1, 十二 → 12, 二十三 → 23, 一〇一 → 101 (house and flat numbers only)."""
    text = match[0].replace("两", "二").replace("〇", "零")
    if "十" not in text:
        return "".join(str(_DIGITS.index(char)) for char in text)
    tens, _, ones = text.partition("十")
    if "十" in ones or (tens and len(tens) > 1) or len(ones) > 1:
        return text
    return str((_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0))
