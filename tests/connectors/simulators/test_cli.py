"""``python -m connectors.simulators`` serves, prints its URLs, and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import aiohttp

from tests.connectors.simulators.clients import AUTH, PATHS


async def test_command_serves_until_sigterm(tmp_path: Path, http: aiohttp.ClientSession) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "connectors.simulators", "--residents", "300",
        "--ga-port", "0", "--mz-port", "0", "--wj-port", "0",
        "--ledger-dir", str(tmp_path), "--fault-rate-limit-every", "2",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = [
            (await asyncio.wait_for(process.stdout.readline(), 20)).decode().split()
            for _ in range(4)
        ]
        urls = dict(lines[:3])
        assert list(urls) == ["ga", "mz", "wj"]
        assert lines[3] == ["cl", str(tmp_path / "cl_ledger.xlsx")]
        assert (tmp_path / "cl_ledger.csv").exists()
        for code, url in urls.items():
            codes = []
            for _ in range(2):
                async with http.get(url + PATHS[code], headers=AUTH[code]) as response:
                    codes.append(response.status)
            assert codes == [200, 429], code
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        await asyncio.wait_for(process.wait(), 10)
    assert process.returncode == 0
    assert time.monotonic() - started < 5
