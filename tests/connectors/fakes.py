"""A small, configurable department API for tests: a real aiohttp server on loopback.

It serves a list of records in any of the four pagination styles, behind any of the four
auth kinds, and can break chosen requests (500, 429, cut-off or HTML bodies) or every
request for one page. Every request is logged, so tests can see what the engine asked.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Record = dict[str, Any]


@dataclass
class FakeDepartment:
    records: list[Record]
    style: str = "offset"  # offset | page | page_no_total | cursor | link
    auth: tuple[str, ...] = ("none",)  # ("api_key", header, key) | ("bearer", token) | …
    failures: dict[int, str] = field(default_factory=dict)  # request number → fault
    broken_page: int | None = None  # this page index always answers HTML
    url: str = ""
    log: list[dict[str, str]] = field(default_factory=list)

    def authorized(self, request: web.Request) -> bool:
        kind, *secret = self.auth
        if kind == "none":
            return True
        if kind == "api_key":
            return request.headers.get(secret[0]) == secret[1]
        if kind == "bearer":
            return request.headers.get("Authorization") == f"Bearer {secret[0]}"
        token = base64.b64encode(f"{secret[0]}:{secret[1]}".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {token}"

    def window(self, query: dict[str, str]) -> tuple[int, int]:
        """(start index, size) of the requested page, whatever the style."""
        if self.style == "offset":
            return int(query["offset"]), int(query["limit"])
        if self.style in ("page", "page_no_total"):
            size = int(query["size"])
            return (int(query["page"]) - 1) * size, size
        size = int(query.get("limit", "2"))
        return int(query.get("cursor") or query.get("from") or 0), size

    async def handle(self, request: web.Request) -> web.StreamResponse:
        number = len(self.log)
        self.log.append(dict(request.query))
        if not self.authorized(request):
            return web.json_response({"error": "unauthorized"}, status=401)
        fault = self.failures.get(number)
        if fault == "500":
            return web.json_response({"error": "boom"}, status=500)
        if fault == "429":
            return web.json_response(
                {"error": "slow down"}, status=429, headers={"Retry-After": "0.2"}
            )
        start, size = self.window(dict(request.query))
        rows = self.records[start : start + size]
        if self.broken_page is not None and start == self.broken_page * size:
            return web.Response(text="<html>maintenance</html>", content_type="text/html")
        body, headers = self.body(request, start, size, rows)
        data = json.dumps(body, ensure_ascii=False)
        if fault == "truncate":
            data = data[: len(data) // 2]
        if fault == "html":
            return web.Response(text="<html>error</html>", content_type="text/html")
        return web.Response(text=data, content_type="application/json", headers=headers)

    def body(
        self, request: web.Request, start: int, size: int, rows: list[Record]
    ) -> tuple[Any, dict[str, str]]:
        total = len(self.records)
        following = start + size
        if self.style == "offset":
            return {"total": total, "rows": rows}, {}
        if self.style == "page":
            return {"data": {"pages": -(-total // size), "list": rows}}, {}
        if self.style == "page_no_total":
            return {"list": rows}, {}
        if self.style == "cursor":
            return {"items": rows, "next": str(following) if following < total else None}, {}
        headers = {}
        if following < total:
            url = request.url.with_query({"from": str(following), "limit": str(size)})
            headers["Link"] = f'<{url}>; rel="next", <{request.url.with_query({})}>; rel="first"'
        return rows, headers


@asynccontextmanager
async def serving(
    department: FakeDepartment, path: str = "/api/items"
) -> AsyncIterator[FakeDepartment]:
    app = web.Application()
    app.router.add_get(path, department.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    department.url = f"http://{host}:{port}"
    try:
        yield department
    finally:
        await runner.cleanup()


def people(count: int) -> list[Record]:
    return [
        {
            "id": f"P{n:04d}",
            "name": f" 测试{n} ",
            "born": f"1980{(n % 12) + 1:02d}{(n % 28) + 1:02d}",
            "sex": "1" if n % 2 else "2",
        }
        for n in range(count)
    ]
