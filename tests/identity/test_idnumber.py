from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from identity.gender import Gender
from identity.idnumber import (
    IdStatus,
    check_character,
    legacy_form,
    parse_id_number,
    upgrade_15,
)

TODAY = date(2024, 12, 31)
# Worked examples printed in GB 11643-1999, and the example in docs/department-apis.md.
STANDARD = ("11010519491231002X", "440524188001010014", "420802195405237506")


@pytest.mark.parametrize("number", STANDARD)
def test_check_character_matches_published_examples(number: str) -> None:
    assert check_character(number[:17]) == number[17]


@pytest.mark.parametrize(
    "bad", ["", "1101051949123100", "1101051949123100A", "１１０１０５１９４９１２３１００２"]
)
def test_check_character_refuses_anything_but_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_character(bad)


@pytest.mark.parametrize(
    ("raw", "value", "status", "born", "gender"),
    [
        (
            "420802195405237506",
            "420802195405237506",
            IdStatus.VALID,
            date(1954, 5, 23),
            Gender.FEMALE,
        ),
        (
            "11010519491231002x",
            "11010519491231002X",
            IdStatus.VALID,
            date(1949, 12, 31),
            Gender.FEMALE,
        ),
        (
            "４２０８０２１９５４０５２３７５０６",
            "420802195405237506",
            IdStatus.VALID,
            date(1954, 5, 23),
            Gender.FEMALE,
        ),
        (
            "420802 19540523 7506",
            "420802195405237506",
            IdStatus.VALID,
            date(1954, 5, 23),
            Gender.FEMALE,
        ),
        (
            "420802-19540523-7506",
            "420802195405237506",
            IdStatus.VALID,
            date(1954, 5, 23),
            Gender.FEMALE,
        ),
        (
            "  420802195405237506\u3000",
            "420802195405237506",
            IdStatus.VALID,
            date(1954, 5, 23),
            Gender.FEMALE,
        ),
        ("440524188001010014", "440524188001010014", IdStatus.VALID, date(1880, 1, 1), Gender.MALE),
        (
            "420802540523750",
            "420802195405237506",
            IdStatus.LEGACY,
            date(1954, 5, 23),
            Gender.FEMALE,
        ),
        (
            "110105491231002",
            "11010519491231002X",
            IdStatus.LEGACY,
            date(1949, 12, 31),
            Gender.FEMALE,
        ),
        ("420802540523751", "420802195405237514", IdStatus.LEGACY, date(1954, 5, 23), Gender.MALE),
    ],
)
def test_usable_numbers_are_cleaned_and_decoded(
    raw: str, value: str, status: IdStatus, born: date, gender: Gender
) -> None:
    number, reason = parse_id_number(raw, TODAY)

    assert reason is None
    assert number is not None
    assert (number.value, number.status, number.birth_date, number.gender) == (
        value,
        status,
        born,
        gender,
    )


@pytest.mark.parametrize(
    ("raw", "value", "reason_part"),
    [
        ("420802195405237507", "420802195405237507", "check character 7, expected 6"),
        ("420802195402307506", "420802195402307506", "no possible birth date"),  # 30 February
        ("420802205405237506", "420802205405237506", "no possible birth date"),  # 2054: future
        ("420802540230750", "420802540230750", "no possible birth date"),
        ("42080219540523750", "42080219540523750", "17 characters"),
        ("42080254052375x", "42080254052375X", "15 characters"),
    ],
)
def test_numbers_that_fail_are_kept_as_invalid_with_a_reason(
    raw: str, value: str, reason_part: str
) -> None:
    number, reason = parse_id_number(raw, TODAY)

    assert number is not None
    assert number.status is IdStatus.INVALID
    assert not number.valid
    assert number.value == value
    assert (number.birth_date, number.gender) == (None, None)
    assert reason is not None and reason_part in reason


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1804974", "1804974"),  # a social security number (FEBRL)
        ("078-05-1120", "078051120"),  # US SSN: separators dropped
        ("e1234567x", "E1234567X"),  # a passport
        ("ＱＱ１２３４５６Ｃ", "QQ123456C"),  # full-width
        ("GB82WEST12345698765432", "GB82WEST12345698765432"),  # long: no resident ID length
    ],
)
def test_other_identifiers_are_kept_as_opaque_values(raw: str, value: str) -> None:
    number, reason = parse_id_number(raw, TODAY)

    assert reason is None and number is not None
    assert number.status is IdStatus.OTHER and number.value == value
    assert not number.valid and not number.readable
    assert (number.birth_date, number.gender) == (None, None)


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("000000000000000000", "placeholder"),
        ("111111111111111111", "placeholder"),
        ("123456789012345678", "placeholder"),
        ("unknown", "placeholder"),
        ("无", "placeholder"),
        ("不详", "placeholder"),
        ("-", "placeholder"),
        ("4208021954****7506", "masked"),
        ("身份证丢失", "not an ID number"),
        ("42O802195405237506", "not an ID number"),  # letter O: a resident ID gone wrong
        ("PASSPORT", "not an ID number"),  # no digit
        ("1234", "placeholder"),  # counting
        (420802195405237506, "expected text, got int"),
        (["420802195405237506"], "expected text, got list"),
        ("4" * 10_000_000, "too long"),
    ],
)
def test_placeholders_and_garbage_are_missing(raw: object, reason_part: str | None) -> None:
    number, reason = parse_id_number(raw, TODAY)

    assert number is None
    if reason_part is None:
        assert reason is None
    else:
        assert reason is not None and reason_part in reason


def test_legacy_form_drops_the_century_and_the_check_character() -> None:
    assert legacy_form("420802195405237506") == "420802540523750"
    with pytest.raises(ValueError):
        legacy_form("420802540523750")
    with pytest.raises(ValueError):
        upgrade_15("42080254052375X")


twentieth_century_births = st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31))
areas = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)
sequences = st.integers(min_value=0, max_value=999)


@given(areas, twentieth_century_births, sequences)
def test_upgrading_the_legacy_form_of_a_valid_number_gives_it_back(
    area: str, born: date, sequence: int
) -> None:
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    number = first17 + check_character(first17)

    assert upgrade_15(legacy_form(number)) == number
    parsed, _ = parse_id_number(legacy_form(number), TODAY)
    assert parsed is not None and parsed.value == number and parsed.birth_date == born


@given(
    areas,
    twentieth_century_births,
    sequences,
    st.integers(min_value=0, max_value=16),
    st.integers(1, 9),
)
def test_any_single_digit_error_fails_the_checksum(
    area: str, born: date, sequence: int, position: int, shift: int
) -> None:
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    number = first17 + check_character(first17)
    wrong = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]

    parsed, reason = parse_id_number(wrong, TODAY)

    assert parsed is not None and parsed.status is IdStatus.INVALID
    assert reason is not None


@given(areas, twentieth_century_births, sequences)
def test_a_valid_number_parses_to_itself_and_encodes_its_gender(
    area: str, born: date, sequence: int
) -> None:
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    number = first17 + check_character(first17)

    parsed, reason = parse_id_number(number, TODAY)

    assert reason is None and parsed is not None and parsed.valid
    assert parsed.value == number and parsed.birth_date == born
    assert parsed.gender is (Gender.MALE if sequence % 2 else Gender.FEMALE)


@given(st.text(max_size=40))
def test_any_text_parses_without_raising(text: str) -> None:
    parsed, reason = parse_id_number(text, TODAY)

    assert parsed is None or parsed.status is IdStatus.INVALID or reason is None
