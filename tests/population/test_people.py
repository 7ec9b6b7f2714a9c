import re
from collections import Counter, defaultdict
from itertools import islice

import pytest

from population import (
    REFERENCE_DATE,
    GridSpec,
    HouseholdSpec,
    PersonSpec,
    generate_grids,
    generate_population,
    is_valid_id_number,
)
from population.grids import grid_path
from store.base import Gender, GridLevel

SIZE = 20_000
Household = tuple[HouseholdSpec, list[PersonSpec]]
MALE_RELATIONS = {"子", "父亲", "孙子", "外孙子", "女婿"}
FEMALE_RELATIONS = {"女", "母亲", "孙女", "外孙女", "儿媳"}
PHONE = re.compile(r"^1(3\d|5[0-35-9]|8\d|9[19])\d{8}$")
CJK = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


@pytest.fixture(scope="module")
def households() -> list[Household]:
    return list(generate_population(SIZE, seed=42))


@pytest.fixture(scope="module")
def people(households: list[Household]) -> list[PersonSpec]:
    return [person for _, persons in households for person in persons]


def age(person: PersonSpec) -> int:
    return REFERENCE_DATE.year - person.birth_date.year


def share(people: list[PersonSpec], tag: str) -> float:
    return sum(tag in person.tags for person in people) / len(people)


# --- determinism and size ---------------------------------------------------------------


def test_same_seed_gives_the_same_population_and_another_seed_does_not() -> None:
    first = list(generate_population(3_000, seed=7))
    again = list(generate_population(3_000, seed=7))
    other = list(generate_population(3_000, seed=8))

    assert first == again
    assert first != other


def test_a_longer_run_starts_with_the_shorter_one(households: list[Household]) -> None:
    shorter = list(generate_population(2_000, seed=42))
    # Only the last, possibly trimmed household may differ.
    assert shorter[:-1] == households[: len(shorter) - 1]


def test_yields_exactly_the_requested_number_of_residents(people: list[PersonSpec]) -> None:
    assert len(people) == SIZE
    assert sum(len(persons) for _, persons in generate_population(7, seed=1)) == 7
    assert list(generate_population(0)) == []
    with pytest.raises(ValueError):
        list(generate_population(-1))


def test_streams_without_building_the_whole_population_first() -> None:
    first = next(iter(generate_population(10**9, seed=3)))
    assert first[1]


# --- identifiers ----------------------------------------------------------------------------


def test_every_id_number_is_valid_unique_and_encodes_birth_and_gender(
    people: list[PersonSpec],
) -> None:
    numbers = [person.id_number for person in people]
    assert len(set(numbers)) == len(numbers)
    for person in people:
        assert is_valid_id_number(person.id_number), person
        assert person.id_number[6:14] == f"{person.birth_date:%Y%m%d}"
        assert int(person.id_number[16]) % 2 == (person.gender is Gender.MALE)


def test_id_areas_are_mostly_jingmen_and_all_hubei(people: list[PersonSpec]) -> None:
    areas = Counter(person.id_number[:6] for person in people)
    jingmen = sum(count for area, count in areas.items() if area.startswith("4208"))
    assert all(area.startswith("42") for area in areas)
    assert 0.8 < jingmen / len(people) < 0.97
    assert any(area.startswith("4201") for area in areas)  # some registered in Wuhan


def test_household_numbers_are_unique(households: list[Household]) -> None:
    numbers = [household.number for household, _ in households]
    assert len(set(numbers)) == len(numbers)


def test_residence_addresses_are_distinct_per_household(households: list[Household]) -> None:
    addresses = Counter(household.address for household, _ in households)
    assert addresses.most_common(1)[0][1] == 1


# --- households and family structure ------------------------------------------------------


def test_members_agree_with_their_household(households: list[Household]) -> None:
    for household, persons in households:
        assert persons[0].relation == "户主"
        assert sum(person.relation == "户主" for person in persons) == 1
        for person in persons:
            assert person.household_number == household.number
            assert person.grid_code == household.grid_code
            assert person.residence_address == household.address


