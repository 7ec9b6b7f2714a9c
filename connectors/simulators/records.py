"""One population person as each department's system records them, noise included.

Builders take the department's own ``random.Random`` and are called in population order,
so the data is reproducible. Rates below are shares of that department's records.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from connectors.simulators import noise
from connectors.simulators.clock import iso_time, plain_time
from population import REFERENCE_DATE, HouseholdSpec, PersonSpec
from population.tags import DIBAO, DISABLED, ELDER_ALONE, TEKUN
from store.base import Gender

Record = dict[str, Any]

# 公安: the registry of record; its noise is old data.
GA_MISSING_ID = 0.01
GA_LEGACY_ID = 0.03  # of people born in the 1900s
GA_HOMOPHONE, GA_TRADITIONAL = 0.01, 0.015
GA_UNKNOWN_SEX = 0.005
GA_OLD_ADDRESS = 0.3  # of 京山 addresses: still 京山县
# 民政: typed in by community clerks.
MZ_MISSING_ID, MZ_MESSY_ID = 0.02, 0.08
MZ_HOMOPHONE, MZ_TRADITIONAL = 0.03, 0.005
MZ_SLASH_DATE, MZ_CHINESE_DATE = 0.25, 0.15
MZ_DASHED_PHONE, MZ_LANDLINE = 0.45, 0.05
MZ_SHORT_ADDRESS, MZ_OLD_ADDRESS = 0.7, 0.05
# 卫健: filled in at clinics; phones change and only the clinic hears of it.
WJ_MISSING_ID, WJ_MISSING_ID_CHILD, WJ_LOWER_X = 0.01, 0.10, 0.3
WJ_HOMOPHONE, WJ_TRADITIONAL = 0.02, 0.02
WJ_UNKNOWN_SEX = 0.005
WJ_CHANGED_PHONE = 0.06
WJ_SHORT_ADDRESS = 0.05
# 残联: a spreadsheet.
CL_MISSING_ID = 0.01
CL_HOMOPHONE, CL_TRADITIONAL = 0.03, 0.01
CL_DASHED_PHONE, CL_SHORT_ADDRESS = 0.3, 0.5

CHRONIC_DISEASES = ("高血压", "糖尿病", "冠心病", "慢性阻塞性肺疾病", "脑卒中")
DISABILITY_KINDS = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
_DISABILITY_WEIGHTS = (12, 24, 1, 30, 10, 10, 13)
GRADES = ("一级", "二级", "三级", "四级")
_GRADE_WEIGHTS = (15, 25, 30, 30)
# Prevalence of each of CHRONIC_DISEASES by age band: under 18, 18–44, 45–59, 60 and over.
_CHRONIC_RATES = (
    (0.0, 0.0, 0.0, 0.0, 0.0),
    (0.04, 0.015, 0.0, 0.005, 0.0),
    (0.18, 0.07, 0.02, 0.01, 0.01),
    (0.35, 0.14, 0.06, 0.04, 0.03),
)
_DOCTOR_SURNAMES = "李王张刘陈杨黄赵周吴"
_CL_REMARKS = ("两项补贴", "已换证", "待复核", "重度护理补贴")


def age(person: PersonSpec) -> int:
    born, ref = person.birth_date, REFERENCE_DATE
    return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))


def _chance(rng: random.Random, rate: float) -> bool:
    return rng.random() < rate


def ga_person(rng: random.Random, person: PersonSpec, rybh: str, epoch: int) -> Record:
    id_number, born = person.id_number, person.birth_date
    roll = rng.random()
    if roll < GA_MISSING_ID:
        gmsfhm = ""
    elif roll < GA_MISSING_ID + GA_LEGACY_ID and noise.can_be_legacy(id_number):
        gmsfhm = noise.legacy_id(id_number)
    else:
        gmsfhm = id_number
    sex = "1" if person.gender is Gender.MALE else "2"
    if _chance(rng, GA_UNKNOWN_SEX):
        sex = rng.choice("09")
    address = person.registered_address
    if _chance(rng, GA_OLD_ADDRESS):
        address = noise.old_address(address)
    return {
        "rybh": rybh,
        "hh": person.household_number,
        "xm": noise.noisy_name(rng, person.name, GA_HOMOPHONE, GA_TRADITIONAL),
        "gmsfhm": gmsfhm,
        "xb": sex,
        "csrq": f"{born.year:04d}{born.month:02d}{born.day:02d}",
        "yhzgx": person.relation,
        "hjdz": address,
        "lxdh": person.phone,
        "gxsj": plain_time(epoch),
    }


def ga_household(household: HouseholdSpec, head: Record, members: int, epoch: int) -> Record:
    return {
        "hh": household.number,
        "hzxm": head["xm"],
        "hjdz": head["hjdz"],
        "rs": members,
        "gxsj": plain_time(epoch),
    }


def mz_selected(rng: random.Random, people: list[PersonSpec]) -> list[PersonSpec]:
    """Whole 低保/特困 households, and a sample of others served by civil affairs
    (elderly allowance from 80, visits to elderly living alone, a few others)."""
    if any(DIBAO in p.tags or TEKUN in p.tags for p in people):
        return people
    chosen = []
    for person in people:
        if age(person) >= 80:
            share = 0.6
        elif ELDER_ALONE in person.tags:
            share = 0.5
        else:
            share = 0.01
        if _chance(rng, share):
            chosen.append(person)
    return chosen


def mz_record(rng: random.Random, person: PersonSpec, ryid: str, ajh: str, epoch: int) -> Record:
    roll = rng.random()
    if roll < MZ_MISSING_ID:
        sfzh = ""
    elif roll < MZ_MISSING_ID + MZ_MESSY_ID:
        sfzh = noise.messy_id(rng, person.id_number)
    else:
        sfzh = person.id_number
    born = person.birth_date
    roll = rng.random()
    if roll < MZ_SLASH_DATE:
        birth = noise.slash_date(born)
    elif roll < MZ_SLASH_DATE + MZ_CHINESE_DATE:
        birth = noise.chinese_date(born)
    else:
        birth = born.isoformat()
    return {
        "ryid": ryid,
        "xm": noise.noisy_name(rng, person.name, MZ_HOMOPHONE, MZ_TRADITIONAL),
        "sfzh": sfzh,
        "xb": "男" if person.gender is Gender.MALE else "女",
        "csrq": birth,
        "lxdh": mz_phone(rng, person.phone),
        "jzdz": mz_address(rng, person.residence_address),
        "hjdz": person.registered_address,
        "dbbz": "1" if DIBAO in person.tags else "0",
        "tkbz": "1" if TEKUN in person.tags else "0",
        "ajh": ajh,
        "yhzgx": person.relation,
        "gxsj": plain_time(epoch),
    }


def mz_phone(rng: random.Random, phone: str | None) -> str:
    roll = rng.random()
    if phone is None:
        return noise.landline(rng) if roll < 0.4 else ""
    if roll < MZ_LANDLINE:
        return noise.landline(rng)
    return noise.dashed_phone(phone) if roll < MZ_LANDLINE + MZ_DASHED_PHONE else phone


def mz_address(rng: random.Random, address: str) -> str:
    roll = rng.random()
    if roll < MZ_SHORT_ADDRESS:
        return noise.short_address(address)
    return noise.old_address(address) if roll < MZ_SHORT_ADDRESS + MZ_OLD_ADDRESS else address


def chronic_diseases(rng: random.Random, person: PersonSpec) -> list[str]:
    """Chronic diseases by age band; none before 18 (and no draws, which keeps it fast)."""
    years = age(person)
    if years < 18:
        return []
    rates = _CHRONIC_RATES[1 if years < 45 else 2 if years < 60 else 3]
    draw = rng.random
    return [name for name, rate in zip(CHRONIC_DISEASES, rates, strict=True) if draw() < rate]


def wj_selected(rng: random.Random, person: PersonSpec, diseases: list[str]) -> bool | None:
    """None when health does not know the person, else whether they have a family doctor."""
    years = age(person)
    if years >= 60:
        return _chance(rng, 0.75)
    if years < 7:
        return _chance(rng, 0.4)
    if diseases:
        return _chance(rng, 0.6)
    return True if _chance(rng, 0.08) else None


def wj_record(
    rng: random.Random,
    person: PersonSpec,
    resident_id: str,
    contract: bool,
    diseases: list[str],
    epoch: int,
) -> Record:
    years = age(person)
    id_card: str | None = person.id_number
    if _chance(rng, WJ_MISSING_ID_CHILD if years < 7 else WJ_MISSING_ID):
        id_card = None
    elif person.id_number.endswith("X") and _chance(rng, WJ_LOWER_X):
        id_card = person.id_number[:-1] + "x"
    sex = "M" if person.gender is Gender.MALE else "F"
    if _chance(rng, WJ_UNKNOWN_SEX):
        sex = "U"
    address = person.residence_address
    if _chance(rng, WJ_SHORT_ADDRESS):
        address = noise.short_address(address)
    else:
        address = noise.health_address(address)
    checked = _chance(rng, 0.8 if years >= 60 else 0.4)
    return {
        "residentId": resident_id,
        "fullName": noise.noisy_name(rng, person.name, WJ_HOMOPHONE, WJ_TRADITIONAL),
        "idCard": id_card,
        "sex": sex,
        "birthDate": f"{person.birth_date.isoformat()}T00:00:00+08:00",
        "mobile": wj_phone(rng, person.phone),
        "address": address,
        "familyDoctorContract": contract,
        "doctorName": rng.choice(_DOCTOR_SURNAMES) + "医生" if contract else None,
        "lastHealthCheck": _check_day(rng).isoformat() if checked else None,
        "chronicDiseases": diseases,
        "updatedAt": iso_time(epoch),
    }


def _check_day(rng: random.Random) -> date:
    return date.fromordinal(
        rng.randint(date(2023, 1, 1).toordinal(), date(2024, 6, 30).toordinal())
    )


def wj_phone(rng: random.Random, phone: str | None) -> str | None:
    if phone is None:
        return None
    if _chance(rng, WJ_CHANGED_PHONE):
        phone = noise.new_mobile(rng)
    roll = rng.random()
    if roll < 0.5:
        return noise.international_phone(phone)
    return noise.international_phone(phone, spaced=False) if roll < 0.7 else phone


def cl_selected(person: PersonSpec) -> bool:
    return DISABLED in person.tags


def cl_row(rng: random.Random, person: PersonSpec) -> Record:
    """A ledger row without its 序号 (numbered when written)."""
    kind = rng.choices(range(len(DISABILITY_KINDS)), _DISABILITY_WEIGHTS)[0]
    grade = rng.choices(range(len(GRADES)), _GRADE_WEIGHTS)[0]
    phone = person.phone or ""
    if phone and _chance(rng, CL_DASHED_PHONE):
        phone = noise.dashed_phone(phone)
    address = person.residence_address
    if _chance(rng, CL_SHORT_ADDRESS):
        address = noise.short_address(address)
    remark = rng.choice(_CL_REMARKS) if _chance(rng, 0.2) else ""
    if DIBAO in person.tags and not remark:
        remark = "低保户"
    return {
        "姓名": noise.noisy_name(rng, person.name, CL_HOMOPHONE, CL_TRADITIONAL),
        "身份证号": "" if _chance(rng, CL_MISSING_ID) else person.id_number,
        "性别": "男" if person.gender is Gender.MALE else "女",
        "残疾类别": DISABILITY_KINDS[kind],
        "残疾等级": GRADES[grade],
        "残疾证号": f"{person.id_number}{kind + 1}{grade + 1}",
        "联系电话": phone,
        "家庭住址": address,
        "备注": remark,
    }
