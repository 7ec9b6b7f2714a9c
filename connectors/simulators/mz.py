"""民政 civil affairs (``mz``): bearer token, page-number pages in a ``code/msg/data`` envelope."""

from __future__ import annotations

from aiohttp import web

from connectors.simulators.app import Page, SimulatorApp, integer, json_response, same_secret

TOKEN = "demo-mz-token"
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 20
SERVER_ERROR_AS_200 = 1 / 3  # share of server errors sent with HTTP 200 and code 500


class MzApp(SimulatorApp):
    code = "mz"

    def authorized(self, request: web.Request) -> bool:
        return same_secret(request.headers.get("Authorization", ""), f"Bearer {TOKEN}")

    def error(self, status: int, message: str) -> web.Response:
        return json_response({"code": status, "msg": message, "data": None}, status=status)

    def unauthorized(self) -> web.Response:
        return self.error(401, "unauthorized")

    def server_error(self, status: int) -> web.Response:
        http_status = 200 if self.rng.random() < SERVER_ERROR_AS_200 else status
        body = {"code": 500, "msg": "system busy, please retry later", "data": None}
        return json_response(body, status=http_status)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/mz/api/jzxx", self._jzxx)

    async def _jzxx(self, request: web.Request) -> web.Response:
        return await self.serve(request, lambda: self._plan(request))

    def _plan(self, request: web.Request) -> Page:
        number = integer(request, "pageNum", 1, 1, None)
        size = integer(request, "pageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
        resource = self.state.main

        def build() -> dict[str, object]:
            total = len(resource)
            start = (number - 1) * size
            rows = self.served(resource, resource.slice(start, start + size))
            data = {
                "pageNum": number,
                "pageSize": size,
                "pages": -(-total // size),
                "total": total,
                "list": rows,
            }
            return {"code": 0, "msg": "success", "data": data}

        return Page(resource, number > 1, build)
