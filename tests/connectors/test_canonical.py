"""The canonical JSON a payload is hashed and stored as: the fast path writes the very
text the exact one does, and a body with floats never takes the fast path."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.canonical import (
    Hasher,
    canonical_json,
    canonical_json_without_floats,
    dumps,
)
from connectors.http import parse_body
from connectors.mapping import content_hash

TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=8)  # no lone surrogates
SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | TEXT
JSON_WITHOUT_FLOATS = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=5)
)


def exact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@settings(max_examples=400)
@given(JSON_WITHOUT_FLOATS)
def test_the_fast_canonical_json_is_the_exact_one(value: Any) -> None:
    assert canonical_json_without_floats(value) == exact(value)
    assert canonical_json(value) == exact(value)


def test_what_orjson_refuses_falls_back_to_the_exact_text() -> None:
    for value in ({"n": 2**70}, {"s": "a\ud800b"}, [-(2**63) - 1]):
        assert canonical_json_without_floats(value) == exact(value)
        assert json.loads(dumps(value)) == value


def test_a_body_with_floats_or_nan_says_so_when_parsed() -> None:
    assert parse_body(b'{"rows": [{"a": "1.5", "b": 2}]}') == (
        {"rows": [{"a": "1.5", "b": 2}]},
        False,
    )
    for body in (b'{"rows": [{"a": 1.5}]}', b'[{"a": 1e-07}]', b'[{"a": NaN}]', b"[-Infinity]"):
        assert parse_body(body)[1] is True, body


def test_floats_keep_their_exact_spelling() -> None:
    value = {"small": 1e-07, "ratio": 2.5e-05, "big": 1e16}
    assert canonical_json(value) == '{"big":1e+16,"ratio":2.5e-05,"small":1e-07}'


def test_the_hash_is_sha256_of_the_fingerprint_a_newline_and_the_text() -> None:
    text = canonical_json({"xm": "王五", "id": "1"})
    expected = hashlib.sha256(f"abc123\n{text}".encode()).hexdigest()
    assert Hasher("abc123")(text) == expected
    assert Hasher("abc123")(text) == expected  # the prefix is copied, not consumed
    assert content_hash("abc123", {"id": "1", "xm": "王五"}) == expected


def test_a_stored_record_is_plain_json() -> None:
    record = {"name": "王五", "tags": ["低保"], "extras": {"n": 2**70, "x": None}}
    assert json.loads(dumps(record)) == record
