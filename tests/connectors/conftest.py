"""A migrated store per backend (cleared before each test), simulators, and comparisons.

Each backend's database is created once per session (``tests.backends``: PostgreSQL is
skipped when unreachable, or fails with ``YIWANG_REQUIRE_POSTGRES=1``); the connector
tables are emptied before every test, which is much cheaper than a database per test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import aiohttp
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import Spec, load_specs
from connectors.simulators import Dataset, derive
from connectors.spec import RetrySettings
from store import create_engine
from store.migrate import upgrade
from store.models import ProposedDeletion, QuarantinedRecord, SourceRecord, SyncCheckpoint, SyncRun
from tests.backends import throwaway_database

BACKENDS = ("sqlite", "postgres")
RESIDENTS = 1500
SEED = 11
FAST_RETRY = RetrySettings(attempts=12, initial_wait=0.02, max_wait=0.3)


@pytest.fixture(scope="session", params=BACKENDS)
def staging_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with throwaway_database(request.param, tmp_path_factory.mktemp("connectors")) as url:
        upgrade(url)
        yield url


@pytest.fixture
async def staging(staging_url: str) -> AsyncIterator[AsyncEngine]:
    """The backend's store with empty connector tables."""
    engine = create_engine(staging_url)
    async with engine.begin() as conn:
        for model in (ProposedDeletion, QuarantinedRecord, SourceRecord, SyncCheckpoint, SyncRun):
            await conn.execute(delete(model))
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def sim_dataset() -> Dataset:
    return derive(RESIDENTS, SEED, ("ga", "mz", "wj"))


def department_specs(urls: Mapping[str, str], **overrides: Any) -> dict[str, Spec]:
    """The shipped department specs pointed at the simulators, with quick retries."""
    env = {f"YIWANG_{code.upper()}_URL": url for code, url in urls.items()}
    specs = load_specs(env=env)
    changes = {"retry": FAST_RETRY, "timeout": 2.0, "rate_limit": None, **overrides}
    return {code: dataclasses.replace(specs[code], **changes) for code in urls}


async def admin(url: str, path: str, body: Any = None) -> Any:
    async with aiohttp.ClientSession() as session:
        if body is None:
            async with session.get(url + path) as response:
                assert response.status == 200, await response.text()
                return await response.json()
        async with session.post(url + path, json=body) as response:
            assert response.status == 200, await response.text()
            return await response.json()


async def snapshot(url: str, resource: str) -> dict[str, Any]:
    data: dict[str, Any] = await admin(url, f"/_admin/snapshot?resource={resource}")
    return data


async def stored(engine: AsyncEngine, source: str, kind: str) -> dict[str, Any]:
    """Live source records by source_id; fails on a duplicated key."""
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(SourceRecord).where(
                    SourceRecord.source == source,
                    SourceRecord.kind == kind,
                    SourceRecord.deleted.is_(False),
                )
            )
        ).all()
    by_id = {row.source_id: row for row in rows}
    assert len(by_id) == len(rows), "duplicate source records"
    return by_id


async def assert_equals_source(
    engine: AsyncEngine, spec: Spec, resource: str, truth: Mapping[str, Any]
) -> None:
    """Same keys, same payloads and hashes as the simulator's snapshot; nothing else."""
    definition = spec.resources[resource]
    rows = await stored(engine, spec.code, definition.kind)
    expected = truth["records"]
    missing = sorted(set(expected) - set(rows))[:5]
    extra = sorted(set(rows) - set(expected))[:5]
    assert not missing and not extra, f"missing {missing}, extra {extra}"
    for key, record in expected.items():
        row = rows[key]
        assert row.payload == record, key
        assert row.content_hash == definition.mapping.content_hash(record), key


async def count(engine: AsyncEngine, model: Any, **where: Any) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    async with engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


def paged(spec: Spec, size: int) -> Spec:
    """The spec with smaller pages, so a small data set still takes many requests."""
    resources = {}
    for name, resource in spec.resources.items():
        paginator = resource.paginator
        assert paginator is not None
        key = {"offset": "limit", "page": "size", "cursor": "limit"}[paginator.name]
        smaller = dataclasses.replace(paginator, **{key: size})  # type: ignore[type-var]
        resources[name] = dataclasses.replace(resource, paginator=smaller)
    return dataclasses.replace(spec, resources=resources)
