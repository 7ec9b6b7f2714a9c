"""Accuracy of a clustering against the labelled truth: pairwise and B-cubed scores.

Pairs are counted from cluster sizes, never enumerated: with ``n`` records of one person
in one cluster, that cell holds n·(n−1)/2 true pairs, so a run over a million records
costs one pass. Beside the scores come the mistakes that matter most: clusters holding
two different valid ID numbers, and twins, namesakes and a father and son of one name
merged into one person. Records of the truth missing from the clustering count as
singletons; clustered records unknown to the truth are counted and left out.
"""

from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from identity.idnumber import IdStatus, parse_id_number
from identity.labelled import LabelledRecord

HARD_CASES = ("twin", "namesake", "father_son")


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class PairCounts:
    true_positive: int  # pairs in one cluster that are one person
    predicted: int  # pairs in one cluster
    actual: int  # pairs that are one person

    def scores(self) -> Scores:
        precision = self.true_positive / self.predicted if self.predicted else 1.0
        recall = self.true_positive / self.actual if self.actual else 1.0
        return Scores(precision, recall, _f1(precision, recall))


@dataclass(frozen=True)
class Evaluation:
    records: int
    persons: int
    clusters: int
    largest_cluster: int
    pairs: PairCounts
    pairwise: Scores
    bcubed: Scores
    valid_id_merges: int  # clusters holding two or more different valid 18-digit IDs
    persons_merged_away: int  # Σ over clusters of (distinct persons − 1)
    wrong_merges: dict[str, int]  # those persons by how they resemble the cluster's main one
    hard_cases: dict[str, tuple[int, int]]  # case -> (groups merged, groups)
    missing: int  # truth records absent from the clustering (scored as singletons)
    unknown: int  # clustered records absent from the truth (left out)
    households: Scores | None  # pairwise, when the clustering has household clusters


