"""A small resolved store per backend: grids seeded, a handful of department person
records staged, one ``resolve_store`` run. Tests change it, so each gets its own."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.idnumber import check_character
from resolution import resolve_store
from store import create_engine
from store.models import IdentityRun, Resident, ReviewPair, ReviewStatus, SourceRecord
from store.seed import seed_demo

QIYIQIAO = "荆门市东宝区龙泉街道七一桥社区"  # 1-24栋 lie in its grid 001, 25-48栋 in 002
XIANGSHAN = "荆门市东宝区龙泉街道象山社区"
STAGED_AT = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def id_number(first17: str) -> str:
    return first17 + check_character(first17)


ZHANG_WEI = id_number("42080219900101123")
PEOPLE: dict[tuple[str, str], dict[str, Any]] = {
    # 张伟: three departments, one person; head of household H1 in grid 001
    ("ga", "g1"): {"name": "张伟", "id_number": ZHANG_WEI, "gender": "male",
                   "birth_date": "1990-01-01", "phone": "13812345678",
                   "residence_address": f"{QIYIQIAO}1栋1单元101室", "household_key": "H1",
                   "relation": "户主", "tags": ["低保"]},
    ("mz", "m1"): {"name": "张伟", "id_number": ZHANG_WEI, "gender": "男",
                   "birth_date": "1990-01-01", "phone": "13812345678",
                   "residence_address": f"{QIYIQIAO}1栋1单元101室", "household_key": "M1",
                   "relation": "户主"},
    ("wj", "w1"): {"name": "张伟", "gender": "男", "birth_date": "1990-01-01",
                   "phone": "13812345678", "residence_address": f"{QIYIQIAO}1栋1单元101室"},
    # 李娜: his wife
    ("ga", "g2"): {"name": "李娜", "id_number": id_number("42080219920202234"),
                   "gender": "female", "birth_date": "1992-02-02", "phone": "13912345678",
                   "residence_address": f"{QIYIQIAO}1栋1单元101室", "household_key": "H1",
                   "relation": "配偶"},
    # 陈静 twice, too far apart for the matcher: a person has to say they are one
    ("ga", "g3"): {"name": "陈静", "id_number": id_number("42080219880303345"),
                   "gender": "female", "birth_date": "1988-03-03", "phone": "13612345678",
                   "residence_address": f"{QIYIQIAO}2栋2单元202室", "household_key": "H3",
                   "relation": "户主"},
    ("wj", "w3"): {"name": "陈静", "gender": "女", "birth_date": "1989-07-15",
                   "phone": "15912345678", "residence_address": f"{QIYIQIAO}3栋1单元301室"},
    # 赵磊: same community, its grid 002
    ("ga", "g5"): {"name": "赵磊", "id_number": id_number("42080219750707567"),
                   "gender": "male", "birth_date": "1975-07-07", "phone": "13512345678",
                   "residence_address": f"{QIYIQIAO}30栋1单元101室", "household_key": "H5",
                   "relation": "户主"},
    # 王芳: another community
    ("mz", "m4"): {"name": "王芳", "id_number": id_number("42080219850505456"),
                   "gender": "女", "birth_date": "1985-05-05", "phone": "13712345678",
                   "residence_address": f"{XIANGSHAN}2栋3单元502室", "household_key": "M4",
                   "relation": "户主"},
}  # fmt: skip


async def stage(engine: AsyncEngine, records: Mapping[tuple[str, str], dict[str, Any]]) -> None:
    """Insert person records as a connector sync leaves them."""
    rows = [
        {"source": source, "source_id": source_id, "kind": "person", "payload": record,
         "record": record, "content_hash": _hash(record), "fetched_at": STAGED_AT}
        for (source, source_id), record in records.items()
    ]  # fmt: skip
    async with engine.begin() as conn:
        await conn.execute(insert(SourceRecord), rows)


async def restage(engine: AsyncEngine, key: tuple[str, str], **changed: Any) -> None:
    """A department changed a record: the next sync stores it, fetched later."""
    async with engine.begin() as conn:
        query = select(SourceRecord.id, SourceRecord.record).where(
            SourceRecord.source == key[0], SourceRecord.source_id == key[1]
        )
        row = (await conn.execute(query)).one()
        record = {**row.record, **changed}
        fetched = datetime.now(UTC) + timedelta(seconds=1)
        await conn.execute(
            update(SourceRecord)
            .where(SourceRecord.id == row.id)
            .values(record=record, payload=record, content_hash=_hash(record), fetched_at=fetched)
        )


async def resident_of(engine: AsyncEngine, key: tuple[str, str]) -> int:
    async with engine.connect() as conn:
        query = select(SourceRecord.resident_id).where(
            SourceRecord.source == key[0], SourceRecord.source_id == key[1]
        )
        resident = (await conn.execute(query)).scalar_one()
        assert resident is not None, f"{key} belongs to no resident"
        return resident


async def record_id(engine: AsyncEngine, key: tuple[str, str]) -> int:
    async with engine.connect() as conn:
        query = select(SourceRecord.id).where(
            SourceRecord.source == key[0], SourceRecord.source_id == key[1]
        )
        return int((await conn.execute(query)).scalar_one())


async def resident_row(engine: AsyncEngine, resident: int) -> Any:
    async with engine.connect() as conn:
        query = select(*Resident.__table__.columns).where(Resident.id == resident)
        return (await conn.execute(query)).one()


def _hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


@pytest.fixture
async def resolved(empty_store_url: str) -> AsyncIterator[AsyncEngine]:
    """The store after one run over ``PEOPLE``: 张伟 one resident of three records,
    陈静 two residents."""
    engine = create_engine(empty_store_url)
    await seed_demo(engine, residents=0, people=False)
    await stage(engine, PEOPLE)
    await resolve_store(engine)
    yield engine
    await engine.dispose()


async def open_review(engine: AsyncEngine, left: tuple[str, str], right: tuple[str, str]) -> int:
    """A pair the last run asked a person about, as ``write_review`` leaves it."""
    a, b = sorted([await record_id(engine, left), await record_id(engine, right)])
    async with engine.begin() as conn:
        run = (await conn.execute(select(func.max(IdentityRun.id)))).scalar_one()
        pair = {"left_record_id": a, "right_record_id": b, "run_id": run, "probability": 0.6,
                "match_weight": 0.6, "reason": "uncertain", "status": ReviewStatus.OPEN,
                "explanation": [["name", "exact", 11.7], ["birth_date", "different", -9.2],
                                ["id_number", "null", 0.0]]}  # fmt: skip
        statement = insert(ReviewPair).values(pair).returning(ReviewPair.id)
        return int((await conn.execute(statement)).scalar_one())