def test_household_sizes_are_realistic(households: list[Household]) -> None:
    sizes = Counter(len(persons) for _, persons in households)
    mean = sum(size * count for size, count in sizes.items()) / sum(sizes.values())
    assert 2.3 < mean < 2.8
    assert sizes[1] / len(households) > 0.15
    assert max(sizes) <= 7


def test_spouses_are_of_opposite_gender_and_similar_age(households: list[Household]) -> None:
    couples = 0
    for _, persons in households:
        head = persons[0]
        for spouse in (person for person in persons if person.relation == "配偶"):
            couples += 1
            assert spouse.gender is not head.gender
            assert abs(age(spouse) - age(head)) <= 10
            assert min(age(spouse), age(head)) >= 20
    assert couples > len(households) * 0.4


def test_generations_are_20_to_35_years_apart(households: list[Household]) -> None:
    for _, persons in households:
        head = persons[0]
        parents = [person for person in persons if person.relation in ("户主", "配偶")]
        younger_parent = min(parents, key=lambda person: age(person))
        for person in persons:
            if person.relation in ("子", "女"):
                assert 20 <= age(younger_parent) - age(person) <= 35, persons
            elif person.relation in ("父亲", "母亲"):
                assert 20 <= age(person) - age(head) <= 40, persons
            elif "孙" in person.relation:
                assert age(head) - age(person) >= 40, persons


def test_relations_match_gender(people: list[PersonSpec]) -> None:
    for person in people:
        if person.relation in MALE_RELATIONS:
            assert person.gender is Gender.MALE, person
        if person.relation in FEMALE_RELATIONS:
            assert person.gender is Gender.FEMALE, person


def test_ages_are_within_a_human_lifespan(people: list[PersonSpec]) -> None:
    ages = [age(person) for person in people]
    assert min(ages) >= 0
    assert max(ages) <= 100
    elderly = sum(a >= 60 for a in ages) / len(ages)
    children = sum(a < 15 for a in ages) / len(ages)
    assert 0.12 < elderly < 0.3
    assert 0.08 < children < 0.25


def test_some_households_live_away_from_their_registration(households: list[Household]) -> None:
    separated = [
        household
        for household, persons in households
        if persons[0].registered_address != household.address
    ]
    assert 0.07 < len(separated) / len(households) < 0.13
    assert any(persons[0].registered_address.startswith("湖北省") for _, persons in households)


def test_names_are_chinese_and_namesakes_occur(people: list[PersonSpec]) -> None:
    assert all(CJK.match(person.name) for person in people)
    namesakes = Counter((person.name, person.birth_date.year) for person in people)
    assert namesakes.most_common(1)[0][1] >= 2
    assert len({person.name for person in people}) > len(people) * 0.6
    assert any(person.name.startswith("欧阳") for person in people)
    surnames = Counter(person.name[0] for person in people)
    assert {surname for surname, _ in surnames.most_common(3)} == {"王", "李", "张"}


def test_children_mostly_share_their_fathers_surname(households: list[Household]) -> None:
    same = total = 0
    for _, persons in households:
        head = persons[0]
        if head.gender is not Gender.MALE:
            continue
        for child in (person for person in persons if person.relation in ("子", "女")):
            total += 1
            same += child.name[0] == head.name[0]
    assert same / total > 0.9


# --- phones ------------------------------------------------------------------------------


def test_phones_are_mobile_numbers_some_missing_some_shared(
    households: list[Household], people: list[PersonSpec]
) -> None:
    phones = [person.phone for person in people if person.phone is not None]
    assert all(PHONE.match(phone) for phone in phones)
    assert 0.05 < 1 - len(phones) / len(people) < 0.3

    households_of: defaultdict[str, set[str]] = defaultdict(set)
    for person in people:
        if person.phone:
            households_of[person.phone].add(person.household_number)
    assert all(len(numbers) == 1 for numbers in households_of.values())
    shared_within = sum(
        1
        for _, persons in households
        if len({p.phone for p in persons if p.phone}) < sum(1 for p in persons if p.phone)
    )
    assert shared_within > 0


