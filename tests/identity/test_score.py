"""Fellegi-Sunter weights: EM on unlabelled pairs, term frequencies, the model file."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from identity import RawRecord, normalize_record
from identity.block import block
from identity.compare import compare, default_comparisons
from identity.em import random_pairs, train
from identity.frame import Frame, build_frame
from identity.score import Model, match_weights, probabilities
from identity.settings import Settings
from tests.identity.noisy import noisy_records

TODAY = date(2024, 12, 31)
SETTINGS = Settings(today=TODAY, random_pairs=300_000)


@pytest.fixture(scope="module")
def trained() -> tuple[Model, Frame]:
    records = [normalize_record(noisy.raw, TODAY) for noisy in noisy_records(1500, seed=5)]
    frame = build_frame(records)
    candidates = block(frame, SETTINGS.blocking_rules)
    levels = compare(frame, SETTINGS.comparisons, candidates.left, candidates.right)
    return train(frame, SETTINGS.comparisons, levels, SETTINGS), frame


def weight(model: Model, comparison: str, level: str) -> float:
    fitted = next(c for c in model.comparisons if c.name == comparison)
    return float(fitted.weights()[fitted.levels.index(level)])


def test_em_converges_to_weights_that_order_the_levels(trained: tuple[Model, Frame]) -> None:
    model, _ = trained
    assert model.training.trained and model.training.em_converged
    assert 0 < model.training.em_iterations < SETTINGS.em_max_iterations
    assert weight(model, "id_number", "exact") > weight(model, "id_number", "one_off") > 5
    assert weight(model, "id_number", "different_valid") < -15
    assert weight(model, "name", "exact") > weight(model, "name", "pinyin") > 5
    assert weight(model, "name", "different") < -5
    assert weight(model, "birth_date", "exact") > 10 > 0 > weight(model, "birth_date", "different")
    assert weight(model, "household", "phone_and_dwelling") > weight(
        model, "household", "community"
    )
    assert weight(model, "gender", "different") < -5
    assert 0.3 < model.matches_per_record < 1.5  # about 1.6 records per person


def test_u_comes_from_random_pairs_not_from_the_candidates(trained: tuple[Model, Frame]) -> None:
    model, _ = trained
    gender = next(c for c in model.comparisons if c.name == "gender")
    assert gender.u == pytest.approx((0.5, 0.5), abs=0.02)  # random pairs: half agree


def test_the_saved_model_reloads_identically(trained: tuple[Model, Frame], tmp_path: Path) -> None:
    model, _ = trained
    path = tmp_path / "model.json"
    model.save(path)
    assert Model.load(path) == model
    document = json.loads(path.read_text(encoding="utf-8"))
    levels = document["comparisons"][0]["levels"]
    assert [level["label"] for level in levels][:2] == ["exact", "exact_unconfirmed"]
    assert levels[0]["weight"] == pytest.approx(
        math.log2(levels[0]["m"] / levels[0]["u"]), abs=1e-3
    )


def test_the_table_lists_every_level(trained: tuple[Model, Frame]) -> None:
    model, _ = trained
    table = model.table()
    for comparison in model.comparisons:
        for label in comparison.levels[1:]:
            assert f"{comparison.name:<12} {label:<20}" in table


def test_a_model_refuses_other_comparisons_and_files(
    trained: tuple[Model, Frame], tmp_path: Path
) -> None:
    model, _ = trained
    with pytest.raises(ValueError, match="model compares"):
        model.check(default_comparisons()[:3])
    (tmp_path / "bad.json").write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="format"):
        Model.load(tmp_path / "bad.json")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="not a model file"):
        Model.load(tmp_path / "broken.json")


def pair_weight(model: Model, first: RawRecord, second: RawRecord, population: Frame) -> float:
    """The weight of a pair scored inside ``population`` (so term frequencies are real)."""
    records = [normalize_record(first, TODAY), normalize_record(second, TODAY)]
    frame = build_frame(records)
    extra = build_frame(records * 40)  # the pair's names are common in this population
    del extra
    left, right = np.array([0]), np.array([1])
    levels = compare(frame, SETTINGS.comparisons, left, right)
    return float(match_weights(model, SETTINGS.comparisons, frame, left, right, levels)[0])


def test_a_common_name_agreeing_weighs_less_than_a_rare_one(trained: tuple[Model, Frame]) -> None:
    model, _ = trained
    names = ["王伟"] * 30 + ["欧阳锋"] * 2 + [f"李{chr(0x4E00 + 97 * i)}" for i in range(28)]
    records = [RawRecord(source="ga", source_id=str(i), name=name) for i, name in enumerate(names)]
    frame = build_frame([normalize_record(record, TODAY) for record in records])
    left, right = np.array([0, 30]), np.array([1, 31])
    levels = compare(frame, SETTINGS.comparisons, left, right)
    name = [c.name for c in SETTINGS.comparisons].index("name")
    assert levels[:, name].tolist() == [1, 1]  # both exact
    weights = match_weights(model, SETTINGS.comparisons, frame, left, right, levels)
    assert weights[1] - weights[0] == pytest.approx(math.log2(30 / 2))


def test_probabilities_follow_the_weights() -> None:
    chances = probabilities(np.array([-100.0, 0.0, 1.0, 100.0]))
    assert chances.tolist() == pytest.approx([0.0, 0.5, 2 / 3, 1.0])


def test_an_untrained_model_works_on_a_handful_of_records() -> None:
    model = Model.untrained(default_comparisons())
    assert not model.training.trained and model.prior(10) == pytest.approx(0.6 / 9)


def test_random_pairs_are_distinct_records() -> None:
    left, right = random_pairs(1000, 5000, seed=1)
    assert len(left) == 5000 and (left != right).all()
    left, right = random_pairs(10, 5000, seed=1)
    assert len(left) == 45  # every pair, when there are fewer than asked for
