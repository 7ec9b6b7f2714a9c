"""Who used the CPU during a timed run: this client, the simulator, the database, others.

Read from ``/proc`` before and after each run: this process (all its threads, so the
SQLite driver's thread too), the simulator's process, PostgreSQL's processes (its
backends for the bench database and its background writers; backends of other
databases count as others), and the whole machine. *Others* is the machine's busy time
less ours: other people's work on a shared machine, which slows a run down.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
ROLES = ("client", "simulator", "database", "others")


@dataclass(frozen=True)
class Snapshot:
    machine: int  # busy clock ticks of all CPUs
    processes: dict[int, tuple[str, int]]  # pid -> (role, ticks)


def _machine_ticks() -> int:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return user + nice + system + irq + softirq + steal


def _role(pid: int, comm: str, simulator: int, database: str) -> str | None:
    if pid == os.getpid():
        return "client"
    if pid == simulator:
        return "simulator"
    if comm != "postgres":
        return None
    with contextlib.suppress(OSError):
        title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        backend = " 127.0.0.1(" in title or " [local]" in title
        if not backend or f" {database} " in title:
            return "database"
    return None


def snapshot(simulator: int, database: str) -> Snapshot:
    """CPU ticks so far of the machine and of each process playing a role in the run."""
    found: dict[int, tuple[str, int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        pid, comm = int(entry.name), raw[raw.index("(") + 1 : raw.rindex(")")]
        role = _role(pid, comm, simulator, database)
        if role is not None:
            fields = raw[raw.rindex(")") + 2 :].split()
            found[pid] = (role, int(fields[11]) + int(fields[12]))
    return Snapshot(_machine_ticks(), found)


def used(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """CPU seconds per role between two snapshots (a process that ended meanwhile is
    lost to its role and shows up under others)."""
    seconds = dict.fromkeys(ROLES, 0.0)
    for pid, (role, ticks) in after.processes.items():
        start = before.processes.get(pid, (role, 0))[1]
        seconds[role] += (ticks - start) / TICK
    busy = (after.machine - before.machine) / TICK
    seconds["others"] = max(0.0, busy - sum(seconds.values()))
    return seconds
