"""``yiwang demo``: the main job on the embedded default, end to end.

Migrate, seed grids, departments, tasks and accounts if the store is empty, start the
simulated department platforms, sync them through the connectors, resolve their
records into residents and households, print one token per role, and serve GraphQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from rich.table import Table

from connectors import load_specs
from yiwang.auth import issue_token
from yiwang.commands import console
from yiwang.commands.resolve import run_resolve
from yiwang.commands.store import cmd_migrate, cmd_serve, load_accounts, seed_store
from yiwang.commands.sync import run_sync
from yiwang.demo import export, simulators
from yiwang.settings import Settings

POPULATION_SEED = 42


def _print_accounts(settings: Settings) -> None:
    table = Table(title="Demo accounts")
    for column in ("role", "grid code", "grid"):
        table.add_column(column)
    tokens = []
    for role, grid_code, grid_name in asyncio.run(load_accounts(settings)):
        table.add_row(role.value, grid_code, grid_name)
        token = issue_token(settings.secret, role, grid_code, ttl_hours=settings.token_ttl_hours)
        tokens.append(f"{role.value:<12} {token}")
    console.print(table)
    console.print('Tokens — in GraphiQL, Headers tab: {"Authorization": "Bearer <token>"}')
    print("\n".join(tokens), flush=True)


def cmd_demo(settings: Settings, args: argparse.Namespace) -> None:
    cmd_migrate(settings, args)
    seeded = seed_store(settings, args.residents, POPULATION_SEED, only_if_empty=True, people=False)
    asyncio.run(seeded)
    var_dir = Path(os.environ.get("YIWANG_VAR_DIR", "var"))
    with simulators(args.residents, POPULATION_SEED, var_dir) as env:
        export(env)
        console.print("Department platforms: " + ", ".join(f"{k}={v}" for k, v in env.items()))
        summaries = asyncio.run(run_sync(settings, load_specs(), full=False))
        for s in summaries:
            state = "[green]ok[/green]" if s.status == "succeeded" else f"[red]{s.error}[/red]"
            console.print(f"  {s.source}: {s.fetched:,} fetched, {s.inserted:,} new — {state}")
        asyncio.run(run_resolve(settings))
        _print_accounts(settings)
        cmd_serve(settings, args)
