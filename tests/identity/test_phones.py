import pytest
from hypothesis import given
from hypothesis import strategies as st

from identity.phones import Phone, PhoneKind, parse_phone

MOBILE = Phone("13812345678", PhoneKind.MOBILE)
LANDLINE = Phone("0724-2345678", PhoneKind.LANDLINE)


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("13812345678", MOBILE),
        ("138-1234-5678", MOBILE),
        ("138 1234 5678", MOBILE),
        ("+86 138 1234 5678", MOBILE),
        ("+8613812345678", MOBILE),
        ("+86-138-1234-5678", MOBILE),
        ("008613812345678", MOBILE),
        ("8613812345678", MOBILE),
        ("１３８１２３４５６７８", MOBILE),
        ("(+86) 13812345678", MOBILE),
        ("19912345678", Phone("19912345678", PhoneKind.MOBILE)),
        ("0724-2345678", LANDLINE),
        ("07242345678", LANDLINE),
        ("(0724)2345678", LANDLINE),
        ("（0724）2345678", LANDLINE),
        ("0724 2345678", LANDLINE),
        ("+86 724 2345678", LANDLINE),
        ("+86 0724 2345678", LANDLINE),
        ("0086 724 2345678", LANDLINE),
        ("0724-2345678-801", LANDLINE),
        ("0724-2345678转801", LANDLINE),
        ("010-62345678", Phone("010-62345678", PhoneKind.LANDLINE)),
        ("02787654321", Phone("027-87654321", PhoneKind.LANDLINE)),
        ("0724-23456789", Phone("0724-23456789", PhoneKind.LANDLINE)),
    ],
)
def test_mobiles_and_landlines_in_every_spelling(raw: str, phone: Phone) -> None:
    assert parse_phone(raw) == (phone, None)


def test_of_several_numbers_the_first_usable_one_is_kept() -> None:
    phone, reason = parse_phone("无/13812345678，0724-2345678")

    assert phone == MOBILE
    assert reason is not None and "3 numbers" in reason


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("2345678", "without area code"),
        ("12345678901", "not a phone number"),  # 12x is no mobile prefix
        ("1381234567", "not a phone number"),  # 10 digits
        ("138123456789", "not a phone number"),  # 12 digits
        ("+1 415 555 0100", "foreign number"),
        ("13800000000", "placeholder"),
        ("00000000000", "placeholder"),
        ("0724-0000000", "not a phone number"),  # subscribers never start with 0
        ("0724-2222222", "placeholder"),
        ("无", "placeholder"),
        ("call me", "not a phone number"),
        (13812345678, "expected text, got int"),
        ("1" * 10_000_000, "too long"),
    ],
)
def test_anything_else_is_missing_with_a_reason(raw: object, reason_part: str) -> None:
    phone, reason = parse_phone(raw)

    assert phone is None
    assert reason is not None and reason_part in reason


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_canonical_mobile_parses_to_itself(number: str) -> None:
    phone, _ = parse_phone(number)

    assert phone is None or (phone.number == number and parse_phone(phone.number)[0] == phone)


@given(st.text(max_size=40))
def test_any_text_parses_without_raising(text: str) -> None:
    phone, _ = parse_phone(text)

    assert phone is None or parse_phone(phone.number)[0] == phone
