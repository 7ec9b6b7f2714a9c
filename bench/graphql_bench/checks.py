"""Before timing: is each server's page the first 50 residents as its store has them?

Both the server's answer and the store's rows are brought to one shape (``record``):
integer primary keys, names, ID numbers, ISO birth dates, sorted tags, household id and
address, grid id, code and name.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime as dt
import json
from typing import Any

from .config import PAGE
from .servers import Server, post


@dataclasses.dataclass
class Check:
    label: str  # "yiwang on sqlite"
    line: str  # the sentence for the report
    size: int  # bytes of the page response
    matches: bool


def check(server: Server, store_url: str) -> Check:
    """Fetch the server's page and compare it with the store's first 50 residents."""
    page, size = fetch_page(server)
    want = asyncio.run(reference_page(store_url))
    problems = differences(page, want)
    label = f"{server.name} on {server.backend}"
    if problems:
        return Check(label, f"{label}: **MISMATCH** — " + "; ".join(problems), size, False)
    first, last = (want[0]["id"], want[-1]["id"]) if want else (None, None)
    line = f"{label}: same {len(page)} residents as the database (ids {first}–{last})."
    return Check(label, line, size, True)


async def reference_page(url: str) -> list[dict[str, Any]]:
    """The first 50 residents as the database itself has them."""
    from sqlalchemy import text

    from store.session import create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT r.id, r.name, r.id_number, r.birth_date, h.id, h.address, "
                        "g.id, g.code, g.name FROM resident r "
                        "LEFT JOIN household h ON h.id = r.household_id "
                        "LEFT JOIN grid g ON g.id = r.grid_id ORDER BY r.id LIMIT :n"
                    ),
                    {"n": PAGE},
                )
            ).all()
            ids = [row[0] for row in rows]
            tags: dict[int, list[str]] = {i: [] for i in ids}
            if ids:
                tag_rows = await conn.execute(
                    text(
                        "SELECT resident_id, tag FROM resident_tag "
                        "WHERE resident_id BETWEEN :lo AND :hi"
                    ),
                    {"lo": min(ids), "hi": max(ids)},
                )
                for resident_id, tag in tag_rows:
                    if resident_id in tags:
                        tags[resident_id].append(tag)
    finally:
        await engine.dispose()
    return [
        record(
            row[0],
            row[1],
            row[2],
            row[3],
            tags[row[0]],
            None if row[4] is None else {"id": row[4], "address": row[5]},
            None if row[6] is None else {"id": row[6], "code": row[7], "name": row[8]},
        )
        for row in rows
    ]


def fetch_page(server: Server) -> tuple[list[dict[str, Any]], int]:
    status, body = post(server.url, server.page_query, server.token)
    payload = json.loads(body) if body else {}
    if status != 200 or payload.get("errors") or not payload.get("data"):
        raise RuntimeError(
            f"{server.name} ({server.backend}) page query failed: HTTP {status} {body[:800]!r}"
        )
    data = payload["data"]
    if server.name == "PostGraphile":
        nodes = [edge["node"] for edge in data["allResidents"]["edges"]]
        page = [
            record(
                n["rowId"],
                n["name"],
                n["idNumber"],
                n["birthDate"],
                [t["tag"] for t in n["residentTagsByResidentId"]["nodes"]],
                rename(n["householdByHouseholdId"]),
                rename(n["gridByGridId"]),
            )
            for n in nodes
        ]
    else:
        nodes = [edge["node"] for edge in data["residents"]["edges"]]
        page = [
            record(
                n["id"],
                n["name"],
                n["idNumber"],
                n["birthDate"],
                list(n["tags"]),
                n["household"],
                n["grid"],
            )
            for n in nodes
        ]
    return page, len(body)


def record(
    id_: Any,
    name: Any,
    id_number: Any,
    birth: Any,
    tags: list[str],
    household: dict[str, Any] | None,
    grid: dict[str, Any] | None,
) -> dict[str, Any]:
    if isinstance(birth, dt.date):
        birth = birth.isoformat()
    return {
        "id": primary_key(id_),
        "name": name,
        "idNumber": id_number,
        "birthDate": birth,
        "tags": sorted(tags),
        "household": household and {**household, "id": primary_key(household["id"])},
        "grid": grid and {**grid, "id": primary_key(grid["id"])},
    }


def primary_key(value: Any) -> int:
    """An integer key, or a Relay global ID ("Resident:12", base64) decoded to one."""
    if isinstance(value, int):
        return value
    text_value = str(value)
    if text_value.isdigit():
        return int(text_value)
    try:
        decoded = base64.b64decode(text_value + "=" * (-len(text_value) % 4)).decode()
    except ValueError:
        raise ValueError(f"cannot read a primary key from ID {text_value!r}") from None
    tail = decoded.rsplit(":", 1)[-1].strip('[]" ').rsplit(",", 1)[-1]
    return int(tail)


def rename(node: dict[str, Any] | None) -> dict[str, Any] | None:
    if node is None:
        return None
    return {("id" if key == "rowId" else key): value for key, value in node.items()}


def differences(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(got) != len(want):
        problems.append(f"{len(got)} residents instead of {len(want)}")
    for mine, theirs in zip(got, want, strict=False):
        if mine != theirs:
            problems.append(f"resident {theirs['id']}: got {mine}, database has {theirs}")
            break
    return problems
