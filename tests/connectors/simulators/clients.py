"""Minimal clients for the simulated APIs, written from docs/department-apis.md."""

from __future__ import annotations

import base64
from typing import Any

import aiohttp


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


GA = {"X-Api-Key": "demo-ga-key"}
MZ = {"Authorization": "Bearer demo-mz-token"}
WJ = {"Authorization": basic("wj", "demo-wj-pass")}
AUTH = {"ga": GA, "mz": MZ, "wj": WJ}
PATHS = {"ga": "/api/v1/hukou/persons", "mz": "/mz/api/jzxx", "wj": "/wj/v2/residents"}
KEYS = {"ga": "rybh", "mz": "ryid", "wj": "residentId"}
Record = dict[str, Any]


async def get_json(
    http: aiohttp.ClientSession, url: str, params: dict[str, Any], headers: dict[str, str]
) -> Any:
    async with http.get(url, params=params, headers=headers) as response:
        assert response.status == 200, await response.text()
        return await response.json()


async def walk_ga(
    http: aiohttp.ClientSession, base: str, resource: str = "persons", limit: int = 100
) -> list[Record]:
    rows: list[Record] = []
    offset = 0
    while True:
        params = {"offset": offset, "limit": limit}
        page = await get_json(http, f"{base}/api/v1/hukou/{resource}", params, GA)
        rows.extend(page["rows"])
        offset += len(page["rows"])
        if not page["rows"] or offset >= page["total"]:
            return rows


async def walk_mz(http: aiohttp.ClientSession, base: str, size: int = 50) -> list[Record]:
    rows: list[Record] = []
    number = 1
    while True:
        params = {"pageNum": number, "pageSize": size}
        body = await get_json(http, f"{base}/mz/api/jzxx", params, MZ)
        assert body["code"] == 0, body
        rows.extend(body["data"]["list"])
        if not body["data"]["list"] or number >= body["data"]["pages"]:
            return rows
        number += 1


async def walk_wj(
    http: aiohttp.ClientSession, base: str, limit: int = 100, since: str | None = None
) -> list[Record]:
    items: list[Record] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        if since:
            params["updated_since"] = since
        page = await get_json(http, f"{base}/wj/v2/residents", params, WJ)
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def admin(
    http: aiohttp.ClientSession,
    base: str,
    what: str,
    body: dict[str, Any] | None = None,
    **params: str,
) -> Any:
    method = "POST" if body is not None else "GET"
    async with http.request(method, f"{base}/_admin/{what}", json=body, params=params) as response:
        assert response.status == 200, await response.text()
        return await response.json()
