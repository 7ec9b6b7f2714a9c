"""Household shapes: who lives together, how old they are, and which surname each carries.

Mix of shapes tuned to about 2.5 persons per household (China's 2020 census gives 2.62):
singles, elderly living alone, couples, nuclear families, single parents, families with an
elderly parent, skipped-generation households (grandparents raising grandchildren while the
parents work away) and three-generation households.
"""

from __future__ import annotations

import enum
import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from population.names import random_surname
from store.base import Gender

MAX_AGE = 100


class Shape(enum.Enum):
    SINGLE_ADULT = "single_adult"
    SINGLE_ELDER = "single_elder"
    ELDER_COUPLE = "elder_couple"
    COUPLE = "couple"
    NUCLEAR = "nuclear"
    SINGLE_PARENT = "single_parent"
    WITH_ELDER_PARENT = "with_elder_parent"
    SKIPPED_GENERATION = "skipped_generation"
    THREE_GENERATIONS = "three_generations"


_SHAPE_WEIGHTS = (
    (Shape.SINGLE_ADULT, 17),
    (Shape.SINGLE_ELDER, 9),
    (Shape.ELDER_COUPLE, 13),
    (Shape.COUPLE, 10),
    (Shape.NUCLEAR, 30),
    (Shape.SINGLE_PARENT, 5),
    (Shape.WITH_ELDER_PARENT, 6),
    (Shape.SKIPPED_GENERATION, 4),
    (Shape.THREE_GENERATIONS, 6),
)
_SHAPE_CUM = list(accumulate(weight for _, weight in _SHAPE_WEIGHTS))


@dataclass(frozen=True)
class Member:
    relation: str  # to the head: 户主, 配偶, 子, 女, 父亲, 母亲, 儿媳, 女婿, 孙子, 孙女 …
    gender: Gender
    birth_year: int
    surname: str


def _gender(rng: random.Random, male_share: float = 0.515) -> Gender:
    return Gender.MALE if rng.random() < male_share else Gender.FEMALE


def _other(gender: Gender) -> Gender:
    return Gender.FEMALE if gender is Gender.MALE else Gender.MALE


