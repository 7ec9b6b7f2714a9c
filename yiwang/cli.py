"""The ``yiwang`` command: migrate, seed-demo, serve, token, demo."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

import uvicorn
from rich.console import Console
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
    token = sub.add_parser("token", help="print a bearer token")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--grid", required=True, help="grid code of the scope, e.g. 4208")
    token.add_argument("--subject", default=None)
    token.add_argument("--ttl-hours", type=int, default=12)
    return p


COMMANDS = {
    "migrate": cmd_migrate,
    "seed-demo": cmd_seed,
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
