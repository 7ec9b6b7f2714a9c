"""Store commands: migrate, seed-demo, serve, token."""

from __future__ import annotations

import argparse
import asyncio

import uvicorn
from rich.table import Table

from store import create_engine
from store.base import Role
from store.migrate import upgrade
from store.repositories.users import accounts
from yiwang.auth import issue_token
from yiwang.commands import console
from yiwang.settings import Settings
from yiwang.storecheck import check_store


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> None:
    check_store(settings.database_url, require_migrated=False)
    upgrade(settings.database_url)
    console.print("[green]Store migrated to head.[/green]")


async def seed_store(
    settings: Settings, residents: int, seed: int, only_if_empty: bool, people: bool = True
) -> bool:
    from store.seed import seed_demo, store_is_empty

    engine = create_engine(settings.database_url)
    try:
        if only_if_empty and not await store_is_empty(engine):
            return False
        summary = await seed_demo(
            engine, residents=residents, seed=seed, progress=people, people=people
        )
    finally:
        await engine.dispose()
    table = Table(title="Demo data")
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, value in vars(summary).items():
        table.add_row(name, f"{value:,}")
    console.print(table)
    return True


async def load_accounts(settings: Settings) -> list[tuple[Role, str, str]]:
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            return await accounts(conn)
    finally:
        await engine.dispose()


def cmd_seed(settings: Settings, args: argparse.Namespace) -> None:
    check_store(settings.database_url)
    seeded = seed_store(settings, args.residents, args.seed, only_if_empty=not args.force)
    if not asyncio.run(seeded):
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
