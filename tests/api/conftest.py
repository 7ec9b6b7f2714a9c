from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.facts import Facts, load_facts


@pytest.fixture(scope="session")
async def facts(engine: AsyncEngine) -> Facts:
    return await load_facts(engine)
