"""Noisy department records of a synthetic population, with the truth beside each one.

Each person is written the way one of the four department platforms writes people (see
docs/department-apis.md), with clerks' noise on top: legacy 15-digit and messy ID
numbers, one-digit typos, traditional or homophone characters, placeholders, wrong types
and, rarely, a huge field. Used by the normalisation tests and the throughput script.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from identity.normalize import RawRecord
from population import PersonSpec, generate_population

_FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_TRADITIONAL = dict(
    zip(
        "张刘陈杨黄赵吴孙马罗郑谢伟强军杰涛刚辉鹏华飞国丽艳红兰凤晓云",
        "張劉陳楊黃趙吳孫馬羅鄭謝偉強軍傑濤剛輝鵬華飛國麗艷紅蘭鳳曉雲",
        strict=True,
    )
)
_HOMOPHONES = dict(
    zip(
        "伟明军丽静芳红玲燕涛斌杰勇辉飞浩俊宇林建志文东龙峰",
        "玮铭君莉婧方虹铃艳滔彬洁永晖菲皓骏雨琳健智雯冬隆锋",
        strict=True,
    )
)
_STREET = re.compile(r"(区|县)[^区市县]+?(?:街道|镇)")
_GARBAGE: tuple[object, ...] = (12345, 3.5, ["x"], {"a": 1}, True, "???", "无", "不详", "-", "")


@dataclass(frozen=True)
class Noisy:
    raw: RawRecord
    truth: PersonSpec
    clean_id: bool  # the ID number was written without a typo and not dropped
    clean_name: bool  # the name is the true one, up to spelling (spaces, traditional)


def noisy_records(people: int, seed: int = 7) -> Iterator[Noisy]:
    """About 1.6 records per person across 公安, 民政, 卫健 and 残联."""
    rng = random.Random(seed)
    for _, members in generate_population(people, seed):
        for person in members:
            yield _record(rng, "ga", person)
            for source, share in (("mz", 0.2), ("wj", 0.3), ("cl", 0.1)):
                if rng.random() < share:
                    yield _record(rng, source, person)


def _record(rng: random.Random, source: str, person: PersonSpec) -> Noisy:
    id_number, clean_id = _id_number(rng, source, person)
    name, clean_name = _name(rng, person.name)
    raw = RawRecord(
        source=source,
        source_id=f"{source}-{rng.randrange(10**9)}",
        name=name,
        id_number=id_number,
        gender=_gender(source, person.gender.value),
        birth_date=_date(rng, source, person),
        phone=_phone(rng, source, person.phone),
        address=_address(source, person.residence_address),
        household_key=person.household_number if source == "ga" else None,
    )
    if rng.random() < 0.01:  # a malformed record: one field of the wrong type or garbage
        field = rng.choice(("name", "id_number", "gender", "birth_date", "phone", "address"))
        raw = RawRecord(**{**_fields(raw), field: rng.choice(_GARBAGE)})
    if rng.random() < 0.0005:
        raw = RawRecord(**{**_fields(raw), "address": "荆" * 1_000_000})
    return Noisy(
        raw, person, clean_id and raw.id_number == id_number, clean_name and raw.name == name
    )


def _fields(raw: RawRecord) -> dict[str, object]:
    return {name: getattr(raw, name) for name in RawRecord.__dataclass_fields__}


def _id_number(rng: random.Random, source: str, person: PersonSpec) -> tuple[str | None, bool]:
    number = person.id_number
    roll = rng.random()
    if roll < 0.03:
        return None, False
    if roll < 0.05:  # one digit mistyped
        position = rng.randrange(17)
        digit = str((int(number[position]) + rng.randint(1, 9)) % 10)
        return number[:position] + digit + number[position + 1 :], False
    if source == "ga" and number[6:8] == "19" and roll < 0.12:
        return number[:6] + number[8:17], True  # legacy 15-digit form
    if source == "mz":
        style = rng.random()
        if style < 0.3:
            return number.translate(_FULL_WIDTH), True
        if style < 0.6:
            return f"{number[:6]} {number[6:14]} {number[14:]}", True
        return number.lower(), True
    return number, True


def _name(rng: random.Random, name: str) -> tuple[str, bool]:
    roll = rng.random()
    if roll < 0.04:
        return "".join(_HOMOPHONES.get(char, char) for char in name), False
    if roll < 0.08:
        return "".join(_TRADITIONAL.get(char, char) for char in name), True
    if roll < 0.10:
        return f" {name[0]} {name[1:]} ", True
    return name, True


def _gender(source: str, gender: str) -> str:
    male = gender == "male"
    return {"ga": "1" if male else "2", "wj": "M" if male else "F"}.get(
        source, "男" if male else "女"
    )


def _date(rng: random.Random, source: str, person: PersonSpec) -> str:
    when = person.birth_date
    if source == "ga":
        return f"{when:%Y%m%d}"
    if source == "wj":
        return f"{when.isoformat()}T00:00:00+08:00"
    return rng.choice(
        (
            when.isoformat(),
            f"{when.year}/{when.month}/{when.day}",
            f"{when.year}年{when.month}月{when.day}日",
        )
    )


def _phone(rng: random.Random, source: str, phone: str | None) -> str | None:
    if phone is None:
        return None
    if source == "wj":
        return f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    if source == "mz" and rng.random() < 0.5:
        return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    return phone


def _address(source: str, address: str) -> str:
    if source == "mz" and "栋" in address:  # …七一桥社区3栋2单元501室 → 七一桥社区3-2-501
        head, _, flat = address.partition("社区")
        community = head[max(head.rfind("道"), head.rfind("镇")) + 1 :]
        building, _, rest = flat.partition("栋")
        unit, _, room = rest.partition("单元")
        return f"{community}社区{building}-{unit}-{room.rstrip('室')}"
    if source == "wj":  # province first, no street or township
        return "湖北省" + _STREET.sub(r"\1", address.removeprefix("湖北省"), count=1)
    return address
