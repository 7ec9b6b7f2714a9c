"""What every simulated department server shares: the request pipeline with its faults,
and the control endpoints under ``/_admin``.

A page request goes: auth → parameters (400) → rate limit (429) → latency → timeout
(hang) → server error (5xx) → drift (continuation pages only) → page → non-JSON or
truncated body. Fault decisions come from the server's own seeded ``random.Random``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from connectors.simulators.data import department_rng
from connectors.simulators.faults import Faults
from connectors.simulators.resource import Resource
from connectors.simulators.state import DepartmentState

JSON = "application/json"
MAINTENANCE_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>系统维护</title></head>"
    "<body><h1>系统维护中</h1><p>服务暂时不可用，请稍后再试。</p></body></html>"
)


class BadRequest(Exception):
    """A page request's parameters are invalid: answered 400 with the message."""


@dataclass
class Page:
    resource: Resource
    continuation: bool  # not the first page: drift happens before it is built
    build: Callable[[], dict[str, Any]]


def integer(request: web.Request, name: str, default: int, low: int, high: int | None) -> int:
    """A query parameter as an integer within [low, high]; BadRequest otherwise."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, got {raw!r}") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadRequest(f"{name} must be {bound}, got {value}")
    return value


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison that also copes with non-ASCII header values."""
    return hmac.compare_digest(given.encode(), expected.encode())


def json_response(body: Any, status: int = 200) -> web.Response:
    data = json.dumps(body, ensure_ascii=False).encode()
    return web.Response(body=data, status=status, content_type=JSON, charset="utf-8")


class SimulatorApp:
    """Base of the ga, mz and wj servers; subclasses add auth, routes and error bodies."""

    code = ""

    def __init__(self, state: DepartmentState, faults: Faults | None = None) -> None:
        self.state = state
        self.faults = faults or Faults()
        self.rng = department_rng(state.seed, state.code, "faults")
        self.requests = 0
        self._closing = asyncio.Event()

    # --- to be provided by each department -------------------------------------------

    def authorized(self, request: web.Request) -> bool:
        raise NotImplementedError

    def unauthorized(self) -> web.Response:
        return json_response({"error": "unauthorized"}, status=401)

    def error(self, status: int, message: str) -> web.Response:
        return json_response({"error": message}, status=status)

    def server_error(self, status: int) -> web.Response:
        return self.error(status, "internal server error")

    def add_routes(self, app: web.Application) -> None:
        raise NotImplementedError

    # --- the application ---------------------------------------------------------------

    def application(self) -> web.Application:
        app = web.Application()
        self.add_routes(app)
        app.router.add_get("/_admin/faults", self._get_faults)
        app.router.add_post("/_admin/faults", self._set_faults)
        app.router.add_post("/_admin/mutate", self._mutate)
        app.router.add_get("/_admin/snapshot", self._snapshot)
        app.router.add_get("/_admin/truth", self._truth)
        app.on_shutdown.append(self._on_shutdown)
        return app

    async def _on_shutdown(self, app: web.Application) -> None:
        self._closing.set()  # wakes requests hanging in a timeout fault

    async def serve(self, request: web.Request, plan: Callable[[], Page]) -> web.Response:
        if not self.authorized(request):
            return self.unauthorized()
        try:
            page = plan()
        except BadRequest as exc:
            return self.error(400, str(exc))
        self.requests += 1
        failed = await self._request_faults()
        if failed is not None:
            return failed
        drift = self.faults.drift_per_page
        if page.continuation and drift:
            self.state.update(drift, page.resource.name)
        return self._page_response(page.build())

    async def _request_faults(self) -> web.Response | None:
        faults, rng = self.faults, self.rng
        every = faults.rate_limit_every
        if every and self.requests % every == 0:
            response = self.error(429, "too many requests")
            response.headers["Retry-After"] = "1"
            return response
        low, high = faults.latency_ms
        if high > 0:
            await asyncio.sleep(rng.uniform(low, high) / 1000)
        hang, fail, status = rng.random(), rng.random(), rng.choice((500, 502, 503))
        if hang < faults.timeout_rate:
            try:
                await asyncio.wait_for(self._closing.wait(), timeout=faults.hang_seconds)
            except TimeoutError:
                return self.error(504, "gateway timeout")
            return self.error(503, "shutting down")
        if fail < faults.error_rate:
            return self.server_error(status)
        return None

    def _page_response(self, body: dict[str, Any]) -> web.Response:
        faults, rng = self.faults, self.rng
        html, cut = rng.random(), rng.random()
        if html < faults.non_json_rate:
            return web.Response(text=MAINTENANCE_PAGE, content_type="text/html", charset="utf-8")
        data = json.dumps(body, ensure_ascii=False).encode()
        if cut < faults.truncated_rate and len(data) > 1:
            end = rng.randint(max(1, len(data) // 4), max(1, 3 * len(data) // 4))
            data = data[:end]
        return web.Response(body=data, content_type=JSON, charset="utf-8")

    def served(self, resource: Resource, keys: list[str]) -> list[dict[str, Any]]:
        rate = self.faults.malformed_rate
        return [self.state.served(resource, key, rate) for key in keys]

    # --- control endpoints ---------------------------------------------------------------

    async def _get_faults(self, request: web.Request) -> web.Response:
        return json_response(self.faults.as_json())

    async def _set_faults(self, request: web.Request) -> web.Response:
        try:
            changes = await request.json()
            if not isinstance(changes, dict):
                raise ValueError("expected a JSON object of faults")
            self.faults = self.faults.replace(changes)
        except (ValueError, TypeError) as exc:
            return json_response({"error": str(exc)}, status=400)
        return json_response(self.faults.as_json())

    async def _mutate(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("expected a JSON object")
            unknown = sorted(set(body) - {"update", "insert", "delete"})
            if unknown:
                raise ValueError(f"unknown field(s) {unknown}; use update, insert, delete")
            counts = {name: body.get(name, 0) for name in ("update", "insert", "delete")}
            for name, value in counts.items():
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        except ValueError as exc:
            return json_response({"error": str(exc)}, status=400)
        return json_response(self.state.mutate(**counts))

    def _admin_resource(self, request: web.Request) -> Resource:
        return self.state.resource(request.query.get("resource"))

    async def _snapshot(self, request: web.Request) -> web.Response:
        try:
            resource = self._admin_resource(request)
        except KeyError as exc:
            return json_response({"error": exc.args[0]}, status=400)
        return json_response(self.state.snapshot(resource, self.faults.malformed_rate))

    async def _truth(self, request: web.Request) -> web.Response:
        """Main resource's primary key -> the person's real ID number (for evaluation)."""
        return json_response({"truth": self.state.truth})
