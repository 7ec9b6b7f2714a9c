"""yiwang's resolver as the benchmarks drive it: the CSV contract
``yiwang identity resolve --input records.csv --output clusters.csv``, in its own process
so its wall time and peak memory are its own. While the command does not exist yet, the
same contract is run through ``identity.pipeline.resolve`` (``resolve_py``), and the
report says which one ran."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .common import PYTHON, YIWANG, Run, timed

CLI = "yiwang identity resolve"
PIPELINE = "identity.pipeline.resolve (python -m bench.identity_bench.resolve_py)"


def cli_available() -> bool:
    try:
        done = subprocess.run(
            [YIWANG, "identity", "resolve", "--help"], capture_output=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def resolve(
    records: Path, clusters: Path, timeout: float, save_model: Path | None = None
) -> tuple[Run, str]:
    """Resolve ``records`` (contract CSV) into ``clusters``, keeping the trained model in
    ``save_model`` if given; (the run, how it was run)."""
    keep = [] if save_model is None else ["--save-model", str(save_model)]
    if cli_available():
        argv = [YIWANG, "identity", "resolve", "--input", str(records), "--output", str(clusters)]
        return timed([*argv, *keep], timeout), CLI
    argv = [PYTHON, "-m", "bench.identity_bench.resolve_py", str(records), str(clusters)]
    return timed([*argv, *keep], timeout), PIPELINE
