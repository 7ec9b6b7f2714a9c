"""Identity resolvers: why a resident's records are one person, the review queue, and
people's decisions (merge, split, review answers, entered values).

Deciding is grid work: cadres of the street, community and grid, and admins, each
within their scope (every resident a decision touches must lie in it). Departments
and gatekeepers read but do not decide.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Row

from resolution.manual import (
    DecisionError,
    NotFoundError,
    decide_review,
    merge_residents,
    set_resident_value,
    split_resident,
)
from resolvers import residents
from resolvers.context import Context
from resolvers.errors import bad_input, forbidden, not_found
from resolvers.ids import page_size, parse_cursor, parse_global_id
from resolvers.pages import PageResult
from store.base import Role
from store.models import ReviewStatus
from store.repositories import identity
from store.repositories.identity import ReviewFilter

DECIDERS = (Role.ADMIN, Role.STREET, Role.COMMUNITY, Role.GRID_WORKER)
MAX_EVENTS = 100

Records = dict[int, Row[Any]]


def summary(explanation: Sequence[Sequence[Any]]) -> str:
    """One line a cadre reads: the comparisons that said something, strongest first."""
    said = [(str(c), str(level), float(w)) for c, level, w in explanation if level != "null"]
    if not said:
        return "joined by a person's decision" if not explanation else "no evidence either way"
    said.sort(key=lambda item: -abs(item[2]))
    return ", ".join(f"{c} {level.replace('_', ' ')} {w:+.1f}" for c, level, w in said)


async def match_explanation(ctx: Context, row: Row[Any]) -> list[tuple[Row[Any], Records]]:
    """The resident's edges, each with the records it joins (its own records)."""
    edges = await ctx.loaders.resident_edges.load(row.id)
    records = {r.id: r for r in await ctx.loaders.resident_sources.load(row.id)}
    missing = {e.left_record_id for e in edges} | {e.right_record_id for e in edges}
    if missing - records.keys():
        records.update(await ctx.read(identity.records_by_ids, list(missing - records.keys())))
    return [(edge, records) for edge in edges]


async def events(ctx: Context, row: Row[Any], first: int) -> list[Row[Any]]:
    if not 0 <= first <= MAX_EVENTS:
        raise bad_input(f"'first' must be between 0 and {MAX_EVENTS}, got {first}")
    return await ctx.read(identity.events_of, row.id, first)


async def visible_resident(ctx: Context, pk: int | None) -> Row[Any] | None:
    """A related resident, or None when there is none or it lies outside the scope."""
    if pk is None:
        return None
    row = await ctx.loaders.resident.load(pk)
    visible = row is not None and await ctx.in_scope(await ctx.loaders.resident_path.load(pk))
    return row if visible else None


async def review_queue(
    ctx: Context, status: ReviewStatus, first: int | None, after: str | None
) -> tuple[PageResult, Records]:
    """Pairs whose two residents lie in the caller's scope (admins: all pairs)."""
    principal = ctx.caller()
    size, after_pk = page_size(first, ctx.max_page_size), parse_cursor(after)
    path = None if principal.role is Role.ADMIN else await ctx.scope()
    flt = ReviewFilter(status=status, path=path)
    page = await ctx.read(identity.review_page, flt, size, after_pk)
    ids = [i for pair in page.rows for i in (pair.left_record_id, pair.right_record_id)]
    records = await ctx.read(identity.records_by_ids, ids) if ids else {}
    result = PageResult.of(page, after_pk, lambda: ctx.read(identity.review_count, flt))
    return result, records


async def merge(ctx: Context, survivor: str, merged: str, reason: str) -> list[Row[Any]]:
    principal = ctx.require_role(*DECIDERS)
    keep, gone = await _resident(ctx, survivor), await _resident(ctx, merged)
    with _decision_errors():
        await merge_residents(ctx.engine, keep.id, gone.id, principal.subject, reason)
    return await _fresh(ctx, keep.id, gone.id)


async def split(ctx: Context, resident: str, records: list[str], reason: str) -> list[Row[Any]]:
    principal = ctx.require_role(*DECIDERS)
    row = await _resident(ctx, resident)
    ids = [parse_global_id(record, "SourceRecord")[1] for record in records]
    with _decision_errors():
        new = await split_resident(ctx.engine, row.id, ids, principal.subject, reason)
    return await _fresh(ctx, row.id, new)


async def decide(
    ctx: Context, review: int, same: bool, reason: str
) -> tuple[Row[Any], Records, list[Row[Any]]]:
    """The decided pair, its records, and the residents the answer touched."""
    principal = ctx.require_role(*DECIDERS)
    await _pair_in_scope(ctx, review)
    with _decision_errors():
        outcome = await decide_review(ctx.engine, review, same, principal.subject, reason)
    decided = await ctx.read(identity.review_by_id, review)
    if decided is None:
        raise not_found(f"No review pair {review}")
    ids = [decided.left_record_id, decided.right_record_id]
    records = await ctx.read(identity.records_by_ids, ids)
    return decided, records, await _fresh(ctx, *outcome.residents)


async def set_value(ctx: Context, resident: str, field: str, value: str | None) -> Row[Any]:
    principal = ctx.require_role(*DECIDERS)
    row = await _resident(ctx, resident)
    with _decision_errors():
        await set_resident_value(ctx.engine, row.id, field, value, principal.subject)
    return (await _fresh(ctx, row.id))[0]


async def _pair_in_scope(ctx: Context, review: int) -> None:
    """Both records' residents must lie in the scope; a record no run has placed yet
    only an admin may decide about."""
    pair = await ctx.read(identity.review_by_id, review)
    if pair is None:
        raise not_found(f"No review pair {review}")
    for owner in (pair.left_resident_id, pair.right_resident_id):
        if owner is not None:
            await residents.by_pk(ctx, owner)
        elif ctx.caller().role is not Role.ADMIN:
            raise forbidden("A record of this pair belongs to no resident yet")


async def _resident(ctx: Context, id: str) -> Row[Any]:
    return await residents.by_pk(ctx, parse_global_id(id, "Resident")[1])


async def _fresh(ctx: Context, *ids: int) -> list[Row[Any]]:
    """Residents as the decision left them (this request's loaders cached them before)."""
    loaders = ctx.loaders
    for loader in (loaders.resident, loaders.resident_path, loaders.resident_sources,
                   loaders.resident_tags):  # fmt: skip
        loader.clear_all()
    rows = await loaders.resident.load_many(ids)
    return [row for row in rows if row is not None]


@contextmanager
def _decision_errors() -> Iterator[None]:
    try:
        yield
    except NotFoundError as error:
        raise not_found(str(error)) from None
    except DecisionError as error:
        raise bad_input(str(error)) from None
