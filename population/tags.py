"""Tags departments care about, drawn at realistic rates and derived from the household.

Target shares of residents: 低保 about 3 % (granted to whole households), 特困 about 0.5 %
(people living alone who cannot support themselves; never also 低保), 残疾 about 6 % (rising
with age), 独居老人 (60 or older and living alone), 退役军人 about 2 % (mostly men),
党员 about 7 % of residents (adults only), 留守儿童 (under 16, raised by grandparents while
both parents are away).
"""

from __future__ import annotations

import random

from population.families import Member
from store.base import Gender

DIBAO = "低保"
TEKUN = "特困"
DISABLED = "残疾"
ELDER_ALONE = "独居老人"
VETERAN = "退役军人"
PARTY_MEMBER = "党员"
LEFT_BEHIND_CHILD = "留守儿童"
TAGS: tuple[str, ...] = (
    DIBAO,
    TEKUN,
    DISABLED,
    ELDER_ALONE,
    VETERAN,
    PARTY_MEMBER,
    LEFT_BEHIND_CHILD,
)

_GRANDCHILDREN = frozenset({"孙子", "孙女", "外孙子", "外孙女"})
_MIDDLE_GENERATION = frozenset({"子", "女", "儿媳", "女婿"})


def _disability_rate(age: int) -> float:
    if age < 18:
        return 0.015
    if age < 45:
        return 0.035
    if age < 60:
        return 0.06
    if age < 80:
        return 0.11
    return 0.2


def household_tags(
    rng: random.Random, members: list[Member], reference_year: int
) -> list[tuple[str, ...]]:
    """Tags for each member, in member order; each tuple follows the order of ``TAGS``."""
    ages = [reference_year - member.birth_year for member in members]
    alone = len(members) == 1
    elder_alone = alone and ages[0] >= 60
    minors = any(age < 18 for age in ages)
    single_carer = minors and not any(member.relation == "配偶" for member in members)
    no_working_age = minors and not any(18 <= age < 60 for age in ages)
    vulnerable = elder_alone or single_carer or no_working_age
    dibao = rng.random() < (0.06 if vulnerable else 0.025)
    parents_away = not any(member.relation in _MIDDLE_GENERATION for member in members)
    result = []
    for member, age in zip(members, ages, strict=True):
        disabled = rng.random() < _disability_rate(age)
        tags = []
        if alone and age >= 60:
            tekun = rng.random() < 0.12
        elif alone and disabled:
            tekun = rng.random() < 0.2
        else:
            tekun = False
        if dibao and not tekun:
            tags.append(DIBAO)
        if tekun:
            tags.append(TEKUN)
        if disabled:
            tags.append(DISABLED)
        if alone and age >= 60:
            tags.append(ELDER_ALONE)
        male = member.gender is Gender.MALE
        if age >= 20 and rng.random() < (0.045 if male else 0.003):
            tags.append(VETERAN)
        if age >= 18 and rng.random() < (0.10 if male else 0.065):
            tags.append(PARTY_MEMBER)
        if age < 16 and member.relation in _GRANDCHILDREN and parents_away:
            tags.append(LEFT_BEHIND_CHILD)
        result.append(tuple(tags))
    return result
