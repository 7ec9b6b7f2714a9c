"""The 残联 ledger (``cl``): an XLSX 台账 as cadres keep it, and the same rows as CSV.

Layout (docs/department-apis.md): sheet 残疾人台账, row 1 a merged title, row 2 the filing
unit and date, row 3 the header, data from row 4. ``bad_rows`` corrupts that many rows on
purpose (an impossible birth date inside 身份证号, or an empty 残疾证号) so an importer's
quarantine has something to catch.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from connectors.simulators.data import Dataset, derive
from connectors.simulators.records import Record

SHEET = "残疾人台账"
TITLE = "荆门市残疾人基本信息台账"
FILED = "填报单位：荆门市残疾人联合会    填报日期：2024-06-30"
COLUMNS = (
    "序号",
    "姓名",
    "身份证号",
    "性别",
    "残疾类别",
    "残疾等级",
    "残疾证号",
    "联系电话",
    "家庭住址",
    "备注",
)
HEADER_ROW = 3
XLSX_NAME, CSV_NAME = "cl_ledger.xlsx", "cl_ledger.csv"
BAD_BIRTH_DATE, NO_CERTIFICATE = "impossible_birth_date", "missing_certificate"
_WIDTHS = (6, 10, 21, 6, 10, 10, 23, 15, 44, 14)


@dataclass(frozen=True)
class Ledger:
    xlsx: Path
    csv: Path
    rows: int
    bad_rows: dict[int, str]  # 序号 of each corrupted row -> how it is broken


def write_ledger(
    folder: str | Path,
    *,
    dataset: Dataset | None = None,
    residents: int = 2000,
    seed: int = 42,
    bad_rows: int = 0,
) -> Ledger:
    """Write ``cl_ledger.xlsx`` and ``cl_ledger.csv`` into ``folder`` (created if needed)."""
    if dataset is None or "cl" not in dataset.departments:
        dataset = derive(residents, seed, ["cl"])
    rows = [{"序号": number, **row} for number, row in enumerate(dataset.records("cl"), 1)]
    broken = _corrupt(rows, bad_rows, random.Random(f"{dataset.seed}:cl:bad"))
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    _write_xlsx(target / XLSX_NAME, rows)
    _write_csv(target / CSV_NAME, rows)
    return Ledger(target / XLSX_NAME, target / CSV_NAME, len(rows), broken)


def _corrupt(rows: list[Record], count: int, rng: random.Random) -> dict[int, str]:
    if count < 0:
        raise ValueError("bad_rows must not be negative")
    candidates = [row for row in rows if row["身份证号"]]
    broken: dict[int, str] = {}
    for index, row in enumerate(rng.sample(candidates, min(count, len(candidates)))):
        if index % 2 == 0:
            number = str(row["身份证号"])
            row["身份证号"] = number[:10] + "0230" + number[14:]  # 30 February
            broken[int(row["序号"])] = BAD_BIRTH_DATE
        else:
            row["残疾证号"] = ""
            broken[int(row["序号"])] = NO_CERTIFICATE
    return dict(sorted(broken.items()))


def _write_xlsx(path: Path, rows: list[Record]) -> None:
    book = Workbook(write_only=True)  # streams rows: a 200,000-resident ledger in ~1 s
    sheet = book.create_sheet(SHEET)
    for index, width in enumerate(_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=len(COLUMNS), max_row=1))
    title = WriteOnlyCell(sheet, TITLE)
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center")
    sheet.append([title])
    sheet.append([FILED])
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
    book.save(path)


def _write_csv(path: Path, rows: list[Record]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([row[column] for column in COLUMNS] for row in rows)
