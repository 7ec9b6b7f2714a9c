"""The stages end to end, on records in memory: no store, no network.

``resolve`` normalises, blocks, compares, trains (unless given a model), scores,
clusters under constraints, groups households and collects the review items, timing
each stage. It is the store-free contract that the command line, the evaluation and
the benchmark share.

Person and household IDs are derived from content, so the same input gives the same
IDs: a person is named after the smallest (source, source_id) among its records.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from identity.block import Candidates, SkippedBlock, block, blocking_recall
from identity.cluster import cluster, group_households
from identity.compare import compare
from identity.distinct import normalised_frame
from identity.em import train
from identity.frame import Frame
from identity.normalize import RawRecord
from identity.review import UNCERTAIN, ReviewItem, review_items
from identity.score import Model, match_weights, probabilities
from identity.settings import Settings

Index = NDArray[np.int64]
RecordKey = tuple[str, str]
Progress = Callable[[str, int, int], None]  # (stage, done, total)
STAGES = ("normalise", "block", "compare", "train", "score", "cluster", "households", "review")


@dataclass(frozen=True)
class Stats:
    records: int
    candidate_pairs: int
    pairs_by_rule: dict[str, int]
    skipped_blocks: tuple[SkippedBlock, ...]
    blocking_recall: float | None  # when the truth was given
    linked_pairs: int  # scored pairs that joined two components
    refused_links: dict[str, int]  # reason -> count
    clusters: int
    largest_cluster: int
    households: int
    largest_household: int
    review_items: int
    records_with_issues: int
    conflicts: tuple[str, ...]  # manual links contradicting each other or unknown records
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Resolution:
    keys: list[RecordKey]  # (source, source_id) per input record, normalised
    labels: Index  # person per record: 0, 1, … in order of first appearance
    cluster_ids: list[str]  # the same, as deterministic IDs
    household_labels: Index
    household_ids: list[str]
    review: list[ReviewItem]
    model: Model
    stats: Stats
    candidates: Candidates
    probabilities: NDArray[np.float64]  # per candidate pair
    frame: Frame | None = None  # the normalised records, to explain pairs afterwards
    levels: NDArray[np.int8] | None = None  # per candidate pair and comparison


def resolve(
    records: Sequence[RawRecord],
    settings: Settings | None = None,
    model: Model | None = None,
    *,
    must_link: Sequence[tuple[RecordKey, RecordKey]] = (),
    cannot_link: Sequence[tuple[RecordKey, RecordKey]] = (),
    truth: Sequence[Hashable] | None = None,
    progress: Progress | None = None,
) -> Resolution:
    """Persons and households of ``records``; trains a model unless one is given.

    ``must_link`` and ``cannot_link`` are a person's manual merges and splits, as pairs
    of (source, source_id); ``truth`` (an entity label per record) adds the blocking
    recall to the stats.
    """
    settings = settings or Settings()
    comparisons = settings.comparisons
    if model is not None:
        model.check(comparisons)
    report = progress or (lambda stage, done, total: None)
    seconds: dict[str, float] = {}

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        started = time.perf_counter()
        report(name, 0, 1)
        yield
        seconds[name] = round(time.perf_counter() - started, 3)
        report(name, 1, 1)

    with stage("normalise"):
        frame, issues = normalised_frame(records, settings.today or date.today(), report)
    with stage("block"):
        candidates = block(frame, settings.blocking_rules, settings.max_block_size)
        recall = blocking_recall(candidates, truth) if truth is not None else None
    left, right = candidates.left, candidates.right
    with stage("compare"):
        levels = compare(frame, comparisons, left, right)
    with stage("train"):
        model = model or train(frame, comparisons, levels, settings)
    with stage("score"):
        weights = match_weights(model, comparisons, frame, left, right, levels)
        chances = probabilities(weights)
    with stage("cluster"):
        must, cannot, conflicts = _links(frame, must_link, cannot_link)
        clustering = cluster(
            frame.codes["valid_id"], left, right, chances, settings.link_threshold,
            must, cannot, settings.max_cluster_size,
        )  # fmt: skip
    with stage("households"):
        households = group_households(frame, clustering.labels)
        cluster_ids = stable_ids("p", clustering.labels, frame.keys)
        household_ids = stable_ids("h", households, frame.keys)
    with stage("review"):
        persons = clustering.labels
        band = (chances >= settings.review_threshold) & (chances < settings.link_threshold)
        band &= persons[left] != persons[right]
        chosen = np.r_[np.flatnonzero(band), clustering.refused]
        reasons = [UNCERTAIN] * int(band.sum()) + list(clustering.refused_reasons)
        review = review_items(
            model, comparisons, frame, left[chosen], right[chosen], levels[chosen],
            weights[chosen], chances[chosen], reasons,
        )  # fmt: skip
    refused: dict[str, int] = {}
    for reason in clustering.refused_reasons:
        refused[reason] = refused.get(reason, 0) + 1
    sizes = clustering.sizes
    household_sizes = np.bincount(households) if len(households) else sizes
    stats = Stats(
        records=frame.size,
        candidate_pairs=len(candidates),
        pairs_by_rule=candidates.generated,
        skipped_blocks=candidates.skipped,
        blocking_recall=recall,
        linked_pairs=clustering.linked,
        refused_links=refused,
        clusters=len(sizes),
        largest_cluster=int(sizes.max(initial=0)),
        households=len(household_sizes),
        largest_household=int(household_sizes.max(initial=0)),
        review_items=len(review),
        records_with_issues=issues,
        conflicts=conflicts + clustering.conflicts,
        seconds=seconds,
    )
    return Resolution(
        keys=frame.keys,
        labels=clustering.labels,
        cluster_ids=cluster_ids,
        household_labels=households,
        household_ids=household_ids,
        review=review,
        model=model,
        stats=stats,
        candidates=candidates,
        probabilities=chances,
        frame=frame,
        levels=levels,
    )


def stable_ids(prefix: str, labels: Index, keys: Sequence[RecordKey]) -> list[str]:
    """An ID per record from the smallest key of its group: the same input, the same IDs.
    Groups whose smallest keys coincide (a key repeated in the input) get a suffix."""
    if not len(labels):
        return []
    text = np.array([f"{source}\x1f{source_id}" for source, source_id in keys])
    rank = np.empty(len(text), dtype=np.int64)
    rank[np.argsort(text, kind="stable")] = np.arange(len(text))
    smallest = np.full(int(labels.max()) + 1, len(text), dtype=np.int64)
    np.minimum.at(smallest, labels, rank)
    by_rank = np.argsort(rank)
    names: list[str] = []
    seen: dict[str, int] = {}
    for position in smallest.tolist():
        digest = hashlib.blake2b(text[by_rank[position]].encode(), digest_size=8).hexdigest()
        name = f"{prefix}{digest}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return [names[label] for label in labels.tolist()]


def _links(
    frame: Frame,
    must_link: Sequence[tuple[RecordKey, RecordKey]],
    cannot_link: Sequence[tuple[RecordKey, RecordKey]],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], tuple[str, ...]]:
    """Manual links as record positions; links naming unknown records are noted."""
    if not must_link and not cannot_link:
        return [], [], ()
    position: dict[RecordKey, int] = {}
    for index, key in enumerate(frame.keys):
        position.setdefault(key, index)
    notes: list[str] = []
    resolved: list[list[tuple[int, int]]] = [[], []]
    for kind, links, out in (
        ("must", must_link, resolved[0]),
        ("cannot", cannot_link, resolved[1]),
    ):
        for a, b in links:
            if a in position and b in position:
                out.append((position[a], position[b]))
            else:
                notes.append(f"{kind}-link {a}-{b} names a record not in the input")
    return resolved[0], resolved[1], tuple(notes)
