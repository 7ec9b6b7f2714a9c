"""Stage 7: households (户) from persons, with a head, relations and one address.

Persons are grouped by ``cluster.group_households`` (a household number shared within
one department, or a dwelling and phone shared). Each group then gets what a cadre
expects of a 户: a number (the registration authority's 户号 when a member has one,
else another department's own number, marked with its source), a head (the member
whose surviving relation is 户主; failing that the eldest, marked as inferred), each
member's relation to the head, and the registered address (户籍地址) of the head.
Where a member lives is the member's own residence address: a resident registered in
one household but living elsewhere (人户分离) keeps both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

HEAD_RELATIONS = ("户主", "本人")
REGISTRATION_SOURCES = ("ga",)  # whose household numbers are the 户号


@dataclass(frozen=True)
class HouseholdPlan:
    members: tuple[int, ...]  # person labels
    head: int
    head_inferred: bool
    relations: dict[int, str]  # person label -> relation to the head
    number: str | None  # None: the caller names it
    address: str | None


def plan_households(
    groups: Mapping[int, Sequence[int]],
    golden: Mapping[int, Mapping[str, Any]],
    keys: Mapping[int, Sequence[tuple[str, str]]],
) -> dict[int, HouseholdPlan]:
    """``groups``: household label -> person labels; ``golden``: person label -> its
    golden values; ``keys``: person label -> its records' (source, household key)."""
    plans: dict[int, HouseholdPlan] = {}
    for label, members in groups.items():
        ordered = tuple(sorted(members))
        heads = [p for p in ordered if golden[p].get("relation") in HEAD_RELATIONS]
        head = heads[0] if heads else min(ordered, key=lambda p: _age_key(golden[p]))
        relations = {
            p: ("户主" if p == head else str(golden[p].get("relation") or "未知")) for p in ordered
        }
        address = golden[head].get("registered_address") or _common(
            golden[p].get("registered_address") for p in ordered
        )
        plans[label] = HouseholdPlan(
            members=ordered,
            head=head,
            head_inferred=not heads,
            relations=relations,
            number=_number([key for p in ordered for key in keys.get(p, ())]),
            address=address or golden[head].get("residence_address"),
        )
    return plans


def _age_key(values: Mapping[str, Any]) -> tuple[date, str]:
    born = values.get("birth_date")
    return (born if isinstance(born, date) else date.max, str(values.get("name") or ""))


def _number(keys: Sequence[tuple[str, str]]) -> str | None:
    registered = [key for source, key in keys if source in REGISTRATION_SOURCES and key]
    if registered:
        return _common(registered)
    others = sorted(f"{source}:{key}" for source, key in keys if key)
    return others[0] if others else None


def _common(values: Any) -> Any:
    counted = Counter(value for value in values if value)
    if not counted:
        return None
    return min(counted, key=lambda value: (-counted[value], str(value)))
