"""Ledger import (台账): CSV and XLSX through the same upsert, quarantine and run record."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import Progress, Spec, list_deletions, list_quarantine, load_specs, sync
from connectors.simulators import Ledger, write_ledger
from connectors.simulators.ledger import BAD_BIRTH_DATE, HEADER_ROW, NO_CERTIFICATE
from tests.connectors.conftest import RESIDENTS, SEED, stored


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    folder = tmp_path_factory.mktemp("ledger")
    return write_ledger(folder, residents=RESIDENTS, seed=SEED, bad_rows=4)


def cl_spec(path: Path) -> Spec:
    return load_specs(env={"YIWANG_CL_LEDGER": str(path)})["cl"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_a_ledger_is_imported_with_bad_rows_quarantined(
    staging: AsyncEngine, ledger: Ledger, fmt: str
) -> None:
    path = ledger.xlsx if fmt == "xlsx" else ledger.csv
    [summary] = await sync(staging, [cl_spec(path)])
    assert summary.status == "succeeded", summary.error
    assert summary.fetched == ledger.rows
    assert summary.inserted == ledger.rows - 4 and summary.quarantined == 4
    entries = await list_quarantine(staging, "cl")
    first_data_row = HEADER_ROW + 1 if fmt == "xlsx" else 2
    expected = {
        f"row {number - 1 + first_data_row}": "id_number" if how == BAD_BIRTH_DATE else "残疾证号"
        for number, how in ledger.bad_rows.items()
    }
    assert {e.page: e.field for e in entries} == expected
    assert {e.reason for e in entries if e.field == "残疾证号"} == {"missing primary key"}
    assert NO_CERTIFICATE in ledger.bad_rows.values()

    rows = await stored(staging, "cl", "person")
    record = next(iter(rows.values())).record
    assert record["tags"] == ["残疾"] and record["gender"] in ("male", "female")
    assert record["extras"]["disability_grade"].endswith("级")

    [again] = await sync(staging, [cl_spec(path)])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, ledger.rows - 4)
    assert len(await list_quarantine(staging, "cl")) == 4


async def test_a_row_gone_from_the_ledger_is_proposed_for_deletion(
    staging: AsyncEngine, ledger: Ledger, tmp_path: Path
) -> None:
    with ledger.csv.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    shorter = tmp_path / "cl.csv"
    with shorter.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(lines[:-2])
    await sync(staging, [cl_spec(ledger.csv)])
    [summary] = await sync(staging, [cl_spec(shorter)])
    assert summary.proposed_deletions == 2
    gone = {p.source_id for p in await list_deletions(staging, "cl")}
    assert gone == {line[6] for line in lines[-2:]}


async def test_an_interrupted_import_resumes_after_the_last_committed_batch(
    staging: AsyncEngine, ledger: Ledger
) -> None:
    spec = cl_spec(ledger.xlsx)
    resource = spec.resources["disabled"]
    assert resource.ledger is not None and ledger.rows > 3 * 20
    small = dataclasses.replace(resource, ledger=dataclasses.replace(resource.ledger, batch=20))
    spec = dataclasses.replace(spec, resources={"disabled": small})

    def crash_after_two_batches(event: Progress) -> None:
        if event.pages == 2 and not event.done:
            raise RuntimeError("power cut")

    [broken] = await sync(staging, [spec], progress=crash_after_two_batches)
    assert broken.status == "failed" and "power cut" in (broken.error or "")
    assert broken.fetched == 40
    [resumed] = await sync(staging, [spec])
    assert resumed.status == "succeeded"
    assert resumed.fetched == ledger.rows - 40
    assert len(await stored(staging, "cl", "person")) == ledger.rows - 4


async def test_a_ledger_that_does_not_match_its_spec_fails_clearly(
    staging: AsyncEngine, ledger: Ledger, tmp_path: Path
) -> None:
    [missing] = await sync(staging, [cl_spec(tmp_path / "nowhere.xlsx")])
    assert missing.status == "failed"
    assert f"cl/disabled: ledger file {tmp_path / 'nowhere.xlsx'} not found" in (
        missing.error or ""
    )

    renamed = tmp_path / "renamed.csv"
    text = ledger.csv.read_text(encoding="utf-8-sig").replace("姓名", "名字", 1)
    renamed.write_text(text, encoding="utf-8-sig")
    [wrong] = await sync(staging, [cl_spec(renamed)])
    assert wrong.status == "failed"
    assert "column '姓名' (fields.name) is not in header row 1" in (wrong.error or "")
