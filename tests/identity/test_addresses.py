import pytest
from hypothesis import given
from hypothesis import strategies as st

from identity.addresses import JINGMEN_DISTRICTS, Address, parse_address

FLAT = "东宝区|龙泉街道|七一桥社区|3-2-501"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("荆门市东宝区龙泉街道七一桥社区3栋2单元501室", FLAT),
        ("湖北省荆门市东宝区龙泉街道七一桥社区3栋2单元501室", FLAT),
        ("湖北荆门东宝区龙泉街道七一桥社区3栋2单元501室", FLAT),
        ("东宝区龙泉街道七一桥社区3栋2单元501室", FLAT),
        ("东宝区龙泉街道办事处七一桥社区居委会3幢2单元501", FLAT),
        ("荆门市东宝区龙泉街道七一桥社区3号楼2单元501室", FLAT),
        ("荆门市东宝区龙泉街道七一桥社区3-2-501", FLAT),
        ("荆门市东宝区龙泉街道七一桥社区三栋二单元501室", FLAT),
        ("荆门市东宝区龙泉街道七一桥社区3号2单元501室", FLAT),
        ("地址：荆门市 东宝区 龙泉街道 七一桥社区 3栋 2单元 501室", FLAT),
        ("荆门市东宝区龙泉街道七一桥社区３栋２单元５０１室", FLAT),
        ("七一桥社区3-2-501", "||七一桥社区|3-2-501"),
        ("湖北省荆门市东宝区七一桥社区3栋2单元501室", "东宝区||七一桥社区|3-2-501"),
        ("荆门市龙泉街道七一桥社区3栋501室", "|龙泉街道|七一桥社区|3--501"),
        ("荆门市东宝区子陵铺镇花山村3组12号", "东宝区|子陵铺镇|花山村|3组12号"),
        ("花山村三组十二号", "||花山村|3组12号"),
        ("荆门市京山县新市街道城中社区5栋1单元1203室", "京山市|新市街道|城中社区|5-1-1203"),
        (
            "荆门市东宝区龙泉街道象山社区幸福小区3栋2单元501室",
            "东宝区|龙泉街道|象山社区|幸福小区3-2-501",
        ),
        ("湖北省武汉市江岸区永清街道解放路123号", "江岸区|永清街道||解放路123号"),
        ("北京市朝阳区建国路88号", "朝阳区|||建国路88号"),
        ("荆门市屈家岭管理区易家岭社区2栋", "屈家岭管理区||易家岭社区|2--"),
    ],
)
def test_every_spelling_of_an_address_gives_its_key(raw: str, key: str) -> None:
    address, reason = parse_address(raw)

    assert reason is None
    assert address is not None and address.key == key


def test_a_full_address_is_split_into_its_parts() -> None:
    address, _ = parse_address("湖北省荆门市东宝区龙泉街道七一桥社区3栋2单元501室")

    assert address == Address(
        province="湖北省", city="荆门市", district="东宝区", street="龙泉街道",
        community="七一桥社区", building="3", unit="2", room="501", key=FLAT,
    )  # fmt: skip


def test_province_and_city_follow_from_a_jingmen_district_but_no_district_is_guessed() -> None:
    known, _ = parse_address("掇刀区白庙街道斗笠社区1栋1单元101室")
    unknown, _ = parse_address("城中社区5栋1单元1203室")

    assert known is not None and (known.province, known.city) == ("湖北省", "荆门市")
    assert unknown is not None and (unknown.province, unknown.city, unknown.district) == (
        None,
        None,
        None,
    )


def test_a_community_is_not_taken_for_a_district_elsewhere() -> None:
    address, _ = parse_address("广东省广州市七一桥社区3-2-501")

    assert address is not None
    assert (address.city, address.district, address.community) == ("广州市", None, "七一桥社区")


def test_what_cannot_be_parsed_is_kept_as_rest() -> None:
    address, _ = parse_address("荆门市东宝区龙泉街道七一桥社区3栋2单元501室东边那间")

    assert address is not None and address.room == "501" and address.rest == "东边那间"


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("无", "placeholder"),
        ("不详", "placeholder"),
        ("@#%&", "no address"),
        ("12345", "no address"),
        (42, "expected text, got int"),
        ({"city": "荆门"}, "expected text, got dict"),
        ("荆" * 10_000_000, "too long"),
    ],
)
def test_placeholders_and_garbage_are_missing(raw: object, reason_part: str) -> None:
    address, reason = parse_address(raw)

    assert address is None
    assert reason is not None and reason_part in reason


districts = st.sampled_from(JINGMEN_DISTRICTS)
streets = st.sampled_from(["龙泉街道", "泉口街道", "子陵铺镇", "沙洋镇", "马良镇", None])
numbers = st.integers(min_value=1, max_value=2999).map(str)


@given(
    st.sampled_from(["湖北省荆门市", "荆门市", ""]),
    districts | st.none(),
    streets,
    st.sampled_from(["七一桥社区", "象山社区", "城中社区", "花山村", "双碑村"]),
    numbers,
    numbers | st.none(),
    numbers,
)
def test_standard_spelling_parses_back_to_the_same_address(
    prefix: str,
    district: str | None,
    street: str | None,
    community: str,
    building: str,
    unit: str | None,
    room: str,
) -> None:
    written = f"{prefix if district else ''}{district or ''}{street or ''}{community}"
    written += f"{building}栋{unit + '单元' if unit else ''}{room}室"

    address, reason = parse_address(written)

    assert reason is None and address is not None
    assert (address.district, address.street, address.community) == (district, street, community)
    assert (address.building, address.unit, address.room) == (building, unit, room)
    assert parse_address(address.standard()) == (address, None)


@given(st.text(max_size=60))
def test_any_text_parses_without_raising(text: str) -> None:
    address, _ = parse_address(text)

    assert address is None or address.latin is not None or address.key.count("|") >= 3
