"""Provisional linking: exact valid (or upgraded legacy) ID numbers only."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from identity.idnumber import legacy_form
from identity.provisional import link_by_id_number
from store import create_engine
from store.migrate import upgrade
from store.models import Resident, SourceRecord
from store.seed import seed_demo
from tests.backends import throwaway_database


async def _scenario(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        await seed_demo(engine, residents=50, seed=11)
        async with engine.connect() as conn:
            people = list(
                await conn.execute(
                    select(Resident.id, Resident.id_number).order_by(Resident.id).limit(2)
                )
            )
        first, second = people
        broken = first.id_number[:-1] + ("0" if first.id_number[-1] != "0" else "1")
        records = {
            "exact": first.id_number,
            "legacy": legacy_form(second.id_number),
            "bad_checksum": broken,
            "unknown": "110101199003078515",
            "missing": None,
        }
        async with engine.begin() as conn:
            await conn.execute(
                insert(SourceRecord),
                [
                    {
                        "source": "mz",
                        "source_id": key,
                        "kind": "person",
                        "payload": {},
                        "content_hash": key,
                        "record": {"id_number": value},
                    }
                    for key, value in records.items()
                ],
            )
        summary = await link_by_id_number(engine)
        again = await link_by_id_number(engine)
        async with engine.connect() as conn:
            links = dict(
                (row.source_id, row.resident_id)
                for row in await conn.execute(
                    select(SourceRecord.source_id, SourceRecord.resident_id)
                )
            )
        return {"summary": summary, "again": again, "links": links, "ids": (first.id, second.id)}
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_links_only_exact_ids(backend: str, tmp_path: Path) -> None:
    with throwaway_database(backend, tmp_path) as url:
        upgrade(url)
        result = asyncio.run(_scenario(url))
    first, second = result["ids"]
    assert result["links"] == {
        "exact": first,
        "legacy": second,
        "bad_checksum": None,
        "unknown": None,
        "missing": None,
    }
    assert (result["summary"].linked, result["summary"].unmatched) == (2, 3)
    assert (result["again"].linked, result["again"].unmatched) == (0, 3)
