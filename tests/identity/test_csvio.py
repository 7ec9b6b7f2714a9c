"""The store-free contract: the CSV reader, the writer and ``yiwang identity resolve``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from identity.csvio import INPUT_COLUMNS, OUTPUT_COLUMNS, CsvError, read_records
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