# --- tags --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "low", "high"),
    [
        ("低保", 0.015, 0.045),
        ("特困", 0.002, 0.01),
        ("残疾", 0.04, 0.08),
        ("退役军人", 0.01, 0.03),
        ("党员", 0.05, 0.09),
        ("独居老人", 0.02, 0.08),
        ("留守儿童", 0.005, 0.04),
    ],
)
def test_tag_rates_are_realistic(
    people: list[PersonSpec], tag: str, low: float, high: float
) -> None:
    assert low < share(people, tag) < high


def test_household_derived_tags_follow_the_household(households: list[Household]) -> None:
    for _, persons in households:
        alone = len(persons) == 1
        for person in persons:
            assert ("独居老人" in person.tags) == (alone and age(person) >= 60), persons
            if "特困" in person.tags:
                assert "低保" not in person.tags and alone
            if "留守儿童" in person.tags:
                assert age(person) < 16
                assert not any(p.relation in ("子", "女", "儿媳", "女婿") for p in persons)
        dibao = [("低保" in p.tags) or ("特困" in p.tags) for p in persons]
        assert all(dibao) or not any("低保" in p.tags for p in persons)


def test_veterans_are_mostly_men_and_party_members_adults(people: list[PersonSpec]) -> None:
    veterans = [person for person in people if "退役军人" in person.tags]
    assert sum(person.gender is Gender.MALE for person in veterans) / len(veterans) > 0.8
    assert all(age(person) >= 18 for person in people if "党员" in person.tags)


def test_tags_come_in_a_fixed_order(people: list[PersonSpec]) -> None:
    from population import TAGS

    for person in islice(people, 5000):
        assert list(person.tags) == [tag for tag in TAGS if tag in person.tags]


# --- grids -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grids() -> list[GridSpec]:
    return generate_grids()


def test_grid_tree_codes_nest_and_parents_come_first(grids: list[GridSpec]) -> None:
    seen: dict[str, GridSpec] = {}
    depth = {
        GridLevel.CITY: 4,
        GridLevel.DISTRICT: 6,
        GridLevel.STREET: 9,
        GridLevel.COMMUNITY: 12,
        GridLevel.GRID: 15,
    }
    for spec in grids:
        assert spec.code.isdigit() and len(spec.code) == depth[spec.level]
        if spec.parent_code is None:
            assert spec.level is GridLevel.CITY and spec.code == "4208"
        else:
            parent = seen[spec.parent_code]
            assert spec.code.startswith(parent.code)
            assert list(depth).index(spec.level) == list(depth).index(parent.level) + 1
        assert spec.code not in seen
        seen[spec.code] = spec
    assert grid_path(seen["420802001001001"], seen) == (
        "/4208/420802/420802001/420802001001/420802001001001/"
    )


def test_grid_tree_has_the_expected_shape(grids: list[GridSpec]) -> None:
    levels = Counter(spec.level for spec in grids)
    names = {spec.name for spec in grids}
    assert levels[GridLevel.CITY] == 1
    assert levels[GridLevel.DISTRICT] >= 3
    assert 150 <= levels[GridLevel.GRID] <= 300
    assert {"七一桥社区", "月亮湾社区", "浏河社区", "东宝区", "掇刀区", "龙泉街道"} <= names
    assert "七一桥社区第1网格" in names
    assert sum(spec.level is GridLevel.GRID for spec in generate_grids(3)) == (
        3 * levels[GridLevel.COMMUNITY]
    )
    with pytest.raises(ValueError):
        generate_grids(0)


def test_every_household_lives_in_a_leaf_grid_of_its_address(
    households: list[Household], grids: list[GridSpec]
) -> None:
    by_code = {spec.code: spec for spec in grids}
    used = set()
    for household, _ in households:
        grid = by_code[household.grid_code]
        assert grid.level is GridLevel.GRID
        community = by_code[grid.parent_code or ""]
        assert household.address.startswith("荆门市")
        assert community.name in household.address
        used.add(grid.code)
    assert len(used) == sum(spec.level is GridLevel.GRID for spec in grids)