class FamilyDrawer:
    """Draws household shapes and members relative to a reference year."""

    def __init__(self, rng: random.Random, reference_year: int) -> None:
        self._rng = rng
        self._year = reference_year

    def draw(self) -> tuple[Shape, list[Member]]:
        rng = self._rng
        shape = _SHAPE_WEIGHTS[bisect(_SHAPE_CUM, rng.random() * _SHAPE_CUM[-1])][0]
        year = self._year
        if shape is Shape.SINGLE_ADULT:
            return shape, [self._head(rng.randint(20, 64), _gender(rng, 0.55))]
        if shape is Shape.SINGLE_ELDER:
            return shape, [self._head(self._elder_age(65), _gender(rng, 0.35))]
        if shape is Shape.ELDER_COUPLE:
            return shape, self._couple(self._elder_age(60))
        if shape is Shape.COUPLE:
            return shape, self._couple(rng.randint(22, 59))
        if shape is Shape.NUCLEAR:
            members = self._couple(rng.randint(25, 60))
            count = 1 if rng.random() < 0.75 else (2 if rng.random() < 0.88 else 3)
            return shape, members + self._children(members, count)
        if shape is Shape.SINGLE_PARENT:
            head = self._head(rng.randint(28, 55), _gender(rng, 0.3))
            father = head.surname if head.gender is Gender.MALE or rng.random() < 0.3 else None
            count = 1 if rng.random() < 0.7 else 2
            return shape, [head, *self._children([head], count, father or random_surname(rng))]
        if shape is Shape.WITH_ELDER_PARENT:
            members = self._couple(rng.randint(35, 60))
            members += self._children(members, 1 if rng.random() < 0.7 else 2)
            return shape, members + self._elder_parents(members[0])
        if shape is Shape.SKIPPED_GENERATION:
            members = (
                self._couple(rng.randint(55, 78))
                if rng.random() < 0.75
                else [self._head(rng.randint(55, 78), _gender(rng, 0.4))]
            )
            surname = (
                members[0].surname
                if members[0].gender is Gender.MALE
                else (members[1].surname if len(members) > 1 else random_surname(rng))
            )
            for _ in range(1 if rng.random() < 0.6 else 2):
                child_gender = _gender(rng)
                relation = "孙子" if child_gender is Gender.MALE else "孙女"
                members.append(Member(relation, child_gender, year - rng.randint(1, 15), surname))
            return shape, members
        return shape, self._three_generations()

    def _elder_age(self, minimum: int) -> int:
        # Fewer people at each older age: the larger of two uniform draws, reflected.
        span = 96 - minimum
        return minimum + min(self._rng.randint(0, span), self._rng.randint(0, span))

    def _head(self, age: int, gender: Gender) -> Member:
        return Member("户主", gender, self._year - age, random_surname(self._rng))

    def _couple(self, husband_age: int) -> list[Member]:
        rng = self._rng
        gap = max(-4, min(10, round(rng.gauss(2.5, 2.5))))
        wife_age = max(20, min(MAX_AGE, husband_age - gap))
        husband = Member("", Gender.MALE, self._year - husband_age, random_surname(rng))
        wife = Member("", Gender.FEMALE, self._year - wife_age, random_surname(rng))
        head, spouse = (husband, wife) if rng.random() < 0.85 else (wife, husband)
        return [
            Member("户主", head.gender, head.birth_year, head.surname),
            Member("配偶", spouse.gender, spouse.birth_year, spouse.surname),
        ]

    def _child_year(self, parents: list[Member], min_age: int = 0) -> int | None:
        """Birth year 20–35 years after the younger parent, not younger than ``min_age``."""
        youngest_parent = max(member.birth_year for member in parents)
        latest = min(youngest_parent + 35, self._year - min_age)
        if latest < youngest_parent + 20:
            return None
        return self._rng.randint(youngest_parent + 20, latest)

    def _children(
        self, parents: list[Member], count: int, surname: str | None = None
    ) -> list[Member]:
        father = next((m for m in parents if m.gender is Gender.MALE), None)
        family_name = surname or (father.surname if father else parents[0].surname)
        children = []
        for _ in range(count):
            born = self._child_year(parents)
            if born is None:
                break
            gender = _gender(self._rng)
            name = family_name if self._rng.random() < 0.95 else parents[-1].surname
            children.append(Member("子" if gender is Gender.MALE else "女", gender, born, name))
        return sorted(children, key=lambda child: child.birth_year)

    def _elder_parents(self, head: Member) -> list[Member]:
        rng = self._rng
        mother_year = head.birth_year - rng.randint(20, 35)
        father_year = mother_year - rng.randint(0, 5)
        parents = []
        if rng.random() < 0.45 and self._year - father_year <= MAX_AGE:
            parents.append(Member("父亲", Gender.MALE, father_year, head.surname))
        if (not parents or rng.random() < 0.6) and self._year - mother_year <= MAX_AGE:
            parents.append(Member("母亲", Gender.FEMALE, mother_year, random_surname(rng)))
        return parents

    def _three_generations(self) -> list[Member]:
        rng = self._rng
        members = self._couple(rng.randint(50, 75))
        born = self._child_year(members, min_age=22)
        if born is None:
            return members
        father = next(m for m in members if m.gender is Gender.MALE)
        gender = _gender(rng)
        child = Member("子" if gender is Gender.MALE else "女", gender, born, father.surname)
        in_law_year = min(self._year - 20, born + max(-4, min(8, round(rng.gauss(0, 2.5)))))
        in_law = Member(
            "儿媳" if gender is Gender.MALE else "女婿",
            _other(gender),
            in_law_year,
            random_surname(rng),
        )
        members += [child, in_law]
        surname, prefix = (child.surname, "") if gender is Gender.MALE else (in_law.surname, "外")
        for _ in range(1 if rng.random() < 0.6 else 2):
            grandchild_year = self._child_year([child, in_law])
            if grandchild_year is None:
                break
            grandchild_gender = _gender(rng)
            relation = prefix + ("孙子" if grandchild_gender is Gender.MALE else "孙女")
            members.append(Member(relation, grandchild_gender, grandchild_year, surname))
        return members
