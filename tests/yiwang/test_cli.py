"""The command line: tokens, and one clear line for a bad store URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backends import throwaway_database
from yiwang.auth import decode_token
from yiwang.settings import ConfigError, normalise_database_url

SECRET = "cli-secret-cli-secret-cli-secret"


def run(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "YIWANG_SECRET": SECRET, "YIWANG_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "yiwang", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_token_command_prints_a_valid_token(tmp_path: Path) -> None:
    result = run("token", "--role", "grid_worker", "--grid", "420802001001001", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    principal = decode_token(SECRET, result.stdout.strip())
    assert principal.role == "grid_worker" and principal.grid_code == "420802001001001"


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/x", "not a url", "postgresql+asyncpg://nobody@127.0.0.1:1/none"],
)
def test_bad_database_url_fails_with_one_line(url: str, tmp_path: Path) -> None:
    result = run("serve", tmp_path=tmp_path, YIWANG_DATABASE_URL=url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("yiwang: "), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_unmigrated_store_is_refused_until_migrate(backend: str, tmp_path: Path) -> None:
    with throwaway_database(backend, tmp_path) as url:
        refused = run("serve", tmp_path=tmp_path, YIWANG_DATABASE_URL=url)
        assert refused.returncode == 2 and "yiwang migrate" in refused.stderr
        migrated = run("migrate", tmp_path=tmp_path, YIWANG_DATABASE_URL=url)
        assert migrated.returncode == 0, migrated.stderr
        seeded = run("seed-demo", "--residents", "300", tmp_path=tmp_path, YIWANG_DATABASE_URL=url)
        assert seeded.returncode == 0 and "300" in seeded.stdout, seeded.stderr
        again = run("seed-demo", "--residents", "300", tmp_path=tmp_path, YIWANG_DATABASE_URL=url)
        assert again.returncode == 0 and "already holds data" in again.stdout


def test_url_spellings() -> None:
    assert normalise_database_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        normalise_database_url("oracle://u@h/db")
