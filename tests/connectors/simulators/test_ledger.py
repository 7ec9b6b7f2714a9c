"""The 残联 ledger: layout as documented, CSV twin, deliberately bad rows on request."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from connectors.simulators import Dataset, write_ledger
from connectors.simulators.ledger import BAD_BIRTH_DATE, COLUMNS, NO_CERTIFICATE, TITLE


def test_xlsx_layout(tmp_path: Path, dataset: Dataset) -> None:
    ledger = write_ledger(tmp_path, dataset=dataset)

    sheet = load_workbook(ledger.xlsx)["残疾人台账"]
    assert sheet["A1"].value == TITLE
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:J1"]
    assert str(sheet["A2"].value).startswith("填报单位：荆门市残疾人联合会")
    assert [c.value for c in sheet[3]] == list(COLUMNS)
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == ledger.rows == len(dataset.records("cl"))
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    truth = dataset.truth("cl")
    for row in rows:
        assert row[6] in truth
        assert row[2] in (None, truth[row[6]])  # kept as text, or an empty cell
    assert sum(row[2] is None for row in rows) < 0.05 * len(rows)
    assert ledger.bad_rows == {}


def test_csv_is_the_same_rows_with_a_bom(tmp_path: Path, dataset: Dataset) -> None:
    ledger = write_ledger(tmp_path, dataset=dataset)

    assert ledger.csv.read_bytes().startswith(b"\xef\xbb\xbf")
    with ledger.csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(COLUMNS)
    sheet = load_workbook(ledger.xlsx).active
    assert sheet is not None
    expected = [
        ["" if v is None else str(v) for v in row]
        for row in sheet.iter_rows(min_row=4, values_only=True)
    ]
    assert rows[1:] == expected


def test_bad_rows_when_asked(tmp_path: Path, dataset: Dataset) -> None:
    ledger = write_ledger(tmp_path, dataset=dataset, bad_rows=4)

    assert sorted(ledger.bad_rows.values()) == [BAD_BIRTH_DATE] * 2 + [NO_CERTIFICATE] * 2
    sheet = load_workbook(ledger.xlsx)["残疾人台账"]
    by_number = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    for number, kind in ledger.bad_rows.items():
        row = by_number[number]
        if kind == NO_CERTIFICATE:
            assert row[6] in (None, "")
        else:
            id_number = str(row[2])
            try:
                date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
            except ValueError:
                pass
            else:
                raise AssertionError(f"row {number} has a possible birth date: {id_number}")
    good = [row for n, row in by_number.items() if n not in ledger.bad_rows]
    assert all(row[6] for row in good)
