"""The live, changeable data set of one simulated department server.

Starts as a copy of the department's derived records; ``/_admin/mutate`` and page drift
change it. Every choice comes from one ``random.Random`` seeded by (seed, code), so the
same seed and the same sequence of calls give the same data.
"""

from __future__ import annotations

from typing import Any

from connectors.simulators.changes import RULES
from connectors.simulators.clock import Clock, iso_time, plain_time
from connectors.simulators.data import RESOURCES, Dataset, NewPeople, department_rng
from connectors.simulators.malform import is_malformed, malform
from connectors.simulators.records import Record
from connectors.simulators.resource import Resource

TIME_FIELDS = {"ga": "gxsj", "mz": "gxsj", "wj": "updatedAt"}


class DepartmentState:
    def __init__(self, code: str, dataset: Dataset) -> None:
        if code not in RULES:
            raise ValueError(f"no HTTP simulator for department {code!r}; have {sorted(RULES)}")
        department = dataset.departments[code]
        self.code = code
        self.seed = dataset.seed
        self.rng = department_rng(dataset.seed, code, "changes")
        self.clock = Clock()
        format_time = iso_time if code == "wj" else plain_time
        self.resources = {
            name: Resource(
                name,
                primary_key,
                TIME_FIELDS[code],
                format_time,
                department.resources[name],
                by_time=code == "wj",
            )
            for name, primary_key in RESOURCES[code].items()
        }
        self.main = next(iter(self.resources.values()))
        self.truth = dict(department.truth)
        self.rules = RULES[code]()
        self.counter = len(department.truth)  # primary keys are numbered 1..n
        self._people = NewPeople(dataset.seed, code, dataset.id_numbers)
        self._household_numbers: dict[str, str] = {}

    def resource(self, name: str | None) -> Resource:
        if name is None:
            return self.main
        if name not in self.resources:
            raise KeyError(f"unknown resource {name!r}; have {sorted(self.resources)}")
        return self.resources[name]

    def household_number(self, source_number: str, template: str) -> str:
        """This department's number for a new household (stable for its later members)."""
        number = self._household_numbers.get(source_number)
        if number is None:
            number = template.format(len(self._household_numbers) + 1)
            self._household_numbers[source_number] = number
        return number

    def update(self, count: int, resource: str | None = None) -> list[str]:
        target = self.resource(resource)
        changed = []
        for _ in range(min(count, len(target))):
            key = target.random_key(self.rng)
            epoch = self.clock.tick()
            self.rules.update(self.rng, target.name, target.records[key], epoch)
            target.touch(key, epoch)
            changed.append(key)
        return changed

    def insert(self, count: int) -> list[str]:
        added = []
        for _ in range(count):
            household, person = next(self._people)
            key = self.rules.insert(self, household, person, self.clock.tick())
            self.truth[key] = person.id_number
            added.append(key)
        return added

    def delete(self, count: int) -> list[str]:
        removed = []
        for _ in range(min(count, len(self.main))):
            key = self.main.random_key(self.rng)
            self.rules.delete(self, key, self.clock.tick())
            self.truth.pop(key, None)
            removed.append(key)
        return removed

    def mutate(self, update: int = 0, insert: int = 0, delete: int = 0) -> dict[str, list[str]]:
        """Updates, then inserts, then deletes, on the main resource."""
        return {
            "updated": self.update(update),
            "inserted": self.insert(insert),
            "deleted": self.delete(delete),
        }

    def is_malformed(self, resource: Resource, key: str, rate: float) -> bool:
        return is_malformed(self.seed, resource.name, key, rate)

    def served(self, resource: Resource, key: str, malformed_rate: float) -> Record:
        """The record as the API serves it: malformed if its key is chosen at this rate."""
        record = resource.records[key]
        if self.is_malformed(resource, key, malformed_rate):
            return malform(self.seed, resource.name, resource.primary_key, record)
        return record

    def snapshot(self, resource: Resource, malformed_rate: float) -> dict[str, Any]:
        """Clean records in serving order, with the keys served malformed listed apart."""
        clean: dict[str, Record] = {}
        broken: list[str] = []
        for key in resource.ordered_keys():
            if self.is_malformed(resource, key, malformed_rate):
                broken.append(key)
            else:
                clean[key] = resource.records[key]
        return {"records": clean, "malformed": broken}
