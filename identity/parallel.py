"""Normalising distinct values on every core: the one part of resolution that is Python.

Stage 1 parses each distinct value of each field once (``identity.distinct``): for a
million records that is over a million calls of pure-Python parsers, most of a run's
time, while numpy does everything after it. The values are independent, so they are
cut into chunks and parsed by worker processes.

Workers are forked, not spawned: a fork starts in milliseconds and inherits the parsers,
their loaded dictionaries (pypinyin, OpenCC) and the values themselves, so only the
parsed results cross back (pickled, in chunks). Where ``fork`` is unavailable, on
small inputs (where start-up would cost more than it saves) and with one core, the
values are parsed in this process; either way the results are the same, in order.
While the workers parse, this process runs ``meanwhile`` (the cheap key columns),
rather than wait.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Normaliser = Callable[[object], tuple[Any, bool]]
Jobs = Mapping[str, tuple[Normaliser, Sequence[object]]]
PARALLEL_FROM = 40_000  # distinct values; below this one process is faster
CHUNK = 8_192  # values a task: small enough to balance the workers, large to pickle well

_jobs: Jobs = {}  # what forked workers read; set only while a pool runs


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def normalise_all(
    jobs: Jobs,
    workers: int | None = None,
    meanwhile: Callable[[], None] = lambda: None,
    report: Callable[[int, int], None] = lambda done, total: None,
) -> dict[str, list[tuple[Any, bool]]]:
    """Each job's values normalised, in order; ``workers`` processes (default: one a core)."""
    global _jobs
    workers = cores() if workers is None else workers
    total = sum(len(values) for _, values in jobs.values())
    fork = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or total < PARALLEL_FROM or not fork:
        meanwhile()
        results = {}
        for done, (field, (normalise, values)) in enumerate(jobs.items(), start=1):
            results[field] = [normalise(value) for value in values]
            report(done, len(jobs))
        return results
    tasks = [
        (field, start, min(start + CHUNK, len(values)))
        for field, (_, values) in jobs.items()
        for start in range(0, len(values), CHUNK)
    ]
    results = {field: [] for field in jobs}
    _jobs = jobs
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.imap(_normalise, tasks)
            meanwhile()
            for done, ((field, _, _), part) in enumerate(zip(tasks, parts, strict=True), 1):
                results[field].extend(part)
                report(done, len(tasks))
    finally:
        _jobs = {}
    return results


def _normalise(task: tuple[str, int, int]) -> list[tuple[Any, bool]]:
    """In a worker: one chunk of one job's values."""
    field, start, stop = task
    normalise, values = _jobs[field]
    return [normalise(value) for value in values[start:stop]]
