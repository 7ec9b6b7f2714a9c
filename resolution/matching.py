"""Match one person against the store without a run: a cadre registering someone at a
service window, or a department record that arrived since the last ``yiwang resolve``.

The matcher (``identity.incremental.Matcher``) is built from the records of the last
successful run's residents and that run's model, once per run: a newer run is noticed
on the next match and the matcher rebuilt (off the event loop; seconds for a county).
Between runs it answers in milliseconds. Residents a person has since merged resolve
to their survivor.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.incremental import Match, Matcher
from identity.normalize import RawRecord
from identity.score import Model
from resolution.records import load_person_records
from store.models import IdentityRun, IdentityRunStatus, Resident


@dataclass(frozen=True)
class Built:
    run_id: int
    matcher: Matcher


class MatcherCache:
    """One matcher per process, rebuilt when a newer resolution run has succeeded."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._built: Built | None = None
        self._lock = asyncio.Lock()

    async def match(self, record: RawRecord) -> Match | None:
        """The record's candidates, or None when no run has resolved anyone yet."""
        matcher = await self._current()
        return None if matcher is None else matcher.match(record)

    async def survivors(self, residents: list[int]) -> dict[int, int]:
        """Each resident's current ID: itself, or the survivor it was merged into."""
        found: dict[int, int] = {}
        query = select(Resident.id, Resident.merged_into_id).where(Resident.id.in_(residents))
        async with self.engine.connect() as conn:
            for row in await conn.execute(query):
                found[row.id] = row.merged_into_id or row.id
        return found

    async def _current(self) -> Matcher | None:
        latest = await self._latest_run()
        if latest is None:
            return None
        async with self._lock:
            if self._built is None or self._built.run_id != latest:
                records, persons, model = await self._load(latest)
                if not records:
                    return None
                matcher = await asyncio.to_thread(Matcher, records, persons, model)
                self._built = Built(latest, matcher)
            return self._built.matcher

    async def _latest_run(self) -> int | None:
        succeeded = (IdentityRun.status == IdentityRunStatus.SUCCEEDED) & IdentityRun.model.is_not(
            None
        )
        async with self.engine.connect() as conn:
            latest = await conn.execute(select(func.max(IdentityRun.id)).where(succeeded))
            return latest.scalar()

    async def _load(self, run_id: int) -> tuple[list[RawRecord], list[str], Model]:
        async with self.engine.connect() as conn:
            model_json = (
                await conn.execute(select(IdentityRun.model).where(IdentityRun.id == run_id))
            ).scalar_one()
            records, owners = await load_person_records(conn, assigned_only=True)
        assert model_json is not None  # _latest_run picked a run with a model
        raws = [record.raw() for record in records]
        return raws, [str(owner) for owner in owners], Model.from_json(model_json)