def pairwise(cells: Iterable[int], clusters: Iterable[int], persons: Iterable[int]) -> PairCounts:
    """From the sizes of the (cluster, person) cells, of the clusters and of the persons."""
    return PairCounts(
        *(sum(n * (n - 1) // 2 for n in sizes) for sizes in (cells, clusters, persons))
    )


def bcubed(
    cells: dict[tuple[int, int], int], clusters: Counter[int], persons: Counter[int]
) -> Scores:
    """Mean over records of the share of its cluster that is its person, and vice versa."""
    total = sum(cells.values())
    if not total:
        return Scores(1.0, 1.0, 1.0)
    precision = sum(n * n / clusters[c] for (c, _), n in cells.items()) / total
    recall = sum(n * n / persons[p] for (_, p), n in cells.items()) / total
    return Scores(precision, recall, _f1(precision, recall))


def read_clusters(path: str | os.PathLike[str]) -> dict[str, tuple[str, str]]:
    """``source\\tsource_id`` -> (cluster_id, household_cluster_id) from a resolver's CSV."""
    result: dict[str, tuple[str, str]] = {}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"source", "source_id", "cluster_id"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        for row in reader:
            key = f"{row['source']}\t{row['source_id']}"
            result[key] = (row["cluster_id"], row.get("household_cluster_id") or "")
    return result


def evaluate(truth: Iterable[LabelledRecord], clusters: dict[str, tuple[str, str]]) -> Evaluation:
    """Score ``clusters`` (as ``read_clusters`` returns them) against the labelled records."""
    tally = _Tally()
    for record in truth:
        tally.add(record, clusters.get(f"{record.source}\t{record.source_id}"))
    return tally.result(unknown=len(clusters) - tally.known)


class _Tally:
    """One pass over the truth; memory grows with clusters and persons, not with pairs."""

    def __init__(self) -> None:
        self.labels: dict[str, int] = {}
        self.persons: dict[str, int] = {}
        self.about: list[tuple[str, str, str]] = []  # per person: truth, household, a name
        self.households: dict[str, int] = {}
        self.cells: Counter[tuple[int, int]] = Counter()
        self.household_cells: Counter[tuple[int, int]] = Counter()
        self.valid: dict[int, str] = {}
        self.conflicted: set[int] = set()
        # case -> group -> person -> clusters holding that person's records
        self.groups: dict[str, dict[str, dict[str, set[int]]]] = {
            case: defaultdict(lambda: defaultdict(set)) for case in HARD_CASES
        }
        self.known = self.missing = 0

    def add(self, record: LabelledRecord, found: tuple[str, str] | None) -> None:
        if found is None:
            self.missing += 1
            own = f"\x00{record.source}\t{record.source_id}"
            found = (own, "")
        else:
            self.known += 1
        cluster = self.labels.setdefault(found[0], len(self.labels))
        person = self.persons.setdefault(record.truth, len(self.persons))
        if person == len(self.about):
            self.about.append((record.truth, record.truth_household, _plain(record.name)))
        self.cells[cluster, person] += 1
        if found[1]:
            household = self.labels.setdefault("\x01" + found[1], len(self.labels))
            real = self.households.setdefault(record.truth_household, len(self.households))
            self.household_cells[household, real] += 1
        if record.id_number:
            number, _ = parse_id_number(record.id_number)
            value = number.value if number and number.status is IdStatus.VALID else None
            if value and self.valid.setdefault(cluster, value) != value:
                self.conflicted.add(cluster)
        for case in record.cases.split(";"):
            kind, _, group = case.partition(":")
            if kind in HARD_CASES:
                key = group or _group(kind, record)
                self.groups[kind][key][record.truth].add(cluster)

    def _wrong_merges(self, people_in: Counter[int]) -> dict[str, int]:
        members: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (cluster, person), n in self.cells.items():
            if people_in[cluster] > 1:
                members[cluster].append((n, person))
        kinds: Counter[str] = Counter()
        for held in members.values():
            held.sort(key=lambda item: (-item[0], item[1]))
            main = self.about[held[0][1]]
            kinds.update(_kind(main, self.about[person]) for _, person in held[1:])
        return dict(kinds.most_common())

    def result(self, unknown: int) -> Evaluation:
        clusters: Counter[int] = Counter()
        persons: Counter[int] = Counter()
        people_in: Counter[int] = Counter()
        for (cluster, person), n in self.cells.items():
            clusters[cluster] += n
            persons[person] += n
            people_in[cluster] += 1
        pairs = pairwise(self.cells.values(), clusters.values(), persons.values())
        households = None
        if self.household_cells:
            hh_clusters: Counter[int] = Counter()
            hh_real: Counter[int] = Counter()
            for (cluster, real), n in self.household_cells.items():
                hh_clusters[cluster] += n
                hh_real[real] += n
            cells = self.household_cells.values()
            households = pairwise(cells, hh_clusters.values(), hh_real.values()).scores()
        return Evaluation(
            records=sum(clusters.values()),
            persons=len(persons),
            clusters=len(clusters),
            largest_cluster=max(clusters.values(), default=0),
            pairs=pairs,
            pairwise=pairs.scores(),
            bcubed=bcubed(self.cells, clusters, persons),
            valid_id_merges=len(self.conflicted),
            persons_merged_away=sum(n - 1 for n in people_in.values()),
            wrong_merges=self._wrong_merges(people_in),
            hard_cases={kind: _merged(groups) for kind, groups in self.groups.items()},
            missing=self.missing,
            unknown=unknown,
            households=households,
        )


def _plain(name: str) -> str:
    return "".join(name.split())


def _kind(main: tuple[str, str, str], other: tuple[str, str, str]) -> str:
    """How a wrongly merged person resembles the person most of its cluster is."""
    same_household = main[1] == other[1]
    if same_household and main[0][6:14] == other[0][6:14]:
        return "twin"
    if main[2] == other[2] and main[0][6:10] == other[0][6:10]:
        return "namesake" if not same_household else "same name, household and birth year"
    if main[2] == other[2]:
        return "same name and household" if same_household else "same name"
    return "same household" if same_household else "other"


def _group(kind: str, record: LabelledRecord) -> str:
    """Twins share a household and a birth date; a father and son share a household."""
    if kind == "twin":
        return f"{record.truth_household}:{record.truth[6:14]}"
    return record.truth_household


def _merged(groups: dict[str, dict[str, set[int]]]) -> tuple[int, int]:
    """(groups in which two different persons share a cluster, groups of 2+ persons)."""
    merged = total = 0
    for members in groups.values():
        if len(members) < 2:
            continue
        total += 1
        seen: set[int] = set()
        for held in members.values():
            if seen & held:
                merged += 1
                break
            seen |= held
    return merged, total


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
