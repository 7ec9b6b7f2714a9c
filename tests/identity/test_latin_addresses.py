"""Addresses in Latin letters: parts, spelling and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from identity.addresses import parse_address
from identity.latin_addresses import LatinParts, parse_latin_address


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        (
            "20 Rupp Pl., Brentwood Village, Penshurst VIC 2257",
            LatinParts(None, "20", "rupp place", "brentwood village", "penshurst", "vic", "2257"),
        ),
        (  # the road line and the premises line swapped: the street type finds the road
            "24 suunybrae, goldfinch circuit, mona vale vic 2285",
            LatinParts(None, "24", "goldfinch circuit", "suunybrae", "mona vale", "vic", "2285"),
        ),
        (  # no street type (a typo ran it into the name): the numbered line is the road
            "1 narranystreet, lake chatsworth, westlake vic 2036",
            LatinParts(None, "1", "narranystreet", "lake chatsworth", "westlake", "vic", "2036"),
        ),
        (  # a house number without its road
            "20, brentwood vlge, penshurst vic 2257",
            LatinParts(None, "20", None, "brentwood vlge", "penshurst", "vic", "2257"),
        ),
        (  # one line: the road ends at its street type
            "5/20 Rupp St Penshurst 2257",
            LatinParts("5", "20", "rupp street", None, "penshurst", None, "2257"),
        ),
        ("vic 2257", LatinParts(None, None, None, None, None, "vic", "2257")),
        ("Zürich", LatinParts(None, None, None, None, "zurich", None, None)),
    ],
)
def test_a_latin_address_is_split_into_its_parts(raw: str, parts: LatinParts) -> None:
    assert parse_latin_address(raw) == parts


def test_a_latin_address_keeps_no_chinese_parts_and_its_key_is_its_spelling() -> None:
    address, reason = parse_address("20 Rupp Place, Penshurst VIC 2257")

    assert reason is None and address is not None and address.latin is not None
    assert (address.district, address.street, address.community) == (None, None, None)
    assert address.key == address.standard() == "20 rupp place, penshurst vic 2257"


def test_street_types_are_spelt_out_so_abbreviations_agree() -> None:
    short, full = parse_latin_address("3 Main St, Ryde"), parse_latin_address("3 main street, ryde")

    assert short == full


lines = st.text(st.sampled_from("abcdefgh 0123456789/-.,"), max_size=50)


@given(lines)
def test_the_standard_spelling_parses_back_to_the_same_parts(text: str) -> None:
    parts = parse_latin_address(text)

    assert parts is None or parse_latin_address(parts.standard()) == parts
