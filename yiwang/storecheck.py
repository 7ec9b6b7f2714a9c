"""Start-up checks on the store: reachable, and migrated to the current head."""

from __future__ import annotations

import asyncio

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from store import create_engine
from store.migrate import alembic_config
from yiwang.settings import ConfigError


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def _revision(database_url: str) -> str | None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current_revision)
    finally:
        await engine.dispose()


def check_store(database_url: str, require_migrated: bool = True) -> None:
    """Raise ConfigError with one line when the store cannot be used."""
    shown = make_url(database_url).render_as_string(hide_password=True)
    try:
        revision = asyncio.run(_revision(database_url))
    except Exception as exc:  # the driver's own error type varies by backend
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"Cannot open the store at {shown}: {first_line}") from None
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    if require_migrated and revision != head:
        raise ConfigError(
            f"The store at {shown} is at revision {revision or 'none'}, not {head}: "
            "run 'yiwang migrate'"
        )
