"""``yiwang sync`` and ``yiwang sources`` as an operator runs them, and a new department
added by a spec file alone."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import DEPARTMENTS_DIR
from connectors.simulators import Dataset, running, write_ledger
from tests.connectors.conftest import RESIDENTS, SEED, stored
from tests.connectors.fakes import FakeDepartment, serving


async def yiwang(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "yiwang",
        *args,
        env={**env, "COLUMNS": "200"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def base_env(url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "YIWANG_DATABASE_URL": url,
        "YIWANG_VAR_DIR": str(tmp_path),
        "YIWANG_SECRET": "cli-sync-secret-cli-sync-secret",
    }


async def test_sync_every_department_then_show_the_sources(
    staging: AsyncEngine, staging_url: str, sim_dataset: Dataset, tmp_path: Path
) -> None:
    ledger = write_ledger(tmp_path / "ledgers", residents=RESIDENTS, seed=SEED)
    async with running(codes=("ga", "mz", "wj"), dataset=sim_dataset) as urls:
        env = base_env(staging_url, tmp_path)
        env |= {f"YIWANG_{code.upper()}_URL": url for code, url in urls.items()}
        env["YIWANG_CL_LEDGER"] = str(ledger.xlsx)
        code, out, err = await yiwang(env, "sync")
        assert code == 0, out + err
        assert out.count("succeeded") == 4 and "quarantined" in out and "retries" in out

        code, out, err = await yiwang(env, "sources")
        assert code == 0, err
    ga_rows = len(await stored(staging, "ga", "person")) + len(
        await stored(staging, "ga", "household")
    )
    ga_line = next(line for line in out.splitlines() if "公安局" in line)
    assert f"{ga_rows:,}" in ga_line and "succeeded" in ga_line
    assert out.count("succeeded") == 4


async def test_unknown_or_failing_sources_are_reported(staging_url: str, tmp_path: Path) -> None:
    env = base_env(staging_url, tmp_path)
    code, _, err = await yiwang(env, "sync", "xx")
    assert code == 2 and "unknown source xx (known: cl, ga, mz, wj)" in err
    env["YIWANG_GA_URL"] = "http://127.0.0.1:9"  # nothing listens there
    specs = tmp_path / "specs"
    specs.mkdir()
    text = (DEPARTMENTS_DIR / "ga.toml").read_text(encoding="utf-8")
    (specs / "ga.toml").write_text(text.replace("[auth]", "[retry]\nattempts = 2\n\n[auth]"))
    code, out, _ = await yiwang(env, "sync", "ga", "--specs", str(specs))
    assert code == 1 and "failed" in out and "ga/persons offset=0" in out


NEW_DEPARTMENT = """
# 退役军人事务局: veterans' affairs, a department the code has never heard of
code = "tyjr"
name = "退役军人事务局"
kind = "rest"
base_url = "${YIWANG_TYJR_URL}"

[auth]
type = "bearer"
token = "${YIWANG_TYJR_TOKEN:-vet-token}"

[resources.veterans]
kind = "person"
path = "/api/items"
primary_key = "id"           # the body is the list itself: no records path
[resources.veterans.params]
limit = 3
[resources.veterans.paginator]
type = "link_header"         # the next page is in the Link header
rel = "next"
[resources.veterans.fields]
name = "name | trim"
birth_date = "born | date:%Y%m%d"
gender = "sex | gender:gb2261"
tags = "id | tag_if_present:退役军人"
"""


async def test_a_new_department_is_added_by_a_spec_alone(
    staging: AsyncEngine, staging_url: str, tmp_path: Path
) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(DEPARTMENTS_DIR, specs)
    (specs / "tyjr.toml").write_text(NEW_DEPARTMENT, encoding="utf-8")
    veterans = [
        {"id": f"V{n}", "name": f"老兵{n} ", "born": "19500101", "sex": "1"} for n in range(8)
    ]
    department = FakeDepartment(veterans, style="link", auth=("bearer", "vet-token"))
    async with serving(department) as server:
        env = base_env(staging_url, tmp_path) | {"YIWANG_TYJR_URL": server.url}
        code, out, err = await yiwang(env, "sync", "tyjr", "--specs", str(specs))
    assert code == 0, out + err
    assert len(department.log) == 3  # 3 + 3 + 2 records, following the Link header
    rows = await stored(staging, "tyjr", "person")
    assert set(rows) == {v["id"] for v in veterans}
    assert rows["V2"].record == {
        "name": "老兵2",
        "birth_date": "1950-01-01",
        "gender": "male",
        "tags": ["退役军人"],
    }
