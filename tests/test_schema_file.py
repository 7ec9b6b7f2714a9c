"""schema.graphql is committed and matches the printed schema."""

from __future__ import annotations

from pathlib import Path

from schema import schema

SDL = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_schema_file_is_current() -> None:
    assert SDL.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "schema.graphql is stale: run `.venv/bin/python -m yiwang.print_schema > schema.graphql`"
    )
