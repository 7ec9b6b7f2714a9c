"""Normalising on several cores gives what one process gives, in the same order."""

from __future__ import annotations

import os
from datetime import date

import numpy as np
import pytest

from identity import parallel
from identity.distinct import normalised_frame
from identity.normalize import RawRecord
from tests.identity.latin_people import latin_records
from tests.identity.noisy import noisy_records

TODAY = date(2024, 12, 31)


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork workers even for a handful of values, in chunks of a few values each."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(parallel, "CHUNK", 37)


@pytest.mark.usefixtures("always_parallel")
def test_parallel_normalisation_gives_the_serial_frame() -> None:
    # Given Chinese and Latin records, garbage and wrong types included
    raws = [noisy.raw for noisy in noisy_records(600, seed=8)]
    raws += [raw for raw, _ in latin_records(60, seed=2)]
    raws += [RawRecord(["x"], {"a": 1}, 3.5, True, 1, b"1980", 12345678901, None, 7)]
    # When framed by one process and by two
    serial, serial_issues = normalised_frame(raws, TODAY, workers=1)
    forked, forked_issues = normalised_frame(raws, TODAY, workers=2)
    # Then the frames are the same
    assert forked.keys == serial.keys and forked_issues == serial_issues
    assert forked.codes.keys() == serial.codes.keys()
    for name, codes in serial.codes.items():
        assert forked.codes[name].tolist() == codes.tolist(), name
    for name in ("id_status", "id_digits", "birth_digits"):
        assert getattr(forked, name).tolist() == getattr(serial, name).tolist(), name
    everyone = np.arange(serial.size)
    for name in serial.vocabulary:
        assert forked.text(name, everyone).tolist() == serial.text(name, everyone).tolist()


@pytest.mark.usefixtures("always_parallel")
def test_results_come_back_in_order_and_this_process_works_meanwhile() -> None:
    jobs = {"double": (_double, list(range(500))), "negate": (_negate, list(range(90)))}
    ran, reported = [], []
    found = parallel.normalise_all(
        jobs,
        workers=2,
        meanwhile=lambda: ran.append(True),
        report=lambda *done: reported.append(done),
    )
    assert found["double"] == [(2 * value, False) for value in range(500)]
    assert found["negate"] == [(-value, value % 2 == 1) for value in range(90)]
    assert ran == [True]
    assert reported[-1] == (len(reported), len(reported))  # every chunk, the last one last


def test_small_inputs_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1000)
    pids: list[int] = []
    found = parallel.normalise_all({"pid": (_pid(pids), [1, 2, 3])}, workers=2)
    assert [value for value, _ in found["pid"]] == [1, 2, 3]
    assert pids == [os.getpid()] * 3  # this process ran them, no worker


def _double(value: object) -> tuple[int, bool]:
    assert isinstance(value, int)
    return 2 * value, False


def _negate(value: object) -> tuple[int, bool]:
    assert isinstance(value, int)
    return -value, value % 2 == 1


def _pid(seen: list[int]) -> parallel.Normaliser:
    def note(value: object) -> tuple[object, bool]:
        seen.append(os.getpid())
        return value, False

    return note
