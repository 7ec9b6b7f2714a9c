import pytest

from identity.gender import Gender, parse_gender


@pytest.mark.parametrize(
    ("raw", "gender"),
    [
        ("1", Gender.MALE),
        ("2", Gender.FEMALE),
        ("0", Gender.UNKNOWN),
        ("9", Gender.UNKNOWN),
        ("男", Gender.MALE),
        ("女", Gender.FEMALE),
        ("男性", Gender.MALE),
        ("M", Gender.MALE),
        ("f", Gender.FEMALE),
        ("U", Gender.UNKNOWN),
        ("male", Gender.MALE),
        ("Female", Gender.FEMALE),
        (" 女 ", Gender.FEMALE),
        ("１", Gender.MALE),
        ("Ｆ", Gender.FEMALE),
        ("未说明", Gender.UNKNOWN),
        (Gender.FEMALE, Gender.FEMALE),
    ],
)
def test_every_platform_code_maps_to_one_gender(raw: object, gender: Gender) -> None:
    assert parse_gender(raw) == (gender, None)


@pytest.mark.parametrize("raw", [None, "", "不详", "-"])
def test_missing_gender_is_unknown_without_a_reason(raw: object) -> None:
    assert parse_gender(raw) == (Gender.UNKNOWN, None)


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [("3", "unknown gender code"), ("X", "unknown gender code"), (1, "expected text, got int"),
     (True, "expected text, got bool"), ("男" * 1000, "too long")],
)  # fmt: skip
def test_unknown_codes_are_unknown_with_a_reason(raw: object, reason_part: str) -> None:
    gender, reason = parse_gender(raw)

    assert gender is Gender.UNKNOWN
    assert reason is not None and reason_part in reason
