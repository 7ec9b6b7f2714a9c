"""One resolution run against the store, recorded as an ``identity_run``.

Read the person records, the people's decisions and the last model; resolve; match
the clusters to the residents of the last run; survive a golden record per person;
write residents, records' assignments, households, explanations and the review queue
in one transaction, so a failed run leaves the last good state whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.pipeline import Resolution, resolve
from identity.score import Model
from identity.settings import Settings
from identity.stable import assign
from resolution.explain import write_edges, write_review
from resolution.grids import load_locator
from resolution.households import write_households
from resolution.persons import plan_persons
from resolution.records import Inputs, load_inputs
from resolution.write import reassign_records, write_residents
from store.models import IdentityRun, IdentityRunStatus

Progress = Callable[[str, int, int], None]


@dataclass
class ResolveSummary:
    run_id: int
    records: int = 0
    persons: int = 0
    households: int = 0
    created: int = 0
    merged: int = 0
    split: int = 0
    retired: int = 0
    changed: int = 0  # residents written (new or with a changed golden record)
    records_moved: int = 0
    review_items: int = 0
    retrained: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


async def resolve_store(
    engine: AsyncEngine,
    settings: Settings | None = None,
    *,
    retrain: bool = False,
    progress: Progress | None = None,
) -> ResolveSummary:
    settings = settings or Settings()
    report = progress or (lambda stage, done, total: None)
    async with engine.begin() as conn:
        started = insert(IdentityRun).values(status=IdentityRunStatus.RUNNING)
        key = (await conn.execute(started)).inserted_primary_key
        assert key is not None
        run_id = int(key[0])
    summary = ResolveSummary(run_id)
    try:
        await _run(engine, settings, retrain, report, summary)
    except Exception as error:
        await _finish(engine, run_id, IdentityRunStatus.FAILED, error=repr(error)[:2000])
        raise
    return summary


async def _run(
    engine: AsyncEngine,
    settings: Settings,
    retrain: bool,
    report: Progress,
    summary: ResolveSummary,
) -> None:
    clock = time.perf_counter()
    report("load", 0, 1)
    async with engine.connect() as conn:
        inputs = await load_inputs(conn)
        locator = await load_locator(conn)
    summary.records = len(inputs.records)
    summary.seconds["load"] = round(time.perf_counter() - clock, 3)
    if not inputs.records:
        await _finish(engine, summary.run_id, IdentityRunStatus.SUCCEEDED, summary=summary)
        return
    model = None if retrain else _reusable(inputs.model, settings)
    summary.retrained = model is None
    resolution = resolve(
        [record.raw() for record in inputs.records], settings, model,
        must_link=inputs.must_link, cannot_link=inputs.cannot_link, progress=report,
    )  # fmt: skip
    summary.seconds.update(resolution.stats.seconds)
    clock = time.perf_counter()
    report("write", 0, 1)
    assignment = assign(resolution.labels, inputs.previous, inputs.earlier)
    plans = plan_persons(
        inputs.records, resolution.labels, inputs.previous, assignment, inputs.cadre, locator
    )
    async with engine.begin() as conn:
        written = await write_residents(conn, summary.run_id, plans, assignment)
        summary.records_moved = await reassign_records(conn, inputs.records, inputs.previous, plans)
        summary.households = await write_households(
            conn, plans, resolution.household_labels.tolist(), inputs.records, locator
        )
        absorbed = [gone for _, gone in assignment.merged]
        await write_edges(
            conn, resolution, settings, inputs.records, plans, absorbed, _must(inputs)
        )
        summary.review_items = await write_review(conn, summary.run_id, resolution, inputs.records)
    summary.seconds["write"] = round(time.perf_counter() - clock, 3)
    report("write", 1, 1)
    summary.persons = len(plans)
    summary.created = len(assignment.created)
    summary.merged = len(assignment.merged)
    summary.split = len(assignment.split)
    summary.retired = len(assignment.retired)
    summary.changed = len(written)
    await _finish(engine, summary.run_id, IdentityRunStatus.SUCCEEDED, resolution, summary)


def _reusable(model_json: str | None, settings: Settings) -> Model | None:
    """The last run's model, unless there is none or it no longer fits the settings."""
    if model_json is None:
        return None
    try:
        model = Model.from_json(model_json)
        model.check(settings.comparisons)
    except ValueError:
        return None
    return model


def _must(inputs: Inputs) -> list[tuple[int, int]]:
    position = {(r.source, r.source_id): index for index, r in enumerate(inputs.records)}
    return [
        (position[a], position[b]) for a, b in inputs.must_link if a in position and b in position
    ]


async def _finish(
    engine: AsyncEngine,
    run_id: int,
    status: IdentityRunStatus,
    resolution: Resolution | None = None,
    summary: ResolveSummary | None = None,
    error: str | None = None,
) -> None:
    values: dict[str, Any] = {"status": status, "finished_at": datetime.now(UTC), "error": error}
    if summary is not None:
        counted = ("records", "persons", "households", "created", "merged", "split", "retired")
        values.update({name: getattr(summary, name) for name in counted})
        values.update(changed=summary.changed, review_items=summary.review_items)
        values["stats"] = {"seconds": summary.seconds, "records_moved": summary.records_moved}
    if resolution is not None:
        values["model"] = resolution.model.to_json()
    async with engine.begin() as conn:
        await conn.execute(update(IdentityRun).where(IdentityRun.id == run_id).values(**values))
