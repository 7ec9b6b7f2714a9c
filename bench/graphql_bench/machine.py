"""The machine a run happens on: hardware and versions, and CPU others use meanwhile.

``others_cpu`` tells how many cores processes outside the run (not the server's process
group, wrk, PostgreSQL's backends for the bench database or this script) took during a
timed run, from ``/proc/*/stat`` ticks before and after.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
from pathlib import Path

from .config import NODE, PG_DATABASE, POSTGRAPHILE_DIR, ROOT


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


def others_cpu(before: dict[int, tuple[str, int, int]], seconds: float, server_pid: int) -> float:
    """Cores that processes other than this run's used meanwhile: the server's process
    group (led by ``server_pid``), wrk, PostgreSQL's backends for the bench database and
    this script are ours; the rest is noise from elsewhere."""
    ours = {os.getpid()}
    ticks = 0
    for pid, (comm, group, used) in cpu_ticks().items():
        if pid in ours or group == server_pid or comm in ("wrk", "postgres:bench"):
            continue
        ticks += used - before[pid][2] if pid in before else used
    return ticks / os.sysconf("SC_CLK_TCK") / max(seconds, 1e-9)
