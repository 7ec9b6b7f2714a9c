"""Benchmark: syncing a 200k-record department into SQLite and PostgreSQL, against the floor.

Starts the 公安 simulator (``ga``: 200,000 persons, no faults) in its own process on
127.0.0.1, the way a real platform runs, and every run below talks to that process:

1. the *floor*: the same fetch and parse with no store (``SourceClient`` and
   ``rest_pages`` over the shipped ga spec: offset pages of 500, 4 requests ahead,
   aiohttp, JSON parsing), the very client code a sync uses;
2. the same plus mapping and hashing (``map_page``), still without a store;
3. ``connectors.sync`` into a fresh SQLite file, then again with nothing changed; then
   the same first sync taken apart stage by stage into another fresh file
   (``bench/sync_bench/stages.py``);
4. the same into fresh PostgreSQL databases;
5. the floor once more, to see that the machine stayed the same.

Each run also records the CPU seconds of this client, the simulator, PostgreSQL and
everything else on the machine. Only the ``persons`` resource is synced, with the
spec's rate limit lifted. Writes its section of ``bench/RESULTS.md`` (other sections
are kept). Target: a first sync stores at least 50 % of the floor's rate (storing costs
less than fetching).

    .venv/bin/python bench/sync.py                     # 200k records (~3 min)
    .venv/bin/python bench/sync.py --residents 20000 --no-write   # smoke test
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import asyncpg
import orjson
import sqlalchemy

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.sync_bench.cpu import snapshot, used  # noqa: E402
from bench.sync_bench.report import Row, section, status, write_section  # noqa: E402
from bench.sync_bench.stages import StageRun, stage_run  # noqa: E402
from connectors import Spec, load_specs, map_page, sync  # noqa: E402
from connectors.http import SourceClient  # noqa: E402
from connectors.pages import rest_pages  # noqa: E402
from store import create_engine  # noqa: E402
from store.migrate import upgrade  # noqa: E402

WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "RESULTS.md"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "yiwang_bench_sync"
SERVER = """
import asyncio, sys
from connectors.simulators import running
async def main():
    async with running(codes=("ga",), residents=int(sys.argv[1]), seed=42) as urls:
        print(urls["ga"], flush=True)
        await asyncio.Event().wait()
asyncio.run(main())
"""


def start_simulator(residents: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(residents)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        process.kill()
        raise SystemExit("the ga simulator did not start")
    return process, url


def persons_spec(url: str) -> Spec:
    spec = load_specs(env={"YIWANG_GA_URL": url})["ga"]
    return dataclasses.replace(
        spec, rate_limit=None, resources={"persons": spec.resources["persons"]}
    )


async def walk(spec: Spec, mapped: bool) -> int:
    """Fetch (and parse, and optionally map) every page; store nothing."""
    resource = spec.resources["persons"]
    assert resource.paginator is not None
    records = 0
    async with aiohttp.ClientSession() as session:
        client = SourceClient(session, spec, lambda: None)
        async for page in rest_pages(client, spec, resource, resource.paginator.first(), None):
            if mapped:
                map_page(resource, page)
            records += len(page.records)
    return records


@dataclasses.dataclass
class Bench:
    spec: Spec
    simulator: int

    async def timed(self, run: str, store: str, work: Callable[[], Awaitable[int]]) -> Row:
        before = snapshot(self.simulator, DATABASE)
        start = time.perf_counter()
        records = await work()
        seconds = time.perf_counter() - start
        row = Row(run, store, records, seconds, used(before, snapshot(self.simulator, DATABASE)))
        others = row.cpu["others"] / seconds
        print(
            f"{run:<32} {store:<9} {records:>9,} {seconds:>7.2f} s {row.rate:>9,.0f}/s "
            f"(others used {others:.2f} cores)",
            flush=True,
        )
        return row

    async def store_runs(
        self, store: str, fresh: Callable[[], Awaitable[str]], expected: int
    ) -> tuple[list[Row], StageRun]:
        """First and second sync into a fresh store, then the stage-by-stage first sync
        into another fresh one."""
        url = await fresh()
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)

        def once(first: bool) -> Callable[[], Awaitable[int]]:
            async def run() -> int:
                [summary] = await sync(engine, [self.spec])
                assert summary.status == "succeeded", summary.error
                changed = summary.inserted if first else summary.unchanged
                assert changed == expected, summary
                return summary.fetched

            return run

        try:
            rows = [
                await self.timed("sync (first: all inserted)", store, once(True)),
                await self.timed("sync again (nothing changed)", store, once(False)),
            ]
        finally:
            await engine.dispose()
        url = await fresh()
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        try:
            stages = await stage_run(engine, self.spec)
        finally:
            await engine.dispose()
        assert stages.records == expected, stages
        return rows, stages


async def fresh_sqlite() -> str:
    path = WORK / "sync.sqlite3"
    for leftover in WORK.glob("sync.sqlite3*"):
        leftover.unlink()
    return f"sqlite+aiosqlite:///{path}"


async def fresh_postgres() -> str:
    conn = await asyncpg.connect(POSTGRES)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await conn.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DATABASE}"


async def postgres_version() -> str:
    conn = await asyncpg.connect(POSTGRES)
    try:
        return str(await conn.fetchval("SHOW server_version")).split()[0]
    finally:
        await conn.close()


async def measure(
    url: str, simulator: int, residents: int
) -> tuple[list[Row], dict[str, StageRun]]:
    spec = persons_spec(url)
    bench = Bench(spec, simulator)
    await walk(spec, mapped=False)  # warm-up: the server's caches, the client's imports
    rows = [await bench.timed("floor: fetch + parse", "none", lambda: walk(spec, False))]
    rows.append(await bench.timed("fetch + parse + map + hash", "none", lambda: walk(spec, True)))
    stages = {}
    for store, fresh in (("sqlite", fresh_sqlite), ("postgres", fresh_postgres)):
        store_rows, stages[store] = await bench.store_runs(store, fresh, residents)
        rows += store_rows
    rows.append(await bench.timed("floor again", "none", lambda: walk(spec, False)))
    return rows, stages


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} × {model}, {memory:.1f} GiB, Linux {platform.release()}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {asyncio.run(postgres_version())}, aiohttp {aiohttp.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}, asyncpg {asyncpg.__version__}, "
        f"orjson {orjson.__version__}; {git_revision()}"
    )


def git_revision() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    dirty = " with uncommitted changes" if git("status", "--porcelain") else ""
    return f"git {git('rev-parse', '--short', 'HEAD')}{dirty}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=200_000)
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args(argv)
    command = shlex.join([".venv/bin/python", "bench/sync.py", *(argv or sys.argv[1:])])
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"starting the ga simulator with {args.residents:,} residents …", flush=True)
    process, url = start_simulator(args.residents)
    try:
        rows, stages = asyncio.run(measure(url, process.pid, args.residents))
    finally:
        process.kill()
        process.wait()
    text = section(rows, stages, command, args.residents, machine())
    print("\n".join(line for line in text.splitlines() if line.startswith("|")))
    print(f"status: {' — '.join(status(rows))}")
    if not args.no_write:
        write_section(RESULTS, text)
        print(f"wrote the section to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
