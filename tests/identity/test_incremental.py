"""Incremental matching: held-out records of a labelled population against the rest."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pytest

from identity import Matcher, RawRecord
from identity.idnumber import check_character
from identity.incremental import DIFFERENT_IDS, LINK, NEW, REVIEW
from identity.labelled import LabelledRecord, generate
from identity.pipeline import Resolution, resolve
from identity.review import UNCERTAIN
from identity.settings import Settings

SETTINGS = Settings(today=date(2026, 11, 30))
PERSONS, SEED = 1500, 11


@dataclass(frozen=True)
class World:
    """A labelled population resolved without its held-out records, and its matcher."""

    rest: list[LabelledRecord]
    held: list[LabelledRecord]
    records: list[RawRecord]
    resolution: Resolution
    matcher: Matcher
    clusters: dict[str, set[str]]  # truth -> clusters holding its records in ``rest``


def _world(labelled: list[LabelledRecord], held_out: set[int]) -> World:
    rest = [r for i, r in enumerate(labelled) if i not in held_out]
    held = [r for i, r in enumerate(labelled) if i in held_out]
    records = [r.raw() for r in rest]
    resolution = resolve(records, SETTINGS)
    clusters: dict[str, set[str]] = defaultdict(set)
    for record, cluster in zip(rest, resolution.cluster_ids, strict=True):
        clusters[record.truth].add(cluster)
    matcher = Matcher.from_resolution(records, resolution, SETTINGS)
    return World(rest, held, records, resolution, matcher, clusters)


@pytest.fixture(scope="module")
def labelled() -> list[LabelledRecord]:
    return list(generate(PERSONS, seed=SEED))


@pytest.fixture(scope="module")
def world(labelled: list[LabelledRecord]) -> World:
    """Every tenth record held out, and all records of every twentieth person."""
    persons = {
        truth: number for number, truth in enumerate(dict.fromkeys(r.truth for r in labelled))
    }
    return _world(
        labelled,
        {i for i, r in enumerate(labelled) if i % 10 == 3 or persons[r.truth] % 20 == 0},
    )


def test_held_out_records_find_their_persons(world: World) -> None:
    # Given records held out of the resolution whose persons have other records in it
    known = [r for r in world.held if r.truth in world.clusters]
    assert len(known) > 250
    # When each is matched
    matches = [world.matcher.match(r.raw()) for r in known]
    # Then their person comes first nearly always, and is linked nearly always
    first = sum(
        bool(m.candidates) and m.candidates[0].person in world.clusters[r.truth]
        for r, m in zip(known, matches, strict=True)
    )
    linked = sum(
        m.decision == LINK and m.person in world.clusters[r.truth]
        for r, m in zip(known, matches, strict=True)
    )
    wrong = sum(
        m.decision == LINK and m.person not in world.clusters[r.truth]
        for r, m in zip(known, matches, strict=True)
    )
    assert first / len(known) >= 0.99
    assert linked / len(known) >= 0.97
    assert wrong == 0


def test_records_of_new_persons_come_back_new(world: World) -> None:
    # Given held-out records of persons with no record in the resolution
    unknown = [r for r in world.held if r.truth not in world.clusters]
    assert len(unknown) > 20
    # When matched, then they are new (their family may be candidates, never linked)
    decisions = [world.matcher.match(r.raw()).decision for r in unknown]
    assert LINK not in decisions
    assert decisions.count(NEW) / len(decisions) >= 0.95


def test_a_twin_or_namesake_is_not_linked(labelled: list[LabelledRecord]) -> None:
    # Given one of each pair of twins and of namesakes held out entirely
    pairs: dict[str, list[str]] = defaultdict(list)
    for record in labelled:
        for case in record.cases.split(";"):
            group = f"twin:{record.truth_household}" if case == "twin" else case
            if group.startswith(("twin:", "namesake:")) and record.truth not in pairs[group]:
                pairs[group].append(record.truth)
    partners = {truths[1]: truths[0] for truths in pairs.values() if len(truths) == 2}
    assert len(partners) >= 3
    held = {i for i, r in enumerate(labelled) if r.truth in partners}
    world = _world(labelled, held)
    # When their records are matched
    checked = 0
    for record in world.held:
        match = world.matcher.match(record.raw())
        other = world.clusters[partners[record.truth]]
        # Then the other twin or namesake is never linked, though often a candidate
        assert not (match.decision == LINK and match.person in other), record
        checked += any(c.person in other for c in match.candidates)
    assert checked >= 3


def test_garbage_and_empty_records_are_new(world: World) -> None:
    garbage = [
        RawRecord(None, None),
        RawRecord("", "", "", "", "", "", "", "", ""),
        RawRecord(["x"], {"a": 1}, 3.5, True, 1, b"1980", 12345678901, ["addr"], 7),
        RawRecord("cl", "X1", "无", "000000000000000000", "-", "不详", "00000000000", "无"),
    ]
    for record in garbage:
        match = world.matcher.match(record)
        assert match.decision == NEW and match.person is None, record


def test_incremental_probabilities_equal_the_batch(world: World) -> None:
    # Given the batch's probability of every candidate pair
    resolution = world.resolution
    left, right = resolution.candidates.left.tolist(), resolution.candidates.right.tolist()
    pairs = zip(left, right, strict=True)
    batch = dict(zip(pairs, resolution.probabilities.tolist(), strict=True))
    # When records of the resolution are matched again, as if they came last
    compared = 0
    for position in range(0, len(world.records), 3):
        match = world.matcher.match(world.records[position])
        assert match.candidates[0].person == resolution.cluster_ids[position]
        for candidate in match.candidates:
            pair = (candidate.record_index, position)
            if pair in batch:
                # Then each pair the batch scored has exactly the batch's probability
                assert candidate.probability == batch[pair], pair
                compared += 1
    assert compared > 300


def test_lookups_find_the_pairs_the_batch_blocks(world: World) -> None:
    # Given the batch's candidate pairs, per record
    partners: dict[int, set[int]] = defaultdict(set)
    for a, b in zip(
        world.resolution.candidates.left.tolist(),
        world.resolution.candidates.right.tolist(),
        strict=True,
    ):
        partners[a].add(b)
        partners[b].add(a)
    index = world.matcher.index
    # When each record looks up its candidates, then it finds exactly those and itself
    for position in range(0, len(world.records), 2):
        new = index.normalise(world.records[position])
        found = set(index.candidates(new, SETTINGS.max_block_size).tolist())
        assert found == partners[position] | {position}, position


def test_an_added_record_is_found(world: World, labelled: list[LabelledRecord]) -> None:
    # Given a matcher, and two records of a person it does not know
    matcher = Matcher.from_resolution(world.records, world.resolution, SETTINGS)
    first = next(r for r in world.held if r.truth not in world.clusters and r.id_number)
    second = replace(first, source="wj", source_id="wj-new-1", phone="", address="")
    assert matcher.match(second.raw()).decision == NEW
    # When the first joins a new person
    matcher.add(first.raw(), "p-new")
    # Then the second finds it, and links to that person
    match = matcher.match(second.raw())
    assert len(matcher) == len(world.records) + 1
    assert match.decision == LINK and match.person == "p-new"
    assert match.candidates[0].record == (first.source, first.source_id)
    assert match.candidates[0].record_index == len(world.records)


def test_a_link_to_a_person_with_another_valid_id_goes_to_review(world: World) -> None:
    # Given a person whose 公安 record holds a valid ID and whose 卫健 record holds none
    def valid(area: str, born: str, sequence: int) -> str:
        first17 = f"{area}{born}{sequence:03d}"
        return first17 + check_character(first17)

    person = {
        "name": "欧阳修远", "gender": "男", "birth_date": "1961-04-12", "phone": "13907240001",
        "address": "荆门市东宝区龙泉街道杨湾社区12栋3单元402室",
    }  # fmt: skip
    ga = RawRecord("ga", "GA-T1", id_number=valid("420802", "19610412", 17), **person)
    wj = RawRecord("wj", "wj-T1", **person)
    matcher = Matcher(
        [*world.records, ga, wj], [*world.resolution.cluster_ids, "p-ouyang", "p-ouyang"],
        world.resolution.model, SETTINGS,
    )  # fmt: skip
    # When a record agreeing in everything but a different valid ID arrives
    other = RawRecord("mz", "MZ-T1", id_number=valid("420802", "19610412", 35), **person)
    match = matcher.match(other)
    # Then the 卫健 record alone would link it, but the person holds another valid ID
    assert match.candidates[0].record == ("wj", "wj-T1")
    assert match.candidates[0].probability >= SETTINGS.link_threshold
    assert (match.decision, match.person, match.reason) == (REVIEW, "p-ouyang", DIFFERENT_IDS)
    # while the same record with the person's own number links
    same = matcher.match(replace(other, id_number=ga.id_number))
    assert (same.decision, same.person) == (LINK, "p-ouyang")


def test_doubtful_matches_go_to_review_with_their_reasons(world: World) -> None:
    # Given a held-out record with its name and ID removed: only household evidence left
    record = next(r for r in world.held if r.truth in world.clusters and r.phone and r.address)
    bare = replace(record, name="", id_number="", birth_date="", gender="")
    match = world.matcher.match(bare.raw())
    # Then it is not linked on that alone, and every candidate explains itself
    assert match.decision != LINK
    if match.decision == REVIEW:
        assert match.reason == UNCERTAIN
    for candidate in match.candidates:
        names = [c.comparison for c in candidate.explanation]
        assert names == [c.name for c in SETTINGS.comparisons]
        prior = world.resolution.model.prior(len(world.records))
        total = sum(c.weight for c in candidate.explanation) + np.log2(prior / (1 - prior))
        assert candidate.match_weight == pytest.approx(total, abs=0.01)
    strengths = [c.probability for c in match.candidates]
    assert strengths == sorted(strengths, reverse=True)


def test_the_batch_frame_saves_normalising_and_changes_nothing(world: World) -> None:
    # Given a matcher built from the resolution (its frame reused) and one built anew
    resolution = world.resolution
    anew = Matcher(world.records, resolution.cluster_ids, resolution.model, SETTINGS)
    assert "normalise" in anew.index.seconds
    assert "normalise" not in world.matcher.index.seconds
    # When both match the same records, then they answer alike
    for record in world.held[::5]:
        assert anew.match(record.raw()) == world.matcher.match(record.raw())


def test_inconsistent_inputs_are_refused(world: World) -> None:
    resolution = world.resolution
    with pytest.raises(ValueError, match="records but"):
        Matcher(world.records, resolution.cluster_ids[:-1], resolution.model)
    with pytest.raises(ValueError, match="a frame of"):
        Matcher(world.records[1:], resolution.cluster_ids[1:], resolution.model,
                SETTINGS, resolution.frame)  # fmt: skip
    fewer = Settings(today=SETTINGS.today, comparisons=SETTINGS.comparisons[:-1])
    with pytest.raises(ValueError, match="compares"):
        Matcher(world.records, resolution.cluster_ids, resolution.model, fewer)
