"""Load: wrk against one server, a warm-up then a timed run per query.

``bench/wrk/graphql.lua`` posts the JSON body (with the token, if any), counts non-200
responses and bodies containing ``"errors"``, and prints its totals as one
``WRK_JSON {...}`` line, which is what is read here.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shlex
import subprocess
import time
from pathlib import Path
from typing import Any

from .config import LUA, ROOT, TYPENAME, WORK, log
from .machine import cpu_ticks, others_cpu
from .servers import Server


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
    """One wrk run: its WRK_JSON figures and the command as shown in the report."""
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


def measure(server: Server, args: argparse.Namespace) -> list[Measurement]:
    """The page, then ``{ __typename }`` (the floor): each warmed up, then timed."""
    assert server.proc is not None
    results = []
    for label, query in (("page", server.page_query), ("floor", TYPENAME)):
        log(f"{server.name} ({server.backend}) {label}: warm-up {args.warmup} s")
        run_wrk(server, label, query, args.warmup, args)
        log(f"{server.name} ({server.backend}) {label}: {args.duration} s under load")
        before, started = cpu_ticks(), time.monotonic()
        figures, command = run_wrk(server, label, query, args.duration, args)
        noise = others_cpu(before, time.monotonic() - started, server.proc.pid)
        measurement = Measurement(server.name, server.backend, label, figures, command, noise)
        log(
            f"  {figures['rps']:,.0f} req/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
            f"p99 {figures['p99_us'] / 1000:.1f} ms, {measurement.failures} failed, "
            f"other processes used {noise:.2f} cores"
        )
        results.append(measurement)
    return results
