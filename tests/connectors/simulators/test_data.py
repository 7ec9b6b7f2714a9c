"""Derived department data: who is in each department, noise, truth, determinism."""

from __future__ import annotations

import re
from collections import Counter

from connectors.simulators import Dataset, derive, truth
from connectors.simulators.hanzi import homophone_variant, to_traditional
from connectors.simulators.noise import (
    health_address,
    legacy_id,
    messy_id,
    old_address,
    short_address,
)
from connectors.simulators.records import age
from population import PersonSpec, generate_population
from population.tags import DIBAO, DISABLED, TEKUN
from tests.connectors.simulators.conftest import RESIDENTS, SEED

_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘ", "0123456789X")


def people_by_id() -> dict[str, PersonSpec]:
    return {p.id_number: p for _, people in generate_population(RESIDENTS, SEED) for p in people}


def clean_id(text: str) -> str:
    return text.translate(_FULL_WIDTH).replace(" ", "").upper()


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_gives_the_same_data_and_another_seed_does_not(dataset: Dataset) -> None:
    again = derive(RESIDENTS, SEED)
    other = derive(RESIDENTS, SEED + 1)

    for code in ("ga", "mz", "wj", "cl"):
        assert again.records(code) == dataset.records(code), code
        assert again.truth(code) == dataset.truth(code), code
        assert other.records(code) != dataset.records(code), code
    assert again.records("ga", "households") == dataset.records("ga", "households")


def test_a_department_does_not_depend_on_which_others_are_derived(dataset: Dataset) -> None:
    alone = derive(RESIDENTS, SEED, ["wj"])

    assert alone.records("wj") == dataset.records("wj")
    assert truth("mz", RESIDENTS, SEED) == dataset.truth("mz")


# --- who is in each department -------------------------------------------------------------


def test_ga_has_every_person_and_household(dataset: Dataset) -> None:
    persons = dataset.records("ga")
    households = dataset.records("ga", "households")

    assert len(persons) == RESIDENTS
    assert len({r["rybh"] for r in persons}) == RESIDENTS
    assert sum(h["rs"] for h in households) == RESIDENTS
    members = Counter(r["hh"] for r in persons)
    assert {h["hh"]: h["rs"] for h in households} == dict(members)


def test_mz_has_whole_support_households_and_matching_flags(dataset: Dataset) -> None:
    people = people_by_id()
    mz_truth = dataset.truth("mz")
    served = set(mz_truth.values())
    supported = [p for p in people.values() if DIBAO in p.tags or TEKUN in p.tags]
    assert supported
    households = {p.household_number for p in supported}
    for person in people.values():
        if person.household_number in households:
            assert person.id_number in served, person
    for record in dataset.records("mz"):
        person = people[mz_truth[record["ryid"]]]
        assert record["dbbz"] == ("1" if DIBAO in person.tags else "0")
        assert record["tkbz"] == ("1" if TEKUN in person.tags else "0")
    assert len(served) > len(households)  # members besides the supported, and a sample


def test_wj_has_the_old_the_young_the_chronically_ill_and_contracted(dataset: Dataset) -> None:
    people = people_by_id()
    wj_truth = dataset.truth("wj")
    for record in dataset.records("wj"):
        years = age(people[wj_truth[record["residentId"]]])
        assert (
            years >= 60
            or years < 7
            or record["chronicDiseases"]
            or (record["familyDoctorContract"])
        ), record
    elders = [p for p in people.values() if age(p) >= 60]
    assert {p.id_number for p in elders} <= set(wj_truth.values())


def test_cl_has_exactly_the_disabled(dataset: Dataset) -> None:
    people = people_by_id()
    disabled = {p.id_number for p in people.values() if DISABLED in p.tags}

    assert set(dataset.truth("cl").values()) == disabled
    for row in dataset.records("cl"):
        assert row["残疾证号"][:18] in disabled
        assert re.fullmatch(r"\d{17}[\dX][1-7][1-4]", row["残疾证号"])


# --- noise against the truth ---------------------------------------------------------------


