"""Synthetic addresses: flats in urban communities, numbered houses in village groups, and
places of registration elsewhere in Hubei for residents registered away (人户分离)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from population.grids import CITY_NAME, GridSpec, is_village
from population.scramble import Scrambler
from store.base import GridLevel

# Buildings per grid, units per building, floors, flats per floor (urban communities).
_BUILDINGS, _UNITS, _FLOORS, _FLATS = 24, 4, 18, 4
# Village groups (组) per grid and house numbers per group.
_GROUPS, _HOUSES = 4, 300

# Other Hubei places residents may be registered in: area code, place, streets.
HUBEI_ELSEWHERE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("420102", "武汉市江岸区", ("永清街道", "球场街道")),
    ("420106", "武汉市武昌区", ("中华路街道", "水果湖街道")),
    ("420111", "武汉市洪山区", ("珞南街道", "关山街道")),
    ("420602", "襄阳市襄城区", ("古城街道", "庞公街道")),
    ("420606", "襄阳市樊城区", ("中原街道", "定中门街道")),
    ("421002", "荆州市沙市区", ("中山街道", "胜利街道")),
    ("421003", "荆州市荆州区", ("城南街道", "西城街道")),
    ("420902", "孝感市孝南区", ("书院街道", "广场街道")),
    ("420502", "宜昌市西陵区", ("西陵街道", "学院街道")),
    ("420984", "孝感市汉川市", ("仙女山街道",)),
)
_ROADS = ("解放路", "建设路", "人民路", "中山路", "新华路", "胜利路", "长江路", "友谊路")


@dataclass(frozen=True)
class _Place:
    prefix: str  # 荆门市东宝区龙泉街道七一桥社区
    district_code: str
    grid_number: int  # 1-based position of the grid inside its community
    village: bool
    start: int  # where this grid's walk through its scrambled addresses begins


class AddressBook:
    """Hands out residence addresses grid by grid; distinct within a grid until its
    capacity (6,912 flats, or 1,200 village houses) is exhausted, after which they repeat."""

    def __init__(self, grids: list[GridSpec], offset: int = 0) -> None:
        by_code = {spec.code: spec for spec in grids}
        starts = random.Random(offset)
        self._places: dict[str, _Place] = {}
        for spec in grids:
            if spec.level is not GridLevel.GRID or spec.parent_code is None:
                continue
            community = by_code[spec.parent_code]
            street = by_code[community.parent_code or ""]
            district = by_code[street.parent_code or ""]
            self._places[spec.code] = _Place(
                prefix=f"{CITY_NAME}{district.name}{street.name}{community.name}",
                district_code=district.code,
                grid_number=int(spec.code[-3:]),
                village=is_village(community.code),
                start=starts.randrange(1 << 30),
            )
        self._urban = Scrambler(_BUILDINGS * _UNITS * _FLOORS * _FLATS)
        self._rural = Scrambler(_GROUPS * _HOUSES)
        self._issued: dict[str, int] = {}

    def district_of(self, grid_code: str) -> str:
        return self._places[grid_code].district_code

    def next_address(self, grid_code: str) -> str:
        """The next unused address in a leaf grid."""
        count = self._issued.get(grid_code, 0)
        self._issued[grid_code] = count + 1
        return self.address_at(grid_code, count)

    def address_at(self, grid_code: str, counter: int) -> str:
        place = self._places[grid_code]
        if place.village:
            slot = self._rural(place.start + counter)
            group = (place.grid_number - 1) * _GROUPS + slot % _GROUPS + 1
            return f"{place.prefix}{group}组{slot // _GROUPS + 1}号"
        slot = self._urban(place.start + counter)
        flat, slot = slot % _FLATS + 1, slot // _FLATS
        floor, slot = slot % _FLOORS + 1, slot // _FLOORS
        unit, slot = slot % _UNITS + 1, slot // _UNITS
        building = (place.grid_number - 1) * _BUILDINGS + slot + 1
        return f"{place.prefix}{building}栋{unit}单元{floor}{flat:02d}室"


def grid_covers(spec: GridSpec) -> str | None:
    """What a leaf grid covers in its community: its buildings, or its village groups."""
    if spec.level is not GridLevel.GRID or spec.parent_code is None:
        return None
    number = int(spec.code[-3:])
    if is_village(spec.parent_code):
        return f"{(number - 1) * _GROUPS + 1}-{number * _GROUPS}组"
    return f"{(number - 1) * _BUILDINGS + 1}-{number * _BUILDINGS}栋"


def address_elsewhere_in_hubei(rng: random.Random) -> tuple[str, str]:
    """(area code, address) of a registration outside Jingmen, elsewhere in Hubei."""
    area, place, streets = HUBEI_ELSEWHERE[rng.randrange(len(HUBEI_ELSEWHERE))]
    street = streets[rng.randrange(len(streets))]
    road = _ROADS[rng.randrange(len(_ROADS))]
    return area, f"湖北省{place}{street}{road}{rng.randint(1, 399)}号"
