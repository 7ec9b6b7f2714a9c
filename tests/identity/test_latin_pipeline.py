"""End to end on records in Latin letters: names, addresses and identifiers of another
country's registers, alone and beside Chinese ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from identity import RawRecord, normalize_record
from identity.distinct import normalised_frame
from identity.frame import build_frame
from identity.pipeline import resolve
from identity.settings import Settings
from tests.identity.latin_people import latin_records
from tests.identity.noisy import noisy_records

SETTINGS = Settings(today=date(2024, 12, 31))


def pair_scores(labels: Sequence[int], truth: Sequence[str]) -> tuple[float, float]:
    """Pairwise (precision, recall) of a clustering against the people."""

    def pairs(counts: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together = pairs(Counter(zip(labels, truth, strict=True)))
    found, actual = pairs(Counter(labels)), pairs(Counter(truth))
    return together / max(found, 1), together / max(actual, 1)


@pytest.mark.parametrize("with_identifier", [True, False])
def test_latin_records_resolve_into_their_people(with_identifier: bool) -> None:
    # Given copies of people with typos, swapped names, postcode and identifier typos
    labelled = list(latin_records(300, seed=3))
    records = [raw if with_identifier else replace(raw, id_number=None) for raw, _ in labelled]
    # When resolved
    resolution = resolve(records, SETTINGS)
    # Then every person is found, and no two are merged
    precision, recall = pair_scores(resolution.labels.tolist(), [key for _, key in labelled])
    assert (precision, recall) == (1.0, 1.0)


def test_latin_records_beside_chinese_ones_change_nothing_for_the_chinese() -> None:
    chinese = [noisy.raw for noisy in noisy_records(800, seed=5)]
    latin = [raw for raw, _ in latin_records(200, seed=4)]
    alone = resolve(chinese, SETTINGS).labels
    together = resolve(chinese + latin, SETTINGS).labels[: len(chinese)]
    assert together.tolist() == alone.tolist()


def test_the_batch_frame_of_latin_records_is_the_frame_of_their_normalised_records() -> None:
    raws = [raw for raw, _ in latin_records(100, seed=6)]
    raws += [RawRecord("x", "1", name="Tom (汤姆)", id_number="E1234567", address="Zürich")]
    fast, _ = normalised_frame(raws, SETTINGS.today or date.today())
    slow = build_frame([normalize_record(raw, SETTINGS.today) for raw in raws])
    everyone = np.arange(fast.size)
    for name, codes in slow.codes.items():
        assert fast.codes[name].tolist() == codes.tolist(), name
    for name in slow.vocabulary:
        assert fast.text(name, everyone).tolist() == slow.text(name, everyone).tolist(), name
