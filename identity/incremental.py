"""Incremental matching: one new record against the persons of an earlier resolution.

A batch run over a county takes minutes; a record that arrives between runs (someone
registering at a service window) needs its person now. A ``Matcher`` is built once from
a resolution (the records, the person of each, the trained model and the settings, and
the resolution's frame of the records if at hand) and then answers one record in
milliseconds: it normalises the record, finds candidates
through the same blocking rules (``identity.index.RecordIndex``), frames them and the
record with the batch's ``build_frame`` and compares the pairs with the batch's
``compare``.

The weights are those of the existing data: its size sets the prior and its values the
term frequencies, and the new record is weighed as the batch would weigh it appended
after all the others (the right side of each pair, whose own frequency never counts).
They follow ``score.match_weights`` step for step, with one difference: the sum of the
squared shares of a term-frequency column is computed once, not on every call (at a
million records that sum alone would cost more than the rest of a match). So a pair
scores here exactly what it scores in a batch over the same records. Records added
later are searched too, but leave the weights alone: a batch run refreshes them.

The strongest person decides. At or above the link threshold the record joins it,
unless the person holds a valid ID number other than the record's: two valid numbers
are two people, so the batch's clustering refuses that link and here it goes to review.
Between the review and the link threshold it goes to review; below, it is someone new.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from identity.compare import compare
from identity.frame import Frame, Index
from identity.index import NewRecord, RecordIndex
from identity.normalize import RawRecord
from identity.pipeline import Resolution
from identity.review import UNCERTAIN, Contribution
from identity.score import Model, probabilities
from identity.settings import Settings

LINK, REVIEW, NEW = "link", "review", "new"
DIFFERENT_IDS = "different valid ID numbers"  # the reason identity.cluster refuses a link


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person the new record may be, by the record of theirs it matched best."""

    person: str  # cluster ID
    probability: float
    match_weight: float
    record: tuple[str, str]  # (source, source_id) of that record
    record_index: int  # its position: the resolution's records, then those added
    explanation: tuple[Contribution, ...]  # per comparison, the level and its weight


@dataclass(frozen=True, slots=True)
class Match:
    decision: str  # LINK, REVIEW or NEW
    person: str | None  # the person to join (LINK) or to decide about (REVIEW)
    reason: str  # REVIEW: UNCERTAIN or DIFFERENT_IDS; otherwise empty
    candidates: tuple[Candidate, ...]  # one per person, strongest first


