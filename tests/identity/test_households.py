"""Household plans: head, relations, number and registered address."""

from __future__ import annotations

from datetime import date
from typing import Any

from identity.households import plan_households


def test_the_registered_head_numbers_and_addresses_the_household() -> None:
    golden: dict[int, dict[str, Any]] = {
        0: {"name": "王强", "relation": "户主", "registered_address": "七一桥社区3栋2单元501室"},
        1: {"name": "李梅", "relation": "配偶", "registered_address": None},
        2: {"name": "王小", "relation": None},
    }
    keys = {0: [("ga", "H01"), ("mz", "A9")], 1: [("ga", "H01")], 2: [("wj", "")]}
    plans = plan_households({5: [2, 0, 1]}, golden, keys)
    plan = plans[5]
    assert plan.members == (0, 1, 2)
    assert plan.head == 0 and not plan.head_inferred
    assert plan.relations == {0: "户主", 1: "配偶", 2: "未知"}
    assert plan.number == "H01"
    assert plan.address == "七一桥社区3栋2单元501室"


def test_without_a_registered_head_the_eldest_is_inferred_and_numbers_name_their_source() -> None:
    golden = {
        0: {"name": "甲", "birth_date": date(1990, 1, 1), "residence_address": "花山村3组12号"},
        1: {"name": "乙", "birth_date": date(1950, 1, 1), "residence_address": "花山村3组12号"},
    }
    plans = plan_households({0: [0, 1]}, golden, {0: [("mz", "A7")], 1: []})
    assert plans[0].head == 1 and plans[0].head_inferred
    assert plans[0].number == "mz:A7"
    assert plans[0].address == "花山村3组12号"
