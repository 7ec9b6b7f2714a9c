"""Canonical JSON and the content hash: one serialisation, hashed and then stored as it is.

The canonical text of a payload is ``json.dumps(value, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))``. orjson writes the very same text about four times faster for
everything JSON holds except floats (it spells ``1e-07`` as ``1e-7`` and NaN as
``null``), integers beyond 64 bits and lone surrogates. So a page whose body held no
floats (``http`` notices while parsing) takes the orjson path, falling back to
``json.dumps`` for the values orjson refuses; a page that may hold floats takes
``json.dumps``. Either way the text, and so the hash, is the same as it always was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import orjson

_SORTED = orjson.OPT_SORT_KEYS
_EXACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_PLAIN = json.JSONEncoder(ensure_ascii=False)

Canonical = Callable[[Any], str]


def canonical_json(value: Any) -> str:
    """The canonical text of any JSON value (floats included)."""
    return _EXACT.encode(value)


def canonical_json_without_floats(value: Any) -> str:
    """The same text, fast, for values known to hold no float (see the module docstring)."""
    try:
        return orjson.dumps(value, option=_SORTED).decode()
    except TypeError:  # an integer beyond 64 bits or a lone surrogate
        return _EXACT.encode(value)


def dumps(value: Any) -> str:
    """JSON text of a mapped record, for storing (any valid JSON of it will do)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return _PLAIN.encode(value)


class Hasher:
    """SHA-256 of a mapping's fingerprint, a newline and a canonical text, as hex."""

    def __init__(self, fingerprint: str) -> None:
        self._prefix = hashlib.sha256(f"{fingerprint}\n".encode())

    def __call__(self, text: str) -> str:
        digest = self._prefix.copy()
        digest.update(text.encode())
        return digest.hexdigest()
