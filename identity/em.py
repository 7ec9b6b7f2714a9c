"""Stage 4a: learn m and u from the data itself, without labels.

u (how often non-matches reach each level) comes from random pairs of records: almost
none of them match, so their levels are the non-match distribution. Almost: the few
that do match are the only random pairs sharing a valid ID number, so u of "exact ID"
would come out as the match rate itself and an ID could never outweigh the prior.
Once m is known, each random pair is therefore counted by its probability of being a
non-match, and u estimated again.

m (how often matches reach each level) comes from expectation-maximisation over the
candidate pairs: each round scores every pair, takes its match probability as a soft
label and re-estimates m and the share of matches. The weights use u of random pairs,
but EM cannot: blocking on phone and dwelling selects families, whose members agree on
the household far more often than random pairs do, and with u held at the random
pairs' values EM explains them as matches and learns "same household" instead of
"same person". So EM estimates the candidates' own non-match distribution alongside m,
and then discards it. Levels whose m a comparison fixes (``fixed_m``) stay fixed; they
anchor the solution.

Both estimates are smoothed towards the comparisons' prior guesses by a number of
pseudo-pairs (``Settings.u_prior_weight``, ``m_prior_weight``): that changes nothing
on a million records and keeps a level that never occurs from getting a weight of
plus or minus infinity, and a handful of records from getting a nonsense model.

EM runs over the distinct level patterns with their counts, not over the pairs: a few
thousand patterns stand for millions of pairs, so it converges in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from identity.compare import Comparison, compare
from identity.frame import Frame
from identity.score import ComparisonModel, Model, Training, normalised
from identity.settings import Settings

Index = NDArray[np.int64]


def random_pairs(size: int, count: int, seed: int) -> tuple[Index, Index]:
    """``count`` random pairs of distinct records, or every pair when there are fewer."""
    if size * (size - 1) // 2 <= count:
        left, right = np.triu_indices(size, 1)
        return left.astype(np.int64), right.astype(np.int64)
    rng = np.random.default_rng(seed)
    left = rng.integers(0, size, count, dtype=np.int64)
    right = rng.integers(0, size - 1, count, dtype=np.int64)
    right += right >= left
    return left, right


def estimate_u(
    levels: NDArray[np.int8],
    comparisons: Sequence[Comparison],
    settings: Settings,
    non_match: NDArray[np.float64] | None = None,
) -> list[NDArray[np.float64]]:
    """u per comparison (for its levels 1…) from the levels of random pairs, each pair
    counted by its probability of being a non-match (default: certainly one)."""
    estimates = []
    for column, comparison in enumerate(comparisons):
        counts = np.bincount(levels[:, column], non_match, minlength=len(comparison.levels))[1:]
        prior = np.array(normalised(comparison.u_prior))
        weight = settings.u_prior_weight
        estimates.append((counts + weight * prior) / (counts.sum() + weight))
    return estimates


def train(
    frame: Frame,
    comparisons: Sequence[Comparison],
    levels: NDArray[np.int8],
    settings: Settings,
) -> Model:
    """A model for ``comparisons`` from ``levels`` of the candidate pairs of ``frame``."""
    left, right = random_pairs(frame.size, settings.random_pairs, settings.seed)
    sampled = compare(frame, comparisons, left, right)
    u = estimate_u(sampled, comparisons, settings)
    patterns, counts = _patterns(levels, comparisons)
    priors = [np.array(normalised(c.m_prior)) for c in comparisons]
    fixed = [c.fixed_m for c in comparisons]
    m, share, iterations, converged = _em(patterns, counts, priors, u, fixed, settings)
    pairs_in_frame = max(frame.size * (frame.size - 1) / 2, 1.0)
    prior = min(max(share * len(levels) / pairs_in_frame, 1e-12), 0.5)
    log_odds = np.full(len(sampled), math.log(prior / (1 - prior)))
    for column in range(len(comparisons)):
        log_odds += np.r_[0.0, np.log(m[column] / u[column])][sampled[:, column]]
    u = estimate_u(sampled, comparisons, settings, 1.0 - 1.0 / (1.0 + np.exp(-log_odds)))
    fitted = tuple(
        ComparisonModel(c.name, c.levels, tuple(m[i].tolist()), tuple(u[i].tolist()))
        for i, c in enumerate(comparisons)
    )
    training = Training(
        trained=True,
        candidate_pairs=len(levels),
        random_pairs=len(sampled),
        em_iterations=iterations,
        em_converged=converged,
        match_share=share if len(counts) else 0.0,
    )
    per_record = 2 * share * len(levels) / frame.size if len(counts) else 0.6
    return Model(fitted, per_record, training)


def _em(
    patterns: NDArray[np.int64],
    counts: NDArray[np.float64],
    priors: list[NDArray[np.float64]],
    u_random: list[NDArray[np.float64]],
    fixed: list[Mapping[int, float]],
    settings: Settings,
) -> tuple[list[NDArray[np.float64]], float, int, bool]:
    """(m, share of matches, iterations, converged) over the candidate pairs.

    The candidates' non-match distribution is estimated alongside m, starting from
    u of random pairs and then discarded: blocking on phone and dwelling selects
    families, whose members agree on the household far more often than random
    pairs do. Held at the random pairs' u, EM explains those agreements as matches
    and learns "same household" instead of "same person".
    """
    m = [_fixed(values, fix) for values, fix in zip(priors, fixed, strict=True)]
    u = [values.copy() for values in u_random]
    share, iterations, converged = 0.5, 0, not len(counts)
    weight = settings.m_prior_weight
    while not converged and iterations < settings.em_max_iterations:
        iterations += 1
        log_odds = np.full(len(counts), math.log(share / (1 - share)))
        for column in range(len(m)):
            table = np.r_[0.0, np.log(m[column]) - np.log(u[column])]
            log_odds += table[patterns[:, column]]
        matched = counts / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
        unmatched = counts - matched
        share = float(np.clip(matched.sum() / counts.sum(), 1e-9, 1 - 1e-9))
        change = 0.0
        for column, prior in enumerate(priors):
            size = len(prior) + 1
            sums = np.bincount(patterns[:, column], matched, minlength=size)[1:]
            updated = _fixed((sums + weight * prior) / (sums.sum() + weight), fixed[column])
            change = max(change, float(np.abs(updated - m[column]).max()))
            m[column] = updated
            other = np.bincount(patterns[:, column], unmatched, minlength=size)[1:]
            u[column] = (other + weight * u_random[column]) / (other.sum() + weight)
        converged = change < settings.em_tolerance
    return m, share, iterations, converged


def _fixed(m: NDArray[np.float64], fixed: Mapping[int, float]) -> NDArray[np.float64]:
    """``m`` with the fixed levels set and the others scaled to fill the rest."""
    if not fixed:
        return m
    result = m.copy()
    free = np.ones(len(m), dtype=bool)
    for level, value in fixed.items():
        result[level - 1] = value
        free[level - 1] = False
    result[free] *= (1.0 - sum(fixed.values())) / result[free].sum()
    return result


def _patterns(
    levels: NDArray[np.int8], comparisons: Sequence[Comparison]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The distinct rows of ``levels`` and how often each occurs."""
    if not len(levels):
        return np.zeros((0, len(comparisons)), np.int64), np.zeros(0)
    base = max(len(c.levels) for c in comparisons)
    code = np.zeros(len(levels), dtype=np.int64)
    for column in range(len(comparisons)):
        code = code * base + levels[:, column]
    unique, counts = np.unique(code, return_counts=True)
    patterns = np.zeros((len(unique), len(comparisons)), dtype=np.int64)
    rest = unique.copy()
    for column in reversed(range(len(comparisons))):
        patterns[:, column] = rest % base
        rest //= base
    return patterns, counts.astype(np.float64)
