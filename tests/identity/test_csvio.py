"""The store-free contract: the CSV reader, the writer and ``yiwang identity resolve``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from identity.csvio import INPUT_COLUMNS, OUTPUT_COLUMNS, CsvError, parse_records, read_records
from identity.normalize import RawRecord
from identity.record_table import RecordTable
from identity.score import Model
from yiwang.cli import main

HEADER = ",".join(INPUT_COLUMNS)
ROWS = [
    "ga,1,王伟,420802198003121233,1,19800312,13812345678,荆门市东宝区龙泉街道七一桥社区3栋2单元501室,H1",
    "wj,2,王伟,,M,1980-03-12,+86 138 1234 5678,湖北省荆门市东宝区七一桥社区3栋2单元501室,",
    "mz,3,李娜,,,,,,",
]  # fmt: skip


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_columns_in_any_order_extra_ones_ignored_and_empty_values_missing(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.csv",
        "remark,household_key,source_id,source,name,id_number,gender,birth_date,phone,address\n"
        "x,H1,7,ga,王伟,,1,,,\n",
    )
    (record,) = read_records(path)
    assert (record.source, record.source_id, record.name, record.household_key) == (
        "ga",
        "7",
        "王伟",
        "H1",
    )
    assert record.id_number is None and record.address is None


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_unquoted_text_is_split_as_the_csv_module_reads_it(newline: str) -> None:
    # Given rows with empty cells, a short row, a blank line and a final newline
    rows = [HEADER, *ROWS, "cl,4,王芳", "", "ga,5,赵强,,,,,,H9"]
    text = newline.join(rows) + newline
    # When read by plain splitting (no quote in the text) and by the csv module
    plain = list(parse_records(text))
    quoted = list(parse_records(text.replace("赵强", '"赵强"')))
    # Then both give the same records, empty cells and missing ones as None
    assert plain == quoted
    assert len(plain) == 6 and plain[3] == RawRecord("cl", "4", "王芳")
    assert plain[4] == RawRecord(None, None)  # the blank line, as the csv module reads it
    assert plain[5].household_key == "H9" and plain[5].name == "赵强"


def test_a_quoted_field_may_hold_commas_and_newlines() -> None:
    text = HEADER + '\nga,1,王伟,,,,,"荆门市,东宝区\n七一桥社区",\n'
    (record,) = parse_records(text)
    assert record.address == "荆门市,东宝区\n七一桥社区"


def test_a_record_table_is_a_sequence_of_raw_records() -> None:
    columns = {field: ["a", ""] for field in INPUT_COLUMNS}
    table = RecordTable(columns)
    assert len(table) == 2 and table.column("name") == ["a", ""]
    assert table[1] == RawRecord(None, None) and table[-2] == RawRecord(*["a"] * 9)
    assert list(table[1:]) == [table[1]] and list(table) == [table[0], table[1]]
    with pytest.raises(ValueError, match="different lengths"):
        RecordTable({**columns, "name": ["a"]})


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", "source,source_id,name,id_number,gender\nga,1,王伟,,\n")
    with pytest.raises(CsvError, match="lacks columns birth_date, phone, address, household_key"):
        read_records(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_with_or_without_bom_and_gb18030_read_the_same(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "in.csv", "\n".join([HEADER, *ROWS]) + "\n", encoding)
    records = read_records(path)
    assert [r.name for r in records] == ["王伟", "王伟", "李娜"]
    assert records[0].address == "荆门市东宝区龙泉街道七一桥社区3栋2单元501室"


def test_other_encodings_are_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="UTF-16 or binary"):
        read_records(write(tmp_path / "a.csv", HEADER + "\n" + ROWS[0], "utf-16"))
    broken = (HEADER + "\nga,1,").encode() + b"\xff\xfe\x80" + b",,,,,,\n"
    (tmp_path / "b.csv").write_bytes(broken)
    with pytest.raises(CsvError, match="neither UTF-8 nor GB18030: byte 0xff at offset"):
        read_records(tmp_path / "b.csv")


def test_an_empty_file_and_a_missing_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="is empty"):
        read_records(write(tmp_path / "empty.csv", ""))
    with pytest.raises(CsvError, match="cannot read"):
        read_records(tmp_path / "nowhere.csv")


def test_a_ten_megabyte_field_is_read_and_ignored_for_matching(tmp_path: Path) -> None:
    huge = "荆" * 10_000_000
    path = write(tmp_path / "in.csv", "\n".join([HEADER, ROWS[0], f"ga,9,李娜,,,,,{huge},"]) + "\n")
    records = read_records(path)
    assert records[1].address == huge
    out = tmp_path / "out.csv"
    main(["identity", "resolve", "--input", str(path), "--output", str(out)])
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [row["source_id"] for row in rows] == ["1", "9"]


@pytest.fixture(autouse=True)
def _quiet_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("YIWANG_SECRET", "identity-test-secret-0123456789")
    monkeypatch.setenv("YIWANG_VAR_DIR", str(tmp_path / "var"))


def test_the_command_writes_one_row_per_record_and_a_reusable_model(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "\n".join([HEADER, *ROWS]) + "\n", "gb18030")
    out, again, model = tmp_path / "out.csv", tmp_path / "again.csv", tmp_path / "model.json"
    main(
        [
            "identity",
            "resolve",
            "--input",
            str(source),
            "--output",
            str(out),
            "--save-model",
            str(model),
        ]
    )
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == OUTPUT_COLUMNS
    assert [(r["source"], r["source_id"]) for r in rows] == [("ga", "1"), ("wj", "2"), ("mz", "3")]
    assert rows[0]["cluster_id"] == rows[1]["cluster_id"] != rows[2]["cluster_id"]
    assert rows[0]["household_cluster_id"] == rows[1]["household_cluster_id"]
    assert Model.load(model).training.trained
    main(
        [
            "identity",
            "resolve",
            "--input",
            str(source),
            "--output",
            str(again),
            "--model",
            str(model),
        ]
    )
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_the_command_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "in.csv", "source,name\nga,王伟\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["identity", "resolve", "--input", str(source), "--output", str(tmp_path / "o.csv")])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("yiwang: ") and "lacks columns source_id, id_number" in error
    assert "\n" not in error
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(
            [
                "identity",
                "resolve",
                "--input",
                str(source),
                "--output",
                str(tmp_path / "o.csv"),
                "--model",
                str(tmp_path / "bad.json"),
            ]
        )
    assert "cannot use model" in capsys.readouterr().err
