import pytest

from identity.cleaning import fold, is_placeholder, take_text


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("１２３ＡＢＣ", "123ABC"),
        ("\u3000王思霞\u3000", "王思霞"),
        ("\ufeff420802", "420802"),  # a BOM from a UTF-8 CSV
        ("138\u20141234\u20135678", "138-1234-5678"),
        ("a\x00b", "a b"),
        ("（0724）", "(0724)"),
    ],
)
def test_fold_gives_plain_ascii_forms(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize("text", ["无", "不详", "Unknown", "NULL", "-", "0000", "99999999", "N/A"])
def test_placeholders_are_recognised(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["王伟", "婷婷", "13812345678", "420802195405237506", "00"])
def test_real_values_are_no_placeholders(text: str) -> None:
    assert not is_placeholder(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, (None, None)),
        ("", (None, None)),
        ("  \u3000 ", (None, None)),
        (" 王伟 ", ("王伟", None)),
        ("不详", (None, "placeholder '不详'")),
        (5, (None, "expected text, got int")),
        (b"abc", (None, "expected text, got bytes")),
        ("x" * 11, (None, "too long (11 characters, limit 10)")),
    ],
)
def test_take_text_accepts_only_bounded_text(
    value: object, expected: tuple[str | None, str | None]
) -> None:
    assert take_text(value, limit=10) == expected
