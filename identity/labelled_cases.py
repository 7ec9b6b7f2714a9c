"""The person-level hard cases of the labelled set, injected into population households.

The population has namesakes at natural rates but no twins, no father and son of one
name and no clan villages, so they are made here: at realistic rates, and each once at
the first household where it can happen. Injected persons get fresh valid ID numbers
that no other person holds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

from connectors.simulators.hanzi import COMPOUND_SURNAMES
from connectors.simulators.noise import new_mobile
from population import HouseholdSpec, PersonSpec, make_id_number
from population.grids import is_village
from population.names import given_name
from store.base import Gender

Member = tuple[PersonSpec, tuple[str, ...]]
# Per household (twins: per child; namesakes: per village household).
TWIN_RATE, FATHER_SON_RATE, NAMESAKE_RATE, CLAN_SHARE, SHORT_NAME_SHARE = (
    0.012, 0.002, 0.004, 0.6, 0.5)  # fmt: skip
_CHILDREN = frozenset({"子", "女", "孙子", "孙女", "外孙子", "外孙女"})
_CLAN_SURNAMES = "王李张刘陈杨黄周"
_ID_STRIDE = 211


def surname_of(name: str) -> str:
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


class CaseInjector:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.due = {"twin", "father_son", "namesake"}
        self.ids: set[int] = set()  # first 17 digits of every issued ID number
        self.injected = 0
        self._keys: dict[tuple[str, str], str] = {}
        self._cases = 0

    def households(
        self, household: HouseholdSpec, people: list[PersonSpec]
    ) -> Iterator[list[Member]]:
        """The household with its cases applied, then any injected namesake's household."""
        self._keys.clear()
        members: list[Member] = [(self._unique(person), ()) for person in people]
        village = is_village(household.grid_code[:12])
        if village:
            members = self._clan(household, members)
        members = self._father_son(members)
        members = self._twins(members)
        extra = self._namesake(members) if village else None
        yield members
        if extra is not None:
            self._keys.clear()
            yield extra

    def household_key(self, source: str, person: PersonSpec) -> str:
        """Each source numbers households its own way; 残联 records carry none."""
        if source == "ga":
            return person.household_number
        if source == "cl":
            return ""
        key = (source, person.household_number)
        if key not in self._keys:
            self._cases += 1
            wanted = source == "mz" or self.rng.random() < 0.6
            self._keys[key] = f"{source.upper()}HH{self._cases:08d}" if wanted else ""
        return self._keys[key]

    def _roll(self, case: str, rate: float) -> bool:
        if self.rng.random() < rate or case in self.due:
            self.due.discard(case)
            return True
        return False

    def _clan(self, household: HouseholdSpec, members: list[Member]) -> list[Member]:
        """A clan village: most families carry the village's surname, many one-character
        given names, and other sources write the address only to the group or village."""
        rng = self.rng
        clan = _CLAN_SURNAMES[int(household.grid_code[9:12]) % len(_CLAN_SURNAMES)]
        family = surname_of(members[0][0].name)
        in_clan = rng.random() < CLAN_SHARE
        result = []
        taken: set[str] = set()  # one family does not give two members one name
        for person, cases in members:
            name = person.name
            if in_clan and surname_of(name) == family:
                name = clan + name[len(family) :]
            if rng.random() < SHORT_NAME_SHARE and len(name) - len(surname_of(name)) > 1:
                short = name[: len(surname_of(name)) + 1]
                name = name if short in taken else short
            name = person.name if name in taken else name
            taken.add(name)
            result.append((replace(person, name=name), (*cases, "village")))
        return result

    def _father_son(self, members: list[Member]) -> list[Member]:
        head = members[0][0]
        if head.gender is not Gender.MALE:
            return members
        sons = [i for i, (p, _) in enumerate(members) if p.relation == "子"]
        if not sons or not self._roll("father_son", FATHER_SON_RATE):
            return members
        son, cases = members[sons[0]]
        members = list(members)
        members[0] = (head, (*members[0][1], "father_son"))
        members[sons[0]] = (replace(son, name=head.name), (*cases, "father_son"))
        return members

    def _twins(self, members: list[Member]) -> list[Member]:
        result = list(members)
        for person, cases in members:
            if person.relation not in _CHILDREN or not self._roll("twin", TWIN_RATE):
                continue
            rng = self.rng
            gender = Gender.MALE if rng.random() < 0.5 else Gender.FEMALE
            surname = surname_of(person.name)
            name = person.name
            while name == person.name:
                name = surname + given_name(rng, gender, person.birth_date.year)
            twin = replace(
                person,
                name=name,
                gender=gender,
                id_number=self._fresh(person.id_number[:6], person.birth_date, gender),
                relation=("子" if gender is Gender.MALE else "女")
                if person.relation in ("子", "女")
                else person.relation,
                phone=new_mobile(rng) if person.phone else None,
                tags=(),
            )
            index = result.index((person, cases))
            result[index] = (person, (*cases, "twin"))
            result.insert(index + 1, (twin, (*cases, "twin")))
        return result

    def _namesake(self, members: list[Member]) -> list[Member] | None:
        """Someone of the same name, born the same year, in another house of the village."""
        adults = [(p, c) for p, c in members if p.birth_date.year <= 2000]
        if not adults or not self._roll("namesake", NAMESAKE_RATE):
            return None
        rng = self.rng
        person, cases = adults[0]
        year = person.birth_date.year
        born = person.birth_date
        while born == person.birth_date:
            born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        house = person.residence_address.rsplit("组", 1)[0] + f"组{rng.randint(301, 400)}号"
        self.injected += 1
        number = f"{person.household_number[:6]}8{self.injected:06d}"
        other = replace(
            person,
            id_number=self._fresh(person.id_number[:6], born, person.gender),
            birth_date=born,
            phone=None,
            residence_address=house,
            registered_address=house,
            household_number=number,
            relation="户主",
            tags=(),
        )
        group = f"namesake:{person.id_number}"  # the pair, for the evaluation
        members[members.index((person, cases))] = (person, (*cases, group))
        return [(other, ("village", group))]

    def _unique(self, person: PersonSpec) -> PersonSpec:
        """Population IDs are unique among themselves; one equal to an injected person's
        (very rare) is replaced by a fresh one."""
        key = int(person.id_number[:17])
        if key not in self.ids:
            self.ids.add(key)
            return person
        fresh = self._fresh(person.id_number[:6], person.birth_date, person.gender)
        return replace(person, id_number=fresh)

    def _fresh(self, area: str, born: date, gender: Gender) -> str:
        male = gender is Gender.MALE
        start = self.rng.randrange(499)
        for step in range(499):
            sequence = 2 * ((start + step * _ID_STRIDE) % 499) + (1 if male else 2)
            number = make_id_number(area, born, sequence)
            if int(number[:17]) not in self.ids:
                self.ids.add(int(number[:17]))
                return number
        raise RuntimeError(f"no free ID number for {area} {born}")
