"""Resident queries: filtered keyset pages, counts, batched lookups by id."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import Gender
from store.models import Grid, Resident, ResidentTag
from store.repositories.paging import Page, fetch_page
from store.repositories.scope import grid_in_subtree
from store.text import name_keys

_ID_TAIL = re.compile(r"^\d{2,17}[0-9Xx]?$")
_LATIN = re.compile(r"^[A-Za-z]+$")


@dataclass(frozen=True)
class ResidentFilter:
    path: str | None = None  # grid subtree (already intersected with the caller's scope)
    tag: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    gender: Gender | None = None
    search: str | None = None
    household_id: int | None = None


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def active() -> ColumnElement[bool]:
    """Not merged into another resident."""
    return Resident.merged_into_id.is_(None)


def search_condition(text: str) -> ColumnElement[bool]:
    """Digits match the tail of an ID number or phone; Latin letters a pinyin or initials
    prefix; anything else a part of the name, or the same full pinyin (homophones)."""
    text = text.strip()
    if _ID_TAIL.match(text):
        tail = "%" + _like_escape(text.upper())
        return or_(
            Resident.id_number.like(tail, escape="\\"), Resident.phone.like(tail, escape="\\")
        )
    if _LATIN.match(text):
        prefix = _like_escape(text.lower()) + "%"
        return or_(
            Resident.name_pinyin.like(prefix, escape="\\"),
            Resident.name_initials.like(prefix, escape="\\"),
        )
    compact = "".join(text.split())
    condition = Resident.name.like("%" + _like_escape(compact) + "%", escape="\\")
    pinyin, _ = name_keys(compact)
    return or_(condition, Resident.name_pinyin == pinyin) if pinyin else condition


def filtered(query: Select[Any], flt: ResidentFilter, today: date) -> Select[Any]:
    """Lists show survivors only: a merged resident is reached by its ID, not listed."""
    query = query.where(grid_in_subtree(Resident.grid_id, flt.path), active())
    if flt.tag is not None:
        tagged = select(ResidentTag.resident_id).where(ResidentTag.tag == flt.tag)
        query = query.where(Resident.id.in_(tagged))
    if flt.age_min is not None:
        query = query.where(Resident.birth_date <= _years_before(today, flt.age_min))
    if flt.age_max is not None:
        query = query.where(Resident.birth_date > _years_before(today, flt.age_max + 1))
    if flt.gender is not None:
        query = query.where(Resident.gender == flt.gender)
    if flt.search:
        query = query.where(search_condition(flt.search))
    if flt.household_id is not None:
        query = query.where(Resident.household_id == flt.household_id)
    return query


async def page(
    conn: AsyncConnection, flt: ResidentFilter, first: int, after: int | None, today: date
) -> Page:
    query = filtered(select(*Resident.__table__.columns), flt, today)
    return await fetch_page(conn, query, Resident.id, first, after)


async def count(conn: AsyncConnection, flt: ResidentFilter, today: date) -> int:
    query = filtered(select(func.count()).select_from(Resident), flt, today)
    return int((await conn.execute(query)).scalar_one())


async def by_ids(conn: AsyncConnection, ids: Sequence[int]) -> list[Row[Any]]:
    result = await conn.execute(select(*Resident.__table__.columns).where(Resident.id.in_(ids)))
    return list(result.all())


async def paths_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, str | None]:
    """The grid path of each resident, for scope checks on direct lookups."""
    query = select(Resident.id, Grid.path).join(Grid, Grid.id == Resident.grid_id)
    result = await conn.execute(query.where(Resident.id.in_(ids)))
    return {row.id: row.path for row in result}


async def tags_by_resident(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, list[str]]:
    query = select(ResidentTag.resident_id, ResidentTag.tag).where(ResidentTag.resident_id.in_(ids))
    tags: dict[int, list[str]] = {}
    for row in await conn.execute(query.order_by(ResidentTag.resident_id, ResidentTag.tag)):
        tags.setdefault(row.resident_id, []).append(row.tag)
    return tags
