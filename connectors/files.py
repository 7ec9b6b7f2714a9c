"""Ledgers (台账): CSV and XLSX files read as pages of rows, like a REST resource.

The header row is given (``header_row``) or found as the first row holding the primary-
key column, so title and "填报单位" lines above it are skipped. Every mapped column must
be in the header, or the sync fails naming the column. Rows are read in batches (openpyxl
in read-only mode, in a worker thread); the checkpoint is the next row number plus the
file's size and modification time, so a resumed import of a changed file starts over.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import AsyncGenerator, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from connectors.pages import Fetched
from connectors.paging import State
from connectors.runs import now
from connectors.spec import Ledger, Resource, Spec

HEADER_SEARCH_ROWS = 50


class LedgerError(Exception):
    """The ledger cannot be read as the spec describes: file, sheet or column."""


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _rows(ledger: Ledger) -> tuple[Iterator[tuple[int, list[Any]]], Any]:
    """(row number, cell values) from 1, and the object to close afterwards."""
    if ledger.format == "csv":
        handle = ledger.file.open(encoding=ledger.encoding, newline="")
        reader = csv.reader(handle, delimiter=ledger.delimiter)
        return ((n, list(row)) for n, row in enumerate(reader, 1)), handle
    import openpyxl  # only ledger sources need it

    workbook = openpyxl.load_workbook(ledger.file, read_only=True, data_only=True)
    if ledger.sheet is not None and ledger.sheet not in workbook.sheetnames:
        workbook.close()
        raise LedgerError(f"no sheet {ledger.sheet!r} (sheets: {', '.join(workbook.sheetnames)})")
    sheet = workbook[ledger.sheet] if ledger.sheet else workbook.active
    values = sheet.iter_rows(values_only=True)
    return ((n, [_cell(v) for v in row]) for n, row in enumerate(values, 1)), workbook


def _header(resource: Resource, rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[str]]:
    assert resource.ledger is not None
    wanted, pk = resource.ledger.header_row, resource.mapping.primary_key_text
    for number, values in rows:
        names = ["" if v is None else str(v).strip() for v in values]
        if number == wanted or (wanted is None and pk in names):
            return number, names
        if wanted is None and number >= HEADER_SEARCH_ROWS:
            break
    where = f"row {wanted}" if wanted else f"the first {HEADER_SEARCH_ROWS} rows"
    raise LedgerError(f"no header with the primary-key column {pk!r} in {where}")


def _check_columns(resource: Resource, row: int, header: list[str]) -> None:
    columns = set(header)
    mapping = resource.mapping
    needed = [(mapping.primary_key_text, "primary_key")]
    for field, expressions in mapping.fields.items():
        needed += [(e.path[0], f"fields.{field}") for e in expressions]
    for column, where in needed:
        if column not in columns:
            shown = ", ".join(c for c in header if c)
            raise LedgerError(f"column {column!r} ({where}) is not in header row {row}: {shown}")


class _Reader:
    """Synchronous reading, run in a worker thread one call at a time."""

    def __init__(self, spec: Spec, resource: Resource) -> None:
        self.resource = resource
        assert resource.ledger is not None
        self.rows, self.closer = _rows(resource.ledger)
        try:
            self.header_row, self.header = _header(resource, self.rows)
            _check_columns(resource, self.header_row, self.header)
        except BaseException:
            self.close()
            raise

    def batch(self, size: int, skip_before: int) -> list[tuple[int, dict[str, Any]]]:
        out: list[tuple[int, dict[str, Any]]] = []
        for number, values in self.rows:
            if number < skip_before or all(v is None or v == "" for v in values):
                continue
            out.append((number, {k: v for k, v in zip(self.header, values, strict=False) if k}))
            if len(out) == size:
                break
        return out

    def close(self) -> None:
        self.closer.close()


def _fingerprint(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


async def ledger_pages(
    spec: Spec, resource: Resource, start: State
) -> AsyncGenerator[Fetched, None]:
    ledger = resource.ledger
    assert ledger is not None
    where = f"{spec.code}/{resource.name}"
    if not ledger.file.is_file():
        raise LedgerError(f"{where}: ledger file {ledger.file} not found")
    fingerprint = _fingerprint(ledger.file)
    skip_before = start.get("row", 0) if start.get("file") == fingerprint else 0
    try:
        reader = await asyncio.to_thread(_Reader, spec, resource)
    except LedgerError as exc:
        raise LedgerError(f"{where}: {ledger.file}: {exc}") from None
    try:
        while True:
            rows = await asyncio.to_thread(reader.batch, ledger.batch, skip_before)
            last = len(rows) < ledger.batch
            following = None if last else {"row": rows[-1][0] + 1, "file": fingerprint}
            label = f"rows {rows[0][0]}-{rows[-1][0]}" if rows else "end of file"
            yield Fetched(
                label,
                [record for _, record in rows],
                following,
                None,
                now(),
                [f"row {number}" for number, _ in rows],
            )
            if last:
                return
    finally:
        await asyncio.to_thread(reader.close)
