from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import aliased

from population import DEPARTMENTS, generate_grids
from store.base import Base, Gender, GridLevel, Role, TaskStatus
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
from store.seed import SeedSummary, StoreNotEmptyError, seed_demo, store_is_empty
from store.session import create_engine, session_factory
from store.text import name_keys

RESIDENTS = 500


@dataclass
class Seeded:
    engine: AsyncEngine
    summary: SeedSummary


@pytest.fixture(scope="module")
async def seeded(module_migrated_url: str) -> AsyncIterator[Seeded]:
    engine = create_engine(module_migrated_url)
    summary = await seed_demo(engine, residents=RESIDENTS, seed=7)
    yield Seeded(engine, summary)
    await engine.dispose()


async def scalar(engine: AsyncEngine, statement: Select[Any]) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(statement)).scalar_one()


async def count(engine: AsyncEngine, model: type[Base]) -> int:
    return int(await scalar(engine, select(func.count()).select_from(model)))


async def test_store_is_empty_until_seeded_and_a_second_seed_is_refused(
    migrated_url: str,
) -> None:
    engine = create_engine(migrated_url)
    try:
        assert await store_is_empty(engine)
        await seed_demo(engine, residents=20, progress=True)
        assert not await store_is_empty(engine)
        with pytest.raises(StoreNotEmptyError):
            await seed_demo(engine, residents=20)
        assert await count(engine, Resident) == 20
    finally:
        await engine.dispose()


async def test_counts_match_the_summary(seeded: Seeded) -> None:
    engine, summary = seeded.engine, seeded.summary
    communities = sum(spec.level is GridLevel.COMMUNITY for spec in generate_grids())

    assert summary.residents == await count(engine, Resident) == RESIDENTS
    assert summary.households == await count(engine, Household)
    assert RESIDENTS / 3.2 < summary.households < RESIDENTS / 2
    assert await count(engine, HouseholdMember) == RESIDENTS
    assert summary.grids == await count(engine, Grid) == len(generate_grids())
    assert summary.departments == await count(engine, Department) == len(DEPARTMENTS)
    assert summary.tags == await count(engine, ResidentTag) > 0
    assert summary.tasks == await count(engine, Task)
    assert 4 * communities <= summary.tasks <= 6 * communities
    assert summary.users == await count(engine, User) == len(Role)


async def test_grid_paths_follow_parents(seeded: Seeded) -> None:
    parent = aliased(Grid)
    broken = (
        select(func.count())
        .select_from(Grid)
        .join(parent, Grid.parent_id == parent.id)
        .where(Grid.path != parent.path + Grid.code + "/")
    )
    roots = select(Grid.path).where(Grid.parent_id.is_(None))
    assert await scalar(seeded.engine, broken) == 0
    async with seeded.engine.connect() as conn:
        assert (await conn.execute(roots)).scalars().all() == ["/4208/"]


async def test_every_resident_lives_in_a_leaf_grid_of_their_household(seeded: Seeded) -> None:
    not_leaf = (
        select(func.count())
        .select_from(Resident)
        .join(Grid, Resident.grid_id == Grid.id)
        .where(Grid.level != GridLevel.GRID)
    )
    disagreeing = (
        select(func.count())
        .select_from(Resident)
        .join(Household, Resident.household_id == Household.id)
        .where(
            (Resident.grid_id != Household.grid_id)
            | (Resident.residence_address != Household.address)
        )
    )
    assert await scalar(seeded.engine, not_leaf) == 0
    assert await scalar(seeded.engine, disagreeing) == 0


async def test_memberships_agree_with_residents_and_each_household_has_one_head(
    seeded: Seeded,
) -> None:
    mismatched = (
        select(func.count())
        .select_from(HouseholdMember)
        .join(Resident, HouseholdMember.resident_id == Resident.id)
        .where(HouseholdMember.household_id != Resident.household_id)
    )
    heads = (
        select(HouseholdMember.household_id, func.count().label("n"))
        .where(HouseholdMember.relation == "户主")
        .group_by(HouseholdMember.household_id)
    ).subquery()
    assert await scalar(seeded.engine, mismatched) == 0
    assert await scalar(seeded.engine, select(func.count()).select_from(heads)) == (
        seeded.summary.households
    )
    assert await scalar(seeded.engine, select(func.max(heads.c.n))) == 1


async def test_resident_search_keys_come_from_the_name(seeded: Seeded) -> None:
    async with seeded.engine.connect() as conn:
        rows = (
            await conn.execute(select(Resident.name, Resident.name_pinyin, Resident.name_initials))
        ).all()
    assert rows
    for name, pinyin, initials in rows:
        assert (pinyin, initials) == name_keys(name)


async def test_one_user_per_role_scoped_to_the_demo_subtree(seeded: Seeded) -> None:
    async with seeded.engine.connect() as conn:
        rows = (
            await conn.execute(select(User.role, Grid.level, Grid.path, Grid.name).join(Grid))
        ).all()
    scope = {role: (level, path, name) for role, level, path, name in rows}

    assert set(scope) == set(Role)
    assert scope[Role.GRID_WORKER][0] is GridLevel.GRID
    assert scope[Role.COMMUNITY][2] == "七一桥社区"
    assert scope[Role.STREET][0] is GridLevel.STREET
    assert scope[Role.GRID_WORKER][1].startswith(scope[Role.COMMUNITY][1])
    assert scope[Role.COMMUNITY][1].startswith(scope[Role.STREET][1])
    for role in (Role.DEPARTMENT, Role.GATEKEEPER, Role.ADMIN):
        assert scope[role][:2] == (GridLevel.CITY, "/4208/")


async def test_tasks_go_to_communities_with_varied_statuses(seeded: Seeded) -> None:
    async with seeded.engine.connect() as conn:
        rows = (await conn.execute(select(Task.status, Grid.level).join(Grid))).all()
        departments = (await conn.execute(select(func.count(Task.department_id.distinct())))).one()
    assert {level for _, level in rows} == {GridLevel.COMMUNITY}
    assert len({status for status, _ in rows}) >= 4
    assert {status for status, _ in rows} <= set(TaskStatus)
    assert departments[0] >= 4


async def test_later_orm_inserts_get_fresh_ids(seeded: Seeded) -> None:
    """Explicit ids during seeding must not leave sequences behind (PostgreSQL)."""
    sessions = session_factory(seeded.engine)
    async with sessions() as session:
        grid_id = await session.scalar(select(Grid.id).where(Grid.level == GridLevel.GRID))
        assert grid_id is not None
        department = Department(code="zz", name="测试局")
        household = Household(number="T0001", address="测试地址", grid_id=grid_id)
        session.add_all([department, household])
        await session.flush()
        resident = Resident(
            name="测试",
            name_pinyin="ceshi",
            name_initials="cs",
            gender=Gender.UNKNOWN,
            grid_id=grid_id,
            household_id=household.id,
        )
        session.add(resident)
        await session.flush()
        member = HouseholdMember(
            household_id=household.id, resident_id=resident.id, relation="户主"
        )
        session.add(member)
        await session.flush()

        assert department.id == len(DEPARTMENTS) + 1
        assert household.id == seeded.summary.households + 1
        assert resident.id == RESIDENTS + 1
        assert member.id == RESIDENTS + 1
        await session.rollback()
