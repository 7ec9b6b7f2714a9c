"""Plan the residents of a run: per cluster its records, its owner, its golden record
and its grid, and whether anything about it changed since the last run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from identity.names import parse_name
from identity.stable import NEW, Assignment
from identity.survive import CadreValue, Golden, SourceValues, survive
from resolution.grids import GridLocator
from resolution.records import StoredRecord
from store.text import name_keys

UNNAMED = "（未具名）"  # a person no record names; the column cannot be empty
_LIMITS = {"id_number": 18, "phone": 32, "residence_address": 200, "registered_address": 200}


@dataclass
class PersonPlan:
    label: int
    owner: int  # resident ID, or NEW until inserted
    records: list[int]  # positions into the run's records
    golden: Golden
    row: dict[str, Any]  # the resident's columns
    membership_changed: bool  # records joined or left since the last run


def plan_persons(
    records: Sequence[StoredRecord],
    labels: NDArray[np.int64],
    previous: NDArray[np.int64],
    assignment: Assignment,
    cadre: Mapping[int, Mapping[str, CadreValue]],
    locator: GridLocator,
) -> list[PersonPlan]:
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    groups = np.split(order, bounds) if len(order) else []
    before = np.bincount(previous[previous >= 0]) if (previous >= 0).any() else np.zeros(0)
    plans: list[PersonPlan] = []
    for members in groups:
        positions = members.tolist()
        label = int(labels[positions[0]])
        owner = assignment.owner[label]
        views = [_view(records[p]) for p in positions]
        golden = survive(views, cadre.get(owner) if owner != NEW else None)
        unchanged = owner != NEW and bool(
            (previous[members] == owner).all() and before[owner] == len(positions)
        )
        plans.append(
            PersonPlan(
                label=label,
                owner=owner,
                records=positions,
                golden=golden,
                row=resident_row(golden, locator),
                membership_changed=not unchanged,
            )
        )
    return plans


def resident_row(golden: Golden, locator: GridLocator) -> dict[str, Any]:
    values = golden.values
    name = values.get("name") or UNNAMED
    pinyin, initials = _search_keys(name)
    row: dict[str, Any] = {
        "name": name[:64],
        "name_pinyin": pinyin[:128],
        "name_initials": initials[:32],
        "gender": str(values.get("gender") or "unknown"),
        "birth_date": values["birth_date"] if isinstance(values.get("birth_date"), date) else None,
        "provenance": golden.provenance,
    }
    for field, limit in _LIMITS.items():
        value = values.get(field)
        row[field] = value[:limit] if isinstance(value, str) and len(value) <= limit * 4 else None
    if row["id_number"] is not None and len(str(values.get("id_number"))) > 18:
        row["id_number"] = None  # unusable, and kept in full in its source record
    grid = locator.locate(values.get("residence_address"))
    grid = grid or locator.locate(values.get("registered_address"))
    row["grid_id"] = grid or locator.root
    return row


def _search_keys(name: str) -> tuple[str, str]:
    """Toneless pinyin and initials for search; the normaliser already read the name
    (with surname readings: 单 as shan), so its reading is reused when there is one."""
    parsed, _ = parse_name(name)
    if parsed is not None and parsed.initials:
        return parsed.pinyin.replace(" ", ""), parsed.initials
    return name_keys(name)


def _view(record: StoredRecord) -> SourceValues:
    return SourceValues(record.source, record.source_id, record.fetched_at, record.values)
