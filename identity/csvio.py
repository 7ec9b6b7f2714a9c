"""The store-free contract as files: source records in, persons and households out.

Input: a CSV with a header holding at least ``INPUT_COLUMNS`` (any value may be empty;
other columns are ignored). Department exports arrive in UTF-8, UTF-8 with a byte-order
mark, or GB18030 (the superset of GBK that Excel on a Chinese Windows writes); they are
tried in that order, and anything else is refused with the reason, not guessed at.
A field may be as large as the file: the csv module's 128 KiB limit is lifted while
reading, and normalisation ignores an oversized value for matching.

Output: ``OUTPUT_COLUMNS``, one row per input row in input order, ``source`` and
``source_id`` exactly as they were read.

Records of other registers use the same columns, with no extra one: a name in Latin
letters ("Jinni Dreyer" or "Dreyer, Jinni"; the comma form says which part is the
surname, which matters when one part is missing), an address in Latin letters, lines
separated by commas as on an envelope ("20 Rupp Place, Brentwood Village, Penshurst VIC
2257"), and in ``id_number`` any identifier that is not a resident ID (a passport, a
social security number). Such an identifier is told apart by its form and compared
only with others like it, as an opaque string (exact, one edit apart, different, each
level's weight learnt by EM), never with resident IDs; an extra column would only say
what the value already does, and would force every department export to carry it.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from operator import itemgetter
from pathlib import Path

from identity.gcpause import collector_paused
from identity.normalize import RawRecord
from identity.record_table import RecordTable

INPUT_COLUMNS = (
    "source", "source_id", "name", "id_number", "gender", "birth_date", "phone", "address",
    "household_key",
)  # fmt: skip
OUTPUT_COLUMNS = ("source", "source_id", "cluster_id", "household_cluster_id")
ENCODINGS = ("utf-8", "gb18030")  # after UTF-8 with a byte-order mark, which is unambiguous
_CHUNK = 65_536  # rows split at a time


class CsvError(ValueError):
    """The input cannot be read as the contract's CSV; the message says why, in one line."""


def read_records(path: str | Path) -> RecordTable:
    """The records of a contract CSV file, as columns; empty values are missing (None)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CsvError(f"cannot read {path}: {error.strerror or error}") from None
    return parse_records(decode(data, str(path)), str(path))


def decode(data: bytes, name: str = "input") -> str:
    """The text of ``data`` in the first of ``ENCODINGS`` that reads it entirely."""
    if b"\x00" in data[:4096]:
        raise CsvError(f"{name} holds NUL bytes: UTF-16 or binary, not a UTF-8 or GB18030 CSV")
    encodings = ("utf-8-sig",) if data.startswith(b"\xef\xbb\xbf") else ENCODINGS
    failure: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            failure = failure or error
    assert failure is not None
    raise CsvError(
        f"{name} is neither UTF-8 nor GB18030: byte {data[failure.start]:#04x} "
        f"at offset {failure.start} cannot be decoded"
    )


def parse_records(text: str, name: str = "input") -> RecordTable:
    """Records from CSV text; the header must name every contract column.

    Text without a double quote has no quoted fields: every comma then separates and
    every newline ends a row, and plain splitting reads it twice as fast as the csv
    module, which reads everything else.
    """
    if "\r" in text and '"' not in text:
        text = text.replace("\r\n", "\n")
    plain = '"' not in text and "\r" not in text
    with _unlimited_fields(), collector_paused():
        quoted = None if plain else csv.reader(io.StringIO(text, newline=""))
        rows: Iterator[list[str]] = map(_split, _lines(text)) if quoted is None else quoted
        try:
            header = next(rows, None)
            if header is None:
                raise CsvError(
                    f"{name} is empty: expected a header with {', '.join(INPUT_COLUMNS)}"
                )
            columns = [column.strip().lstrip("\ufeff").lower() for column in header]
            missing = [column for column in INPUT_COLUMNS if column not in columns]
            if missing:
                raise CsvError(
                    f"{name} lacks column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                    f"(header: {', '.join(header)[:200]})"
                )
            positions = [columns.index(column) for column in INPUT_COLUMNS]
            return RecordTable(dict(zip(INPUT_COLUMNS, _columns(rows, positions), strict=True)))
        except csv.Error as error:
            line = quoted.line_num if quoted is not None else "?"
            raise CsvError(f"{name} line {line}: {error}") from None


def write_clusters(
    path: str | Path, records: Sequence[RawRecord], cluster_ids: Sequence[str],
    household_ids: Sequence[str],
) -> None:  # fmt: skip
    """One output row per record, in order."""
    if isinstance(records, RecordTable):
        sources, source_ids = records.column("source"), records.column("source_id")
    else:
        sources = [_text(record.source) for record in records]
        source_ids = [_text(record.source_id) for record in records]
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(zip(sources, source_ids, cluster_ids, household_ids, strict=True))


def _lines(text: str) -> list[str]:
    """The rows of unquoted text; a final newline ends the last row, it starts none."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _split(line: str) -> list[str]:
    return line.split(",")


def _columns(rows: Iterator[list[str]], positions: list[int]) -> list[list[str]]:
    """The cells at ``positions`` of every row, column by column ("" where a short row
    has none), a chunk of rows at a time so that the rows never all exist at once."""
    columns: list[list[str]] = [[] for _ in positions]
    width = max(positions) + 1
    while chunk := list(islice(rows, _CHUNK)):
        if min(map(len, chunk)) < width:
            chunk = [row + [""] * (width - len(row)) for row in chunk]
        for column, position in zip(columns, positions, strict=True):
            column.extend(map(itemgetter(position), chunk))
    return columns


def _text(value: object) -> str:
    return "" if value is None else str(value)


@contextmanager
def _unlimited_fields() -> Iterator[None]:
    """Lift the csv module's per-field limit (a process-wide setting) while reading."""
    previous = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)
