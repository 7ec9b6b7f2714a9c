"""A labelled multi-source record set with known truth, for evaluating identity resolution.

``generate(persons, seed)`` streams records of the synthetic population (``population``)
as 公安 (ga), 民政 (mz), 卫健 (wj) and 残联 (cl) hold them, in the columns of the
``yiwang identity resolve`` contract plus the truth: the person's real ID number, the real
household, and the hard cases the record or its person belongs to.

Hard cases occur at realistic rates and each at least once (from a few hundred persons
up): twins (same birth date, address and household, different given names and valid
IDs), namesakes (the same name born the same year in the same village), a father and son
of the same name in one household, legacy 15-digit IDs, homophone and traditional
names, typo'd IDs failing the checksum, missing IDs, changed phones, placeholders, and
clan villages where many people share an address written down to the group or village,
one surname and one-character given names.

Memory stays bounded: households are generated, written and forgotten one at a time (the
CSV is written source by source through temporary files); only the issued ID numbers are
remembered, as integers, to keep injected persons unique, and while writing the persons
and households seen, for the counts (about 250 MB at 400k persons, 1M records).
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO

from identity import labelled_fields as render
from identity.labelled_cases import CaseInjector
from identity.normalize import RawRecord
from population import PersonSpec, generate_population

SOURCES = ("ga", "mz", "wj", "cl")
CONTRACT_COLUMNS = (
    "source", "source_id", "name", "id_number", "gender", "birth_date", "phone", "address",
    "household_key",
)  # fmt: skip
TRUTH_COLUMNS = ("truth", "truth_household", "cases")
_KEY_FORMATS = {"ga": "GA{:08d}", "mz": "MZ{:08d}", "wj": "wj-{:07d}", "cl": "CL{:07d}"}
# Share of persons each source holds (mz and wj also hold some persons twice).
_WJ_SHARE, _MZ_HOUSEHOLD_SHARE, _MZ_MEMBER_SHARE, _DUPLICATE_SHARE = 0.9, 0.55, 0.9, 0.03


@dataclass(frozen=True, slots=True)
class LabelledRecord:
    source: str
    source_id: str
    name: str
    id_number: str
    gender: str
    birth_date: str
    phone: str
    address: str
    household_key: str
    truth: str  # the person's real ID number
    truth_household: str  # the real household number
    cases: str  # ";"-joined hard cases of the person and of this record's noise

    def raw(self) -> RawRecord:
        """The record as the resolver sees it: contract columns only, empty as missing."""
        return RawRecord(*(getattr(self, column) or None for column in CONTRACT_COLUMNS))


@dataclass
class Stats:
    persons: int = 0
    households: int = 0
    records: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    cases: Counter[str] = field(default_factory=Counter)  # records carrying each case


@dataclass(frozen=True)
class LabelledSet:
    """``persons`` population persons (plus the injected twins and namesakes), by ``seed``.

    Iterating regenerates the records, identically each time, without holding them.
    """

    persons: int
    seed: int = 42

    def __iter__(self) -> Iterator[LabelledRecord]:
        return _Generator(self.seed).records(self.persons)

    def write_csv(self, path: str | os.PathLike[str]) -> Stats:
        """Write every record, source by source, as a UTF-8 CSV with the truth columns."""
        stats = Stats()
        target = Path(path)
        households: set[str] = set()
        truths: set[str] = set()
        with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
            with ExitStack() as stack:
                writers = {
                    source: csv.writer(stack.enter_context(_open_part(scratch, source)))
                    for source in SOURCES
                }
                for record in self:
                    writers[record.source].writerow(_row(record))
                    stats.records += 1
                    stats.by_source[record.source] += 1
                    stats.cases.update(case.partition(":")[0] for case in record.cases.split(";"))
                    if record.truth not in truths:
                        truths.add(record.truth)
                        households.add(record.truth_household)
            stats.cases.pop("", None)
            stats.persons, stats.households = len(truths), len(households)
            with target.open("w", newline="", encoding="utf-8") as out:
                out.write(",".join((*CONTRACT_COLUMNS, *TRUTH_COLUMNS)) + "\r\n")
                for source in SOURCES:
                    with Path(scratch, source).open(newline="", encoding="utf-8") as part:
                        while chunk := part.read(1 << 20):
                            out.write(chunk)
        return stats


def generate(persons: int, seed: int = 42) -> LabelledSet:
    """The labelled set of ``persons`` population persons; nothing is generated until read."""
    if persons < 0:
        raise ValueError("persons must not be negative")
    return LabelledSet(persons, seed)


def read_csv(path: str | os.PathLike[str]) -> Iterator[LabelledRecord]:
    """Records of a labelled CSV (written by ``LabelledSet.write_csv``)."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"source", "source_id", "truth"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: not a labelled CSV, missing columns {sorted(missing)}")
        names = [f.name for f in fields(LabelledRecord)]
        for row in reader:
            yield LabelledRecord(*(row.get(name) or "" for name in names))


def _row(record: LabelledRecord) -> tuple[str, ...]:
    return tuple(getattr(record, f.name) for f in fields(LabelledRecord))


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"labelled:{seed}")
        self.chance = render.Forcer(self.rng)
        self.cases = CaseInjector(self.rng)
        self.counts = dict.fromkeys(SOURCES, 0)
        self.duplicates = dict.fromkeys(SOURCES, 0)
        self.seed = seed

    def records(self, persons: int) -> Iterator[LabelledRecord]:
        for household, people in generate_population(persons, self.seed):
            for members in self.cases.households(household, people):
                in_mz = self.rng.random() < _MZ_HOUSEHOLD_SHARE
                for person, cases in members:
                    yield from self._person(person, cases, in_mz)

    def _person(
        self, person: PersonSpec, cases: tuple[str, ...], in_mz: bool
    ) -> Iterator[LabelledRecord]:
        rng = self.rng
        held = ["ga"]
        if in_mz and rng.random() < _MZ_MEMBER_SHARE:
            held += ["mz"] * (2 if rng.random() < _DUPLICATE_SHARE else 1)
        if rng.random() < _WJ_SHARE:
            held += ["wj"] * (2 if rng.random() < _DUPLICATE_SHARE else 1)
        if "残疾" in person.tags and rng.random() < 0.95:
            held.append("cl")
        seen: set[str] = set()
        for source in held:
            duplicate = source in seen
            seen.add(source)
            yield self._record(source, person, cases, duplicate)

    def _record(
        self, source: str, person: PersonSpec, cases: tuple[str, ...], duplicate: bool
    ) -> LabelledRecord:
        chance, rng, noisy = self.chance, self.rng, list(cases)
        chance.begin()
        if duplicate:  # registered again later, under a new key
            self.duplicates[source] += 1
            key = _KEY_FORMATS[source].format(90_000_000 + self.duplicates[source])
            noisy.append("duplicate")
        else:
            self.counts[source] += 1
            key = _KEY_FORMATS[source].format(self.counts[source])
        return LabelledRecord(
            source=source,
            source_id=key,
            name=render.name(chance, source, person, noisy),
            id_number=render.id_number(chance, source, person, noisy),
            gender=render.gender(rng, source, person),
            birth_date=render.birth_date(rng, source, person),
            phone=render.phone(chance, source, person, noisy),
            address=render.address(chance, source, person, noisy),
            household_key=self.cases.household_key(source, person),
            truth=person.id_number,
            truth_household=person.household_number,
            cases=";".join(dict.fromkeys(noisy)),
        )


def _open_part(scratch: str, source: str) -> IO[str]:
    return Path(scratch, source).open("w", newline="", encoding="utf-8")
