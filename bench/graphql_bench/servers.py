"""The servers under load: yiwang (uvicorn, one worker) and PostGraphile 5, on 127.0.0.1.

Each runs in its own process group under ``timeout``, so it is stopped as a whole when
its turn ends, on an error or a signal (``stop_all``), and outlives no run even if the
benchmark itself is killed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .config import (
    CITY_CODE,
    NODE,
    PG_DATABASE,
    POSTGRAPHILE_DIR,
    POSTGRAPHILE_PAGE,
    ROOT,
    TYPENAME,
    WORK,
    YIWANG_PAGE,
    log,
    yiwang_cli,
    yiwang_env,
)

_started: list[Server] = []


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
    """Stop every server this run started, newest first; one failure stops no other."""
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


def yiwang_server(backend: str, url: str) -> Server:
    port = free_port()
    cli = str(yiwang_cli())
    argv = [cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    usage = subprocess.run([cli, "serve", "--help"], capture_output=True, text=True, timeout=120)
    if "--quiet" in usage.stdout:
        argv.append("--quiet")  # no access log: PostGraphile writes none either
    env = {**os.environ, **yiwang_env(url)}
    return Server("yiwang", backend, argv, env, ROOT, port, token=admin_token(url))


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
