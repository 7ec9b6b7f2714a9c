"""Addresses written in Latin letters: ``20 Rupp Pl, Brentwood Village, Penshurst VIC 2257``.

An address line by line, as an envelope has it: the house number and the road (a line
holding a street type such as street, road, place, crescent; else the line the house
number opens), premises (an estate or building name, a "c/o"), then the locality
line: suburb or town, state, postcode. The postcode is the locality line's digits, the
state a word of at most three letters beside it. Without commas (one line) the road
ends at its street type and the locality is what follows.

The parts are kept apart because the household comparison weighs them apart: the same
house on the same road, the same road, the same locality. Street types are spelt out
(``st`` is ``street``), so that ``Rupp Pl`` and ``Rupp Place`` agree; everything else is
kept as written, lower-case and without accents, for the comparison's fuzzy matching
(clerks misspell road names more often than anything else).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from identity.latin_names import fold_accents

_STREET_TYPES = {
    "street": ("st", "str"), "road": ("rd",), "avenue": ("ave", "av"), "drive": ("dr", "drv"),
    "place": ("pl",), "crescent": ("cres", "cr", "crs"), "circuit": ("cct", "cir"),
    "close": ("cl",), "court": ("ct", "crt"), "lane": ("ln",), "parade": ("pde",),
    "terrace": ("tce", "terr"), "way": ("wy",), "boulevard": ("blvd", "bvd"),
    "highway": ("hwy",), "grove": ("gr", "gv"), "square": ("sq",), "parkway": ("pkwy",),
    "esplanade": ("esp",), "circle": ("circ",), "row": (), "walk": (), "track": ("trk",),
    "rise": (), "mews": (), "gardens": ("gdns",), "loop": (), "promenade": ("prom",),
    "alley": ("ally",), "arcade": ("arc",), "quay": (), "vale": (),
}  # fmt: skip
STREET_TYPES = {short: full for full, shorts in _STREET_TYPES.items() for short in shorts}
STREET_TYPES |= {full: full for full in _STREET_TYPES}
_LINES = re.compile(r"[,;\n]+")
_NOISE = re.compile(r"[^a-z0-9/\s-]+")
_NUMBER = re.compile(r"(?:(\d+[a-z]?)\s*/\s*)?(\d+[a-z]?(?:-\d+[a-z]?)?)", re.ASCII)
_POSTCODE = re.compile(r"\d{3,6}", re.ASCII)
_STATE_LETTERS = 3


@dataclass(frozen=True, slots=True)
class LatinParts:
    """One Latin address's parts, each lower-case text or None."""

    unit: str | None  # 5 of 5/20
    house: str | None  # 20, 12a, 10-12
    road: str | None  # rupp place
    premises: str | None  # brentwood village (lines between road and locality, comma-joined)
    locality: str | None  # penshurst
    state: str | None  # vic
    postcode: str | None  # 2257

    def standard(self) -> str:
        """The parts written out in the order this module reads them back."""
        number = "/".join(part for part in (self.unit, self.house) if part)
        first = " ".join(part for part in (number, self.road) if part)
        last = " ".join(part for part in (self.locality, self.state, self.postcode) if part)
        return ", ".join(line for line in (first, self.premises, last) if line)


def parse_latin_address(text: str) -> LatinParts | None:
    """The parts of an address without Chinese characters, or None if it has none."""
    lines = [_clean(line) for line in _LINES.split(fold_accents(text).lower())]
    lines = [line for line in lines if line]
    if not lines:
        return None
    if len(lines) == 1:
        return _one_line(lines[0])
    *body, last = lines
    locality, state, postcode = _locality(last)
    unit = house = None
    numbered = next((i for i, line in enumerate(body) if _NUMBER.match(line)), None)
    if numbered is not None:
        first, _, rest = body[numbered].partition(" ")
        number = _NUMBER.fullmatch(first)
        if number is not None:
            unit, house = number[1], number[2]
            body[numbered] = rest
    typed = next((i for i, line in enumerate(body) if _street_type_at(line.split())), None)
    at = typed if typed is not None else numbered
    road = " ".join(_spelt_out(body[at].split())) or None if at is not None else None
    premises = ", ".join(line for i, line in enumerate(body) if i != at and line)
    return LatinParts(unit, house, road, premises or None, locality, state, postcode)


def _one_line(line: str) -> LatinParts:
    """``20 rupp place penshurst vic 2257``: the road ends at its street type."""
    locality, state, postcode = _locality(line)
    words = (locality or "").split()
    unit = house = road = None
    if words and (number := _NUMBER.fullmatch(words[0])) is not None:
        unit, house = number[1], number[2]
        words = words[1:]
    end = _street_type_at(words)
    if end is not None:
        road, words = " ".join(_spelt_out(words[: end + 1])), words[end + 1 :]
    elif house is not None:
        road, words = " ".join(words) or None, []
    return LatinParts(unit, house, road, None, " ".join(words) or None, state, postcode)


def _locality(line: str) -> tuple[str | None, str | None, str | None]:
    """(locality, state, postcode) of the last line: ``penshurst vic 2257``."""
    words = line.split()
    postcode = None
    for position in range(len(words) - 1, 0 if len(words) > 1 else -1, -1):
        if _POSTCODE.fullmatch(words[position]):
            postcode = words.pop(position)
            break
    state = None
    if postcode is not None and words and words[-1].isalpha():
        state = words.pop() if len(words[-1]) <= _STATE_LETTERS else None
    return " ".join(words) or None, state, postcode


def _street_type_at(words: list[str]) -> int | None:
    """Position of the first street type after the road's name (never its first word)."""
    for position in range(1, len(words)):
        if words[position] in STREET_TYPES:
            return position
    return None


def _spelt_out(words: list[str]) -> list[str]:
    return [*words[:1], *(STREET_TYPES.get(word, word) for word in words[1:])]


def _clean(line: str) -> str:
    return " ".join(_NOISE.sub(" ", line).split())
