"""Malformed records: chosen by primary key, so the same ones every time at a given rate.

A record's share is a hash of (seed, resource, primary key) in [0, 1); it is malformed
when that share is below ``malformed_rate``, so raising the rate only adds records. The
kind of damage is fixed by the hash too: a wrong JSON type (an object where the contract
has a string, a string where it has a number), a missing primary key, or an impossible
date (30 February).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from connectors.simulators.records import Record

WRONG_TYPE, MISSING_KEY, IMPOSSIBLE_DATE = "wrong_type", "missing_key", "impossible_date"
KINDS = (WRONG_TYPE, MISSING_KEY, IMPOSSIBLE_DATE)


def _code_table(value: Any) -> dict[str, str]:
    """A gender as some Java back ends serialise a code-table entry: 代码 (dm) and 名称 (mc)."""
    code = {"1": "1", "2": "2", "男": "1", "女": "2", "M": "1", "F": "2"}.get(str(value), "0")
    return {"dm": code, "mc": {"1": "男", "2": "女"}.get(code, "未知")}


def _rs_text(value: Any) -> str:
    return f"{value}人"


def _compact_feb30(value: str) -> str:  # 19540523 -> 19540230
    return value[:4] + "0230"


def _plain_feb30(value: str) -> str:  # 2024-05-01 10:00:00 -> 2024-02-30 10:00:00
    return value[:4] + "-02-30" + value[10:]


# resource -> (field given a wrong JSON type, how), (field given an impossible date, how)
_DAMAGE: dict[str, tuple[tuple[str, Callable[[Any], Any]], tuple[str, Callable[[str], str]]]] = {
    "persons": (("xb", _code_table), ("csrq", _compact_feb30)),
    "households": (("rs", _rs_text), ("gxsj", _plain_feb30)),
    "jzxx": (("xb", _code_table), ("csrq", lambda v: f"{v[:4]}-02-30")),
    "residents": (("sex", _code_table), ("birthDate", _plain_feb30)),
}


def share(seed: int, resource: str, key: str) -> tuple[float, str]:
    """The record's position in [0, 1) and the kind of damage it gets when malformed."""
    digest = hashlib.blake2b(f"{seed}:{resource}:{key}".encode(), digest_size=9).digest()
    return int.from_bytes(digest[:8], "big") / 2**64, KINDS[digest[8] % len(KINDS)]


def is_malformed(seed: int, resource: str, key: str, rate: float) -> bool:
    return rate > 0 and share(seed, resource, key)[0] < rate


def malform(seed: int, resource: str, primary_key: str, record: Record) -> Record:
    """A damaged copy of the record (the stored record is left intact)."""
    _, kind = share(seed, resource, str(record[primary_key]))
    damaged = dict(record)
    wrong_type, bad_date = _DAMAGE[resource]
    if kind == MISSING_KEY:
        del damaged[primary_key]
    elif kind == WRONG_TYPE:
        name, change = wrong_type
        damaged[name] = change(damaged[name])
    else:
        name, spoil = bad_date
        damaged[name] = spoil(str(damaged[name]))
    return damaged
