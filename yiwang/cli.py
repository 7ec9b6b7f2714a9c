"""The ``yiwang`` command: migrate, seed-demo, sync, sources, serve, token, demo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from store.base import Role
from yiwang.commands import identity as identity_resolve
from yiwang.commands import identity_eval, resolve
from yiwang.commands.demo import cmd_demo
from yiwang.commands.store import cmd_migrate, cmd_seed, cmd_serve, cmd_token
from yiwang.commands.sync import cmd_sources, cmd_sync
from yiwang.settings import ConfigError, load_settings


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
    resolve.add_parser(sub)
    identity = sub.add_parser("identity", help="identity resolution on CSV files")
    identity_sub = identity.add_subparsers(dest="identity_command", required=True)
    identity_eval.add_parsers(identity_sub)  # generate, evaluate
    identity_resolve.add_parser(identity_sub)  # resolve
    return p


COMMANDS = {
    "migrate": cmd_migrate,
    "seed-demo": cmd_seed,
    "sync": cmd_sync,
    "sources": cmd_sources,
    "serve": cmd_serve,
    "token": cmd_token,
    "demo": cmd_demo,
    "resolve": resolve.cmd_resolve,
    "identity": identity_eval.cmd_identity,  # runs the subcommand's ``identity_run``
}


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        COMMANDS[args.command](load_settings(), args)
    except ConfigError as exc:
        print(f"yiwang: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
