"""Phone, address and household number as one "same household" comparison.

They say "same household", not "same person": as three independent comparisons they
add up and merge a family (shared/BENCHMARKS.md). So they are one comparison whose
levels form a hierarchy: the same phone and dwelling, the same phone, the same
dwelling, the same building, the same community, different.

A Chinese address is matched on the codes of its parsed levels. A Latin one comes
misspelt ("rupp lace" for "rupp place") and without a fixed hierarchy of units, so two
Latin addresses are matched part by part, with Jaro-Winkler on the road, the premises
(an estate, a building; clerks swap it with the road line) and the locality, and a
postcode one edit away counted as a typo rather than another place. The same house on
a close road or premises is the dwelling; a close road or premises in the same
locality (postcode or locality agreeing, neither contradicting) the building; the
same locality, or a close road where the locality cannot be told, the community.
Where the locality clearly differs a close road counts for nothing: short road names
recur from town to town.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import DamerauLevenshtein

from identity.comparison import Comparison, Index, Levels, pair_scores, similarity
from identity.frame import CHINESE, LATIN, Frame

Mask = NDArray[np.bool_]
_LINES = (("road", "road"), ("premises", "premises"), ("road", "premises"), ("premises", "road"))


@dataclass(frozen=True)
class HouseholdComparison(Comparison):
    """Phone, address and household number as one "same household" comparison.

    Levels, strongest first: the same phone and dwelling; the same phone; the same
    dwelling (room, or village house) or household number; the same building (or
    village group, or estate); the same community; different. Address parts one side
    leaves out are compatible with anything. Agreement on a dwelling or phone shared
    by many records (a dormitory, a village committee's phone) counts for less."""

    name: str = "household"
    levels: tuple[str, ...] = (
        "null", "phone_and_dwelling", "phone", "dwelling", "building", "community", "different",
    )  # fmt: skip
    m_prior: tuple[float, ...] = (0.55, 0.1, 0.25, 0.02, 0.03, 0.05)
    u_prior: tuple[float, ...] = (1e-6, 1e-5, 1e-5, 1e-4, 1e-3, 0.99897)
    tf_columns: Mapping[int, str] = field(
        default_factory=lambda: {1: "dwelling", 2: "phone", 3: "dwelling"}
    )
    close: float = 0.9  # Jaro-Winkler of Latin roads, premises and localities

    def compare(self, frame: Frame, left: Index, right: Index) -> Levels:
        codes = frame.codes

        def same(column: str) -> Mask:
            a, b = codes[column][left], codes[column][right]
            return (a == b) & (a >= 0)

        def both(column: str) -> Mask:
            return (codes[column][left] >= 0) & (codes[column][right] >= 0)

        def compatible(column: str) -> Mask:
            a, b = codes[column][left], codes[column][right]
            return (a == b) | (a < 0) | (b < 0)

        place = compatible("district") & compatible("street")
        dwelling = same("dwelling") & place
        building = same("block") & place
        community = same("community") & place
        script_l, script_r = codes["address_script"][left], codes["address_script"][right]
        latin = (script_l == LATIN) & (script_r == LATIN)
        chinese = (script_l == CHINESE) & (script_r == CHINESE)
        rows = np.flatnonzero(latin)
        if len(rows):
            parts = self._latin_levels(frame, left[rows], right[rows])
            dwelling[rows], building[rows], community[rows] = parts
        phone = same("phone")
        dwelling |= same("household")
        has_address = chinese & (both("dwelling") | both("community") | both("district"))
        has_address |= latin
        comparable = both("phone") | has_address | (both("household") & same("source"))
        out = np.full(len(left), self.level("different"), dtype=np.int8)
        out[community] = self.level("community")
        out[building] = self.level("building")
        out[dwelling] = self.level("dwelling")
        out[phone] = self.level("phone")
        out[phone & dwelling] = self.level("phone_and_dwelling")
        out[~comparable] = 0
        return out

    def _latin_levels(self, frame: Frame, left: Index, right: Index) -> tuple[Mask, Mask, Mask]:
        """(dwelling, building, community) of pairs of Latin addresses."""
        postcode_l, postcode_r = frame.codes["postcode"][left], frame.codes["postcode"][right]
        postcodes = (postcode_l >= 0) & (postcode_r >= 0)
        same_postcode = postcodes & (postcode_l == postcode_r)
        other_postcode = _apart(frame, "postcode", left, right, postcodes & ~same_postcode)
        locality = similarity(frame, "locality", left, right, cutoff=self.close)
        same_locality = locality >= self.close
        other_locality = (locality >= 0) & ~same_locality
        settled = (same_postcode | same_locality) & ~other_postcode & ~other_locality
        elsewhere = ~same_postcode & ~same_locality & (other_postcode | other_locality)
        road = np.zeros(len(left), dtype=bool)
        for a, b in _LINES:  # clerks swap the road and the premises line
            road |= similarity(frame, a, left, right, b, cutoff=self.close) >= self.close
        road &= ~elsewhere
        house_l, house_r = frame.codes["house"][left], frame.codes["house"][right]
        same_house = (house_l == house_r) & (house_l >= 0)
        return same_house & road, road & settled, settled | road


def _apart(frame: Frame, column: str, left: Index, right: Index, differ: Mask) -> Mask:
    """Of the pairs whose codes ``differ``, those more than one edit apart: a postcode
    with a digit mistyped or two swapped is no evidence of another place."""
    rows = np.flatnonzero(differ)
    if len(rows):
        codes_l, codes_r = frame.column(column)[left[rows]], frame.column(column)[right[rows]]
        scorer = DamerauLevenshtein.distance
        distance = pair_scores(frame, (column, column), codes_l, codes_r, scorer, 2)
        differ = differ.copy()
        differ[rows[distance <= 1]] = False
    return differ
