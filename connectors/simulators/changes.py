"""How each department's data changes while a simulator runs: updates, inserts, deletes.

An update changes what that department would plausibly change (a new phone, a health
check) and bumps the update time. An insert turns a fresh synthetic person into the
department's record with a new primary key. A ga delete also shrinks the household.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from connectors.simulators import noise, records
from connectors.simulators.clock import check_day
from connectors.simulators.data import AJH_FORMAT, KEY_FORMATS
from connectors.simulators.records import Record
from population import HouseholdSpec, PersonSpec

if TYPE_CHECKING:
    from connectors.simulators.state import DepartmentState


class Rules:
    code = ""

    def update(self, rng: random.Random, resource: str, record: Record, epoch: int) -> None:
        """Change the record's content in place; the caller stamps its time."""

    def insert(
        self, state: DepartmentState, household: HouseholdSpec, person: PersonSpec, epoch: int
    ) -> str:
        raise NotImplementedError

    def delete(self, state: DepartmentState, key: str, epoch: int) -> None:
        state.main.remove(key)

    def next_key(self, state: DepartmentState) -> str:
        state.counter += 1
        return KEY_FORMATS[self.code].format(state.counter)


class GaRules(Rules):
    code = "ga"

    def update(self, rng: random.Random, resource: str, record: Record, epoch: int) -> None:
        if resource == "persons":
            record["lxdh"] = noise.new_mobile(rng)

    def insert(
        self, state: DepartmentState, household: HouseholdSpec, person: PersonSpec, epoch: int
    ) -> str:
        number = state.household_number(household.number, f"{household.number[:6]}9{{:06d}}")
        key = self.next_key(state)
        record = records.ga_person(state.rng, person, key, epoch)
        record["hh"] = number
        state.main.add(record)
        households = state.resources["households"]
        if number in households:
            households.records[number]["rs"] += 1
            households.touch(number, epoch)
        else:
            renumbered = HouseholdSpec(number, household.address, household.grid_code)
            households.add(records.ga_household(renumbered, record, 1, epoch))
        return key

    def delete(self, state: DepartmentState, key: str, epoch: int) -> None:
        record = state.main.remove(key)
        households = state.resources["households"]
        number = str(record["hh"])
        if number not in households:
            return
        household = households.records[number]
        if household["rs"] <= 1:
            households.remove(number)
        else:
            household["rs"] -= 1
            households.touch(number, epoch)


class MzRules(Rules):
    code = "mz"

    def update(self, rng: random.Random, resource: str, record: Record, epoch: int) -> None:
        roll = rng.random()
        if roll < 0.5:
            record["lxdh"] = noise.dashed_phone(noise.new_mobile(rng))
        elif roll < 0.8:
            record["jzdz"] = noise.short_address(str(record["hjdz"]))
        else:
            record["dbbz"] = "0" if record["dbbz"] == "1" else "1"

    def insert(
        self, state: DepartmentState, household: HouseholdSpec, person: PersonSpec, epoch: int
    ) -> str:
        ajh = state.household_number(household.number, AJH_FORMAT.replace("2024", "2025"))
        key = self.next_key(state)
        state.main.add(records.mz_record(state.rng, person, key, ajh, epoch))
        return key


class WjRules(Rules):
    code = "wj"

    def update(self, rng: random.Random, resource: str, record: Record, epoch: int) -> None:
        roll = rng.random()
        if roll < 0.4:
            record["mobile"] = noise.international_phone(noise.new_mobile(rng))
        elif roll < 0.8:
            record["lastHealthCheck"] = check_day(epoch)
        else:
            missing = [d for d in records.CHRONIC_DISEASES if d not in record["chronicDiseases"]]
            if missing:
                record["chronicDiseases"] = [*record["chronicDiseases"], rng.choice(missing)]

    def insert(
        self, state: DepartmentState, household: HouseholdSpec, person: PersonSpec, epoch: int
    ) -> str:
        rng = state.rng
        diseases = records.chronic_diseases(rng, person)
        contract = rng.random() < 0.6
        key = self.next_key(state)
        state.main.add(records.wj_record(rng, person, key, contract, diseases, epoch))
        return key


RULES: dict[str, type[Rules]] = {"ga": GaRules, "mz": MzRules, "wj": WjRules}
