"""Write what explains a run: each person's joining pairs and the pairs to review.

A person's explanation (``match_edge``) is rewritten only when its records changed.
Review pairs keep their row, and their decision, from run to run: an open pair is
refreshed with this run's score, a decided one is left as decided, and an open pair
this run no longer doubts (now linked, or now clearly apart) is withdrawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.pipeline import Resolution
from identity.review import Contribution, explain
from identity.settings import Settings
from identity.spanning import spanning_edges
from resolution.persons import PersonPlan
from resolution.records import StoredRecord
from resolution.sql import chunks, in_batches, table_of
from store.models import MatchEdge, ReviewPair, ReviewStatus


def explanation_json(contributions: Sequence[Contribution]) -> list[list[Any]]:
    return [[c.comparison, c.level, round(float(c.weight), 3)] for c in contributions]


async def write_edges(
    conn: AsyncConnection,
    resolution: Resolution,
    settings: Settings,
    records: Sequence[StoredRecord],
    plans: list[PersonPlan],
    stale: Sequence[int],
    must_link: Sequence[tuple[int, int]],
) -> int:
    """Rewrite the explanations of persons whose records changed (and drop those of
    ``stale`` residents, merged away); returns the number of edges written."""
    touched = [plan for plan in plans if plan.membership_changed]
    for chunk in chunks([plan.owner for plan in touched] + list(stale)):
        await conn.execute(delete(MatchEdge).where(MatchEdge.resident_id.in_(chunk)))
    if not touched or resolution.frame is None or resolution.levels is None:
        return 0
    owner_of = np.full(len(records), -1, dtype=np.int64)
    for plan in touched:
        owner_of[plan.records] = plan.owner
    candidates = resolution.candidates
    edges = spanning_edges(
        resolution.labels, candidates.left, candidates.right, resolution.probabilities,
        settings.link_threshold, must_link,
    )  # fmt: skip
    pairs = edges.pairs[owner_of[candidates.left[edges.pairs]] >= 0]
    left, right = candidates.left[pairs], candidates.right[pairs]
    explained = explain(
        resolution.model, settings.comparisons, resolution.frame, left, right,
        resolution.levels[pairs],
    )  # fmt: skip
    weights = [sum(c.weight for c in contributions) for contributions in explained]
    rows = [
        {
            "resident_id": int(owner_of[a]),
            "left_record_id": records[a].id,
            "right_record_id": records[b].id,
            "probability": float(resolution.probabilities[p]),
            "match_weight": round(float(w), 3),
            "explanation": explanation_json(e),
            "manual": False,
        }
        for p, a, b, w, e in zip(
            pairs.tolist(), left.tolist(), right.tolist(), weights, explained, strict=True
        )
    ]
    rows += [
        {
            "resident_id": int(owner_of[a]), "left_record_id": records[a].id,
            "right_record_id": records[b].id, "probability": 1.0, "match_weight": 0.0,
            "explanation": [], "manual": True,
        }
        for a, b in edges.manual
        if owner_of[a] >= 0
    ]  # fmt: skip
    await in_batches(conn, insert(MatchEdge), rows)
    return len(rows)


async def write_review(
    conn: AsyncConnection, run_id: int, resolution: Resolution, records: Sequence[StoredRecord]
) -> int:
    """Refresh the review queue; returns the number of open pairs."""
    items: dict[tuple[int, int], dict[str, Any]] = {}
    for item in resolution.review:
        a, b = sorted((records[item.left_index].id, records[item.right_index].id))
        items[(a, b)] = {
            "run_id": run_id,
            "probability": item.probability,
            "match_weight": item.match_weight,
            "reason": item.reason[:64],
            "explanation": explanation_json(item.explanation),
        }
    existing = {
        (row.left_record_id, row.right_record_id): (row.id, row.status)
        for row in await conn.execute(
            select(ReviewPair.id, ReviewPair.left_record_id, ReviewPair.right_record_id,
                   ReviewPair.status)
        )
    }  # fmt: skip
    table = table_of(ReviewPair)
    withdrawn = [
        pair_id
        for key, (pair_id, status) in existing.items()
        if status is ReviewStatus.OPEN and key not in items
    ]
    for chunk in chunks(withdrawn):
        await conn.execute(delete(table).where(table.c.id.in_(chunk)))
    refresh = [
        {"b_id": existing[key][0], **{f"v_{k}": v for k, v in values.items()}}
        for key, values in items.items()
        if key in existing and existing[key][1] is ReviewStatus.OPEN
    ]
    if refresh:
        columns: dict[str, Any] = {k: bindparam(f"v_{k}") for k in next(iter(items.values()))}
        statement = table.update().where(table.c.id == bindparam("b_id")).values(**columns)
        await in_batches(conn, statement, refresh)
    fresh = [
        {"left_record_id": a, "right_record_id": b, "status": ReviewStatus.OPEN, **values}
        for (a, b), values in items.items()
        if (a, b) not in existing
    ]
    await in_batches(conn, insert(ReviewPair), fresh)
    return len(refresh) + len(fresh)
