"""People's decisions on a resolved store: applied at once, and kept by later runs."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from resolution import resolve_store
from resolution.manual import (
    DecisionError,
    NotFoundError,
    decide_review,
    merge_residents,
    set_resident_value,
    split_resident,
)
from store.models import (
    EventKind,
    Household,
    HouseholdMember,
    IdentityEvent,
    LinkKind,
    ManualLink,
    MatchEdge,
    ResidentValue,
    ReviewPair,
    ReviewStatus,
    SourceRecord,
)
from tests.resolution.conftest import (
    ZHANG_WEI,
    open_review,
    record_id,
    resident_of,
    resident_row,
    restage,
)

CHEN_ID, CHEN_WJ = ("ga", "g3"), ("wj", "w3")  # 陈静 as two residents
ZHANG = (("ga", "g1"), ("mz", "m1"), ("wj", "w1"))  # 张伟, one resident


async def rows(engine: AsyncEngine, model: Any, *where: Any) -> list[Any]:
    async with engine.connect() as conn:
        query = select(*model.__table__.columns).where(*where)
        return list((await conn.execute(query)).all())


async def records_of(engine: AsyncEngine, resident: int) -> set[tuple[str, str]]:
    found = await rows(engine, SourceRecord, SourceRecord.resident_id == resident)
    return {(r.source, r.source_id) for r in found}


async def test_a_merge_moves_the_records_and_the_merged_resident_redirects(
    resolved: AsyncEngine,
) -> None:
    survivor, merged = await resident_of(resolved, CHEN_ID), await resident_of(resolved, CHEN_WJ)
    assert survivor != merged
    before = await resident_row(resolved, survivor)
    merged_home = (await resident_row(resolved, merged)).household_id
    assert merged_home is not None

    assert await merge_residents(resolved, survivor, merged, "cadre-1", "same woman") == survivor

    assert await records_of(resolved, survivor) == {CHEN_ID, CHEN_WJ}
    assert (await resident_row(resolved, merged)).merged_into_id == survivor
    after = await resident_row(resolved, survivor)
    assert after.version == before.version + 1
    assert after.provenance["id_number"]["source"] == "ga"
    assert after.provenance["phone"]["source"] == "wj"  # the most recent phone wins
    [link] = await rows(resolved, ManualLink)
    assert (link.kind, link.actor, link.reason) == (LinkKind.MUST, "cadre-1", "same woman")
    assert {(link.left_source, link.left_source_id), (link.right_source, link.right_source_id)} == {
        CHEN_ID,
        CHEN_WJ,
    }
    edges = await rows(resolved, MatchEdge, MatchEdge.resident_id == survivor)
    assert [(e.manual, e.explanation) for e in edges] == [(True, [])]
    [event] = await rows(resolved, IdentityEvent, IdentityEvent.actor == "cadre-1")
    assert (event.kind, event.resident_id, event.other_id) == (EventKind.MERGED, survivor, merged)
    members = await rows(resolved, HouseholdMember, HouseholdMember.resident_id == merged)
    assert members == [] and (await resident_row(resolved, merged)).household_id is None
    assert await rows(resolved, Household, Household.id == merged_home) == []  # left empty


async def test_a_survivor_without_a_household_takes_the_merged_ones_place(
    resolved: AsyncEngine,
) -> None:
    survivor, merged = await resident_of(resolved, CHEN_WJ), await resident_of(resolved, CHEN_ID)
    home = (await resident_row(resolved, merged)).household_id
    async with resolved.begin() as conn:
        await conn.execute(delete(HouseholdMember).where(HouseholdMember.resident_id == survivor))

    await merge_residents(resolved, survivor, merged, "cadre-1", "same woman")

    [member] = await rows(resolved, HouseholdMember, HouseholdMember.resident_id == survivor)
    assert (member.household_id, member.relation) == (home, "户主")
    assert (await resident_row(resolved, survivor)).household_id == home
    [household] = await rows(resolved, Household, Household.id == home)
    assert household.head_resident_id == survivor


async def test_a_value_entered_for_a_resident_without_records_changes_only_that_field(
    resolved: AsyncEngine,
) -> None:
    zhao = await resident_row(resolved, await resident_of(resolved, ("ga", "g5")))
    async with resolved.begin() as conn:  # as if entered by hand: no department holds it
        await conn.execute(update(SourceRecord).values(resident_id=None).where(
            SourceRecord.resident_id == zhao.id))  # fmt: skip

    await set_resident_value(resolved, zhao.id, "phone", "13987654321", "cadre-4")

    after = await resident_row(resolved, zhao.id)
    assert (after.phone, after.provenance["phone"]["cadre"]) == ("13987654321", "cadre-4")
    kept = ("name", "id_number", "gender", "birth_date", "residence_address", "grid_id")
    assert [getattr(after, c) for c in kept] == [getattr(zhao, c) for c in kept]
    assert after.provenance["name"] == zhao.provenance["name"]


async def test_a_later_run_respects_the_manual_merge(resolved: AsyncEngine) -> None:
    survivor, merged = await resident_of(resolved, CHEN_ID), await resident_of(resolved, CHEN_WJ)
    await merge_residents(resolved, survivor, merged, "cadre-1", "same woman")

    summary = await resolve_store(resolved)

    assert (summary.split, summary.created, summary.records_moved) == (0, 0, 0)
    assert await records_of(resolved, survivor) == {CHEN_ID, CHEN_WJ}
    assert (await resident_row(resolved, merged)).merged_into_id == survivor


async def test_residents_merged_into_the_merged_one_follow_it(resolved: AsyncEngine) -> None:
    chen, chen_wj, zhao = [await resident_of(resolved, k) for k in (CHEN_ID, CHEN_WJ, ("ga", "g5"))]
    await merge_residents(resolved, chen_wj, chen, "cadre-1", "same woman")
    await merge_residents(resolved, zhao, chen_wj, "cadre-1", "a test of redirects")

    assert (await resident_row(resolved, chen)).merged_into_id == zhao
    assert (await resident_row(resolved, chen_wj)).merged_into_id == zhao


async def test_a_merge_that_cannot_be_applied_says_why(resolved: AsyncEngine) -> None:
    chen, chen_wj = await resident_of(resolved, CHEN_ID), await resident_of(resolved, CHEN_WJ)
    with pytest.raises(DecisionError, match="with itself"):
        await merge_residents(resolved, chen, chen, "cadre-1", "why not")
    with pytest.raises(NotFoundError, match="No resident 999999"):
        await merge_residents(resolved, chen, 999999, "cadre-1", "why not")
    with pytest.raises(DecisionError, match="reason"):
        await merge_residents(resolved, chen, chen_wj, "cadre-1", "  ")
    await merge_residents(resolved, chen, chen_wj, "cadre-1", "same woman")
    with pytest.raises(DecisionError, match=f"merged into resident {chen}"):
        await merge_residents(resolved, chen_wj, chen, "cadre-1", "again")
    assert len(await rows(resolved, ManualLink)) == 1  # the failed ones left nothing


async def test_a_split_makes_a_new_resident_of_the_records(resolved: AsyncEngine) -> None:
    zhang = await resident_of(resolved, ZHANG[0])
    wj = await record_id(resolved, ZHANG[2])
    assert len(await rows(resolved, MatchEdge, MatchEdge.resident_id == zhang)) == 2

    new = await split_resident(resolved, zhang, [wj], "cadre-2", "a namesake")

    assert await records_of(resolved, zhang) == set(ZHANG[:2])
    assert await records_of(resolved, new) == {ZHANG[2]}
    original, split_off = await resident_row(resolved, zhang), await resident_row(resolved, new)
    assert original.provenance["phone"]["source"] != "wj"
    assert (split_off.name, split_off.id_number, split_off.merged_into_id) == ("张伟", None, None)
    links = await rows(resolved, ManualLink)
    assert {link.kind for link in links} == {LinkKind.CANNOT} and len(links) == 2
    remaining = await rows(resolved, MatchEdge, MatchEdge.resident_id == zhang)
    assert all(wj not in (e.left_record_id, e.right_record_id) for e in remaining)
    assert len(remaining) == 1
    [event] = await rows(resolved, IdentityEvent, IdentityEvent.actor == "cadre-2")
    assert (event.kind, event.resident_id, event.other_id) == (EventKind.SPLIT, zhang, new)


async def test_a_later_run_respects_the_split(resolved: AsyncEngine) -> None:
    zhang = await resident_of(resolved, ZHANG[0])
    new = await split_resident(resolved, zhang, [await record_id(resolved, ZHANG[2])], "c", "two")

    summary = await resolve_store(resolved)

    assert (summary.merged, summary.created, summary.records_moved) == (0, 0, 0)
    assert await records_of(resolved, zhang) == set(ZHANG[:2])
    assert await records_of(resolved, new) == {ZHANG[2]}


async def test_a_merge_after_a_split_replaces_its_links(resolved: AsyncEngine) -> None:
    zhang = await resident_of(resolved, ZHANG[0])
    new = await split_resident(resolved, zhang, [await record_id(resolved, ZHANG[2])], "c", "two")

    await merge_residents(resolved, zhang, new, "c", "one after all")
    await resolve_store(resolved)

    assert [link.kind for link in await rows(resolved, ManualLink)] == [LinkKind.MUST]
    assert await records_of(resolved, zhang) == set(ZHANG)


async def test_a_split_that_cannot_be_applied_says_why(resolved: AsyncEngine) -> None:
    zhang = await resident_of(resolved, ZHANG[0])
    own = [await record_id(resolved, key) for key in ZHANG]
    with pytest.raises(DecisionError, match="not all of them"):
        await split_resident(resolved, zhang, own, "c", "all")
    with pytest.raises(DecisionError, match="does not belong"):
        await split_resident(resolved, zhang, [await record_id(resolved, CHEN_ID)], "c", "x")
    with pytest.raises(NotFoundError, match="No source record 999999"):
        await split_resident(resolved, zhang, [999999], "c", "x")
    with pytest.raises(DecisionError, match="at least one"):
        await split_resident(resolved, zhang, [], "c", "x")
    assert await records_of(resolved, zhang) == set(ZHANG)


async def test_one_person_in_review_merges_the_two_residents(resolved: AsyncEngine) -> None:
    chen, chen_wj = await resident_of(resolved, CHEN_ID), await resident_of(resolved, CHEN_WJ)
    pair = await open_review(resolved, CHEN_WJ, CHEN_ID)

    outcome = await decide_review(resolved, pair, True, "cadre-3", "she moved")

    assert outcome.residents == (min(chen, chen_wj), max(chen, chen_wj))
    assert await records_of(resolved, min(chen, chen_wj)) == {CHEN_ID, CHEN_WJ}
    [row] = await rows(resolved, ReviewPair)
    assert (row.status, row.decided_by) == (ReviewStatus.SAME, "cadre-3")
    assert row.decided_at is not None
    assert [link.kind for link in await rows(resolved, ManualLink)] == [LinkKind.MUST]
    with pytest.raises(DecisionError, match="already decided"):
        await decide_review(resolved, pair, False, "cadre-3", "changed my mind")


async def test_two_people_in_review_split_the_right_record_off(resolved: AsyncEngine) -> None:
    zhang = await resident_of(resolved, ZHANG[0])
    pair = await open_review(resolved, ZHANG[0], ZHANG[2])

    outcome = await decide_review(resolved, pair, False, "cadre-3", "namesakes")

    assert outcome.residents[0] == zhang and len(outcome.residents) == 2
    assert await records_of(resolved, outcome.residents[1]) == {ZHANG[2]}
    [row] = await rows(resolved, ReviewPair)
    assert row.status is ReviewStatus.DIFFERENT


async def test_an_answer_the_residents_already_follow_is_only_kept(resolved: AsyncEngine) -> None:
    chen, chen_wj = await resident_of(resolved, CHEN_ID), await resident_of(resolved, CHEN_WJ)
    pair = await open_review(resolved, CHEN_ID, CHEN_WJ)

    outcome = await decide_review(resolved, pair, False, "cadre-3", "two women")

    assert outcome.residents == tuple(sorted((chen, chen_wj)))
    assert [link.kind for link in await rows(resolved, ManualLink)] == [LinkKind.CANNOT]
    assert await records_of(resolved, chen) == {CHEN_ID}
    with pytest.raises(NotFoundError, match="No review pair 999999"):
        await decide_review(resolved, 999999, True, "cadre-3", "x")


async def test_a_cadre_value_survives_a_rerun_until_the_source_changes(
    resolved: AsyncEngine,
) -> None:
    zhang = await resident_of(resolved, ZHANG[0])
    version = (await resident_row(resolved, zhang)).version

    await set_resident_value(resolved, zhang, "phone", "13987654321", "cadre-4")

    row = await resident_row(resolved, zhang)
    assert (row.phone, row.provenance["phone"]["cadre"], row.version) == (
        "13987654321",
        "cadre-4",
        version + 1,
    )
    [value] = await rows(resolved, ResidentValue)
    assert (value.field, value.value, value.entered_by) == ("phone", "13987654321", "cadre-4")

    await resolve_store(resolved)
    assert (await resident_row(resolved, zhang)).phone == "13987654321"

    await restage(resolved, ZHANG[2], phone="13711112222")
    await resolve_store(resolved)
    row = await resident_row(resolved, zhang)
    assert row.phone == "13711112222" and row.provenance["phone"]["source"] == "wj"


async def test_a_value_that_cannot_be_set_says_why(resolved: AsyncEngine) -> None:
    zhang = await resident_of(resolved, ZHANG[0])
    with pytest.raises(DecisionError, match="Unknown field 'grid'"):
        await set_resident_value(resolved, zhang, "grid", "x", "c")
    with pytest.raises(DecisionError, match="not a usable phone"):
        await set_resident_value(resolved, zhang, "phone", "call me", "c")
    with pytest.raises(NotFoundError):
        await set_resident_value(resolved, 999999, "phone", "13987654321", "c")
    row = await resident_row(resolved, zhang)
    assert (row.id_number, await rows(resolved, ResidentValue)) == (ZHANG_WEI, [])
