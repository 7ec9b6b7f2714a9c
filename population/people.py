"""A deterministic synthetic population, streamed household by household.

All personal data is synthetic. The same (residents, seed) always yields the same output:
one ``random.Random(seed)`` drives everything, and nothing depends on set order, hash
seeds or today's date (ages count from ``REFERENCE_DATE``). ID numbers, phones and
household numbers are unique by construction, with memory bounded whatever the size.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from population.addresses import HUBEI_ELSEWHERE, AddressBook, address_elsewhere_in_hubei
from population.families import FamilyDrawer, Member
from population.grids import DISTRICT_CODES, generate_grids, is_village
from population.idcard import IdNumberAllocator
from population.names import given_name
from population.phones import PhoneAllocator
from population.tags import household_tags
from store.base import Gender, GridLevel

REFERENCE_DATE = date(2024, 12, 31)
SEPARATED_SHARE = 0.10  # households living away from their registration (人户分离)
_JINGSHAN, _JINGSHAN_COUNTY, _JINGSHAN_RENAMED = "420882", "420821", 2018
_AREAS = (*DISTRICT_CODES, _JINGSHAN_COUNTY, *(area for area, _, _ in HUBEI_ELSEWHERE))
_MARRIED_IN = frozenset({"配偶", "儿媳", "女婿"})


@dataclass(frozen=True)
class HouseholdSpec:
    number: str
    address: str
    grid_code: str


@dataclass(frozen=True)
class PersonSpec:
    name: str
    id_number: str
    gender: Gender
    birth_date: date
    phone: str | None
    residence_address: str
    registered_address: str
    grid_code: str
    household_number: str
    relation: str
    tags: tuple[str, ...]


def generate_population(
    residents: int, seed: int = 42
) -> Iterator[tuple[HouseholdSpec, list[PersonSpec]]]:
    """Yield households with their members until exactly ``residents`` people exist."""
    if residents < 0:
        raise ValueError("residents must not be negative")
    generator = _Generator(seed)
    remaining = residents
    while remaining > 0:
        household, people = generator.household(limit=remaining)
        remaining -= len(people)
        yield household, people


def _grid_weight(grid_code: str) -> float:
    """Urban communities are denser than town communities, and those than villages."""
    if is_village(grid_code[:12]):
        return 0.35
    return 0.7 if grid_code[6] == "1" else 1.0


class _Generator:
    def __init__(self, seed: int) -> None:
        self._rng = rng = random.Random(seed)
        grids = generate_grids()
        self._leaves = [spec.code for spec in grids if spec.level is GridLevel.GRID]
        self._leaf_cum = list(accumulate(_grid_weight(code) for code in self._leaves))
        self._addresses = AddressBook(grids, offset=rng.randrange(1 << 30))
        self._phones = PhoneAllocator(offset=rng.randrange(1 << 40))
        self._ids = IdNumberAllocator(_AREAS, date(1900, 1, 1), REFERENCE_DATE)
        self._families = FamilyDrawer(rng, REFERENCE_DATE.year)
        self._numbers: dict[str, int] = {}

    def _leaf(self) -> str:
        return self._leaves[bisect(self._leaf_cum, self._rng.random() * self._leaf_cum[-1])]

    def household(self, limit: int) -> tuple[HouseholdSpec, list[PersonSpec]]:
        rng = self._rng
        _, members = self._families.draw()
        members = members[:limit]
        grid_code = self._leaf()
        district = self._addresses.district_of(grid_code)
        count = self._numbers.get(district, 0) + 1
        self._numbers[district] = count
        household = HouseholdSpec(
            number=f"{district}{count:07d}",
            address=self._addresses.next_address(grid_code),
            grid_code=grid_code,
        )
        separated = rng.random() < SEPARATED_SHARE
        if not separated:
            registered_area, registered_address = district, household.address
        elif rng.random() < 0.5:
            other = self._leaf()
            while other[:12] == grid_code[:12]:
                other = self._leaf()
            registered_area = self._addresses.district_of(other)
            registered_address = self._addresses.address_at(other, rng.randrange(1 << 20))
        else:
            registered_area, registered_address = address_elsewhere_in_hubei(rng)
        tags = household_tags(rng, members, REFERENCE_DATE.year)
        people: list[PersonSpec] = []
        for member, member_tags in zip(members, tags, strict=True):
            area = registered_area
            moved_in = 0.15 if member.relation in _MARRIED_IN else 0.04
            if (
                not separated
                and REFERENCE_DATE.year - member.birth_year >= 18
                and (rng.random() < moved_in)
            ):
                area = address_elsewhere_in_hubei(rng)[0]
            people.append(
                self._person(member, member_tags, area, household, registered_address, people)
            )
        return household, people

    def _person(
        self,
        member: Member,
        tags: tuple[str, ...],
        area: str,
        household: HouseholdSpec,
        registered_address: str,
        earlier: list[PersonSpec],
    ) -> PersonSpec:
        rng = self._rng
        if area == _JINGSHAN and member.birth_year < _JINGSHAN_RENAMED:
            area = _JINGSHAN_COUNTY  # 京山县 numbers predate the city's 2018 code
        start = date(member.birth_year, 1, 1)
        born = min(REFERENCE_DATE, start + timedelta(days=rng.randrange(365)))
        id_number, born = self._ids.allocate(area, born, member.gender)
        return PersonSpec(
            name=member.surname + given_name(rng, member.gender, member.birth_year),
            id_number=id_number,
            gender=member.gender,
            birth_date=born,
            phone=self._phone(REFERENCE_DATE.year - member.birth_year, earlier),
            residence_address=household.address,
            registered_address=registered_address,
            grid_code=household.grid_code,
            household_number=household.number,
            relation=member.relation,
            tags=tags,
        )

    def _phone(self, age: int, earlier: list[PersonSpec]) -> str | None:
        rng = self._rng
        if age < 12:
            own = 0.0
        elif age < 16:
            own = 0.3
        elif age < 70:
            own = 0.96
        elif age < 80:
            own = 0.75
        else:
            own = 0.45
        if rng.random() < own:
            return self._phones.next()
        shared = next((person.phone for person in earlier if person.phone), None)
        if shared is not None and (age < 16 or age >= 70) and rng.random() < 0.5:
            return shared
        return None
