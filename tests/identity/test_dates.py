from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from identity.dates import parse_date

TODAY = date(2024, 12, 31)
MAY_23 = date(1954, 5, 23)


@pytest.mark.parametrize(
    "raw",
    [
        "19540523",
        "1954-05-23",
        "1954-5-23",
        "1954/5/23",
        "1954/05/23",
        "1954.5.23",
        "1954年5月23日",
        "1954年05月23日",
        "1954 年 5 月 23 日",
        "１９５４－０５－２３",
        "1954-05-23T00:00:00+08:00",
        "1954-05-23T00:00:00+0800",
        "1954-05-23T00:00:00.000+08:00",
        "1954-05-23 10:00:00",
        "1954-05-23 10:00",
        "1954-05-22T16:00:00Z",  # midnight in Beijing, written in UTC
        "1954-05-22T11:00:00-05:00",
        " 1954-05-23 ",
        "540523",  # 2054 is in the future, so only 1954 is possible
        date(1954, 5, 23),
        datetime(1954, 5, 23, 0, 0),
        datetime(1954, 5, 22, 16, 0, tzinfo=UTC),
        datetime(1954, 5, 23, 7, 0, tzinfo=timezone(timedelta(hours=8))),
    ],
)
def test_every_platform_format_gives_the_same_date(raw: object) -> None:
    assert parse_date(raw, TODAY) == (MAY_23, None)


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("1954-02-30", "impossible date"),
        ("19541301", "impossible date"),
        ("2023-02-29", "impossible date"),
        ("1954-05-23T25:00:00Z", "impossible time"),
        ("1870-01-01", "before 1880"),
        ("2025-01-01", "in the future"),
        ("150523", "could be 1915 or 2015"),  # both centuries are possible
        ("991301", "impossible date"),
        ("1954-05", "unrecognised date"),
        ("23/05/1954", "unrecognised date"),
        ("yesterday", "unrecognised date"),
        ("00000000", "placeholder"),
        ("不详", "placeholder"),
        (19540523, "expected text, got int"),
        (1954.0523, "expected text, got float"),
        ("1" * 10_000_000, "too long"),
    ],
)
def test_unusable_dates_are_missing_with_a_reason(raw: object, reason_part: str) -> None:
    found, reason = parse_date(raw, TODAY)

    assert found is None
    assert reason is not None and reason_part in reason


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_dates_are_missing_without_a_reason(raw: object) -> None:
    assert parse_date(raw, TODAY) == (None, None)


def test_a_six_digit_leap_day_has_one_possible_century() -> None:
    # 1900 was no leap year, so 000229 can only be 2000-02-29, once that date has passed.
    assert parse_date("000229", TODAY) == (date(2000, 2, 29), None)
    found, reason = parse_date("000229", date(1999, 12, 31))
    assert found is None and reason is not None and "impossible" in reason


birth_dates = st.dates(min_value=date(1880, 1, 1), max_value=TODAY)


@given(birth_dates)
def test_every_written_form_of_a_date_parses_back_to_it(when: date) -> None:
    forms = (
        f"{when:%Y%m%d}",
        when.isoformat(),
        f"{when.year}/{when.month}/{when.day}",
        f"{when.year}年{when.month}月{when.day}日",
        f"{when.isoformat()}T00:00:00+08:00",
    )
    for form in forms:
        assert parse_date(form, TODAY) == (when, None), form


@given(st.text(max_size=40))
def test_any_text_parses_without_raising(text: str) -> None:
    found, reason = parse_date(text, TODAY)

    assert found is None or (date(1880, 1, 1) <= found <= TODAY and reason is None)
