"""How each department writes one person's fields, with the clerks' noise, for the labelled set.

Formats and most rates follow the department simulators (``connectors.simulators.records``
and ``noise``); the identity-specific noise the simulators lack is added here: typo'd and
transposed ID numbers that fail the checksum, placeholders, addresses written down only to
the village group or the village (so many people share one), and changed phones.

Every function draws from the ``random.Random`` it is given. A ``Forcer`` makes each kind
of noise happen at least once early on, so even a small set holds every hard case.
"""

from __future__ import annotations

import random

from connectors.simulators import noise
from connectors.simulators.hanzi import homophone_variant, to_traditional
from population import PersonSpec, is_valid_id_number
from store.base import Gender

ID_PLACEHOLDERS = ("无", "-", "000000000000000000", "不详", "0")
PHONE_PLACEHOLDERS = ("无", "-", "00000000000", "0")
DATE_PLACEHOLDERS = ("-", "无", "0000-00-00")

# Per source: missing, placeholder, typo, legacy 15-digit ID; homophone, traditional name;
# changed phone, phone placeholder; address to the group, to the village only.
_RATES: dict[str, dict[str, float]] = {
    "ga": dict(missing_id=0.01, placeholder_id=0.0, typo_id=0.002, legacy_id=0.03,
               homophone=0.01, traditional=0.015, changed_phone=0.0, placeholder_phone=0.0,
               group_address=0.0, village_address=0.0),
    "mz": dict(missing_id=0.02, placeholder_id=0.01, typo_id=0.015, legacy_id=0.01,
               homophone=0.03, traditional=0.005, changed_phone=0.03, placeholder_phone=0.02,
               group_address=0.35, village_address=0.15),
    "wj": dict(missing_id=0.01, placeholder_id=0.005, typo_id=0.01, legacy_id=0.0,
               homophone=0.02, traditional=0.02, changed_phone=0.06, placeholder_phone=0.01,
               group_address=0.25, village_address=0.10),
    "cl": dict(missing_id=0.01, placeholder_id=0.01, typo_id=0.02, legacy_id=0.0,
               homophone=0.03, traditional=0.01, changed_phone=0.02, placeholder_phone=0.02,
               group_address=0.4, village_address=0.2),
}  # fmt: skip
FORCED = ("legacy_id", "typo_id", "missing_id", "placeholder_id", "homophone", "traditional",
          "changed_phone", "placeholder_phone", "village_address")  # fmt: skip


