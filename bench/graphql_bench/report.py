"""The report: tables printed at the end, and this benchmark's section of bench/RESULTS.md.

``write_results`` replaces only the section headed ``SECTION``; every other section of
the file (other benchmarks write theirs) is kept as it is.
"""

from __future__ import annotations

import argparse

from .config import POSTGRAPHILE_PAGE, RESULTS, SECTION, TYPENAME, YIWANG_PAGE
from .load import Measurement
from .stores import Store


def ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def table(measurements: list[Measurement]) -> list[str]:
    rows = [
        "| server | store | query | req/s | p50 ms | p99 ms | requests | failed | others' CPU |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m in measurements:
        f = m.figures
        failed = f"**{m.failures}** ⚠" if m.failures else "0"
        rows.append(
            f"| {m.server} | {m.backend} | {m.query} | {f['rps']:,.0f} | "
            f"{ms(f['p50_us'])} | {ms(f['p99_us'])} | {f['requests']:,} | {failed} | "
            f"{m.others_cpu:.2f} |"
        )
    return rows


def ratios(measurements: list[Measurement]) -> list[str]:
    by = {(m.server, m.backend, m.query): m.figures for m in measurements}
    rows = [
        "| query | yiwang req/s | PostGraphile req/s | yiwang ÷ PostGraphile (req/s) "
        "| p50 yiwang ÷ PostGraphile |",
        "|---|---:|---:|---:|---:|",
    ]
    for query in ("page", "floor"):
        ours = by.get(("yiwang", "postgres", query))
        theirs = by.get(("PostGraphile", "postgres", query))
        if ours and theirs and theirs["rps"] and theirs["p50_us"]:
            rows.append(
                f"| {query} | {ours['rps']:,.0f} | {theirs['rps']:,.0f} | "
                f"{ours['rps'] / theirs['rps']:.3f}× | "
                f"{ours['p50_us'] / theirs['p50_us']:.1f}× |"
            )
    if len(rows) == 2:
        return []
    rows.append("")
    for server, backend in sorted({(m.server, m.backend) for m in measurements}):
        page, floor = by.get((server, backend, "page")), by.get((server, backend, "floor"))
        if page and floor and page["rps"]:
            rows.append(
                f"- {server} on {backend}: the page costs "
                f"{floor['rps'] / page['rps']:.1f}× a `{{ __typename }}` request."
            )
    on_sqlite = by.get(("yiwang", "sqlite", "page"))
    on_pg = by.get(("yiwang", "postgres", "page"))
    if on_sqlite and on_pg and on_pg["rps"]:
        rows.append(f"- yiwang page, SQLite ÷ PostgreSQL: {on_sqlite['rps'] / on_pg['rps']:.2f}×.")
    return rows


def section(
    args: argparse.Namespace,
    info: dict[str, str],
    stores: list[Store],
    measurements: list[Measurement],
    checks: list[str],
    flags: list[str],
    sizes: dict[str, int],
) -> str:
    status = "OK" if not flags else "⚠ FLAGGED — " + "; ".join(flags)
    lines = [
        SECTION,
        "",
        f"Written by `bench/graphql_page.py` on {info['date']}. **Status: {status}.**",
        "",
        f"- Command: `{args.command_line}`",
        f"- Load: `wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency` "
        f"with `bench/wrk/graphql.lua` (POST, JSON body, `Content-Type`, `Authorization` "
        f"for yiwang), after a {args.warmup} s warm-up with the same query; one server "
        f"running at a time, all on 127.0.0.1. A request counts as failed on a non-200 "
        f'status, a body containing `"errors"`, or a socket error or time-out.',
        f"- Machine: {info['nproc']} × {info['cpu']}, {info['memory']}, {info['os']}; "
        f"Python {info['python']}, SQLite {info['sqlite']}, PostgreSQL {info['postgres']}, "
        f"{info['wrk']}.",
        f"- Servers: yiwang ({info['yiwang']}; strawberry-graphql "
        f"{info.get('strawberry-graphql', '?')}, uvicorn {info.get('uvicorn', '?')}, "
        f"SQLAlchemy {info.get('sqlalchemy', '?')}) with `yiwang serve --workers 1` and an "
        f"admin token; PostGraphile {info.get('postgraphile', '?')} on Node "
        f"{info.get('node', '?')} (`PostGraphileAmberPreset`, `GRAPHILE_ENV=production`) "
        f"over the same PostgreSQL tables.",
    ]
    for store in stores:
        c = store.counts
        lines.append(
            f"- Data ({store.backend}): {c.get('resident', 0):,} residents, "
            f"{c.get('household', 0):,} households, {c.get('grid', 0):,} grids, "
            f"{c.get('resident_tag', 0):,} tags; seeded by {store.seeder}."
        )
    noisiest = max((m.others_cpu for m in measurements), default=0.0)
    noise = (
        f" **Noisy run:** other work took up to {noisiest:.2f} cores during a timed run; "
        "ratios hold better than absolute figures."
        if noisiest > 0.25
        else ""
    )
    lines += [
        "",
        *table(measurements),
        "",
        "*others' CPU*: cores used during the timed run by processes outside it (not the "
        "server, wrk, PostgreSQL's backends for `yiwang_bench` or this script), out of "
        f"{info['nproc']}.{noise}",
        "",
    ]
    ratio_rows = ratios(measurements)
    if ratio_rows:
        lines += [
            "Side by side on PostgreSQL:",
            "",
            *ratio_rows,
            "- For comparison, shared/BENCHMARKS.md (query without tags): PostGraphile "
            "1,437 req/s vs strawberry + DataLoaders 74 (0.05×); floors 15,449 vs 5,683 "
            "(0.37×).",
            "",
        ]
    lines += [
        "Checks before timing (each page compared with the first 50 residents read "
        "from its store by SQL: primary keys, names, ID numbers, birth dates, tags, "
        "household id and address, grid id, code and name):",
        "",
    ]
    lines += [f"- {check}" for check in checks]
    if sizes:
        lines.append(
            "- Page response sizes: "
            + ", ".join(f"{name} {size:,} bytes" for name, size in sizes.items())
            + "."
        )
    lines += [
        "",
        "Queries:",
        "",
        "```graphql",
        f"# yiwang\n{YIWANG_PAGE}",
        f"# PostGraphile\n{POSTGRAPHILE_PAGE}",
        f"# floor, both\n{TYPENAME}",
        "```",
        "",
        "wrk commands of the timed runs:",
        "",
        "```",
    ]
    lines += [f"{m.command}" for m in measurements]
    lines += ["```", ""]
    return "\n".join(lines)


def write_results(section_text: str) -> None:
    """Replace this benchmark's section of bench/RESULTS.md, keeping every other section."""
    lines = RESULTS.read_text().splitlines() if RESULTS.exists() else ["# Benchmark results"]
    ours = section_text.rstrip("\n").splitlines()
    if SECTION in lines:
        start = lines.index(SECTION)
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        lines[start:end] = [*ours, ""] if end < len(lines) else ours
    else:
        lines += ["", *ours]
    RESULTS.write_text("\n".join(lines).rstrip("\n") + "\n")
