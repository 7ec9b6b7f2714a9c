"""Identity resolution on Chinese multi-source records: yiwang's resolver beside Splink.

    .venv/bin/python bench/identity.py                          # 400k persons, ~1M records
    .venv/bin/python bench/identity.py --persons 10000,100000   # smaller sizes first

For each size: the labelled records from ``yiwang identity generate`` (kept in
bench/.work/identity/ and reused), then yiwang's resolver and Splink 5 (DuckDB, 2 threads)
on the same CSV, each in its own process under ``/usr/bin/time -v``, scored by
``identity/evaluate.py``; then single records matched incrementally by both, the same
records and as many calls each (yiwang's ``Matcher`` built from the resolution's persons
and model in a process of its own, its construction timed apart). Writes the section
"Identity resolution: Chinese multi-source records" of bench/RESULTS.md (other sections
kept). Needs the ``bench`` extra: ``.venv/bin/pip install -e '.[bench]'``. Everything
runs locally; nothing listens.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

# Run as a script, this file's folder would come first on the path and this very file
# would stand in for the project's ``identity`` package: put the project root there instead.
HERE, ROOT = Path(__file__).resolve().parent, Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

from bench.identity_bench import cn_report  # noqa: E402
from bench.identity_bench.cn_run import run_size  # noqa: E402
from bench.identity_bench.common import progress  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", default="400000", help="comma-separated sizes")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per process")
    parser.add_argument(
        "--incremental", type=int, default=100, help="single-record calls, for each system"
    )
    parser.add_argument("--no-write", action="store_true", help="leave RESULTS.md alone")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.persons.split(",")]
    results = []
    for persons in sizes:
        results.append(run_size(persons, args.seed, args.timeout, args.incremental))
        lines = cn_report.section(results, _command(argv))
        print("\n".join(lines))
        if not args.no_write:
            cn_report.write(results, _command(argv))
    progress("done")
    return 0 if all(o.run.ok for r in results for o in r.outcomes) else 1


def _command(argv: list[str] | None) -> str:
    words = sys.argv[1:] if argv is None else argv
    return " ".join([".venv/bin/python bench/identity.py", *map(shlex.quote, words)])


if __name__ == "__main__":
    raise SystemExit(main())
