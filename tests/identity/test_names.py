import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from identity.names import Name, parse_name


@pytest.mark.parametrize(
    ("raw", "text", "surname", "given", "pinyin", "initials"),
    [
        ("王思霞", "王思霞", "王", "思霞", "wang si xia", "wsx"),
        (" 王 思霞\u3000", "王思霞", "王", "思霞", "wang si xia", "wsx"),
        ("王·思霞", "王思霞", "王", "思霞", "wang si xia", "wsx"),
        ("阿卜杜•热合曼", "阿卜杜热合曼", "阿", "卜杜热合曼", "a bo du re he man", "abdrhm"),
        ("劉麗華", "刘丽华", "刘", "丽华", "liu li hua", "llh"),
        ("張偉", "张伟", "张", "伟", "zhang wei", "zw"),
        ("鍾馗", "钟馗", "钟", "馗", "zhong kui", "zk"),  # not 锺, as phrase tables would have it
        ("歐陽鋒", "欧阳锋", "欧阳", "锋", "ou yang feng", "oyf"),
        ("诸葛亮", "诸葛亮", "诸葛", "亮", "zhu ge liang", "zgl"),
        ("司马光", "司马光", "司马", "光", "si ma guang", "smg"),
        ("上官婉儿", "上官婉儿", "上官", "婉儿", "shang guan wan er", "sgwe"),
        ("王乾", "王乾", "王", "乾", "wang qian", "wq"),  # simplified already: not 干
        ("於梨华", "於梨华", "於", "梨华", "yu li hua", "ylh"),  # a surname of its own, not 于
        ("东方", "东方", "东", "方", "dong fang", "df"),  # two characters: no room for a compound
        ("曾伟", "曾伟", "曾", "伟", "zeng wei", "zw"),  # surname reading, not ceng
        ("单雄信", "单雄信", "单", "雄信", "shan xiong xin", "sxx"),
        ("吕布", "吕布", "吕", "布", "lv bu", "lb"),
        ("王伟(曾用名王炜)", "王伟", "王", "伟", "wang wei", "ww"),
        ("王伟2", "王伟", "王", "伟", "wang wei", "ww"),
    ],
)
def test_names_are_cleaned_split_and_spelled(
    raw: str, text: str, surname: str, given: str, pinyin: str, initials: str
) -> None:
    name, _ = parse_name(raw)

    assert name is not None
    assert (name.text, name.surname, name.given, name.pinyin, name.initials) == (
        text,
        surname,
        given,
        pinyin,
        initials,
    )
    assert name.surname_pinyin + name.given_pinyin == name.pinyin.replace(" ", "")


@pytest.mark.parametrize(
    ("raw", "text", "surname", "given", "pinyin"),
    [
        ("Jinni Dreyer", "dreyer, jinni", "dreyer", "jinni", "dreyer jinni"),
        ("DREYER, Jinni", "dreyer, jinni", "dreyer", "jinni", "dreyer jinni"),
        ("ＴＯＭ　Smith", "smith, tom", "smith", "tom", "smith tom"),  # full-width, folded
        ("José O'Brien", "obrien, jose", "obrien", "jose", "jose obrien"),
        ("Mary-Ann Smith", "smith, maryann", "smith", "maryann", "maryann smith"),
        ("Anna van der Berg", "van der berg, anna", "van der berg", "anna", "anna berg der van"),
        ("Ruiz Lopez, Eva", "ruiz lopez, eva", "ruiz lopez", "eva", "eva lopez ruiz"),
        ("Pacey", "pacey", "pacey", "", "pacey"),  # one word: taken as the surname
        ("Pacey,", "pacey", "pacey", "", "pacey"),
        (", Casey", ", casey", "", "casey", "casey"),  # the comma form says it is a given name
        ("Tom (汤姆)", "tom", "tom", "", "tom"),  # the Chinese characters were a remark
    ],
)
def test_latin_names_are_split_into_given_name_and_surname(
    raw: str, text: str, surname: str, given: str, pinyin: str
) -> None:
    name, _ = parse_name(raw)

    assert name is not None and name.latin
    assert (name.text, name.surname, name.given, name.pinyin) == (text, surname, given, pinyin)
    assert name.surname_pinyin == surname.replace(" ", "")
    assert name.given_pinyin == given.replace(" ", "")
    assert parse_name(name.text) == (name, None)  # the comma form parses back


def test_a_swapped_latin_name_keeps_its_words() -> None:
    straight, swapped = parse_name("Jinni Dreyer")[0], parse_name("Dreyer Jinni")[0]

    assert straight is not None and swapped is not None
    assert (straight.surname, swapped.surname) == ("dreyer", "jinni")
    assert straight.pinyin == swapped.pinyin  # the same words, in alphabetical order


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [("xxx", "placeholder"), ("Unknown", "placeholder"), ("N/A", "placeholder"),
     ("1234 5678", "no name"), ("a b c d e f g h i", "too long")],
)  # fmt: skip
def test_latin_placeholders_and_garbage_are_missing(raw: str, reason_part: str) -> None:
    name, reason = parse_name(raw)

    assert name is None
    assert reason_part in (reason or "")


@pytest.mark.parametrize(
    ("a", "b"), [("张伟", "章伟"), ("王伟", "王玮"), ("曾伟", "增伟"), ("刘丽", "劉莉")]
)
def test_homophones_share_their_pinyin(a: str, b: str) -> None:
    first, second = parse_name(a)[0], parse_name(b)[0]

    assert first is not None and second is not None
    assert first.text != second.text
    assert first.pinyin == second.pinyin


def test_a_clean_name_gives_no_reason_and_a_changed_one_says_why() -> None:
    assert parse_name("王思霞")[1] is None
    assert "bracketed" in (parse_name("王伟（曾用名王炜）")[1] or "")
    assert "no part of a name" in (parse_name("王伟2")[1] or "")


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("无", "placeholder"),
        ("不详", "placeholder"),
        ("unknown", "placeholder"),
        ("无名氏", "placeholder"),
        ("-", "placeholder"),
        ("111", "placeholder"),
        ("1234", "no name"),
        ("（空）", "no name"),
        ("王思霞" * 10, "too long for a name"),
        (12345, "expected text, got int"),
        (None, None),
        ("", None),
        ("王" * 10_000_000, "too long"),
    ],
)
def test_placeholders_and_garbage_are_missing(raw: object, reason_part: str | None) -> None:
    name, reason = parse_name(raw)

    assert name is None
    assert reason == reason_part or (reason_part is not None and reason_part in (reason or ""))


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@given(st.text(han, min_size=2, max_size=4))
def test_parsing_a_parsed_name_changes_nothing(text: str) -> None:
    name, _ = parse_name(text)
    assume(name is not None)  # a few, such as 待补, are placeholders

    assert name is not None and parse_name(name.text) == (name, None)


latin = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzé '-,ABC"), min_size=1, max_size=30)


@given(latin)
def test_parsing_a_parsed_latin_name_changes_nothing(text: str) -> None:
    name, _ = parse_name(text)
    assume(name is not None)

    assert name is not None and parse_name(name.text) == (name, None)


@given(st.text(max_size=30))
def test_any_text_parses_without_raising(text: str) -> None:
    name, _ = parse_name(text)

    assert name is None or isinstance(name, Name)
