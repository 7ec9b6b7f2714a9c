"""Simulators under test: one small dataset per run, fresh servers per test (cheap)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from connectors.simulators import Dataset, derive, running

RESIDENTS = 2000
SEED = 42


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return derive(RESIDENTS, SEED)


@pytest.fixture
async def urls(dataset: Dataset) -> AsyncIterator[dict[str, str]]:
    async with running(dataset=dataset) as urls:
        yield urls


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session
