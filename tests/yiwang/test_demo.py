"""``yiwang demo`` end to end, as ``make demo`` runs it: the simulated platforms are
synced, their records resolved into residents, and the served residents name the
departments their facts came from and why their records are one person.

Runs the real command in a subprocess on the demo's fixed simulator ports (8101–8103)
and a free GraphQL port, then stops it with SIGTERM as an operator would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from store.base import Role
from yiwang.auth import issue_token
from yiwang.demo import PORTS

SECRET = "demo-secret-demo-secret-demo-secret"
STARTUP_SECONDS = 240
QUERY = """
{ residents(first: 100) { edges { node {
    name
    sources { source sourceId fetchedAt }
    matchExplanation { probability summary contributions { comparison level weight } }
} } } }
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"yiwang demo exited early:\n{process.stdout.read() if process.stdout else ''}"
            )
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail("yiwang demo did not serve in time")


def _query(url: str, query: str) -> Any:
    token = issue_token(SECRET, Role.ADMIN, "4208", ttl_hours=1)
    response = httpx.post(
        f"{url}/graphql",
        json={"query": query},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def test_the_demo_serves_residents_merged_from_the_department_platforms(tmp_path: Path) -> None:
    busy = [port for port in PORTS.values() if _in_use(port)]
    if busy:
        pytest.skip(f"the demo's simulator ports {busy} are in use (is a demo running?)")
    port = _free_port()
    env = {
        **os.environ,
        "YIWANG_SECRET": SECRET,
        "YIWANG_VAR_DIR": str(tmp_path),
        "YIWANG_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
    }
    command = [sys.executable, "-m", "yiwang", "demo", "--residents", "400", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process)
        residents = [edge["node"] for edge in _query(url, QUERY)["residents"]["edges"]]
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert "Identity resolution" in output
    assert len(residents) == 100
    departments = [{s["source"] for s in r["sources"]} for r in residents]
    assert all(departments), "every served resident comes from some department's records"
    assert any(len(d) >= 2 for d in departments), "some were merged across departments"
    assert all(s["fetchedAt"] for r in residents for s in r["sources"])
    for resident in residents:  # n records are explained by n - 1 joining pairs
        edges = resident["matchExplanation"]
        assert len(edges) == len(resident["sources"]) - 1, resident
        assert all(e["probability"] >= 0.95 and e["contributions"] for e in edges)
    assert not any(_in_use(p) for p in PORTS.values()), "the simulators stopped with the demo"
