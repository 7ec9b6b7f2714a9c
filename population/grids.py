"""The synthetic grid tree of a Jingmen slice: city > district > street/town > community > grid.

Codes follow the statistical division codes: a district is the 6-digit area code, a street
or town adds 3 digits (0xx streets, 1xx towns), a community adds 3 (0xx residents'
committees 社区, 2xx villages 村), and a grid adds 3 more. Every child's code starts with
its parent's. The tree is fixed: the same for any population size.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.base import GridLevel

CITY_CODE = "4208"
CITY_NAME = "荆门市"


@dataclass(frozen=True)
class GridSpec:
    code: str
    name: str
    level: GridLevel
    parent_code: str | None


# Flat tables keyed by full code; a node's parent is the node whose code is its prefix.
_DISTRICTS = {
    "420802": "东宝区",
    "420804": "掇刀区",
    "420882": "京山市",
    "420822": "沙洋县",
    "420881": "钟祥市",
}
_STREETS = {
    "420802001": "龙泉街道",
    "420802002": "泉口街道",
    "420802101": "子陵铺镇",
    "420802102": "漳河镇",
    "420804001": "掇刀石街道",
    "420804002": "白庙街道",
    "420804003": "兴隆街道",
    "420804101": "团林铺镇",
    "420882001": "新市街道",
    "420882002": "永兴街道",
    "420882101": "宋河镇",
    "420822101": "沙洋镇",
    "420822102": "后港镇",
    "420881001": "郢中街道",
    "420881101": "胡集镇",
}
_COMMUNITIES = {
    "420802001001": "七一桥社区",
    "420802001002": "象山社区",
    "420802001003": "龙井社区",
    "420802001004": "杨湾社区",
    "420802001005": "桥河社区",
    "420802002001": "月亮湾社区",
    "420802002002": "泉口社区",
    "420802002003": "竹园社区",
    "420802002004": "白云社区",
    "420802101001": "子陵社区",
    "420802101201": "花山村",
    "420802101202": "新桥村",
    "420802102001": "漳河社区",
    "420802102201": "双碑村",
    "420802102202": "石门村",
    "420804001001": "浏河社区",
    "420804001002": "掇刀石社区",
    "420804001003": "星球社区",
    "420804001004": "鑫港社区",
    "420804002001": "白庙社区",
    "420804002002": "斗笠社区",
    "420804002003": "团结社区",
    "420804003001": "兴隆社区",
    "420804003002": "虎牙关社区",
    "420804101001": "团林社区",
    "420804101201": "沈集村",
    "420882001001": "城中社区",
    "420882001002": "城西社区",
    "420882001003": "八里途社区",
    "420882002001": "永兴社区",
    "420882002002": "北郊社区",
    "420882101001": "宋河社区",
    "420882101201": "三王村",
    "420822101001": "汉津社区",
    "420822101002": "江汉社区",
    "420822101003": "官垱社区",
    "420822102001": "后港社区",
    "420822102201": "长湖村",
    "420881001001": "阳春社区",
    "420881001002": "承天社区",
    "420881001003": "王府社区",
    "420881001004": "莫愁社区",
    "420881101001": "胡集社区",
    "420881101201": "板桥村",
}

DISTRICT_CODES: tuple[str, ...] = tuple(_DISTRICTS)


def is_village(community_code: str) -> bool:
    """Villages (村) carry 2xx community numbers; residents' committees (社区) carry 0xx."""
    return community_code[-3] == "2"


def _children(table: dict[str, str], parent_code: str) -> list[tuple[str, str]]:
    return [(code, name) for code, name in table.items() if code[:-3] == parent_code]


def generate_grids(grids_per_community: int = 5) -> list[GridSpec]:
    """The whole tree, parents before children (depth-first)."""
    if not 1 <= grids_per_community <= 999:
        raise ValueError("grids_per_community must be within 1–999")
    specs = [GridSpec(CITY_CODE, CITY_NAME, GridLevel.CITY, None)]
    for district_code, district_name in _DISTRICTS.items():
        specs.append(GridSpec(district_code, district_name, GridLevel.DISTRICT, CITY_CODE))
        for street_code, street_name in _children(_STREETS, district_code):
            specs.append(GridSpec(street_code, street_name, GridLevel.STREET, district_code))
            for community_code, community_name in _children(_COMMUNITIES, street_code):
                specs.append(
                    GridSpec(community_code, community_name, GridLevel.COMMUNITY, street_code)
                )
                specs.extend(
                    GridSpec(
                        f"{community_code}{number:03d}",
                        f"{community_name}第{number}网格",
                        GridLevel.GRID,
                        community_code,
                    )
                    for number in range(1, grids_per_community + 1)
                )
    return specs


def grid_path(spec: GridSpec, by_code: dict[str, GridSpec]) -> str:
    """Materialised path of codes from the city down, e.g. ``/4208/420802/420802001/``."""
    codes = [spec.code]
    parent = spec.parent_code
    while parent is not None:
        codes.append(parent)
        parent = by_code[parent].parent_code
    return "/" + "/".join(reversed(codes)) + "/"
