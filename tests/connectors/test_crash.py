"""``yiwang sync`` killed with SIGKILL at random points and restarted, several times,
still ends with a staging area equal to the source: nothing lost, nothing duplicated."""

from __future__ import annotations

import asyncio
import os
import random
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import DEPARTMENTS_DIR, load_specs
from connectors.simulators import Dataset, Faults, running
from store.models import SyncRun
from tests.connectors.conftest import assert_equals_source, snapshot

KILLS = 4


async def start_sync(env: dict[str, str], specs: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "yiwang",
        "sync",
        "ga",
        "--specs",
        str(specs),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def _run_count(staging: AsyncEngine) -> int:
    async with staging.connect() as conn:
        return len((await conn.execute(select(SyncRun.id))).all())


async def _until_started(
    staging: AsyncEngine, runs_before: int, process: asyncio.subprocess.Process
) -> None:
    """Wait until the new process has recorded its run (Python start-up on a busy
    machine can take seconds), so that the kill lands inside the sync."""
    for _ in range(600):
        if await _run_count(staging) > runs_before or process.returncode is not None:
            return
        await asyncio.sleep(0.05)


async def test_sigkill_at_random_points_then_a_final_run_ends_equal_to_the_source(
    staging: AsyncEngine, staging_url: str, sim_dataset: Dataset, tmp_path: Path
) -> None:
    # Given ga with small pages, slow answers and some errors, so a run takes seconds
    text = (DEPARTMENTS_DIR / "ga.toml").read_text(encoding="utf-8")
    (tmp_path / "ga.toml").write_text(text.replace("limit = 500", "limit = 40"), "utf-8")
    faults = Faults(latency_ms=(60, 160), error_rate=0.1)
    rng = random.Random(f"crash:{staging_url.split(':')[0]}")
    async with running(codes=("ga",), dataset=sim_dataset, faults=faults) as urls:
        env = {
            **os.environ,
            "YIWANG_DATABASE_URL": staging_url,
            "YIWANG_VAR_DIR": str(tmp_path),
            "YIWANG_SECRET": "crash-test-secret-crash-test",
            "YIWANG_GA_URL": urls["ga"],
        }
        # When the sync is killed -9 several times at random moments
        killed = 0
        for _ in range(KILLS):
            runs_before = await _run_count(staging)
            process = await start_sync(env, tmp_path)
            await _until_started(staging, runs_before, process)  # start-up time varies
            try:
                await asyncio.wait_for(process.wait(), timeout=rng.uniform(0.2, 1.6))
            except TimeoutError:
                process.kill()  # SIGKILL: no cleanup, no finally blocks
                await process.wait()
                killed += 1
            else:
                assert process.returncode == 0
        # … and then runs to the end
        final = await start_sync(env, tmp_path)
        _, stderr = await asyncio.wait_for(final.communicate(), timeout=120)
        assert final.returncode == 0, stderr.decode()

        # Then the staging area equals the source, and earlier runs show as interrupted
        spec = load_specs(tmp_path, env={"YIWANG_GA_URL": urls["ga"]})["ga"]
        for resource in ("persons", "households"):
            await assert_equals_source(
                staging, spec, resource, await snapshot(urls["ga"], resource)
            )
    async with staging.connect() as conn:
        runs = (await conn.execute(select(SyncRun).order_by(SyncRun.id))).all()
    assert killed >= 2, "the runs ended before they could be killed: make them slower"
    interrupted = [run for run in runs if run.status == "interrupted"]
    assert len(interrupted) >= 2 and runs[-1].status == "succeeded"
    assert sum(run.pages for run in interrupted) > 0, "killed before any page was committed"
