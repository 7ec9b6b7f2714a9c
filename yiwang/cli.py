"""The ``yiwang`` command: migrate, seed-demo, sync, sources, serve, token, demo."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from store import create_engine
from store.base import Role
from store.migrate import upgrade
from store.repositories.users import accounts
from yiwang.auth import issue_token
from yiwang.settings import ConfigError, Settings, load_settings
from yiwang.storecheck import check_store

console = Console()


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> None:
    check_store(settings.database_url, require_migrated=False)
    upgrade(settings.database_url)
    console.print("[green]Store migrated to head.[/green]")


async def _seed(settings: Settings, residents: int, seed: int, only_if_empty: bool) -> bool:
    from store.seed import seed_demo, store_is_empty

    engine = create_engine(settings.database_url)
    try:
        if only_if_empty and not await store_is_empty(engine):
            return False
        summary = await seed_demo(engine, residents=residents, seed=seed, progress=True)
    finally:
        await engine.dispose()
    table = Table(title="Demo data")
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, value in vars(summary).items():
        table.add_row(name, f"{value:,}")
    console.print(table)
    return True


async def _accounts(settings: Settings) -> list[tuple[Role, str, str]]:
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            return await accounts(conn)
    finally:
        await engine.dispose()


def cmd_seed(settings: Settings, args: argparse.Namespace) -> None:
    check_store(settings.database_url)
    if not asyncio.run(_seed(settings, args.residents, args.seed, only_if_empty=not args.force)):
        console.print("The store already holds data; use --force to add the demo data anyway.")


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    check_store(settings.database_url)
    console.print(f"GraphiQL: http://{args.host}:{args.port}/graphql")
    uvicorn.run(
        "yiwang.asgi:app_factory",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning" if args.quiet else "info",
    )


def cmd_token(settings: Settings, args: argparse.Namespace) -> None:
    print(issue_token(settings.secret, Role(args.role), args.grid, args.subject, args.ttl_hours))


def cmd_demo(settings: Settings, args: argparse.Namespace) -> None:
    cmd_migrate(settings, args)
    asyncio.run(_seed(settings, args.residents, 42, only_if_empty=True))
    table = Table(title="Demo accounts")
    for column in ("role", "grid code", "grid"):
        table.add_column(column)
    tokens = []
    for role, grid_code, grid_name in asyncio.run(_accounts(settings)):
        table.add_row(role.value, grid_code, grid_name)
        token = issue_token(settings.secret, role, grid_code, ttl_hours=settings.token_ttl_hours)
        tokens.append(f"{role.value:<12} {token}")
    console.print(table)
    console.print('Tokens — in GraphiQL, Headers tab: {"Authorization": "Bearer <token>"}')
    print("\n".join(tokens), flush=True)
    cmd_serve(settings, args)


def _specs(args: argparse.Namespace) -> dict[str, Any]:
    """The specs to use: every department, or the codes named on the command line."""
    from connectors import SpecError, load_specs

    try:
        specs = load_specs(args.specs)
    except SpecError as exc:
        raise ConfigError(str(exc)) from None
    wanted = getattr(args, "sources", None) or list(specs)
    unknown = [code for code in wanted if code not in specs]
    if unknown:
        known = ", ".join(specs)
        raise ConfigError(f"unknown source {', '.join(unknown)} (known: {known})")
    return {code: specs[code] for code in wanted}


async def _sync(settings: Settings, specs: dict[str, Any], full: bool) -> list[Any]:
    from connectors import Progress as SyncProgress
    from connectors import sync

    totals: dict[str, dict[str, tuple[int, int | None]]] = {code: {} for code in specs}
    columns = (TextColumn("{task.description:<4}"), BarColumn(), MofNCompleteColumn())
    engine = create_engine(settings.database_url)
    try:
        with Progress(*columns, TimeElapsedColumn(), console=console) as bar:
            tasks = {code: bar.add_task(code, total=None) for code in specs}

            def report(event: SyncProgress) -> None:
                resources = totals[event.source]
                resources[event.resource] = (event.fetched, event.total)
                known = [total for _, total in resources.values()]
                total = None if None in known else sum(t for t in known if t is not None)
                fetched = sum(f for f, _ in resources.values())
                bar.update(tasks[event.source], completed=fetched, total=total)

            summaries = await sync(engine, specs, full=full, progress=report)
            for task in tasks.values():
                done = max(bar.tasks[task].completed, 1)
                bar.update(task, total=done, completed=done)
    finally:
        await engine.dispose()
    return summaries


def cmd_sync(settings: Settings, args: argparse.Namespace) -> None:
    check_store(settings.database_url)
    specs = _specs(args)
    summaries = asyncio.run(_sync(settings, specs, args.full))
    table = Table(title="Sync")
    for column in ("source", "mode", "status", "pages", "fetched", "inserted", "updated"):
        table.add_column(
            column, justify="left" if column in ("source", "mode", "status") else "right"
        )
    for column in ("unchanged", "quarantined", "retries", "proposed deletions"):
        table.add_column(column, justify="right")
    for s in summaries:
        colour = "green" if s.status == "succeeded" else "red"
        numbers = (s.pages, s.fetched, s.inserted, s.updated, s.unchanged, s.quarantined)
        table.add_row(
            s.source,
            s.mode,
            f"[{colour}]{s.status}[/{colour}]",
            *(f"{n:,}" for n in numbers),
            f"{s.retries:,}",
            f"{s.proposed_deletions:,}",
        )
    console.print(table)
    failed = [s for s in summaries if s.status != "succeeded"]
    for s in failed:
        console.print(f"[red]{s.source}: {s.error}[/red]", soft_wrap=True)
    if failed:
        raise SystemExit(1)


async def _status(settings: Settings, specs: dict[str, Any]) -> list[Any]:
    from connectors import source_status

    engine = create_engine(settings.database_url)
    try:
        return await source_status(engine, specs)
    finally:
        await engine.dispose()


def cmd_sources(settings: Settings, args: argparse.Namespace) -> None:
    check_store(settings.database_url)
    table = Table(title="Sources")
    for column in ("source", "name", "kind", "last run", "status", "records"):
        table.add_column(column, justify="right" if column == "records" else "left")
    for column in ("deleted", "quarantined", "proposed deletions", "in progress"):
        table.add_column(column, justify="right")
    for s in asyncio.run(_status(settings, _specs(args))):
        run = s.last_run
        when = f"{run.started_at:%Y-%m-%d %H:%M} ({run.mode})" if run else "never"
        in_progress = ", ".join(r.name for r in s.resources if r.in_progress) or "-"
        table.add_row(
            s.code,
            s.name,
            s.kind,
            when,
            run.status if run else "-",
            f"{s.records:,}",
            f"{s.deleted:,}",
            f"{s.quarantined:,}",
            f"{s.proposed_deletions:,}",
            in_progress,
        )
    console.print(table)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yiwang", description="一网: one network for grassroots data")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="create or upgrade the store schema (Alembic)")
    seed = sub.add_parser("seed-demo", help="fill the store with a synthetic Jingmen slice")
    seed.add_argument("--residents", type=int, default=20_000)
    seed.add_argument("--seed", type=int, default=42)
    seed.add_argument("--force", action="store_true", help="seed even if the store has data")
    for name, helptext in (("serve", "serve GraphQL"), ("demo", "migrate, seed if empty, serve")):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("--host", default="127.0.0.1")
        s.add_argument("--port", type=int, default=8000)
        s.add_argument("--workers", type=int, default=1)
        s.add_argument("--quiet", action="store_true", help="log warnings only")
        if name == "demo":
            s.add_argument("--residents", type=int, default=20_000)
    sync = sub.add_parser("sync", help="pull department platforms and ledgers into the store")
    sync.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="department codes (default: all)"
    )
    sync.add_argument("--full", action="store_true", help="full snapshot, with deletion detection")
    sources = sub.add_parser("sources", help="status of each department source")
    for command in (sync, sources):
        command.add_argument(
            "--specs", type=Path, default=None, help="folder of connector specs (<code>.toml)"
        )
    token = sub.add_parser("token", help="print a bearer token")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--grid", required=True, help="grid code of the scope, e.g. 4208")
    token.add_argument("--subject", default=None)
    token.add_argument("--ttl-hours", type=int, default=12)
    return p


COMMANDS = {
    "migrate": cmd_migrate,
    "seed-demo": cmd_seed,
    "sync": cmd_sync,
    "sources": cmd_sources,
    "serve": cmd_serve,
    "token": cmd_token,
    "demo": cmd_demo,
}


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        COMMANDS[args.command](load_settings(), args)
    except ConfigError as exc:
        print(f"yiwang: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
