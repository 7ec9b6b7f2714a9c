"""Fill an empty, migrated store with the synthetic Jingmen demo population.

Rows go in with core ``insert()`` executemany batches and primary keys assigned here, so
nothing round-trips per row and memory stays bounded at a million residents. Afterwards
PostgreSQL sequences are moved past the explicit ids and both backends get ANALYZE.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from population import (
    DEPARTMENTS,
    REFERENCE_DATE,
    TASK_TITLES,
    generate_grids,
    generate_population,
)
from population.addresses import grid_covers
from population.grids import GridSpec, grid_path
from store.base import Base, GridLevel, Role, TaskStatus
from store.models import (
    Department,
    Grid,
    Household,
    HouseholdMember,
    Resident,
    ResidentTag,
    Task,
    User,
)
from store.text import name_keys

BATCH_SIZE = 5_000  # residents per executemany batch (and transaction)
DEMO_COMMUNITY = "七一桥社区"
_TASK_STATUSES = (
    (TaskStatus.SUBMITTED, 15),
    (TaskStatus.ADMITTED, 20),
    (TaskStatus.REJECTED, 10),
    (TaskStatus.IN_PROGRESS, 25),
    (TaskStatus.DONE, 30),
)
_SEQUENCED_TABLES = (
    "department",
    "grid",
    "household",
    "resident",
    "household_member",
    "task",
    "app_user",
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role
    scope: GridLevel  # the demo community's grid, community, street, or the whole city
    department_code: str | None = None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("grid_worker", "七一桥社区第1网格网格员", Role.GRID_WORKER, GridLevel.GRID),
    DemoUser("community", "七一桥社区两委", Role.COMMUNITY, GridLevel.COMMUNITY),
    DemoUser("street", "龙泉街道办事处", Role.STREET, GridLevel.STREET),
    DemoUser("department", "民政局业务员", Role.DEPARTMENT, GridLevel.CITY, "mz"),
    DemoUser("gatekeeper", "市委组织部准入审核员", Role.GATEKEEPER, GridLevel.CITY),
    DemoUser("admin", "系统管理员", Role.ADMIN, GridLevel.CITY),
)


@dataclass
class SeedSummary:
    departments: int = 0
    grids: int = 0
    households: int = 0
    residents: int = 0
    tags: int = 0
    tasks: int = 0
    users: int = 0


class StoreNotEmptyError(RuntimeError):
    """The demo population only goes into an empty store (its ids are assigned up front)."""


async def store_is_empty(engine: AsyncEngine) -> bool:
    """True when no department, grid, household, resident, task or user exists yet."""
    async with engine.connect() as conn:
        for model in (Department, Grid, Household, Resident, Task, User):
            if (await conn.execute(select(model.id).limit(1))).first() is not None:
                return False
    return True


async def seed_demo(
    engine: AsyncEngine,
    residents: int = 20_000,
    seed: int = 42,
    progress: bool = False,
    people: bool = True,
) -> SeedSummary:
    """Insert departments, the grid tree, ``residents`` people in households, tags, tasks
    and one user per role. Deterministic for a given (residents, seed). Without
    ``people`` the residents and households are left to come from the department
    platforms, through the connectors and identity resolution."""
    if not await store_is_empty(engine):
        raise StoreNotEmptyError("seed_demo needs an empty store; this one already has data")
    summary = SeedSummary()
    grids = generate_grids()
    grid_ids = {spec.code: index for index, spec in enumerate(grids, start=1)}
    department_ids = {code: index for index, (code, _) in enumerate(DEPARTMENTS, start=1)}
    async with engine.begin() as conn:
        summary.departments = await _insert(conn, Department, _department_rows())
        summary.grids = await _insert(conn, Grid, _grid_rows(grids, grid_ids))
    if people:
        with _progress_bar(progress, residents) as advance:
            await _seed_people(engine, residents, seed, grid_ids, summary, advance)
    async with engine.begin() as conn:
        summary.tasks = await _insert(conn, Task, _task_rows(grids, grid_ids, department_ids, seed))
        summary.users = await _insert(conn, User, _user_rows(grids, grid_ids, department_ids))
        if conn.dialect.name == "postgresql":
            await _advance_sequences(conn)
        await conn.execute(text("ANALYZE"))
    return summary


async def _insert(conn: AsyncConnection, model: type[Base], rows: Sequence[dict[str, Any]]) -> int:
    if rows:
        await conn.execute(insert(model), list(rows))
    return len(rows)


def _department_rows() -> list[dict[str, Any]]:
    return [
        {"id": index, "code": code, "name": name}
        for index, (code, name) in enumerate(DEPARTMENTS, start=1)
    ]


def _grid_rows(grids: list[GridSpec], grid_ids: dict[str, int]) -> list[dict[str, Any]]:
    by_code = {spec.code: spec for spec in grids}
    return [
        {
            "id": grid_ids[spec.code],
            "code": spec.code,
            "name": spec.name,
            "level": spec.level,
            "parent_id": grid_ids[spec.parent_code] if spec.parent_code else None,
            "path": grid_path(spec, by_code),
            "covers": grid_covers(spec),
        }
        for spec in grids
    ]


async def _seed_people(
    engine: AsyncEngine,
    residents: int,
    seed: int,
    grid_ids: dict[str, int],
    summary: SeedSummary,
    advance: Callable[[int], None],
) -> None:
    households: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    for household, persons in generate_population(residents, seed):
        summary.households += 1
        household_id = summary.households
        grid_id = grid_ids[household.grid_code]
        households.append(
            {
                "id": household_id,
                "number": household.number,
                "address": household.address,
                "grid_id": grid_id,
                "version": 1,
            }
        )
        for person in persons:
            summary.residents += 1
            resident_id = summary.residents
            pinyin, initials = name_keys(person.name)
            people.append(
                {
                    "id": resident_id,
                    "name": person.name,
                    "name_pinyin": pinyin,
                    "name_initials": initials,
                    "id_number": person.id_number,
                    "gender": person.gender,
                    "birth_date": person.birth_date,
                    "phone": person.phone,
                    "residence_address": person.residence_address,
                    "registered_address": person.registered_address,
                    "grid_id": grid_id,
                    "household_id": household_id,
                    "version": 1,
                }
            )
            members.append(
                {
                    "id": resident_id,
                    "household_id": household_id,
                    "resident_id": resident_id,
                    "relation": person.relation,
                }
            )
            tags.extend({"resident_id": resident_id, "tag": tag} for tag in person.tags)
        if len(people) >= BATCH_SIZE:
            summary.tags += await _flush(engine, households, people, members, tags)
            advance(len(people))
            households, people, members, tags = [], [], [], []
    summary.tags += await _flush(engine, households, people, members, tags)
    advance(len(people))


async def _flush(
    engine: AsyncEngine,
    households: list[dict[str, Any]],
    people: list[dict[str, Any]],
    members: list[dict[str, Any]],
    tags: list[dict[str, Any]],
) -> int:
    async with engine.begin() as conn:
        await _insert(conn, Household, households)
        await _insert(conn, Resident, people)
        await _insert(conn, HouseholdMember, members)
        return await _insert(conn, ResidentTag, tags)


def _task_rows(
    grids: list[GridSpec], grid_ids: dict[str, int], department_ids: dict[str, int], seed: int
) -> list[dict[str, Any]]:
    rng = random.Random(f"yiwang-demo-tasks-{seed}")
    statuses = [status for status, _ in _TASK_STATUSES]
    weights = [weight for _, weight in _TASK_STATUSES]
    rows: list[dict[str, Any]] = []
    for spec in grids:
        if spec.level is not GridLevel.COMMUNITY:
            continue
        for _ in range(rng.randint(4, 6)):
            code, _name = DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]
            titles = TASK_TITLES[code]
            status = rng.choices(statuses, weights)[0]
            due = REFERENCE_DATE + timedelta(days=rng.randint(-60, 90))
            rows.append(
                {
                    "id": len(rows) + 1,
                    "title": titles[rng.randrange(len(titles))],
                    "department_id": department_ids[code],
                    "community_id": grid_ids[spec.code],
                    "status": status,
                    "due_date": due,
                }
            )
    return rows


def _user_rows(
    grids: list[GridSpec], grid_ids: dict[str, int], department_ids: dict[str, int]
) -> list[dict[str, Any]]:
    community = next(spec for spec in grids if spec.name == DEMO_COMMUNITY)
    street = next(spec for spec in grids if spec.code == community.parent_code)
    scope = {
        GridLevel.GRID: next(spec.code for spec in grids if spec.parent_code == community.code),
        GridLevel.COMMUNITY: community.code,
        GridLevel.STREET: street.code,
        GridLevel.CITY: grids[0].code,
    }
    return [
        {
            "id": index,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "grid_id": grid_ids[scope[user.scope]],
            "department_id": department_ids[user.department_code] if user.department_code else None,
            "active": True,
        }
        for index, user in enumerate(DEMO_USERS, start=1)
    ]


async def _advance_sequences(conn: AsyncConnection) -> None:
    """Explicit ids leave PostgreSQL sequences at 1; move each past its table's max id."""
    for table in _SEQUENCED_TABLES:
        await conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            )
        )


@contextmanager
def _progress_bar(enabled: bool, total: int) -> Iterator[Callable[[int], None]]:
    if not enabled:
        yield lambda _count: None
        return
    columns = (
        TextColumn("seeding residents"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns) as bar:
        task = bar.add_task("residents", total=total)
        yield lambda count: bar.advance(task, count)
