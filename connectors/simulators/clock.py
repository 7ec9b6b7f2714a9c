"""Update times: a fixed past for the initial data and a synthetic clock for later changes.

Every record starts with an update time drawn from ``BASE_START``..``BASE_END``. Changes
made while a simulator runs (``/_admin/mutate``, page drift) take the next tick of a
per-server clock that starts after ``BASE_END`` and advances one second per change, so
the times are deterministic, strictly increasing and always newer than the initial data.
"""

from __future__ import annotations

import math
import random
import time
from datetime import UTC, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))
BASE_START = int(datetime(2019, 1, 1, tzinfo=CHINA).timestamp())
BASE_END = int(datetime(2024, 6, 30, 23, 59, 59, tzinfo=CHINA).timestamp())
CLOCK_START = BASE_END + 1  # 2024-07-01 00:00:00+08:00
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_OFFSET = 8 * 3600


def base_time(rng: random.Random) -> int:
    return rng.randint(BASE_START, BASE_END)


def china_time(epoch: int) -> datetime:
    return (_EPOCH + timedelta(seconds=epoch)).astimezone(CHINA)


def plain_time(epoch: int) -> str:
    """``2024-05-01 10:00:00`` (China time, no zone), as 公安 and 民政 write it."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch + _OFFSET))


def iso_time(epoch: int) -> str:
    """``2024-05-01T10:00:00+08:00``: fixed width and zone, so text order is time order."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(epoch + _OFFSET))


def iso_since(text: str) -> str:
    """An ISO 8601 instant as the ``iso_time`` text of the first whole second at or after
    it (a time without zone is China time). Raises ValueError for anything else."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    epoch = math.ceil((moment - _EPOCH).total_seconds())
    return iso_time(epoch)


def check_day(epoch: int) -> str:
    """The China date of an instant, ``2024-07-01``."""
    return china_time(epoch).date().isoformat()


class Clock:
    """The per-server clock for changes: each tick is one second after the previous."""

    def __init__(self, start: int = CLOCK_START) -> None:
        self._now = start - 1

    def tick(self) -> int:
        self._now += 1
        return self._now
