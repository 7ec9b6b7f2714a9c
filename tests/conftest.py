"""Shared fixtures: a migrated, seeded store per backend, the ASGI app, tokens, a live server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine

from store import create_engine
from store.base import Role
from store.migrate import upgrade
from store.seed import seed_demo
from tests.backends import throwaway_database
from yiwang.app import create_app
from yiwang.auth import issue_token
from yiwang.settings import Settings

SECRET = "test-secret-test-secret-test-secret"
SEED_RESIDENTS = 600
BACKENDS = ["sqlite", "postgres"]

TokenFor = Callable[..., str]


@pytest.fixture(scope="session", params=BACKENDS)
def store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, seeded store, one per backend for the whole run (tests only read it)."""
    with throwaway_database(request.param, tmp_path_factory.mktemp("store")) as url:
        upgrade(url)
        yield url


@pytest.fixture(params=BACKENDS)
def empty_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty store per backend for one test (tests that write)."""
    with throwaway_database(request.param, tmp_path) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
async def engine(store_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(store_url)
    await seed_demo(engine, residents=SEED_RESIDENTS, seed=7)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def settings(store_url: str) -> Settings:
    return Settings(database_url=store_url, secret=SECRET, token_ttl_hours=1)


@pytest.fixture(scope="session")
def token_for() -> TokenFor:
    def make(role: str | Role, grid_code: str, **kwargs: Any) -> str:
        return issue_token(SECRET, Role(role), grid_code, **kwargs)

    return make


@pytest.fixture(scope="session")
async def client(settings: Settings, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://yiwang.test") as c:
        yield c


class GraphQLClient:
    """Posts real query strings to /graphql, as a department system or a frontend would."""

    def __init__(self, http: httpx.AsyncClient, token_for: TokenFor) -> None:
        self.http = http
        self.token_for = token_for

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def run(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        role: str = "admin",
        grid: str = "4208",
        token: str | None = None,
    ) -> dict[str, Any]:
        response = await self.post(query, variables, token or self.token_for(role, grid))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        body = await self.run(query, variables, **kw)
        assert "errors" not in body, body["errors"]
        return body["data"]


@pytest.fixture(scope="session")
def gql(client: httpx.AsyncClient, token_for: TokenFor) -> GraphQLClient:
    return GraphQLClient(client, token_for)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(settings: Settings, engine: AsyncEngine) -> Iterator[str]:
    """uvicorn serving the real app over the seeded store (each backend), on loopback."""
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=_free_port(), log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(timeout=10)
