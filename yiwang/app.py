"""The Starlette application: GraphQL (with offline GraphiQL), health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from connectors import Spec, load_specs
from connectors.jobs import SyncJobs
from resolution.matching import MatcherCache
from schema import schema
from store import create_engine
from yiwang.graphiql import graphiql_static
from yiwang.graphql_view import GraphQLView
from yiwang.metrics import Metrics, MetricsMiddleware
from yiwang.settings import Settings


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    jobs: SyncJobs
    matchers: MatcherCache


def create_app(
    settings: Settings, engine: AsyncEngine | None = None, specs: Mapping[str, Spec] | None = None
) -> Starlette:
    """Build the app; the engine is created here unless given (tests share one), and the
    connector specs are read from ``connectors/departments`` unless given."""
    owns_engine = engine is None
    store = create_engine(settings.database_url) if engine is None else engine
    jobs = SyncJobs(store, load_specs() if specs is None else specs)
    state = AppState(settings, store, jobs, MatcherCache(store))
    metrics = Metrics()
    graphql = GraphQLView(schema, graphql_ide="graphiql", state=state, metrics=metrics)

    async def healthz(_request: Request) -> JSONResponse:
        try:
            async with state.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any failure to reach the store means unhealthy
            return JSONResponse({"status": "unavailable", "error": type(exc).__name__}, 503)
        return JSONResponse({"status": "ok"})

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await state.jobs.close()
        if owns_engine:
            await state.engine.dispose()

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/metrics", metrics.endpoint),
            graphiql_static(),
        ],
        middleware=[Middleware(MetricsMiddleware, metrics=metrics)],
        lifespan=lifespan,
    )
