"""The store-free contract as files: source records in, persons and households out.

Input: a CSV with a header holding at least ``INPUT_COLUMNS`` (any value may be empty;
other columns are ignored). Department exports arrive in UTF-8, UTF-8 with a byte-order
mark, or GB18030 (the superset of GBK that Excel on a Chinese Windows writes); they are
tried in that order, and anything else is refused with the reason, not guessed at.
A field may be as large as the file: the csv module's 128 KiB limit is lifted while
reading, and normalisation ignores an oversized value for matching.

Output: ``OUTPUT_COLUMNS``, one row per input row in input order, ``source`` and
``source_id`` exactly as they were read.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from identity.normalize import RawRecord

INPUT_COLUMNS = (
    "source", "source_id", "name", "id_number", "gender", "birth_date", "phone", "address",
    "household_key",
)  # fmt: skip
OUTPUT_COLUMNS = ("source", "source_id", "cluster_id", "household_cluster_id")
ENCODINGS = ("utf-8", "gb18030")  # after UTF-8 with a byte-order mark, which is unambiguous


class CsvError(ValueError):
    """The input cannot be read as the contract's CSV; the message says why, in one line."""


def read_records(path: str | Path) -> list[RawRecord]:
    """The records of a contract CSV file; empty values are missing (None)."""
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


def parse_records(text: str, name: str = "input") -> list[RawRecord]:
    """Records from CSV text; the header must name every contract column."""
    with _unlimited_fields():
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
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
            return [RawRecord(*(_cell(row, index) for index in positions)) for row in reader]
        except csv.Error as error:
            raise CsvError(f"{name} line {reader.line_num}: {error}") from None


def write_clusters(
    path: str | Path, records: Sequence[RawRecord], cluster_ids: Sequence[str],
    household_ids: Sequence[str],
) -> None:  # fmt: skip
    """One output row per record, in order."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        for record, person, household in zip(records, cluster_ids, household_ids, strict=True):
            writer.writerow((_text(record.source), _text(record.source_id), person, household))


def _cell(row: list[str], index: int) -> str | None:
    value = row[index] if index < len(row) else ""
    return value if value != "" else None


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
