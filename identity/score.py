"""Stage 4b: Fellegi-Sunter match weights, and the model that holds them.

A pair's match weight is the prior log-odds that two records match plus, for each
comparison, log2(m / u) of the level the pair reached: m the probability of that level
among true matches, u among non-matches. Level 0 ("null") adds nothing.

Term frequencies: for levels that declare a column (exact name, say), agreement on a
value held by a share tf of the records is as likely by chance as tf, against
sum(tf²) for agreement on a typical value; the weight gains log2(sum(tf²) / tf), so
王伟 agreeing counts for less than 欧阳锋 agreeing. (Splink's log2(u / tf) is the same
where the level's u is sum(tf²); the ratio form stays right for levels such as "same
dwelling but not the same phone", whose u is smaller than the dwelling's sum(tf²).)

The prior is kept as matching records per record (how many other records of the same
person a record has, on average), not as the probability that two random records
match: the latter falls with the size of the data, so a model trained on a county's
million records would otherwise be far too sceptical on a village's thousand.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from identity.compare import Comparison
from identity.frame import Frame

FORMAT = "yiwang.identity.model/1"
Index = NDArray[np.int64]


@dataclass(frozen=True)
class ComparisonModel:
    """m and u of one comparison, for ``levels[1:]`` (level 0 is null)."""

    name: str
    levels: tuple[str, ...]
    m: tuple[float, ...]
    u: tuple[float, ...]

    def weights(self) -> NDArray[np.float64]:
        """log2(m / u) indexed by level; 0 for the null level."""
        return np.array([0.0, *(math.log2(m / u) for m, u in zip(self.m, self.u, strict=True))])


@dataclass(frozen=True)
class Training:
    trained: bool  # False: the comparisons' prior guesses, no data seen
    candidate_pairs: int = 0
    random_pairs: int = 0
    em_iterations: int = 0
    em_converged: bool = False
    match_share: float = 0.0  # of the candidate pairs, as EM estimated it


@dataclass(frozen=True)
class Model:
    comparisons: tuple[ComparisonModel, ...]
    matches_per_record: float
    training: Training

    @classmethod
    def untrained(cls, comparisons: Sequence[Comparison], matches_per_record: float = 0.6) -> Model:
        """The comparisons' own prior guesses of m and u."""
        models = tuple(
            ComparisonModel(c.name, c.levels, normalised(c.m_prior), normalised(c.u_prior))
            for c in comparisons
        )
        return cls(models, matches_per_record, Training(trained=False))

    def prior(self, records: int) -> float:
        """Probability that two random records of a set of ``records`` match."""
        return min(0.5, max(self.matches_per_record / max(records - 1, 1), 1e-12))

    def check(self, comparisons: Sequence[Comparison]) -> None:
        """Raise unless the model was made for exactly these comparisons and levels."""
        ours = [(c.name, c.levels) for c in self.comparisons]
        theirs = [(c.name, c.levels) for c in comparisons]
        if ours != theirs:
            raise ValueError(f"model compares {ours}, settings compare {theirs}")

    def table(self) -> str:
        """The weights as a table: one row per comparison level."""
        rows = [f"{'comparison':<12} {'level':<20} {'m':>10} {'u':>10} {'weight':>8}"]
        for comparison in self.comparisons:
            weights = comparison.weights()
            for index, label in enumerate(comparison.levels[1:], start=1):
                m, u = comparison.m[index - 1], comparison.u[index - 1]
                weight = weights[index]
                rows.append(
                    f"{comparison.name:<12} {label:<20} {m:>10.3g} {u:>10.3g} {weight:>+8.2f}"
                )
        rows.append(f"prior: {self.matches_per_record:.4g} matching records per record")
        return "\n".join(rows)

    def to_json(self) -> str:
        comparisons = [
            {
                "name": c.name,
                "levels": [
                    {"label": label, "m": m, "u": u, "weight": round(math.log2(m / u), 4)}
                    for label, m, u in zip(c.levels[1:], c.m, c.u, strict=True)
                ],
            }
            for c in self.comparisons
        ]
        document = {
            "format": FORMAT,
            "matches_per_record": self.matches_per_record,
            "comparisons": comparisons,
            "training": asdict(self.training),
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not a model file: {error}") from None
        found = document.get("format") if isinstance(document, dict) else type(document).__name__
        if found != FORMAT:
            raise ValueError(f"not a model file: format is {found!r}, expected {FORMAT!r}")
        try:
            comparisons = tuple(
                ComparisonModel(
                    name=c["name"],
                    levels=("null", *(level["label"] for level in c["levels"])),
                    m=tuple(float(level["m"]) for level in c["levels"]),
                    u=tuple(float(level["u"]) for level in c["levels"]),
                )
                for c in document["comparisons"]
            )
            model = cls(
                comparisons, float(document["matches_per_record"]), Training(**document["training"])
            )
            if not all(0 < p <= 1 for c in comparisons for p in (*c.m, *c.u)):
                raise ValueError("every m and u must be a probability above 0")
            return model
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"not a model file: {type(error).__name__} {error}") from None

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Model:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def match_weights(
    model: Model,
    comparisons: Sequence[Comparison],
    frame: Frame,
    left: Index,
    right: Index,
    levels: NDArray[np.int8],
) -> NDArray[np.float64]:
    """Prior log-odds plus every comparison's weight, term frequencies included."""
    prior = model.prior(frame.size)
    total = np.full(len(left), math.log2(prior / (1 - prior)))
    for column in range(len(comparisons)):
        total += comparison_weights(model, comparisons, frame, left, right, levels, column)
    return total


def comparison_weights(
    model: Model,
    comparisons: Sequence[Comparison],
    frame: Frame,
    left: Index,
    right: Index,
    levels: NDArray[np.int8],
    column: int,
) -> NDArray[np.float64]:
    """One comparison's weight per pair, with its term-frequency adjustment."""
    fitted, comparison = model.comparisons[column], comparisons[column]
    reached = levels[:, column]
    weights = fitted.weights()[reached]
    for level, name in comparison.tf_columns.items():
        rows = np.flatnonzero(reached == level)
        if not len(rows):
            continue
        codes = frame.column(name)[left[rows]]
        known = codes >= 0
        shares = frame.frequencies(name)
        share = np.maximum(shares[codes[known]], 1.0 / max(frame.size, 1))
        weights[rows[known]] += np.log2(float(np.dot(shares, shares)) / share)
    return weights


def probabilities(weights: NDArray[np.float64]) -> NDArray[np.float64]:
    result: NDArray[np.float64] = 1.0 / (1.0 + np.exp2(-np.clip(weights, -60, 60)))
    return result


def normalised(values: Sequence[float]) -> tuple[float, ...]:
    total = sum(values)
    return tuple(value / total for value in values)