def test_the_same_person_appears_in_several_departments_with_noise(dataset: Dataset) -> None:
    people = people_by_id()
    names: dict[str, dict[str, str]] = {}
    for code, key, name in (
        ("ga", "rybh", "xm"),
        ("mz", "ryid", "xm"),
        ("wj", "residentId", "fullName"),
    ):
        answer = dataset.truth(code)
        for record in dataset.records(code):
            names.setdefault(answer[record[key]], {})[code] = record[name]
    in_all = {id_number: seen for id_number, seen in names.items() if len(seen) == 3}
    assert len(in_all) > 50
    differing = [seen for seen in in_all.values() if len(set(seen.values())) > 1]
    assert differing, "no name differs between departments"
    assert len(differing) < 0.2 * len(in_all)
    for id_number, seen in in_all.items():
        true_name = people[id_number].name
        for name in seen.values():
            assert len(name) == len(true_name)


def test_id_numbers_are_noisy_renderings_of_the_truth(dataset: Dataset) -> None:
    ga_forms: Counter[str] = Counter()
    ga_truth = dataset.truth("ga")
    for record in dataset.records("ga"):
        true_id, given = ga_truth[record["rybh"]], record["gmsfhm"]
        form = "exact" if given == true_id else "legacy" if given == legacy_id(true_id) else given
        ga_forms["missing" if form == "" else form] += 1
    assert set(ga_forms) == {"exact", "legacy", "missing"}
    assert ga_forms["legacy"] / RESIDENTS < 0.06 and ga_forms["missing"] / RESIDENTS < 0.03

    mz_truth = dataset.truth("mz")
    messy = 0
    for record in dataset.records("mz"):
        if record["sfzh"]:
            assert clean_id(record["sfzh"]) == mz_truth[record["ryid"]]
            messy += record["sfzh"] != mz_truth[record["ryid"]]
    assert 0 < messy < 0.2 * len(mz_truth)

    wj_truth = dataset.truth("wj")
    for record in dataset.records("wj"):
        assert (
            record["idCard"] is None or record["idCard"].upper() == wj_truth[record["residentId"]]
        )


def test_phones_change_in_health_only_and_formats_differ(dataset: Dataset) -> None:
    people = people_by_id()
    wj_truth = dataset.truth("wj")
    changed = with_phone = 0
    for record in dataset.records("wj"):
        person = people[wj_truth[record["residentId"]]]
        if record["mobile"] is None:
            assert person.phone is None
            continue
        with_phone += 1
        digits = re.sub(r"\D", "", record["mobile"]).removeprefix("86")
        changed += digits != person.phone
    assert 0 < changed < 0.12 * with_phone
    ga_truth = dataset.truth("ga")
    for record in dataset.records("ga"):
        assert record["lxdh"] == people[ga_truth[record["rybh"]]].phone
    mz_phones = [r["lxdh"] for r in dataset.records("mz")]
    assert any(re.fullmatch(r"1\d\d-\d{4}-\d{4}", p) for p in mz_phones)
    assert any(re.fullmatch(r"0724-\d{7}", p) for p in mz_phones)


def test_mz_dates_come_in_three_formats(dataset: Dataset) -> None:
    formats = Counter(
        "iso" if re.fullmatch(r"\d{4}-\d\d-\d\d", d) else "slash" if "/" in d else "chinese"
        for d in (r["csrq"] for r in dataset.records("mz"))
    )
    assert set(formats) == {"iso", "slash", "chinese"}


# --- the noise functions -------------------------------------------------------------------


def test_legacy_id_drops_century_and_check() -> None:
    assert legacy_id("420802195405237506") == "420802540523750"


def test_messy_id_keeps_the_digits() -> None:
    import random

    rng = random.Random(1)
    forms = {messy_id(rng, "42082119641107855X") for _ in range(50)}
    assert {clean_id(form) for form in forms} == {"42082119641107855X"}
    assert "42082119641107855x" in forms and len(forms) >= 3


def test_addresses_shorten_the_way_offices_write_them() -> None:
    flat = "荆门市东宝区龙泉街道七一桥社区3栋2单元501室"
    village = "荆门市钟祥市胡集镇板桥村3组12号"

    assert short_address(flat) == "七一桥社区3-2-501"
    assert short_address(village) == "板桥村3组12号"
    assert health_address(flat) == "湖北省荆门市东宝区七一桥社区3栋2单元501室"
    assert old_address("荆门市京山市新市街道城中社区1栋1单元101室").startswith("荆门市京山县")


def test_name_tables() -> None:
    assert homophone_variant("王伟") == "王玮"
    assert homophone_variant("欧阳明") == "欧阳铭"
    assert homophone_variant("王") is None
    assert to_traditional("张国华") == "張國華"
