"""Each department's records, derived in one pass over the synthetic population.

Every department draws from its own ``random.Random`` seeded by (seed, code), so its data
does not depend on which other departments are derived. ``truth`` maps each record's
primary key to the population person's real ID number: the answer key for identity
resolution, which the records themselves only approximate.
"""

from __future__ import annotations

import gc
import hashlib
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from connectors.simulators import records
from connectors.simulators.clock import base_time
from connectors.simulators.records import Record
from population import HouseholdSpec, PersonSpec, generate_population

CODES: tuple[str, ...] = ("ga", "mz", "wj", "cl")
HTTP_CODES: tuple[str, ...] = ("ga", "mz", "wj")
# Resource name -> primary-key field, per department; the first resource is the main one.
RESOURCES: dict[str, dict[str, str]] = {
    "ga": {"persons": "rybh", "households": "hh"},
    "mz": {"jzxx": "ryid"},
    "wj": {"residents": "residentId"},
    "cl": {"ledger": "残疾证号"},
}
KEY_FORMATS = {"ga": "GA{:08d}", "mz": "MZ{:07d}", "wj": "wj-{:06d}"}
AJH_FORMAT = "MZJZ2024{:06d}"


@dataclass
class Department:
    code: str
    resources: dict[str, list[Record]]
    truth: dict[str, str] = field(default_factory=dict)

    @property
    def main(self) -> list[Record]:
        return next(iter(self.resources.values()))


@dataclass
class Dataset:
    residents: int
    seed: int
    departments: dict[str, Department]
    id_numbers: frozenset[str]

    def truth(self, code: str) -> dict[str, str]:
        """Primary key of each record of the department's main resource -> true ID number."""
        return self._department(code).truth

    def records(self, code: str, resource: str | None = None) -> list[Record]:
        department = self._department(code)
        if resource is None:
            return department.main
        if resource not in department.resources:
            raise KeyError(f"department {code!r} has no resource {resource!r}")
        return department.resources[resource]

    def _department(self, code: str) -> Department:
        if code not in self.departments:
            raise KeyError(f"department {code!r} was not derived (have {sorted(self.departments)})")
        return self.departments[code]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while building many long-lived records: the
    collections would find nothing to free and cost a third of the time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def department_rng(seed: int, code: str, purpose: str = "data") -> random.Random:
    return random.Random(f"{seed}:{code}:{purpose}")


def derive(residents: int, seed: int = 42, codes: Iterable[str] = CODES) -> Dataset:
    """Derive the listed departments' records from ``generate_population(residents, seed)``."""
    wanted = tuple(dict.fromkeys(codes))
    unknown = set(wanted) - set(CODES)
    if unknown:
        raise ValueError(f"unknown department codes {sorted(unknown)}; known: {list(CODES)}")
    builders = {code: _BUILDERS[code](department_rng(seed, code)) for code in wanted}
    id_numbers: set[str] = set()
    with paused_gc():
        for household, people in generate_population(residents, seed):
            id_numbers.update(person.id_number for person in people)
            for builder in builders.values():
                builder.add(household, people)
    departments = {code: builder.finish(code) for code, builder in builders.items()}
    return Dataset(residents, seed, departments, frozenset(id_numbers))


def truth(code: str, residents: int, seed: int = 42) -> dict[str, str]:
    """``derive(residents, seed, [code]).truth(code)``."""
    return derive(residents, seed, [code]).truth(code)


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.resources: dict[str, list[Record]] = {}
        self.truth: dict[str, str] = {}
        self.count = 0

    def add(self, household: HouseholdSpec, people: list[PersonSpec]) -> None:
        raise NotImplementedError

    def finish(self, code: str) -> Department:
        return Department(code, self.resources, self.truth)


class _Ga(_Builder):
    def __init__(self, rng: random.Random) -> None:
        super().__init__(rng)
        self.persons: list[Record] = []
        self.households: list[Record] = []
        self.resources = {"persons": self.persons, "households": self.households}

    def add(self, household: HouseholdSpec, people: list[PersonSpec]) -> None:
        rows = []
        for person in people:
            self.count += 1
            rybh = KEY_FORMATS["ga"].format(self.count)
            rows.append(records.ga_person(self.rng, person, rybh, base_time(self.rng)))
            self.truth[rybh] = person.id_number
        self.persons.extend(rows)
        self.households.append(
            records.ga_household(household, rows[0], len(rows), base_time(self.rng))
        )

    def finish(self, code: str) -> Department:
        self.households.sort(key=lambda row: str(row["hh"]))
        return super().finish(code)


class _Mz(_Builder):
    def __init__(self, rng: random.Random) -> None:
        super().__init__(rng)
        self.rows: list[Record] = []
        self.resources = {"jzxx": self.rows}
        self.cases = 0

    def add(self, household: HouseholdSpec, people: list[PersonSpec]) -> None:
        chosen = records.mz_selected(self.rng, people)
        if not chosen:
            return
        self.cases += 1
        ajh = AJH_FORMAT.format(self.cases)
        for person in chosen:
            self.count += 1
            ryid = KEY_FORMATS["mz"].format(self.count)
            self.rows.append(records.mz_record(self.rng, person, ryid, ajh, base_time(self.rng)))
            self.truth[ryid] = person.id_number


class _Wj(_Builder):
    def __init__(self, rng: random.Random) -> None:
        super().__init__(rng)
        self.rows: list[Record] = []
        self.resources = {"residents": self.rows}

    def add(self, household: HouseholdSpec, people: list[PersonSpec]) -> None:
        rng = self.rng
        for person in people:
            diseases = records.chronic_diseases(rng, person)
            contract = records.wj_selected(rng, person, diseases)
            if contract is None:
                continue
            self.count += 1
            key = KEY_FORMATS["wj"].format(self.count)
            epoch = base_time(rng)
            self.rows.append(records.wj_record(rng, person, key, contract, diseases, epoch))
            self.truth[key] = person.id_number

    def finish(self, code: str) -> Department:
        self.rows.sort(key=lambda row: (row["updatedAt"], row["residentId"]))
        return super().finish(code)


class _Cl(_Builder):
    def __init__(self, rng: random.Random) -> None:
        super().__init__(rng)
        self.rows: list[Record] = []
        self.resources = {"ledger": self.rows}

    def add(self, household: HouseholdSpec, people: list[PersonSpec]) -> None:
        for person in people:
            if records.cl_selected(person):
                row = records.cl_row(self.rng, person)
                self.rows.append(row)
                self.truth[row["残疾证号"]] = person.id_number


_BUILDERS: dict[str, type[_Builder]] = {"ga": _Ga, "mz": _Mz, "wj": _Wj, "cl": _Cl}


class NewPeople:
    """Fresh synthetic people for inserts: a second population stream, seeded per server,
    skipping anyone whose ID number the base population already uses."""

    def __init__(self, seed: int, code: str, taken: frozenset[str]) -> None:
        digest = hashlib.sha256(f"{seed}:{code}:inserts".encode()).digest()
        self._stream: Iterator[tuple[HouseholdSpec, list[PersonSpec]]] = generate_population(
            1 << 40, int.from_bytes(digest[:8], "big")
        )
        self._taken = taken
        self._pending: list[tuple[HouseholdSpec, PersonSpec]] = []

    def __next__(self) -> tuple[HouseholdSpec, PersonSpec]:
        while not self._pending:
            household, people = next(self._stream)
            self._pending = [(household, p) for p in people if p.id_number not in self._taken]
            self._pending.reverse()
        return self._pending.pop()

    def __iter__(self) -> Iterator[tuple[HouseholdSpec, PersonSpec]]:
        return self
