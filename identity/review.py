"""Review items: the pairs a person should decide, each with the reasons in full.

Two kinds of pair go to review: those whose match probability falls between the review
and the link thresholds and that did not end in one person anyway, and those strong
enough to link that a constraint refused (two valid ID numbers that otherwise agree
suggest a mistyped number that still passes its checksum, or an ID reissued).
Every item carries, per comparison, the level the pair reached and the weight it
earned, term frequencies included: the explanation a cadre sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from identity.compare import Comparison
from identity.frame import Frame
from identity.score import Model, comparison_weights

Index = NDArray[np.int64]
UNCERTAIN = "uncertain"


@dataclass(frozen=True, slots=True)
class Contribution:
    comparison: str
    level: str
    weight: float  # bits of evidence: positive for a match, negative against


@dataclass(frozen=True, slots=True)
class ReviewItem:
    left: tuple[str, str]  # (source, source_id)
    right: tuple[str, str]
    left_index: int  # positions in the input records
    right_index: int
    probability: float
    match_weight: float
    reason: str  # UNCERTAIN, or the constraint that refused the link
    explanation: tuple[Contribution, ...]


def explain(
    model: Model,
    comparisons: Sequence[Comparison],
    frame: Frame,
    left: Index,
    right: Index,
    levels: NDArray[np.int8],
) -> list[tuple[Contribution, ...]]:
    """Per pair, each comparison's level and weight."""
    weights = (
        np.column_stack(
            [
                comparison_weights(model, comparisons, frame, left, right, levels, column)
                for column in range(len(comparisons))
            ]
        )
        if len(left)
        else np.zeros((0, len(comparisons)))
    )
    return [
        tuple(
            Contribution(c.name, c.levels[level], round(float(weight), 3))
            for c, level, weight in zip(comparisons, row_levels, row_weights, strict=True)
        )
        for row_levels, row_weights in zip(levels.tolist(), weights.tolist(), strict=True)
    ]


def review_items(
    model: Model,
    comparisons: Sequence[Comparison],
    frame: Frame,
    left: Index,
    right: Index,
    levels: NDArray[np.int8],
    weights: NDArray[np.float64],
    probabilities: NDArray[np.float64],
    reasons: Sequence[str],
) -> list[ReviewItem]:
    """Items for the given pairs (already selected), strongest first."""
    order = np.argsort(-weights, kind="stable")
    left, right, levels = left[order], right[order], levels[order]
    explanations = explain(model, comparisons, frame, left, right, levels)
    return [
        ReviewItem(
            left=frame.keys[a],
            right=frame.keys[b],
            left_index=a,
            right_index=b,
            probability=float(probabilities[position]),
            match_weight=round(float(weights[position]), 3),
            reason=reasons[position],
            explanation=explanation,
        )
        for a, b, position, explanation in zip(
            left.tolist(), right.tolist(), order.tolist(), explanations, strict=True
        )
    ]
