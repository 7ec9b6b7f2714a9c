"""One run of the benchmark: the stores, then each server in turn — start, check, load, stop.

``run`` takes the parsed flags of bench/graphql_page.py, prints the tables, writes the
section of bench/RESULTS.md (unless ``--no-write``) and returns the exit status: 1 when a
request failed or a page differed from its store.
"""

from __future__ import annotations

import argparse
import shutil

from .checks import check
from .config import RESULTS, ROOT, WORK, log
from .load import Measurement, measure
from .machine import machine
from .report import ratios, section, table, write_results
from .servers import Server, postgraphile_server, yiwang_server
from .stores import prepare


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

    backends = [b for b in ("sqlite", "postgres") if b in args.backends and run_yiwang]
    if run_postgraphile and "postgres" not in backends:
        backends.append("postgres")
    stores = {b: prepare(b, args.residents, args.reseed) for b in backends}

    measurements: list[Measurement] = []
    checks: list[str] = []
    sizes: dict[str, int] = {}
    mismatched = False
    servers: list[Server] = []
    if run_yiwang:
        servers += [yiwang_server(b, stores[b].url) for b in backends if b in args.backends]
    if run_postgraphile:
        servers.append(postgraphile_server())
    for server in servers:
        server.lifetime = 300 + 2 * (args.warmup + args.duration)
    for server in servers:
        server.start()
        try:
            server.wait_ready()
            result = check(server, stores[server.backend].url)
            sizes[result.label] = result.size
            checks.append(result.line)
            if not result.matches:
                mismatched = True
                flags.append(f"{result.label} returned different data")
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
    return 1 if failed or mismatched else 0
