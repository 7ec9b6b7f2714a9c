"""Synthetic mainland mobile numbers: 11 digits on 13x/15x/18x/19x prefixes, never repeated."""

from __future__ import annotations

from population.scramble import Scrambler

PREFIXES: tuple[str, ...] = (
    *(f"13{d}" for d in range(10)),
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    *(f"18{d}" for d in range(10)),
    "191",
    "199",
)
_SUBSCRIBERS = 10**8


class PhoneAllocator:
    """Each call returns a number no earlier call returned (for 3.1 billion calls)."""

    def __init__(self, offset: int = 0) -> None:
        self._scramble = Scrambler(len(PREFIXES) * _SUBSCRIBERS, offset)
        self._count = 0

    def next(self) -> str:
        index = self._scramble(self._count)
        self._count += 1
        prefix, subscriber = divmod(index, _SUBSCRIBERS)
        return f"{PREFIXES[prefix]}{subscriber:08d}"
