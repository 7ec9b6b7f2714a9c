"""Records of people written in Latin letters, with a register's noise: the small
labelled set the Latin-script tests resolve (names given first or surname first, typos,
swapped names, address lines swapped or left out, postcode and identifier typos)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from identity.normalize import RawRecord

_GIVEN = [
    "jack",
    "oliver",
    "thomas",
    "william",
    "james",
    "noah",
    "lucas",
    "henry",
    "samuel",
    "liam",
    "ethan",
    "mason",
    "logan",
    "charlotte",
    "olivia",
    "amelia",
    "isla",
    "mia",
    "ava",
    "grace",
    "chloe",
    "sophie",
    "emily",
    "ruby",
    "zoe",
    "hannah",
    "lily",
    "matilda",
    "evie",
    "harper",
    "ella",
    "isabella",
    "georgia",
]
_SURNAMES = [
    "smith",
    "jones",
    "williams",
    "brown",
    "wilson",
    "taylor",
    "johnson",
    "white",
    "martin",
    "anderson",
    "thompson",
    "nguyen",
    "thomas",
    "walker",
    "harris",
    "lee",
    "ryan",
    "robinson",
    "kelly",
    "king",
    "davis",
    "wright",
    "evans",
    "roberts",
    "green",
    "hall",
    "wood",
    "jackson",
    "clarke",
    "patel",
    "khan",
    "lewis",
    "james",
    "phillips",
    "mitchell",
]
_ROADS = [
    "rupp",
    "bingley",
    "goldfinch",
    "narran",
    "kambalda",
    "lubuma",
    "copland",
    "officer",
    "marchant",
    "tauss",
]
_TYPES = ("street", "place", "crescent", "road", "avenue", "drive", "circuit", "close")
_TOWNS = (("penshurst", "2222"), ("westlake", "2036"), ("mona vale", "2103"),
          ("kellyville", "2155"), ("bonville", "2450"), ("carlingford", "2118"))  # fmt: skip


@dataclass(frozen=True)
class Person:
    key: str
    given: str
    surname: str
    born: str  # YYYYMMDD
    house: str
    road: str
    town: tuple[str, str]
    ssid: str


def latin_records(people: int, seed: int = 3) -> Iterator[tuple[RawRecord, str]]:
    """An original record of each person and up to two noisy copies, with the person's key."""
    rng = random.Random(seed)
    for number in range(people):
        person = Person(
            key=f"p{number}",
            given=rng.choice(_GIVEN),
            surname=rng.choice(_SURNAMES),
            born=f"{rng.randint(1930, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
            house=str(rng.randint(1, 120)),
            road=f"{rng.choice(_ROADS)} {rng.choice(_TYPES)}",
            town=rng.choice(_TOWNS),
            ssid=str(rng.randint(1_000_000, 9_999_999)),
        )
        yield _record(person, f"{person.key}-org", None), person.key
        for copy in range(rng.choice((0, 1, 1, 2))):
            yield _record(person, f"{person.key}-dup-{copy}", rng), person.key


def _record(person: Person, source_id: str, rng: random.Random | None) -> RawRecord:
    given, surname, road, house, ssid = (person.given, person.surname, person.road,
                                         person.house, person.ssid)  # fmt: skip
    town, postcode = person.town
    born = person.born
    if rng is not None:
        given = _typo(rng, given) if rng.random() < 0.3 else given
        surname = _typo(rng, surname) if rng.random() < 0.3 else surname
        road = _typo(rng, road) if rng.random() < 0.3 else road
        if rng.random() < 0.1:
            postcode = postcode[:2] + postcode[3] + postcode[2]
        if rng.random() < 0.1:
            ssid = _typo(rng, ssid, digits=True)
        if rng.random() < 0.1:
            born = born[:6] + born[7] + born[6]
        if rng.random() < 0.1:
            given, surname = surname, given
        house = "" if rng.random() < 0.1 else house
    name = f"{given} {surname}" if rng is None or rng.random() < 0.5 else f"{surname}, {given}"
    address = f"{house} {road}".strip() + f", {town} {postcode}"
    return RawRecord("reg", source_id, name=name, id_number=ssid, birth_date=born,
                     address=address)  # fmt: skip


def _typo(rng: random.Random, text: str, digits: bool = False) -> str:
    """One character replaced, or two neighbours swapped."""
    at = rng.randrange(len(text) - 1)
    if rng.random() < 0.5:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    replacement = rng.choice("0123456789" if digits else "abcdefghijklmnopqrstuvwxyz")
    return text[:at] + replacement + text[at + 1 :]
