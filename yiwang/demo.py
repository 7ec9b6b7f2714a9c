"""The demo's department platforms: the simulators as a child process on their usual ports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from yiwang.settings import ConfigError

PORTS = {"ga": 8101, "mz": 8102, "wj": 8103}
STARTUP_SECONDS = 120


@contextmanager
def simulators(residents: int, seed: int, var_dir: Path) -> Iterator[dict[str, str]]:
    """Run the simulated 公安, 民政, 卫健 servers and write the 残联 ledger; yield the
    environment that points the connector specs at them. Stopped on exit."""
    ledgers = var_dir / "ledgers"
    command = [sys.executable, "-m", "connectors.simulators", "--residents", str(residents)]
    command += ["--seed", str(seed), "--ledger-dir", str(ledgers)]
    for code, port in PORTS.items():
        command += [f"--{code}-port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    # uvicorn re-raises SIGTERM after its graceful shutdown; turn it into SystemExit so
    # the simulators are stopped below instead of outliving the demo.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        env = _read_addresses(process)
        yield env
    finally:
        signal.signal(signal.SIGTERM, previous)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _read_addresses(process: subprocess.Popen[str]) -> dict[str, str]:
    """The ``code address`` lines the simulators print once they serve, as spec variables."""
    assert process.stdout is not None
    env: dict[str, str] = {}
    deadline = time.monotonic() + STARTUP_SECONDS
    while len(env) < len(PORTS) + 1:
        line = process.stdout.readline()
        if not line:
            raise ConfigError(
                "The simulated department platforms did not start (is a port of "
                f"{', '.join(map(str, PORTS.values()))} in use?)"
            )
        code, _, address = line.strip().partition(" ")
        if code in PORTS:
            env[f"YIWANG_{code.upper()}_URL"] = address
        elif code == "cl":
            env["YIWANG_CL_LEDGER"] = address
        if time.monotonic() > deadline:
            raise ConfigError("The simulated department platforms took too long to start")
    return env


def export(env: dict[str, str]) -> None:
    """Make the simulators' addresses visible to specs loaded later in this process."""
    os.environ.update(env)
