"""Settings read from the environment once (prefix ``YIWANG_``), failing loudly."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/yiwang.db"
SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret: str
    token_ttl_hours: int
    max_page_size: int = 100


def normalise_database_url(raw: str) -> str:
    """Accept the usual spellings and return an async SQLAlchemy URL, or raise ConfigError."""
    text = raw.strip()
    if text.startswith(("postgres://", "postgresql://")):
        text = "postgresql+asyncpg://" + text.split("://", 1)[1]
    elif text.startswith("sqlite://"):
        text = "sqlite+aiosqlite://" + text.split("://", 1)[1]
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise ConfigError(f"Config 'DATABASE_URL' is invalid: {exc}") from None
    if url.drivername not in SUPPORTED_DRIVERS:
        raise ConfigError(
            f"Config 'DATABASE_URL' is invalid: driver '{url.drivername}' is not supported "
            f"(use one of {', '.join(SUPPORTED_DRIVERS)})"
        )
    return text


def _secret(var_dir: Path) -> str:
    """YIWANG_SECRET, or for local use a random secret kept in ./var/secret."""
    value = os.environ.get("YIWANG_SECRET", "").strip()
    if value:
        if len(value) < 16:
            raise ConfigError("Config 'SECRET' is invalid: use at least 16 characters")
        return value
    path = var_dir / "secret"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value)
    path.chmod(0o600)
    return value


def load_settings() -> Settings:
    var_dir = Path(os.environ.get("YIWANG_VAR_DIR", "var"))
    url = normalise_database_url(os.environ.get("YIWANG_DATABASE_URL", DEFAULT_DATABASE_URL))
    ttl_raw = os.environ.get("YIWANG_TOKEN_TTL_HOURS", "12")
    try:
        ttl = int(ttl_raw)
    except ValueError:
        raise ConfigError(
            f"Config 'TOKEN_TTL_HOURS' is invalid: {ttl_raw!r} is not a number"
        ) from None
    return Settings(database_url=url, secret=_secret(var_dir), token_ttl_hours=ttl)
