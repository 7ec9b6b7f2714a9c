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
See bench/README.md. This file holds the flags; the work is in bench/graphql_bench/.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "bench", ROOT):  # graphql_bench, then the project's own packages
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from graphql_bench.run import run  # noqa: E402
from graphql_bench.servers import stop_all  # noqa: E402


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
