"""The description of a resolution model: what to block on, what to compare, how to
train and where to cut. It runs nothing; ``identity.pipeline.resolve`` reads it.

The defaults suit the department platforms: ID numbers found through their 17
leading digits, and through area and birth date (with the surname: a county has
thousands born on one day) or birth date and sequence, so one wrong digit still meets
its true number; names through birth date or year, and the household evidence (phone,
dwelling) as ways to meet a person whose ID is missing. Blocking on phone or dwelling
yields many pairs of family members; that is why the household comparison is one
comparison, and why m is learnt by EM over all candidate pairs while u comes from
random pairs.

Records of other registers (Latin names and addresses, another identifier) meet
through that identifier, and through pairs of a part of the address (postcode,
locality, house number, road) with a name part or the birth date: such registers
mistype any field, so a pair must be able to meet through whichever two survived. The
address parts are Latin addresses' only, so these rules cost a Chinese set nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from identity.block import BlockingRule
from identity.compare import Comparison, default_comparisons

DEFAULT_RULES = (
    BlockingRule("id", ("id17",)),
    BlockingRule("id_area_birth_surname", ("id_prefix", "surname")),
    BlockingRule("id_birth_sequence", ("id_suffix",)),
    BlockingRule("birth_surname", ("birth", "surname")),
    BlockingRule("name_birth_year", ("pinyin", "birth_year")),
    BlockingRule("phone", ("phone",)),
    BlockingRule("dwelling_given", ("dwelling", "given")),
    BlockingRule("other_id", ("other_id",)),
    BlockingRule("birth_given", ("birth", "given")),
    BlockingRule("postcode_surname", ("postcode", "surname")),
    BlockingRule("postcode_given", ("postcode", "given")),
    BlockingRule("postcode_birth", ("postcode", "birth")),
    BlockingRule("postcode_house", ("postcode", "house")),
    BlockingRule("house_birth", ("house", "birth")),
    BlockingRule("house_name", ("house", "pinyin")),
    BlockingRule("locality_birth", ("locality", "birth")),
    BlockingRule("locality_house", ("locality", "house")),
    BlockingRule("locality_postcode", ("locality", "postcode")),
    BlockingRule("locality_surname", ("locality", "surname")),
    BlockingRule("road_birth", ("road", "birth")),
)


@dataclass(frozen=True)
class Settings:
    blocking_rules: tuple[BlockingRule, ...] = DEFAULT_RULES
    comparisons: tuple[Comparison, ...] = field(default_factory=default_comparisons)
    max_block_size: int = 1000  # larger blocks are skipped and reported
    random_pairs: int = 1_000_000  # sampled to estimate u
    u_prior_weight: float = 10_000.0  # pseudo-pairs of the u prior (matters on small inputs)
    m_prior_weight: float = 20.0  # pseudo-matches of the m prior
    em_max_iterations: int = 100
    em_tolerance: float = 1e-6  # largest change of any m that counts as converged
    link_threshold: float = 0.95  # match probability at or above which pairs are linked
    review_threshold: float = 0.5  # pairs from here up to link_threshold are reviewed
    max_cluster_size: int = 200  # a union that would grow a person beyond this is refused
    seed: int = 0
    today: date | None = None  # bounds birth dates during normalisation

    def __post_init__(self) -> None:
        if not 0.0 < self.review_threshold <= self.link_threshold < 1.0:
            raise ValueError("need 0 < review_threshold <= link_threshold < 1")
        names = [comparison.name for comparison in self.comparisons]
        if len(set(names)) != len(names):
            raise ValueError(f"comparison names repeat: {names}")
