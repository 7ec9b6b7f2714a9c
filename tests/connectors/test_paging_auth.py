"""Every paginator and auth kind, retries and broken pages, against a real local server."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import Spec, parse_spec_text, sync
from store.models import SyncCheckpoint
from tests.connectors.conftest import stored
from tests.connectors.fakes import FakeDepartment, people, serving

PAGINATORS = {
    "offset": ('type = "offset"\nlimit = 4\ntotal_path = "total"', "rows"),
    "page": ('type = "page"\nsize = 4\ntotal_pages_path = "data.pages"', "data.list"),
    "page_no_total": ('type = "page"\nsize = 4\nstop_when_empty = true', "list"),
    "cursor": (
        'type = "cursor"\nnext_cursor_path = "next"\nlimit_param = "limit"\nlimit = 4',
        "items",
    ),
    "link": ('type = "link_header"\nrel = "next"', None),
}
AUTHS = {
    "none": ('type = "none"', ("none",)),
    "api_key": ('type = "api_key"\nheader = "X-Token"\nkey = "k1"', ("api_key", "X-Token", "k1")),
    "bearer": ('type = "bearer"\ntoken = "t1"', ("bearer", "t1")),
    "basic": ('type = "basic"\nusername = "u"\npassword = "p1"', ("basic", "u", "p1")),
}
EXPECTED_QUERIES = {
    "offset": [
        {"offset": "0", "limit": "4"},
        {"offset": "4", "limit": "4"},
        {"offset": "8", "limit": "4"},
    ],
    "page": [{"page": str(n), "size": "4"} for n in (1, 2, 3)],
    "page_no_total": [{"page": str(n), "size": "4"} for n in (1, 2, 3, 4)],
    "cursor": [{"limit": "4"}, {"limit": "4", "cursor": "4"}, {"limit": "4", "cursor": "8"}],
    "link": [{"limit": "4"}, {"from": "4", "limit": "4"}, {"from": "8", "limit": "4"}],
}


def make_spec(url: str, style: str = "offset", auth: str = "none", **extra: Any) -> Spec:
    paginator, records = PAGINATORS[style]
    lines = [
        'code = "tt"',
        'name = "Test department"',
        'kind = "rest"',
        f'base_url = "{url}"',
        f"concurrency = {extra.get('concurrency', 2)}",
        "timeout = 2",
        "[retry]",
        f"attempts = {extra.get('attempts', 6)}",
        "initial_wait = 0.01",
        "max_wait = 0.1",
        "[auth]",
        AUTHS[auth][0],
        "[resources.items]",
        'kind = "person"',
        'path = "/api/items"',
        'primary_key = "id"',
    ]
    if extra.get("records", records):
        lines.append(f'records = "{extra.get("records", records)}"')
    lines += ["[resources.items.params]", "limit = 4"] if style == "link" else []
    lines += ["[resources.items.paginator]", paginator]
    lines += [
        "[resources.items.fields]",
        'name = "name | trim"',
        'birth_date = "born | date:%Y%m%d"',
        'gender = "sex | gender:gb2261"',
    ]
    return parse_spec_text("\n".join(lines), "tt.toml", env={})


@pytest.mark.parametrize("style", list(PAGINATORS))
async def test_every_paginator_walks_every_page_once(staging: AsyncEngine, style: str) -> None:
    records = people(10)
    async with serving(FakeDepartment(records, style=style)) as server:
        [summary] = await sync(staging, [make_spec(server.url, style)])
    assert summary.status == "succeeded", summary.error
    assert (summary.fetched, summary.inserted) == (10, 10)
    assert server.log == EXPECTED_QUERIES[style]
    rows = await stored(staging, "tt", "person")
    assert set(rows) == {r["id"] for r in records}
    assert rows["P0003"].record == {"name": "测试3", "birth_date": "1980-04-04", "gender": "male"}


@pytest.mark.parametrize("auth", list(AUTHS))
async def test_every_auth_kind_is_sent(staging: AsyncEngine, auth: str) -> None:
    async with serving(FakeDepartment(people(5), auth=AUTHS[auth][1])) as server:
        [summary] = await sync(staging, [make_spec(server.url, auth=auth)])
    assert summary.status == "succeeded", summary.error
    assert summary.inserted == 5


@pytest.mark.parametrize("auth", ["api_key", "bearer", "basic"])
async def test_wrong_credentials_fail_at_once_with_a_clear_error(
    staging: AsyncEngine, auth: str
) -> None:
    wrong = (*AUTHS[auth][1][:-1], "not-the-secret")
    async with serving(FakeDepartment(people(5), auth=wrong)) as server:
        [summary] = await sync(staging, [make_spec(server.url, auth=auth)])
    assert summary.status == "failed"
    assert summary.error is not None and "tt/items offset=0: HTTP 401" in summary.error
    assert "HTTP 401" in summary.error
    assert summary.retries == 0 and len(server.log) == 1


async def test_errors_429_and_bad_bodies_are_retried(staging: AsyncEngine) -> None:
    failures = {0: "500", 1: "429", 2: "truncate", 3: "html", 5: "500"}
    async with serving(FakeDepartment(people(10), failures=failures)) as server:
        [summary] = await sync(staging, [make_spec(server.url, concurrency=1)])
    assert summary.status == "succeeded", summary.error
    assert summary.retries == 5 and summary.inserted == 10 and summary.fetched == 10


async def test_a_page_that_stays_broken_fails_the_run_and_keeps_what_came_before(
    staging: AsyncEngine,
) -> None:
    department = FakeDepartment(people(10), broken_page=1)
    async with serving(department) as server:
        [failed] = await sync(staging, [make_spec(server.url, attempts=3, concurrency=1)])
        assert failed.status == "failed"
        assert failed.error is not None
        assert "tt/items offset=4: invalid JSON body" in failed.error
        assert "after 3 attempts" in failed.error
        assert set(await stored(staging, "tt", "person")) == {f"P{n:04d}" for n in range(4)}

        department.broken_page, department.log = None, []
        [resumed] = await sync(staging, [make_spec(server.url, concurrency=1)])
    assert resumed.status == "succeeded", resumed.error
    assert department.log[0] == {"offset": "4", "limit": "4"}
    assert (resumed.fetched, resumed.inserted) == (6, 6)
    assert len(await stored(staging, "tt", "person")) == 10


async def test_a_wrong_record_path_is_a_clear_error(staging: AsyncEngine) -> None:
    async with serving(FakeDepartment(people(3))) as server:
        [summary] = await sync(staging, [make_spec(server.url, records="rowz", attempts=2)])
    assert summary.status == "failed"
    assert summary.error is not None
    assert "no record list at 'rowz' (the response has: total, rows)" in summary.error
    async with staging.connect() as conn:
        state = (await conn.execute(select(SyncCheckpoint.state))).scalar_one()
    assert state == {"paginator": "offset", "at": {"offset": 0}}