class Matcher:
    """Matches single records against ``records``, whose persons are ``persons``."""

    def __init__(
        self,
        records: Sequence[RawRecord],
        persons: Sequence[str],
        model: Model,
        settings: Settings | None = None,
        frame: Frame | None = None,
    ) -> None:
        """``frame``: the batch's frame of ``records``, if at hand (saves normalising them)."""
        if len(records) != len(persons):
            raise ValueError(f"{len(records)} records but {len(persons)} persons")
        self.settings = settings = settings or Settings()
        model.check(settings.comparisons)
        self.model = model
        frequent = {name for c in settings.comparisons for name in c.tf_columns.values()}
        self.index = RecordIndex(
            records,
            settings.blocking_rules,
            settings.today or date.today(),
            [*sorted(frequent), "valid_id"],
            frame,
        )
        frame = self.index.frame
        prior = model.prior(frame.size)
        self._prior = math.log2(prior / (1 - prior))
        # term frequencies of the existing data; the last share is that of a value it lacks
        self._shares = {name: np.r_[frame.frequencies(name), 0.0] for name in frequent}
        self._squares = {
            name: float(np.dot(frame.frequencies(name), frame.frequencies(name)))
            for name in frequent
        }
        self._persons = list(dict.fromkeys(persons))
        self._label = {person: label for label, person in enumerate(self._persons)}
        self._labels = np.array([self._label[person] for person in persons], dtype=np.int64)
        self._added_labels: list[int] = []
        self._ids = _ValidIds(self._labels, frame.codes["valid_id"])

    @classmethod
    def from_resolution(
        cls, records: Sequence[RawRecord], resolution: Resolution, settings: Settings | None = None
    ) -> Matcher:
        """The matcher of the records ``resolution`` resolved, with its persons, model and
        frame; ``settings`` must be those it was resolved with."""
        return cls(records, resolution.cluster_ids, resolution.model, settings, resolution.frame)

    def __len__(self) -> int:
        return len(self.index)

    def match(self, record: RawRecord) -> Match:
        """The persons ``record`` may be, strongest first, and what to do with it."""
        new = self.index.normalise(record)
        rows = self.index.candidates(new, self.settings.max_block_size)
        if not len(rows):
            return Match(NEW, None, "", ())
        comparisons = self.settings.comparisons
        frame = self.index.frame_of(rows, new)
        levels = compare(frame, comparisons, np.arange(len(rows)), np.full(len(rows), len(rows)))
        parts = self._weights(levels, rows)
        weights = np.full(len(rows), self._prior)
        for column in range(len(comparisons)):  # in match_weights' order, to the last bit
            weights += parts[:, column]
        labels = self._labels_of(rows)
        order = np.argsort(-weights, kind="stable")
        best = order[np.sort(np.unique(labels[order], return_index=True)[1])]
        candidates = tuple(
            Candidate(
                person=self._persons[labels[pair]],
                probability=float(chance),
                match_weight=round(float(weights[pair]), 3),
                record=self.index.keys[rows[pair]],
                record_index=int(rows[pair]),
                explanation=tuple(
                    Contribution(c.name, c.levels[level], round(weight, 3))
                    for c, level, weight in zip(
                        comparisons, levels[pair].tolist(), parts[pair].tolist(), strict=True
                    )
                ),
            )
            for pair, chance in zip(
                best.tolist(), probabilities(weights[best]).tolist(), strict=True
            )
        )
        return self._decide(candidates, int(labels[best[0]]), new)

    def add(self, record: RawRecord, person: str) -> None:
        """Make ``record`` one of ``person``'s (new or known): later matches find it."""
        new = self.index.normalise(record)
        number = self.index.add(record, new)
        label = self._label.setdefault(person, len(self._persons))
        if label == len(self._persons):
            self._persons.append(person)
        self._added_labels.append(label)
        if _valid_id(new):
            self._ids.add(label, int(self.index.codes("valid_id", np.array([number]))[0]))

    def _weights(self, levels: NDArray[np.int8], rows: Index) -> NDArray[np.float64]:
        """Each comparison's weight per pair, as ``score.comparison_weights`` gives it in
        a batch over the existing data, the candidates (``rows``) on the left."""
        floor = 1.0 / max(self.index.size, 1)
        found = {name: self.index.codes(name, rows) for name in self._shares}
        parts = np.empty(levels.shape)
        comparisons = zip(self.settings.comparisons, self.model.comparisons, strict=True)
        for column, (comparison, fitted) in enumerate(comparisons):
            reached = levels[:, column]
            weights = fitted.weights()[reached]
            for level, name in comparison.tf_columns.items():
                chosen = np.flatnonzero(reached == level)
                codes = found[name][chosen]
                known = codes >= 0
                shares = self._shares[name]
                share = np.maximum(shares[np.minimum(codes[known], len(shares) - 1)], floor)
                weights[chosen[known]] += np.log2(self._squares[name] / share)
            parts[:, column] = weights
        return parts

    def _labels_of(self, rows: Index) -> Index:
        labels = np.empty(len(rows), dtype=np.int64)
        known = rows < self.index.size
        labels[known] = self._labels[rows[known]]
        size = self.index.size
        labels[~known] = [self._added_labels[row - size] for row in rows[~known].tolist()]
        return labels

    def _decide(self, candidates: tuple[Candidate, ...], label: int, new: NewRecord) -> Match:
        """What to do with ``new``, whose strongest candidate is person ``label``."""
        top = candidates[0]
        if top.probability >= self.settings.link_threshold:
            held = self._ids.of(label)
            if _valid_id(new) and held and new.codes["valid_id"] not in held:
                return Match(REVIEW, top.person, DIFFERENT_IDS, candidates)
            return Match(LINK, top.person, "", candidates)
        if top.probability >= self.settings.review_threshold:
            return Match(REVIEW, top.person, UNCERTAIN, candidates)
        return Match(NEW, None, "", candidates)


class _ValidIds:
    """The valid ID numbers (codes) each person holds: sorted pairs for the existing
    records, a dict for those added."""

    def __init__(self, labels: Index, codes: Index) -> None:
        held = codes >= 0
        width = int(codes.max(initial=0)) + 1
        pairs = np.unique(labels[held] * width + codes[held])
        self._owners, self._codes = pairs // width, pairs % width
        self._added: dict[int, set[int]] = {}

    def of(self, label: int) -> set[int]:
        low, high = np.searchsorted(self._owners, [label, label + 1])
        return {*self._codes[low:high].tolist(), *self._added.get(label, ())}

    def add(self, label: int, code: int) -> None:
        self._added.setdefault(label, set()).add(code)


def _valid_id(new: NewRecord) -> bool:
    number = new.normalised.id_number
    return number is not None and number.valid
