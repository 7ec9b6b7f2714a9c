"""The sync section of ``bench/RESULTS.md``: rates against the floor, CPU, stage costs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from bench.sync_bench.cpu import ROLES
from bench.sync_bench.stages import STAGES, StageRun

SECTION = "## Connector sync: a 200k-record department"
STORE_STAGES = ("lookup", "write", "checkpoint", "deletions", "commit")


@dataclasses.dataclass
class Row:
    run: str
    store: str
    records: int
    seconds: float
    cpu: dict[str, float]

    @property
    def rate(self) -> float:
        return self.records / self.seconds

    @property
    def micros(self) -> float:
        return self.seconds / self.records * 1e6


def _floor(rows: list[Row]) -> Row:
    return max((r for r in rows if r.run.startswith("floor")), key=lambda r: r.rate)


def status(rows: list[Row]) -> tuple[str, str]:
    floor = _floor(rows)
    firsts = {r.store: r.rate for r in rows if r.run.startswith("sync (first")}
    met = min(firsts.values()) >= 0.5 * floor.rate
    shares = ", ".join(f"{store} {rate / floor.rate:.0%}" for store, rate in firsts.items())
    return ("OK: target met" if met else "BELOW TARGET"), shares


def rate_table(rows: list[Row]) -> list[str]:
    floor = _floor(rows)
    mapped = next(r for r in rows if r.run.startswith("fetch + parse + map"))
    lines = [
        "| run | store | records | seconds | records/s | µs/record | ÷ floor | ÷ fetch + map "
        "| CPU s: client | simulator | database | others |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cpu = " | ".join(f"{r.cpu[role]:.1f}" for role in ROLES)
        lines.append(
            f"| {r.run} | {r.store} | {r.records:,} | {r.seconds:.2f} | {r.rate:,.0f} "
            f"| {r.micros:.1f} | {r.rate / floor.rate:.2f} | {r.rate / mapped.rate:.2f} | {cpu} |"
        )
    return lines


def stage_table(rows: list[Row], stages: dict[str, StageRun]) -> list[str]:
    """µs per record by stage, one column per store, next to the pipelined first sync."""
    floor = _floor(rows)
    names = list(stages)
    lines = [
        "| stage (µs per record) | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
        "| fetch + parse (the floor, 4 requests ahead) | "
        + " | ".join(f"{floor.micros:.1f}" for _ in names)
        + " |",
    ]
    labels = {
        "fetch": "fetch + parse, one request at a time (not in the sum)",
        "hash": "hash: canonical JSON + SHA-256",
        "map": "map: primary key, fields, transforms, checks",
        "build": "build: the rest of map_page (per-record objects, garbage collection)",
        "lookup": "lookup: stored hashes of the page's keys",
        "write": "write: insert (update, mark seen)",
        "checkpoint": "checkpoint + run counters",
        "deletions": "deletion proposals (end of pass)",
        "commit": "commit",
    }
    for stage in STAGES:
        values = " | ".join(f"{stages[n].micros(stage):.1f}" for n in names)
        lines.append(f"| {labels[stage]} | {values} |")
    summed = {n: floor.micros + sum(stages[n].micros(s) for s in STAGES[1:]) for n in names}
    lines.append(
        "| **sum, one stage after another** | "
        + " | ".join(f"**{summed[n]:.1f}**" for n in names)
        + " |"
    )
    firsts = {r.store: r for r in rows if r.run.startswith("sync (first")}
    lines.append(
        "| the sync's first run, pipelined | "
        + " | ".join(f"{firsts[n].micros:.1f}" if n in firsts else "–" for n in names)
        + " |"
    )
    lines.append(
        "| the target: half the floor's rate | "
        + " | ".join(f"{2 * floor.micros:.1f}" for _ in names)
        + " |"
    )
    return lines


def section(
    rows: list[Row], stages: dict[str, StageRun], command: str, residents: int, machine: str
) -> str:
    verdict, shares = status(rows)
    lines = [
        SECTION,
        "",
        f"Written by `bench/sync.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"**Status: {verdict}** — target: a first sync at ≥ 50 % of the floor's rate. "
        f"First syncs: {shares} of the floor.",
        "",
        f"- Command: `{command}`",
        f"- Data: the 公安 simulator (`ga`) with {residents:,} persons, no faults, in its own "
        "process on 127.0.0.1 for every run; the shipped `ga.toml` spec, `persons` only, "
        "offset pages of 500, 4 requests ahead, rate limit lifted. Each store starts empty "
        "(migrated).",
        f"- Machine: {machine}.",
        "- *floor*: the same client code as the sync (`SourceClient`, `rest_pages`: aiohttp, "
        "JSON parsing) fetching the same pages from the same server process, storing "
        "nothing. ÷ floor uses the faster of the two floor runs.",
        "- *CPU s*: CPU seconds during the run of this script (all threads), the "
        "simulator's process, PostgreSQL (its processes for this database), and others "
        "(the rest of the machine: other people's work slows a run down).",
        "",
        *rate_table(rows),
        "",
        "Where the time goes: the same first sync taken apart stage by stage, nothing "
        "overlapping (`bench/sync_bench/stages.py`), in µs per record; the stages' sum "
        "starts from the floor's fetch + parse.",
        "",
        *stage_table(rows, stages),
        "",
        *reading(rows, stages),
        "",
    ]
    return "\n".join(lines)


def reading(rows: list[Row], stages: dict[str, StageRun]) -> list[str]:
    """What the figures say about the target, in numbers from this run."""
    floor = _floor(rows)
    mapped = next(r for r in rows if r.run.startswith("fetch + parse + map"))
    budget = floor.micros  # what storing may add per record at half the floor's rate
    client = {"hash", "map", "build"}
    python = sum(next(iter(stages.values())).micros(s) for s in client)
    stores = ", ".join(
        f"{name} {sum(run.micros(s) for s in STORE_STAGES):.1f} µs" for name, run in stages.items()
    )
    simulator = floor.cpu["simulator"] / floor.seconds
    return [
        f"- At half the floor's rate a record may cost {2 * floor.micros:.1f} µs in all, so "
        f"everything after fetch + parse has {budget:.1f} µs. Mapping, validating and "
        f"hashing alone take {python:.1f} µs per record in the stage run "
        f"({mapped.micros - floor.micros:.1f} µs in the run without a store), before any "
        f"store: with no store at all a sync would reach {mapped.rate:,.0f} records/s, "
        f"{mapped.rate / floor.rate:.0%} of the floor.",
        f"- The store's own part (lookup, write, checkpoint, deletions, commit) costs {stores} "
        f"per record, against that budget of {budget:.1f} µs: SQLite's insert and commit "
        "of a record with its raw and mapped JSON into a table with five indexes, "
        "PostgreSQL's COPY into the same table (index entries, the foreign key check on "
        "`last_seen_run_id`, JSON validation, WAL).",
        f"- The floor is the simulator's pace: during the floor run it used {simulator:.2f} "
        "cores while this client waited. In the syncs the simulator, this process and "
        "PostgreSQL share the machine's cores. The pipeline maps the next page while the "
        f"current one is written: {overlap(rows, stages)}.",
    ]


def overlap(rows: list[Row], stages: dict[str, StageRun]) -> str:
    floor = _floor(rows)
    parts = []
    for r in rows:
        if r.run.startswith("sync (first") and r.store in stages:
            run = stages[r.store]
            serial = floor.micros + sum(run.micros(s) for s in STAGES[1:])
            parts.append(
                f"{r.store} {r.micros:.1f} µs per record pipelined against {serial:.1f} µs "
                "one stage after another"
            )
    return "; ".join(parts)


def write_section(results: Path, text: str) -> None:
    current = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    if SECTION in current:
        start = current.index(SECTION)
        following = current.find("\n## ", start + len(SECTION))
        end = len(current) if following < 0 else following + 1
        current = current[:start] + text.rstrip("\n") + "\n\n" + current[end:]
    else:
        current = current.rstrip("\n") + "\n\n" + text
    results.write_text(current.rstrip("\n") + "\n", encoding="utf-8")