class Forcer:
    """Draws noise at its rate, and forces each kind once at its first chance on a record
    of a source other than 公安 (legacy IDs: on 公安), so it is present in any set."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.due = set(FORCED)
        self.forced = False  # one forced kind per record, so each stays resolvable

    def begin(self) -> None:
        """A new record starts."""
        self.forced = False

    def __call__(self, source: str, kind: str, eligible: bool = True) -> bool:
        if not eligible:
            return False
        if self.rng.random() < _RATES[source][kind]:
            self.due.discard(kind)
            return True
        if not self.forced and kind in self.due and (source == "ga") == (kind == "legacy_id"):
            self.due.discard(kind)
            self.forced = True
            return True
        return False


def id_number(chance: Forcer, source: str, person: PersonSpec, cases: list[str]) -> str:
    rng, number = chance.rng, person.id_number
    if chance(source, "missing_id", not (source == "wj" and person.birth_date.year >= 2018)):
        cases.append("missing_id")
        return ""
    if source == "wj" and person.birth_date.year >= 2018 and rng.random() < 0.10:
        cases.append("missing_id")  # young children's health records often carry none
        return ""
    if chance(source, "placeholder_id"):
        cases.append("placeholder_id")
        return rng.choice(ID_PLACEHOLDERS)
    if chance(source, "typo_id"):
        cases.append("typo_id")
        return typo(rng, number)
    if chance(source, "legacy_id", noise.can_be_legacy(number)):
        cases.append("legacy_id")
        return noise.legacy_id(number)
    if source == "mz" and rng.random() < 0.08:
        return noise.messy_id(rng, number)
    if source == "wj" and number.endswith("X") and rng.random() < 0.3:
        return number[:-1] + "x"
    return number


def typo(rng: random.Random, number: str) -> str:
    """One digit mistyped (70 %) or two neighbours swapped; the result fails the checksum."""
    while True:
        position = rng.randrange(17)
        if rng.random() < 0.7:
            digit = str((int(number[position]) + rng.randint(1, 9)) % 10)
            candidate = number[:position] + digit + number[position + 1 :]
        else:
            position = min(position, 15)
            pair = number[position : position + 2]
            candidate = number[:position] + pair[::-1] + number[position + 2 :]
        if candidate != number and not is_valid_id_number(candidate):
            return candidate


def name(chance: Forcer, source: str, person: PersonSpec, cases: list[str]) -> str:
    written = person.name
    if chance(source, "homophone"):
        variant = homophone_variant(written)
        if variant is not None:
            cases.append("homophone")
            return variant
        chance.due.add("homophone")
    if chance(source, "traditional"):
        variant = to_traditional(written)
        if variant != written:
            cases.append("traditional")
            return variant
        chance.due.add("traditional")
    if source == "mz" and chance.rng.random() < 0.02:
        return f" {written[0]} {written[1:]} "
    return written


def gender(rng: random.Random, source: str, person: PersonSpec) -> str:
    male = person.gender is Gender.MALE
    if source == "ga":
        return rng.choice("09") if rng.random() < 0.005 else ("1" if male else "2")
    if source == "wj":
        return "U" if rng.random() < 0.005 else ("M" if male else "F")
    return "男" if male else "女"


def birth_date(rng: random.Random, source: str, person: PersonSpec) -> str:
    when = person.birth_date
    if source == "ga":
        return f"{when:%Y%m%d}"
    if source == "wj":
        return f"{when.isoformat()}T00:00:00+08:00"
    if source == "cl":
        return ""  # the disability ledger has no birth date column
    roll = rng.random()
    if roll < 0.01:
        return rng.choice(DATE_PLACEHOLDERS)
    if roll < 0.26:
        return noise.slash_date(when)
    return noise.chinese_date(when) if roll < 0.41 else when.isoformat()


def phone(chance: Forcer, source: str, person: PersonSpec, cases: list[str]) -> str:
    rng, number = chance.rng, person.phone
    if number is None:
        return noise.landline(rng) if source == "mz" and rng.random() < 0.2 else ""
    if chance(source, "placeholder_phone"):
        cases.append("placeholder_phone")
        return rng.choice(PHONE_PLACEHOLDERS)
    if chance(source, "changed_phone"):
        cases.append("changed_phone")
        number = noise.new_mobile(rng)
    roll = rng.random()
    if source == "wj":
        if roll < 0.5:
            return noise.international_phone(number)
        return noise.international_phone(number, spaced=False) if roll < 0.7 else number
    if source in ("mz", "cl") and roll < 0.4:
        return noise.dashed_phone(number)
    return number


def address(chance: Forcer, source: str, person: PersonSpec, cases: list[str]) -> str:
    rng = chance.rng
    if source == "ga":  # the registry holds the place of registration
        written = person.registered_address
        return noise.old_address(written) if rng.random() < 0.3 else written
    written = person.residence_address
    village = "村" in written and "组" in written
    if chance(source, "village_address", village):
        cases.append("village_address")
        return written[: written.index("村") + 1]
    if chance(source, "group_address", village):
        cases.append("village_address")
        return written[: written.index("组") + 1]
    if source == "wj":
        return (
            noise.short_address(written) if rng.random() < 0.05 else noise.health_address(written)
        )
    short = 0.7 if source == "mz" else 0.5
    return noise.short_address(written) if rng.random() < short else written
