"""One size of the Chinese benchmark: generate the labelled records, resolve them with
yiwang and with Splink (each in its own process), and score both against the truth; then
match single records incrementally with each (yiwang's ``Matcher`` in a process of its
own, built from the resolution's persons and model; Splink's ``predict_between`` after
its run, in its process)."""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import PYTHON, WORK, YIWANG, Run, progress, timed
from .resolver import resolve


@dataclass
class Outcome:
    system: str
    how: str  # the command or API that ran
    run: Run
    evaluation: Any | None = None  # identity.evaluate.Evaluation
    steps: dict[str, float] = field(default_factory=dict)
    incremental: list[float] = field(default_factory=list)  # seconds per call
    how_incremental: str = ""
    construction: Run | None = None  # yiwang: the process building the matcher
    construction_seconds: float | None = None  # building the matcher alone
    construction_steps: dict[str, float] = field(default_factory=dict)
    note: str = ""

    @property
    def seconds(self) -> float:
        """The process's wall time less its incremental-matching phase, if any."""
        return self.run.seconds - self.steps.get("incremental", 0.0)


@dataclass
class SizeResult:
    persons: int
    seed: int
    records: int
    generate: Run
    outcomes: list[Outcome]


def labelled(persons: int, seed: int, timeout: float) -> tuple[Path, Run | None]:
    """The labelled CSV for (persons, seed), generated unless already there."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"labelled-{persons}-{seed}.csv"
    if path.exists():
        return path, None
    partial = path.with_suffix(".partial.csv")
    argv = [YIWANG, "identity", "generate", "--persons", str(persons), "--seed", str(seed),
            "--output", str(partial)]  # fmt: skip
    run = timed(argv, timeout)
    if not run.ok:
        raise RuntimeError(f"generate failed: {run.output[-2000:]}")
    partial.rename(path)
    return path, run


def run_size(persons: int, seed: int, timeout: float, incremental: int) -> SizeResult:
    from identity.evaluate import evaluate, read_clusters
    from identity.labelled import read_csv

    progress(f"{persons:,} persons: labelled records")
    records, generated = labelled(persons, seed, timeout)
    if generated is None:
        generated = Run([], 0.0, 0.0, 0, "(reused)")
    count = sum(1 for _ in records.open(encoding="utf-8")) - 1
    outcomes = []
    progress(f"{persons:,} persons ({count:,} records): yiwang")
    target = WORK / f"clusters-yiwang-{persons}-{seed}.csv"
    model = WORK / f"model-yiwang-{persons}-{seed}.json"
    target.unlink(missing_ok=True)
    run, how = resolve(records, target, timeout, save_model=model)
    steps = _json(run, "RESOLVE_JSON").get("stage_seconds", {}) or _table_seconds(run)
    ours = Outcome("yiwang", how, run, steps=steps)
    outcomes.append(ours)
    if run.ok:
        progress(f"{persons:,} persons: yiwang incremental matching")
        _match(ours, records, target, model, timeout, incremental)
    progress(f"{persons:,} persons: Splink")
    target_splink = WORK / f"clusters-splink-{persons}-{seed}.csv"
    target_splink.unlink(missing_ok=True)
    argv = [PYTHON, "-m", "bench.identity_bench.splink_cn", str(records), str(target_splink),
            "--incremental", str(incremental), "--threads", "2"]  # fmt: skip
    run = timed(argv, timeout)
    found = _json(run, "SPLINK_JSON")
    splink = Outcome("Splink", "python -m bench.identity_bench.splink_cn", run,
                     steps=found.get("seconds", {}),
                     incremental=found.get("incremental_seconds", []),
                     how_incremental="`predict_between` one record vs all records")  # fmt: skip
    outcomes.append(splink)
    for outcome, path in zip(outcomes, (target, target_splink), strict=True):
        if outcome.run.ok and path.exists():
            progress(f"{persons:,} persons: scoring {outcome.system}")
            outcome.evaluation = evaluate(read_csv(records), read_clusters(path))
    return SizeResult(persons, seed, count, generated, outcomes)


def _match(
    outcome: Outcome, records: Path, clusters: Path, model: Path, timeout: float, calls: int
) -> None:
    """Time yiwang's incremental matching in its own process (``match_py``)."""
    argv = [PYTHON, "-m", "bench.identity_bench.match_py", str(records), str(clusters),
            str(model), "--calls", str(calls)]  # fmt: skip
    run = timed(argv, timeout)
    found = _json(run, "MATCH_JSON")
    outcome.construction = run
    outcome.construction_seconds = found.get("construction_seconds")
    outcome.construction_steps = found.get("construction_steps", {})
    outcome.incremental = found.get("incremental_seconds", [])
    outcome.how_incremental = "`Matcher.match` one record vs all records"
    if not run.ok:
        outcome.note = f"incremental matching failed (exit {run.status}): {run.output[-300:]}"


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def _json(run: Run, marker: str) -> dict[str, Any]:
    for line in run.output.splitlines():
        if line.startswith(marker + " "):
            loaded: dict[str, Any] = json.loads(line.split(" ", 1)[1])
            return loaded
    return {}


_SECONDS_ROW = re.compile(r"^\W*([a-zA-Z][a-zA-Z ]*?)\s*│\s*([\d.]+) s\s*│", re.MULTILINE)


def _table_seconds(run: Run) -> dict[str, float]:
    """Stage times from the summary table ``yiwang identity resolve`` prints."""
    return {name: float(value) for name, value in _SECONDS_ROW.findall(run.output)}
