"""Fresh, migrated databases on every backend: SQLite always, PostgreSQL when reachable.

Databases come from ``tests.backends.throwaway_database``: PostgreSQL ones are created on
the server at ``YIWANG_TEST_POSTGRES_URL`` and dropped afterwards; an unreachable server
skips the PostgreSQL cases, or fails them when ``YIWANG_REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from store.migrate import upgrade
from tests.backends import throwaway_database

BACKENDS = ("sqlite", "postgres")


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def migrated_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new, empty database migrated to head, for one test."""
    with throwaway_database(backend, tmp_path_factory.mktemp("store")) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="module")
def module_migrated_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new, empty database migrated to head, shared by the tests of one module."""
    with throwaway_database(backend, tmp_path_factory.mktemp("store")) as url:
        upgrade(url)
        yield url
