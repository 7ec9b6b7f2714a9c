"""The per-request context: the store, the caller, and the request's DataLoaders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from strawberry.dataloader import DataLoader

from connectors.jobs import SyncJobs
from resolution.matching import MatcherCache
from resolvers.errors import forbidden, not_found, unauthenticated
from resolvers.loaders import Loaders
from resolvers.principal import Principal
from store.base import Role

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class Context:
    engine: AsyncEngine
    principal: Principal | None
    max_page_size: int
    loaders: Loaders
    jobs: SyncJobs | None = None
    matchers: MatcherCache | None = None
    today: date = field(default_factory=date.today)
    _scope: str | None = None

    @classmethod
    def build(
        cls,
        engine: AsyncEngine,
        principal: Principal | None,
        max_page_size: int,
        jobs: SyncJobs | None = None,
        matchers: MatcherCache | None = None,
    ) -> Context:
        return cls(engine, principal, max_page_size, Loaders.build(engine), jobs, matchers)

    def require_role(self, *roles: Role) -> Principal:
        principal = self.caller()
        if principal.role not in roles:
            raise forbidden(f"Your role ({principal.role.value}) may not do this")
        return principal

    def caller(self) -> Principal:
        if self.principal is None:
            raise unauthenticated()
        return self.principal

    async def scope(self) -> str:
        """The materialised path of the caller's grid: everything they may see lies below."""
        if self._scope is None:
            grid = await self.loaders.grid_by_code.load(self.caller().grid_code)
            if grid is None:
                raise unauthenticated("The token's grid does not exist")
            self._scope = str(grid.path)
        return self._scope

    async def in_scope(self, path: str | None) -> bool:
        return path is not None and path.startswith(await self.scope())

    async def require_in_scope(self, path: str | None) -> None:
        if not await self.in_scope(path):
            raise forbidden()

    async def load_in_scope(
        self,
        rows: DataLoader[int, Row[Any] | None],
        paths: DataLoader[int, str | None],
        pk: int,
        label: str,
    ) -> Row[Any]:
        """A row by primary key: NOT_FOUND if absent, FORBIDDEN outside the caller's scope."""
        row = await rows.load(pk)
        if row is None:
            raise not_found(f"No {label} {pk}")
        await self.require_in_scope(await paths.load(pk))
        return row

    async def read(
        self,
        fn: Callable[Concatenate[AsyncConnection, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        async with self.engine.connect() as conn:
            return await fn(conn, *args, **kwargs)


def context_of(info: Any) -> Context:
    context: Context = info.context
    return context
