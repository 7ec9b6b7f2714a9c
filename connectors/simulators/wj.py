"""卫健 health (``wj``): HTTP Basic, cursor pages ordered by (updatedAt, residentId), with
an ``updated_since`` filter for incremental syncs.

The cursor is the (updatedAt, residentId) of the last item served, base64-encoded JSON:
the next page starts strictly after it, so records updated meanwhile (which move to the
end of the order) are served later in the same walk, and none is skipped.
"""

from __future__ import annotations

import base64
import binascii
import json

from aiohttp import web

from connectors.simulators.app import BadRequest, Page, SimulatorApp, integer, same_secret
from connectors.simulators.clock import iso_since

USER, PASSWORD = "wj", "demo-wj-pass"
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
_EXPECTED = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def encode_cursor(position: tuple[str, str]) -> str:
    data = json.dumps({"u": position[0], "id": position[1]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        position = (data["u"], data["id"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise BadRequest(f"invalid cursor {cursor!r}") from None
    if not all(isinstance(part, str) for part in position):
        raise BadRequest(f"invalid cursor {cursor!r}")
    return position


def _since(raw: str) -> str:
    """Parse ``updated_since``; an unencoded ``+08:00`` arrives as `` 08:00`` and is accepted."""
    for text in (raw, raw[::-1].replace(" ", "+", 1)[::-1]):
        try:
            return iso_since(text)
        except ValueError:
            continue
    raise BadRequest(f"updated_since must be an ISO 8601 time, got {raw!r}")


class WjApp(SimulatorApp):
    code = "wj"

    def authorized(self, request: web.Request) -> bool:
        return same_secret(request.headers.get("Authorization", ""), _EXPECTED)

    def unauthorized(self) -> web.Response:
        response = self.error(401, "unauthorized")
        response.headers["WWW-Authenticate"] = 'Basic realm="wj"'
        return response

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/wj/v2/residents", self._residents)

    async def _residents(self, request: web.Request) -> web.Response:
        return await self.serve(request, lambda: self._plan(request))

    def _plan(self, request: web.Request) -> Page:
        limit = integer(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        raw_cursor = request.query.get("cursor") or None
        cursor = decode_cursor(raw_cursor) if raw_cursor else None
        raw_since = request.query.get("updated_since") or None
        since = None
        if raw_since is not None:
            since = _since(raw_since)
        resource = self.state.main

        def build() -> dict[str, object]:
            keys, more = resource.after(cursor, since, limit)
            next_cursor = encode_cursor(resource.position_key(keys[-1])) if more and keys else None
            return {"items": self.served(resource, keys), "next_cursor": next_cursor}

        return Page(resource, cursor is not None, build)
