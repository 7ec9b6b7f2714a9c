"""Each server refuses missing or wrong credentials and accepts the right ones."""

from __future__ import annotations

import aiohttp
import pytest

from tests.connectors.simulators.clients import AUTH, PATHS, basic

WRONG = {
    "ga": {"X-Api-Key": "demo-ga-kee"},
    "mz": {"Authorization": "Bearer demo-ga-key"},
    "wj": {"Authorization": basic("wj", "wrong")},
}


@pytest.mark.parametrize("code", ["ga", "mz", "wj"])
async def test_credentials(code: str, urls: dict[str, str], http: aiohttp.ClientSession) -> None:
    url = urls[code] + PATHS[code]

    for headers in ({}, WRONG[code], {"X-Api-Key": "密钥"}):
        async with http.get(url, headers=headers) as response:
            assert response.status == 401, headers
            assert "unauthorized" in await response.text()
    async with http.get(url, headers=AUTH[code]) as response:
        assert response.status == 200


async def test_ga_401_body_is_as_documented(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    async with http.get(urls["ga"] + PATHS["ga"]) as response:
        assert await response.json() == {"error": "unauthorized"}


async def test_wj_asks_for_basic_auth(urls: dict[str, str], http: aiohttp.ClientSession) -> None:
    async with http.get(urls["wj"] + PATHS["wj"]) as response:
        assert response.headers["WWW-Authenticate"].startswith("Basic")


async def test_admin_endpoints_need_no_auth(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    async with http.get(urls["mz"] + "/_admin/snapshot") as response:
        assert response.status == 200
