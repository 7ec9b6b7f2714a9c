"""The ways real department systems write the same fact differently, as small functions.

Each function is pure apart from the ``random.Random`` it is given, so a department's data
is reproducible from its own seeded generator.
"""

from __future__ import annotations

import random
import re
from datetime import date

from connectors.simulators.hanzi import homophone_variant, to_traditional
from population.phones import PREFIXES

_FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_ADDRESS = re.compile(
    r"^荆门市(?P<district>.+?[区市县])(?P<street>.+?(?:街道|镇))(?P<community>.+?(?:社区|村))"
    r"(?P<rest>.*)$"
)
_FLAT = re.compile(r"^(?P<building>\d+)栋(?P<unit>\d+)单元(?P<room>\d+)室$")
JINGMEN_AREA_CODE = "0724"


def legacy_id(id_number: str) -> str:
    """The 15-digit form of an 18-digit number: no century digits, no check character."""
    return id_number[:6] + id_number[8:17]


def can_be_legacy(id_number: str) -> bool:
    """15-digit numbers were issued until 1999, so only to people born in the 1900s."""
    return len(id_number) == 18 and id_number[6:8] == "19"


def messy_id(rng: random.Random, id_number: str) -> str:
    """A clerk's rendering: lower-case check x, full-width digits, or spaces between groups."""
    roll = rng.random()
    if id_number.endswith("X") and roll < 0.5:
        return id_number[:-1] + "x"
    if roll < 0.7:
        return id_number.translate(_FULL_WIDTH)
    if roll < 0.85:
        return f"{id_number[:6]} {id_number[6:14]} {id_number[14:]}"
    return f" {id_number} "


def noisy_name(rng: random.Random, name: str, homophone: float, traditional: float) -> str:
    """The name, or at the given rates a homophone typo or its traditional-character form."""
    roll = rng.random()
    if roll < homophone:
        return homophone_variant(name) or name
    if roll < homophone + traditional:
        return to_traditional(name)
    return name


def slash_date(when: date) -> str:
    return f"{when.year}/{when.month}/{when.day}"


def chinese_date(when: date) -> str:
    return f"{when.year}年{when.month}月{when.day}日"


def dashed_phone(phone: str) -> str:
    return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"


def international_phone(phone: str, spaced: bool = True) -> str:
    if spaced:
        return f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    return f"+86{phone}"


def landline(rng: random.Random) -> str:
    return f"{JINGMEN_AREA_CODE}-{rng.randint(2, 8)}{rng.randrange(10**6):06d}"


def new_mobile(rng: random.Random) -> str:
    """A fresh random mobile number (a clash with an issued one is vanishingly unlikely)."""
    return PREFIXES[rng.randrange(len(PREFIXES))] + f"{rng.randrange(10**8):08d}"


def split_address(address: str) -> dict[str, str] | None:
    """District, street, community and the rest of a Jingmen address; None for others."""
    match = _ADDRESS.match(address)
    return match.groupdict() if match else None


def short_address(address: str) -> str:
    """How a community office writes it: ``七一桥社区3-2-501`` or ``花山村3组12号``."""
    parts = split_address(address)
    if parts is None:
        return address.removeprefix("湖北省")
    flat = _FLAT.match(parts["rest"])
    if flat is None:
        return parts["community"] + parts["rest"]
    return f"{parts['community']}{flat['building']}-{flat['unit']}-{flat['room']}"


def health_address(address: str) -> str:
    """How the health platform stores it: province first, no street or township."""
    parts = split_address(address)
    if parts is None:
        return address if address.startswith("湖北省") else "湖北省" + address
    return f"湖北省荆门市{parts['district']}{parts['community']}{parts['rest']}"


def old_address(address: str) -> str:
    """The address as written before 京山县 became 京山市 (2018)."""
    return address.replace("京山市", "京山县")
