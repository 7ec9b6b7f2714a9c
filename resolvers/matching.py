"""Match a person against the residents without a resolution run.

Anyone who registers or looks up people may ask (not the admission gatekeeper, whose
work is tasks). Candidates outside the caller's scope are left out, so the answer
says no more than the caller could find by searching; the decision still counts them:
"review" with no visible candidate means the person probably lives elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from identity.incremental import Candidate
from identity.normalize import RawRecord
from resolvers.context import Context
from resolvers.errors import bad_input, not_found
from resolvers.identity import visible_resident
from store.base import Role

ASKERS = (Role.ADMIN, Role.STREET, Role.COMMUNITY, Role.GRID_WORKER, Role.DEPARTMENT)
MAX_FIELD = 200
SOURCE = "query"  # the source name a matched-but-unsaved record is given


@dataclass(frozen=True)
class Found:
    decision: str
    reason: str
    resident: Row[Any] | None  # the person to join or to decide about, if visible
    candidates: list[tuple[Candidate, Row[Any]]]  # visible candidates, strongest first


async def match_person(ctx: Context, fields: dict[str, str | None]) -> Found:
    ctx.require_role(*ASKERS)
    too_long = [name for name, value in fields.items() if value and len(value) > MAX_FIELD]
    if too_long:
        raise bad_input(f"Fields longer than {MAX_FIELD} characters: {', '.join(too_long)}")
    if not any(fields.values()):
        raise bad_input("Give at least one of the person's fields")
    if ctx.matchers is None:
        raise not_found("This server does not match persons")
    match = await ctx.matchers.match(RawRecord(source=SOURCE, source_id="-", **fields))
    if match is None:
        raise not_found("No resolution run has produced residents yet (run `yiwang resolve`)")
    ids = [int(c.person) for c in match.candidates]
    current = await ctx.matchers.survivors(ids) if ids else {}
    visible: list[tuple[Candidate, Row[Any]]] = []
    for candidate in match.candidates:
        row = await visible_resident(ctx, current.get(int(candidate.person)))
        if row is not None and all(row.id != seen.id for _, seen in visible):
            visible.append((candidate, row))
    chosen = None
    if match.person is not None:
        chosen = await visible_resident(ctx, current.get(int(match.person)))
    return Found(match.decision, match.reason, chosen, visible)
