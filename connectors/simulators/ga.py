"""公安 household registration (``ga``): API key, offset/limit pages ordered by key."""

from __future__ import annotations

from aiohttp import web

from connectors.simulators.app import Page, SimulatorApp, integer, same_secret

API_KEY = "demo-ga-key"
MAX_LIMIT = 500
DEFAULT_LIMIT = 100


class GaApp(SimulatorApp):
    code = "ga"

    def authorized(self, request: web.Request) -> bool:
        return same_secret(request.headers.get("X-Api-Key", ""), API_KEY)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/api/v1/hukou/persons", self._persons)
        app.router.add_get("/api/v1/hukou/households", self._households)

    async def _persons(self, request: web.Request) -> web.Response:
        return await self.serve(request, lambda: self._plan(request, "persons"))

    async def _households(self, request: web.Request) -> web.Response:
        return await self.serve(request, lambda: self._plan(request, "households"))

    def _plan(self, request: web.Request, name: str) -> Page:
        offset = integer(request, "offset", 0, 0, None)
        limit = integer(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        resource = self.state.resource(name)

        def build() -> dict[str, object]:
            keys = resource.slice(offset, offset + limit)
            return {
                "total": len(resource),
                "offset": offset,
                "limit": limit,
                "rows": self.served(resource, keys),
            }

        return Page(resource, offset > 0, build)
