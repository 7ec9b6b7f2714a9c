"""The Chinese benchmark's tables and its section of bench/RESULTS.md."""

from __future__ import annotations

from .cn_run import Outcome, SizeResult, percentile
from .common import machine, utc_now, versions, write_section

SECTION = "Identity resolution: Chinese multi-source records"


def _row(size: SizeResult, outcome: Outcome) -> str:
    run, result = outcome.run, outcome.evaluation
    cells = [outcome.system, f"{size.persons:,}", f"{size.records:,}"]
    if not run.ok:
        return "| " + " | ".join([*cells, f"failed (exit {run.status})", *["–"] * 10]) + " |"
    assert result is not None
    merged = result.hard_cases
    cells += [
        f"{outcome.seconds:.1f}",
        f"{run.peak_mib:,.0f}",
        f"{run.others_cpu:.2f}",
        f"{result.pairwise.precision:.5f}",
        f"{result.pairwise.recall:.5f}",
        f"{result.pairwise.f1:.5f}",
        f"{result.bcubed.f1:.5f}",
        f"{result.valid_id_merges:,}",
        " / ".join(f"{merged[case][0]} of {merged[case][1]}" for case in merged),
        f"{result.largest_cluster}",
    ]
    return "| " + " | ".join(cells) + " |"


def _ratios(size: SizeResult) -> list[str]:
    by = {outcome.system: outcome for outcome in size.outcomes}
    ours, theirs = by.get("yiwang"), by.get("Splink")
    if not (ours and theirs and ours.run.ok and theirs.run.ok):
        return [f"- {size.persons:,} persons: no ratio (a run failed)."]
    speed = theirs.seconds / ours.seconds
    memory = theirs.run.peak_mib / max(ours.run.peak_mib, 1)
    line = (
        f"- {size.persons:,} persons: Splink ÷ yiwang wall time **{speed:.2f}×**, "
        f"peak memory {memory:.2f}×"
    )
    if ours.evaluation and theirs.evaluation:
        line += (
            f"; pairwise F1 yiwang {ours.evaluation.pairwise.f1:.5f} vs Splink "
            f"{theirs.evaluation.pairwise.f1:.5f}"
        )
    return [line + "."]


def _incremental(size: SizeResult, outcome: Outcome) -> list[str]:
    p50 = percentile(outcome.incremental, 0.5)
    p99 = percentile(outcome.incremental, 0.99)
    head = f"- {outcome.system}, {size.persons:,} persons: "
    if p50 is None or p99 is None:
        return [head + (outcome.note or "no incremental figures") + "."]
    line = (
        head + f"p50 {_ms(p50)}, p99 {_ms(p99)} over {len(outcome.incremental)} calls "
        f"({outcome.how_incremental})"
    )
    if outcome.construction is not None and outcome.construction_seconds is not None:
        steps = ", ".join(f"{name} {secs:.1f}" for name, secs in outcome.construction_steps.items())
        line += (
            f"; the matcher built in {outcome.construction_seconds:.1f} s ({steps}); that "
            f"process's peak {outcome.construction.peak_mib:,.0f} MiB, others' CPU "
            f"{outcome.construction.others_cpu:.2f}"
        )
    return [line + "."]


def _incremental_ratio(size: SizeResult) -> list[str]:
    by = {outcome.system: outcome for outcome in size.outcomes}
    ours, theirs = by.get("yiwang"), by.get("Splink")
    if not (ours and theirs and ours.incremental and theirs.incremental):
        return []
    ratios = []
    for name, share in (("p50", 0.5), ("p99", 0.99)):
        mine, splink = percentile(ours.incremental, share), percentile(theirs.incremental, share)
        if mine and splink:
            ratios.append(f"{name} **{splink / mine:.0f}×**")
    return [f"  - Splink ÷ yiwang per call: {', '.join(ratios)}."] if ratios else []


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def section(sizes: list[SizeResult], command: str) -> list[str]:
    lines = [
        f"Written by `bench/identity.py` on {utc_now()}.",
        "",
        f"- Command: `{command}`",
        f"- Machine: {machine()}; {versions()}.",
        "- Data: `yiwang identity generate --persons N --seed S` (identity/labelled.py): the "
        "synthetic population as 公安, 民政, 卫健 and 残联 hold it, about 2.5 records per person, "
        "with twins, namesakes, a father and son of one name, legacy, typo'd, missing and "
        "placeholder IDs, homophone and traditional names, changed phones and clan villages "
        "whose addresses are written only to the group or village. The resolver reads the same "
        "CSV (it ignores the truth columns).",
        "- Each system runs in its own process under `/usr/bin/time -v`: *wall s* is the whole "
        "process (reading the CSV, cleaning, training, scoring, clustering, writing clusters.csv),"
        " less the incremental-matching phase that follows it (reported below), *peak MiB* the"
        " maximum resident set of the whole process. Scores by `identity/evaluate.py` (pairs "
        "counted from cluster sizes). *others' CPU*: cores busy meanwhile outside the measured "
        "process (other work on this shared 2-core machine), from `/proc/stat`.",
        "- Splink 5: DuckDB backend, 2 threads, the model in `bench/identity_bench/splink_cn.py` "
        "(Python cleaning per distinct value: OpenCC, pypinyin, ID upgrade, dates, phones, "
        "addresses; names Jaro-Winkler with term frequencies, birth date, ID, phone and address "
        "as separate comparisons, gender; u by random sampling of 1e7 pairs (seeded), EM "
        "blocked on birth date and on ID), clustered at match probability 0.9.",
        "- Incremental matching: the same records for both (every N/calls-th), each matched "
        "against all records, itself included. Splink: `predict_between` in its process after "
        "its run. yiwang: `identity.Matcher` in a process of its own that reads the CSV, the "
        "resolver's clusters.csv and its saved model; its construction is timed apart: "
        "*normalise* frames the records as the resolver does (skipped by "
        "`Matcher.from_resolution` in the resolving process, which reuses the batch's frame), "
        "*lookups* parses each distinct value again to learn the value behind each code, "
        "*blocks* sorts each blocking rule's keys.",
        "",
        "| system | persons | records | wall s | peak MiB | others' CPU | pairwise P | pairwise R"
        " | pairwise F1"
        " | B-cubed F1 | clusters with 2 valid IDs | twins / namesakes / father-son merged"
        " | largest cluster |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for size in sizes:
        lines += [_row(size, outcome) for outcome in size.outcomes]
    lines += ["", "Ratios (same run, same records):", ""]
    for size in sizes:
        lines += _ratios(size)
    lines += ["", "Steps (seconds, from each process's own report):", ""]
    for size in sizes:
        for outcome in size.outcomes:
            steps = ", ".join(f"{name} {value:.1f}" for name, value in outcome.steps.items())
            lines.append(f"- {outcome.system}, {size.persons:,} persons via {outcome.how}: "
                         f"{steps or 'no step report'}")  # fmt: skip
    lines += ["", "Incremental matching of one record:", ""]
    for size in sizes:
        for outcome in size.outcomes:
            lines += _incremental(size, outcome)
        lines += _incremental_ratio(size)
    failed = [o for s in sizes for o in s.outcomes if not o.run.ok]
    for outcome in failed:
        lines += ["", f"{outcome.system} failed; the end of its output:", "", "```",
                  outcome.run.output[-1500:], "```"]  # fmt: skip
    return lines


def write(sizes: list[SizeResult], command: str) -> None:
    write_section(SECTION, section(sizes, command))
