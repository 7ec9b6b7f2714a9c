"""Opaque global IDs (``Resident:42``) and page cursors, base64-encoded."""

from __future__ import annotations

import base64
import binascii

from resolvers.errors import bad_input

NODE_TYPES = ("Resident", "Household", "Grid", "Task", "Department", "SourceRecord")


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(value: str) -> str:
    padded = value + "=" * (-len(value) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return ""


def global_id(type_name: str, pk: int) -> str:
    return _encode(f"{type_name}:{pk}")


def parse_global_id(value: str, expected: str | None = None) -> tuple[str, int]:
    type_name, _, pk = _decode(value).partition(":")
    if type_name not in NODE_TYPES or not pk.isdigit() or len(pk) > 18:
        raise bad_input(f"Malformed ID {value!r}")
    if expected is not None and type_name != expected:
        raise bad_input(f"ID {value!r} is not a {expected}")
    return type_name, int(pk)


def cursor(pk: int) -> str:
    return _encode(f"cursor:{pk}")


def parse_cursor(value: str | None) -> int | None:
    if value is None:
        return None
    prefix, _, pk = _decode(value).partition(":")
    if prefix != "cursor" or not pk.isdigit() or len(pk) > 18:
        raise bad_input(f"Malformed cursor {value!r}")
    return int(pk)


def page_size(first: int | None, maximum: int, default: int = 20) -> int:
    if first is None:
        return default
    if first < 0 or first > maximum:
        raise bad_input(f"'first' must be between 0 and {maximum}, got {first}")
    return first
