"""``python -m connectors.simulators``: write the 残联 ledger, serve ga, mz and wj until
SIGINT or SIGTERM, and print one ``code url`` line per server."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections.abc import Sequence

from connectors.simulators.data import CODES, derive
from connectors.simulators.faults import Faults
from connectors.simulators.ledger import write_ledger
from connectors.simulators.runner import DEFAULT_PORTS, running


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m connectors.simulators",
        description="Simulated department platforms (see docs/department-apis.md).",
    )
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--host", default="127.0.0.1")
    for code, port in DEFAULT_PORTS.items():
        parser.add_argument(f"--{code}-port", type=int, default=port, metavar="PORT")
    parser.add_argument("--ledger-dir", default="var/ledgers", help="where cl_ledger.* go")
    parser.add_argument("--ledger-bad-rows", type=int, default=0, metavar="N")
    faults = parser.add_argument_group(
        "faults (for every server; change at run time with POST /_admin/faults)"
    )
    faults.add_argument("--fault-error-rate", type=float, default=0.0)
    faults.add_argument(
        "--fault-latency-ms", type=float, nargs=2, default=(0.0, 0.0), metavar=("MIN", "MAX")
    )
    faults.add_argument("--fault-timeout-rate", type=float, default=0.0)
    faults.add_argument("--fault-rate-limit-every", type=int, default=0, metavar="N")
    faults.add_argument("--fault-truncated-rate", type=float, default=0.0)
    faults.add_argument("--fault-non-json-rate", type=float, default=0.0)
    faults.add_argument("--fault-malformed-rate", type=float, default=0.0)
    faults.add_argument("--fault-drift-per-page", type=int, default=0, metavar="N")
    faults.add_argument("--fault-hang-seconds", type=float, default=30.0, metavar="S")
    return parser.parse_args(argv)


def faults_of(args: argparse.Namespace) -> Faults:
    return Faults(
        error_rate=args.fault_error_rate,
        latency_ms=tuple(args.fault_latency_ms),
        timeout_rate=args.fault_timeout_rate,
        rate_limit_every=args.fault_rate_limit_every,
        truncated_rate=args.fault_truncated_rate,
        non_json_rate=args.fault_non_json_rate,
        malformed_rate=args.fault_malformed_rate,
        drift_per_page=args.fault_drift_per_page,
        hang_seconds=args.fault_hang_seconds,
    )


async def serve(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    faults = faults_of(args)
    dataset = await asyncio.to_thread(derive, args.residents, args.seed, CODES)
    ledger = write_ledger(args.ledger_dir, dataset=dataset, bad_rows=args.ledger_bad_rows)
    ports = {code: getattr(args, f"{code}_port") for code in DEFAULT_PORTS}
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with running(
        tuple(DEFAULT_PORTS), faults=faults, host=args.host, port=ports, dataset=dataset
    ) as urls:
        for code, url in urls.items():
            print(code, url, flush=True)
        print("cl", ledger.xlsx, flush=True)
        seconds = time.perf_counter() - started
        print(f"ready in {seconds:.1f} s ({args.residents} residents)", file=sys.stderr)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        faults_of(args)
    except ValueError as exc:
        raise SystemExit(f"invalid fault option: {exc}") from None
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
