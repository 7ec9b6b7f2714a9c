"""Records per second of ``normalize_record`` on noisy synthetic department records.

    .venv/bin/python -m tests.identity.throughput [people]

Generating the records is not timed; normalising them is, in one pass, with the parse
caches starting cold as they would in a fresh process.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from identity import normalize_record
from tests.identity.noisy import noisy_records


def main(people: int = 62_500) -> None:
    started = time.perf_counter()
    raws = [noisy.raw for noisy in noisy_records(people, seed=1)]
    generated = time.perf_counter() - started
    today = date(2024, 12, 31)
    started = time.perf_counter()
    issues = 0
    for raw in raws:
        issues += bool(normalize_record(raw, today).issues)
    elapsed = time.perf_counter() - started
    print(
        f"{len(raws):,} records from {people:,} people (generated in {generated:.1f} s): "
        f"normalised in {elapsed:.2f} s, {len(raws) / elapsed:,.0f} records/s, "
        f"{issues:,} with issues"
    )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
