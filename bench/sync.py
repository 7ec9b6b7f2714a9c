"""Benchmark: syncing a 200k-record department into SQLite and PostgreSQL, against the floor.

Starts the 公安 simulator (``ga``: 200,000 persons, no faults) in its own process on
127.0.0.1, then, in this process and in one run:

1. the *floor*: the same fetch and parse with no store (``rest_pages`` over the shipped
   ga spec: offset pages of 500, 4 requests ahead, aiohttp, ``json.loads``);
2. the same plus mapping and hashing (``map_page``), still without a store;
3. ``connectors.sync`` into a fresh SQLite file, then again with nothing changed;
4. the same into a fresh PostgreSQL database;
5. the floor once more, to see that the machine stayed the same.

Only the ``persons`` resource is synced, with the spec's rate limit lifted. Writes its
section of ``bench/RESULTS.md`` (other sections are kept). Target: a first sync stores at
least 50 % of the floor's rate (storing costs less than fetching).

    .venv/bin/python bench/sync.py                     # 200k records (~2 min)
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
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import asyncpg
import sqlalchemy

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from connectors import Spec, load_specs, map_page, sync  # noqa: E402
from connectors.http import SourceClient  # noqa: E402
from connectors.pages import rest_pages  # noqa: E402
from store import create_engine  # noqa: E402
from store.migrate import upgrade  # noqa: E402

WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Connector sync: a 200k-record department"
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


@dataclasses.dataclass
class Row:
    run: str
    store: str
    records: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.records / self.seconds


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


async def timed(run: str, store: str, work: Callable[[], Awaitable[int]]) -> Row:
    start = time.perf_counter()
    records = await work()
    row = Row(run, store, records, time.perf_counter() - start)
    print(f"{run:<32} {store:<9} {records:>9,} {row.seconds:>8.2f} s {row.rate:>10,.0f}/s")
    return row


async def store_runs(spec: Spec, store: str, url: str, expected: int) -> list[Row]:
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)

    def once(first: bool) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            [summary] = await sync(engine, [spec])
            assert summary.status == "succeeded", summary.error
            changed = summary.inserted if first else summary.unchanged
            assert changed == expected, summary
            return summary.fetched

        return run

    try:
        return [
            await timed("sync (first: all inserted)", store, once(True)),
            await timed("sync again (nothing changed)", store, once(False)),
        ]
    finally:
        await engine.dispose()


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


async def measure(url: str, residents: int) -> list[Row]:
    spec = persons_spec(url)
    await walk(spec, mapped=False)  # warm-up: the server's caches, the client's imports
    rows = [await timed("floor: fetch + parse", "none", lambda: walk(spec, False))]
    rows.append(await timed("fetch + parse + map + hash", "none", lambda: walk(spec, True)))
    sqlite_file = WORK / "sync.sqlite3"
    for leftover in WORK.glob("sync.sqlite3*"):
        leftover.unlink()
    rows += await store_runs(spec, "sqlite", f"sqlite+aiosqlite:///{sqlite_file}", residents)
    rows += await store_runs(spec, "postgres", await fresh_postgres(), residents)
    rows.append(await timed("floor again", "none", lambda: walk(spec, False)))
    return rows


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
        f"SQLAlchemy {sqlalchemy.__version__}"
    )


def git_revision() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    dirty = " with uncommitted changes" if git("status", "--porcelain") else ""
    return f"git {git('rev-parse', '--short', 'HEAD')}{dirty}"


def section(rows: list[Row], command: str, residents: int) -> str:
    floor = max(r.rate for r in rows if r.run.startswith("floor"))
    mapped = next(r.rate for r in rows if r.run.startswith("fetch + parse + map"))
    firsts = {r.store: r.rate for r in rows if r.run.startswith("sync (first")}
    worst = min(firsts.values())
    status = "OK: target met" if worst >= 0.5 * floor else "BELOW TARGET"
    shares = ", ".join(
        f"{store} {rate / floor:.0%} of the floor and {rate / mapped:.0%} of fetch + map"
        for store, rate in firsts.items()
    )
    lines = [
        SECTION,
        "",
        f"Written by `bench/sync.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"**Status: {status}** — target: a first sync at ≥ 50 % of the floor's rate. "
        f"First syncs: {shares}.",
        "",
        f"- Command: `{command}`",
        f"- Data: the 公安 simulator (`ga`) with {residents:,} persons, no faults, in its own "
        "process on 127.0.0.1; the shipped `ga.toml` spec, `persons` only, offset pages of "
        "500, 4 requests ahead, rate limit lifted. Each store starts empty (migrated).",
        f"- Machine: {machine()}; {git_revision()}.",
        "- *floor*: the same fetch and JSON parse as the sync (`rest_pages`), storing nothing. "
        "÷ floor uses the faster of the two floor runs.",
        "",
        "| run | store | records | seconds | records/s | ÷ floor | ÷ fetch + map |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.run} | {r.store} | {r.records:,} | {r.seconds:.2f} | {r.rate:,.0f} "
            f"| {r.rate / floor:.2f} | {r.rate / mapped:.2f} |"
        )
    lines += [
        "",
        "A first sync inserts every record (raw payload, mapped record, hash) with the "
        "checkpoint and run counters in one transaction per page; a second sync reads the "
        "stored hashes page by page and only marks the records as seen by the snapshot. "
        "The fetch is cheap here (loopback, a fast simulator, C JSON parsing), so the "
        "floor is high; what costs is the Python work per record: mapping and validating "
        "ten fields with their transforms and hashing the canonical payload (*fetch + "
        "parse + map + hash*, still no store), then the database writes.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if SECTION in current:
        start = current.index(SECTION)
        following = current.find("\n## ", start + len(SECTION))
        end = len(current) if following < 0 else following + 1
        current = current[:start] + text + current[end:]
    else:
        current = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(current.rstrip("\n") + "\n", encoding="utf-8")


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
        rows = asyncio.run(measure(url, args.residents))
    finally:
        process.kill()
        process.wait()
    text = section(rows, command, args.residents)
    if not args.no_write:
        write_section(text)
        print(f"wrote the section to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
