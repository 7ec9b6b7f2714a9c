"""What both identity benchmarks share: paths, timed subprocesses, machine facts, pair
scores, and writing one section of bench/RESULTS.md while keeping the others."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "bench" / ".work" / "identity"
RESULTS = ROOT / "bench" / "RESULTS.md"
PYTHON = sys.executable
YIWANG = str(Path(PYTHON).with_name("yiwang"))


def progress(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Run:
    """One timed subprocess: wall seconds, peak resident memory of the process tree's
    largest process (``/usr/bin/time -v``), exit status and the tail of its output."""

    argv: list[str]
    seconds: float
    peak_mib: float
    status: int
    output: str
    others_cpu: float = 0.0  # cores busy meanwhile outside this process tree

    @property
    def ok(self) -> bool:
        return self.status == 0


def timed(argv: list[str], timeout: float, env: Mapping[str, str] | None = None) -> Run:
    """Run ``argv`` under ``/usr/bin/time -v`` in its own process group, bounded in time."""
    wrapped = ["/usr/bin/time", "-v", *argv]
    busy_before = _busy_seconds()
    started = time.perf_counter()
    process = subprocess.Popen(
        wrapped,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        output, _ = process.communicate()
        output += f"\n(killed after {timeout:.0f} s)"
    seconds = time.perf_counter() - started
    busy = _busy_seconds() - busy_before
    own = sum(
        float(found.group(1))
        for found in re.finditer(r"(?:User|System) time \(seconds\): ([\d.]+)", output)
    )
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", output)
    status = process.returncode if process.returncode is not None else -9
    tail = output.split("\tCommand being timed:")[0][-4000:]
    others = max(0.0, (busy - own) / seconds) if seconds else 0.0
    return Run(argv, seconds, int(peak.group(1)) / 1024 if peak else 0.0, status, tail, others)


def _busy_seconds() -> float:
    """CPU seconds the whole machine spent busy since boot (``/proc/stat``)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ticks = [int(value) for value in fields]
    busy = sum(ticks) - ticks[3] - ticks[4]  # less idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class PairScore:
    precision: float
    recall: float
    f1: float
    true_positive: int
    predicted: int
    actual: int


def score_pairs(predicted: set[tuple[str, str]], actual: set[tuple[str, str]]) -> PairScore:
    """Pairs as (smaller id, larger id)."""
    hits = len(predicted & actual)
    return _score(hits, len(predicted), len(actual))


def score_clusters(clusters: Mapping[str, str], entity: Mapping[str, str]) -> PairScore:
    """Pairwise scores of a clustering (record -> cluster) against record -> entity, by
    counting from cell sizes; records missing from ``clusters`` are singletons."""
    cells: Counter[tuple[str, str]] = Counter()
    for record, truth in entity.items():
        cells[clusters.get(record, "\0" + record), truth] += 1
    by_cluster: Counter[str] = Counter()
    by_entity: Counter[str] = Counter()
    for (cluster, truth), n in cells.items():
        by_cluster[cluster] += n
        by_entity[truth] += n
    hits, predicted, actual = (
        _pairs(values) for values in (cells.values(), by_cluster.values(), by_entity.values())
    )
    return _score(hits, predicted, actual)


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def _score(hits: int, predicted: int, actual: int) -> PairScore:
    precision = hits / predicted if predicted else 1.0
    recall = hits / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScore(precision, recall, f1, hits, predicted, actual)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{os.cpu_count()} × {cpu}, {kib / 1024 / 1024:.1f} GiB, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("splink", "duckdb", "recordlinkage", "pandas"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} missing")
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True
    ).stdout.strip()
    return ", ".join(found) + f"; git {head}{' with uncommitted changes' if dirty else ''}"


def write_section(title: str, body: list[str]) -> None:
    """Replace the section ``## title`` of RESULTS.md (or append it), keeping the rest."""
    lines = RESULTS.read_text().splitlines() if RESULTS.exists() else ["# Benchmark results"]
    heading = f"## {title}"
    if heading in lines:
        start = lines.index(heading)
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        lines[start:end] = [heading, "", *body, ""]
    else:
        lines += ["", heading, "", *body]
    RESULTS.write_text("\n".join(lines).rstrip("\n") + "\n")


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
