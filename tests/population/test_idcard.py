from datetime import date

import pytest

from population.idcard import (
    IdNumberAllocator,
    birth_date_of,
    check_character,
    gender_of,
    is_valid_id_number,
    make_id_number,
)
from store.base import Gender

# Worked examples printed in GB 11643-1999.
STANDARD_EXAMPLES = ("11010519491231002X", "440524188001010014")


@pytest.mark.parametrize("number", STANDARD_EXAMPLES)
def test_check_character_matches_the_standard_examples(number: str) -> None:
    assert check_character(number[:17]) == number[17]
    assert is_valid_id_number(number)


def test_check_character_rejects_wrong_input() -> None:
    with pytest.raises(ValueError):
        check_character("1101051949123100")  # 16 digits
    with pytest.raises(ValueError):
        check_character("1101051949123100A")


def test_make_id_number_builds_a_valid_number_with_encoded_fields() -> None:
    number = make_id_number("420802", date(1985, 3, 7), 13)

    assert len(number) == 18
    assert number.startswith("42080219850307013")
    assert is_valid_id_number(number)
    assert birth_date_of(number) == date(1985, 3, 7)
    assert gender_of(number) is Gender.MALE
    assert gender_of(make_id_number("420802", date(1985, 3, 7), 14)) is Gender.FEMALE


@pytest.mark.parametrize(
    ("area", "sequence"), [("42080", 1), ("42080A", 1), ("420802", 0), ("420802", 1000)]
)
def test_make_id_number_rejects_bad_parts(area: str, sequence: int) -> None:
    with pytest.raises(ValueError):
        make_id_number(area, date(1990, 1, 1), sequence)


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check character
        "11010519491231002x",  # lower-case x is left to normalisation
        "11010519490231002X",  # 31 February is no date
        "1101051949123100X2",  # X inside the digits
        "11010519491231002",  # 17 characters
        "11010519491231002X0",  # 19 characters
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
    ],
)
def test_is_valid_id_number_rejects_malformed_numbers(number: str) -> None:
    assert not is_valid_id_number(number)


def test_every_single_digit_error_is_detected() -> None:
    number = make_id_number("420804", date(2001, 12, 24), 381)
    for position in range(17):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            changed = number[:position] + digit + number[position + 1 :]
            assert not is_valid_id_number(changed), changed


def test_allocator_hands_out_distinct_valid_numbers_of_the_right_gender() -> None:
    allocator = IdNumberAllocator(["420802"], date(1950, 1, 1), date(2000, 12, 31))
    born = date(1970, 6, 1)

    men = [allocator.allocate("420802", born, Gender.MALE) for _ in range(500)]
    women = [allocator.allocate("420802", born, Gender.FEMALE) for _ in range(499)]

    numbers = [number for number, _ in men + women]
    assert len(set(numbers)) == 999
    assert all(is_valid_id_number(number) for number in numbers)
    assert all(when == born for _, when in men + women)
    assert {gender_of(number) for number, _ in men} == {Gender.MALE}
    assert {gender_of(number) for number, _ in women} == {Gender.FEMALE}
    # Scrambled, not counted up from 001.
    assert [number[14:17] for number, _ in men[:3]] != ["001", "003", "005"]


def test_allocator_moves_the_birth_date_when_a_day_is_full() -> None:
    allocator = IdNumberAllocator(["420802"], date(1970, 6, 1), date(1970, 6, 2))
    for _ in range(500):
        allocator.allocate("420802", date(1970, 6, 1), Gender.MALE)

    number, when = allocator.allocate("420802", date(1970, 6, 1), Gender.MALE)

    assert when == date(1970, 6, 2)
    assert birth_date_of(number) == when


def test_allocator_moves_earlier_at_the_end_of_its_range_and_fails_when_exhausted() -> None:
    allocator = IdNumberAllocator(["420802"], date(1970, 6, 1), date(1970, 6, 2))
    for _ in range(499):
        allocator.allocate("420802", date(1970, 6, 2), Gender.FEMALE)

    _, when = allocator.allocate("420802", date(1970, 6, 2), Gender.FEMALE)
    assert when == date(1970, 6, 1)

    for _ in range(498):
        allocator.allocate("420802", date(1970, 6, 2), Gender.FEMALE)
    with pytest.raises(RuntimeError):
        allocator.allocate("420802", date(1970, 6, 2), Gender.FEMALE)


def test_allocator_rejects_unknown_areas_and_dates_out_of_range() -> None:
    allocator = IdNumberAllocator(["420802"], date(1970, 1, 1), date(1970, 12, 31))
    with pytest.raises(ValueError):
        allocator.allocate("420804", date(1970, 6, 1), Gender.MALE)
    with pytest.raises(ValueError):
        allocator.allocate("420802", date(1971, 1, 1), Gender.MALE)
