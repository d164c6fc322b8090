"""The lessons in resources/lessons/: well-formed, bilingual, loadable, runnable, and true.

A teacher reads each lesson's explanation to a class, so the numbers it states are checked here
against the app's own training code (the slow tests at the end).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from gradlab.core.analysis import analyse
from gradlab.core.config import GROUPS, OPTIMIZERS, Config
from gradlab.core.data import make_dataset
from gradlab.core.features import feature_matrix
from gradlab.resources import resource_path

LESSON_DIR = resource_path("lessons")
LESSON_FILES = sorted(LESSON_DIR.glob("*.json"))
EXPECTED = (
    "01-chapter-numpy-by-hand",
    "02-chapter-autograd",
    "03-chapter-nn-rmsprop",
    "04-learning-rate-too-large",
    "05-rmsprop-larger-lr",
    "06-compare-optimizers",
    "07-powers-vs-legendre",
    "08-overfitting-degree-9",
    "09-l1-vs-squared-outliers",
    "10-write-your-own-backward",
    "11-loss-explorer",
    "12-float32-vs-float64",
    "13-computation-graph",
    "14-network-three-tanh-units",
    "15-relu-builds-from-kinks",
    "16-zero-init-never-breaks-symmetry",
    "17-wider-or-deeper",
    "18-network-extrapolates-badly",
)
TOP_KEYS = {"format", "kind", "title", "explanation", "questions", "locked", "hidden",
            "compare_optimizers", "config"}  # fmt: skip
REQUIRED_KEYS = {"format", "kind", "title", "explanation", "questions", "config"}
LANGUAGES = ("en", "zh")
HANZI = re.compile(r"[\u4e00-\u9fff]")


def read(name: str) -> dict:
    return json.loads((LESSON_DIR / f"{name}.json").read_text(encoding="utf-8"))


def config_of(document: dict) -> Config:
    """Build the Config straight from the JSON, independently of the lesson loader."""
    raw = document["config"]
    groups = {}
    for group, cls in GROUPS.items():
        values = dict(raw.get(group, {}))
        if "init_values" in values:
            values["init_values"] = tuple(values["init_values"])
        groups[group] = cls(**values)
    return Config(**groups, seed=raw.get("seed", 0))


def test_every_planned_lesson_ships():
    assert [p.stem for p in LESSON_FILES] == list(EXPECTED)


# ---- schema -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_lesson_matches_the_version_1_schema(path: Path):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert REQUIRED_KEYS <= set(document) <= TOP_KEYS
    assert document["format"] == 1
    assert document["kind"] == "gradlab-lesson"
    config = document["config"]
    assert set(config) <= {*GROUPS, "seed"}
    for group, values in config.items():
        if group != "seed":
            assert set(values) <= {f.name for f in fields(GROUPS[group])}, group
    config_of(document)  # validates every value
    paths = {*GROUPS, *(f"{g}.{f.name}" for g, cls in GROUPS.items() for f in fields(cls))}
    assert set(document.get("locked", [])) <= paths
    assert set(document.get("hidden", [])) <= paths
    assert set(document.get("compare_optimizers", [])) <= set(OPTIMIZERS)


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_lesson_texts_are_in_english_and_chinese(path: Path):
    document = json.loads(path.read_text(encoding="utf-8"))
    texts = [document["title"], document["explanation"], *document["questions"]]
    assert 2 <= len(document["questions"]) <= 4
    for text in texts:
        assert set(text) == set(LANGUAGES)
        assert all(isinstance(text[lang], str) and text[lang].strip() for lang in LANGUAGES)
        assert HANZI.search(text["zh"]), f"not Chinese: {text['zh']!r}"
        assert not HANZI.search(text["en"]), f"Chinese in the English text: {text['en']!r}"
    sentences = len(re.findall(r"[.!?](?:\s|$)", document["explanation"]["en"]))
    assert 3 <= sentences <= 7, f"{sentences} sentences in the explanation"


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_load_lesson_accepts_every_shipped_lesson(path: Path):
    from gradlab.core.lesson import load_lesson

    lesson = load_lesson(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert lesson.config == config_of(document)
    assert lesson.title["zh"] == document["title"]["zh"]
    assert len(lesson.questions) == len(document["questions"])


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_every_lesson_runs_50_steps_headless(path: Path):
    from gradlab.core.session import TrainingSession

    document = json.loads(path.read_text(encoding="utf-8"))
    config = config_of(document)
    for name in document.get("compare_optimizers") or [config.optimizer.name]:
        session = TrainingSession(config.with_changes(**{"optimizer.name": name}))
        assert session.advance(50) == 50
        assert session.status == "running"
        assert math.isfinite(session.current_loss())


# ---- what the texts claim, from the analysis alone (fast) --------------------------------


def test_chapter_numbers_quoted_in_the_lessons():
    analysis = analysis_of("01-chapter-numpy-by-hand")
    assert analysis.optimum_loss == pytest.approx(8.817, abs=5e-4)
    assert analysis.max_stable_lr == pytest.approx(3.558e-6, rel=1e-3)
    assert analysis.hessian_eigenvalues[-1] == pytest.approx(562_122, rel=1e-5)
    assert config_of(read("01-chapter-numpy-by-hand")).training.lr < analysis.max_stable_lr
    assert config_of(read("04-learning-rate-too-large")).training.lr > analysis.max_stable_lr
    assert 1 - 4e-6 * analysis.hessian_eigenvalues[-1] == pytest.approx(-1.25, abs=0.005)
    mean = analysis_of("03-chapter-nn-rmsprop")
    assert mean.optimum_loss == pytest.approx(0.00441, abs=5e-6)
    assert mean.max_stable_lr == pytest.approx(0.0071, abs=5e-5)


def test_legendre_numbers_quoted_in_lesson_07():
    legendre = analysis_of("07-powers-vs-legendre")
    power = analysis_of("07-powers-vs-legendre", **{"model.basis": "power"})
    assert legendre.max_stable_lr == pytest.approx(1.0, abs=1e-3)
    assert legendre.condition_number == pytest.approx(7, abs=0.1)
    assert legendre.hessian_eigenvalues[0] == pytest.approx(0.29, abs=0.005)
    assert power.max_stable_lr == pytest.approx(2 / 281, rel=1e-3)
    assert power.condition_number == pytest.approx(325, abs=1)
    lr = config_of(read("07-powers-vs-legendre")).training.lr
    assert power.max_stable_lr < lr < legendre.max_stable_lr
    assert legendre.optimum_loss == pytest.approx(power.optimum_loss, rel=1e-9)


def test_lesson_08_overfits_at_its_optimum():
    config = config_of(read("08-overfitting-degree-9"))
    dataset = make_dataset(config)
    assert (dataset.x.size, dataset.x_val.size) == (21, 9)
    assert dataset.x_val.min() < dataset.x.min()  # the x = −π point lies beyond the training set
    nine = analyse(config, dataset)
    three = analyse(config.with_changes(**{"model.degree": 3}), dataset)
    assert nine.optimum_loss < three.optimum_loss
    assert nine.optimum_val_loss > 5 * three.optimum_val_loss


def test_feature_scaling_used_in_the_texts():
    """Lesson 04 and 07 say x³ reaches 31 at x = π."""
    assert feature_matrix(np.array([math.pi]), 3, "power", -math.pi, math.pi)[0, 3] == (
        pytest.approx(31, abs=0.01)
    )


# ---- what the texts claim, from real training runs (slow) ---------------------------------


@pytest.mark.slow
def test_lessons_01_to_03_reproduce_the_chapter():
    numpy_run = run("01-chapter-numpy-by-hand")
    optimum = numpy_run.analysis.optimum_loss
    history = numpy_run.drain()
    assert numpy_run.current_loss() == pytest.approx(optimum, abs=1e-6)
    assert 4000 <= first_step(history, history.loss - optimum < 1e-6) <= 6000
    a, b, c, d = numpy_run.coefficients
    assert max(abs(a), abs(c)) < 1e-6
    assert (b, d) == (pytest.approx(0.857, abs=5e-4), pytest.approx(-0.0933, abs=5e-5))

    autograd = run("02-chapter-autograd")
    assert 1.01 < autograd.current_loss() / optimum < 1.035  # "about 2% above", as in the chapter

    rmsprop = run("03-chapter-nn-rmsprop")
    start = config_start("03-chapter-nn-rmsprop")
    assert rmsprop.current_loss() > 10 * rmsprop.analysis.optimum_loss
    assert start[0] == pytest.approx(0.64, abs=0.005)
    assert abs(rmsprop.coefficients[0] - start[0]) == pytest.approx(0.2, abs=0.02)
    summed = run("03-chapter-nn-rmsprop", **{"training.reduction": "sum"})
    assert summed.current_loss() / rmsprop.current_loss() == pytest.approx(2000, rel=1e-3)
    assert np.allclose(summed.coefficients, rmsprop.coefficients, atol=1e-3)  # RMSprop: same fit


@pytest.mark.slow
def test_lesson_04_diverges_and_its_neighbours_behave_as_asked():
    session = run("04-learning-rate-too-large")
    assert session.status == "diverged"
    assert 1400 <= session.diverged_at <= 1800
    assert run("04-learning-rate-too-large", **{"training.lr": 3.5e-6}).status == "finished"
    slow = run("04-learning-rate-too-large", **{"training.lr": 3.6e-6, "training.steps": 20_000})
    assert slow.status == "diverged"


@pytest.mark.slow
def test_lessons_05_and_06_optimizers():
    session = run("05-rmsprop-larger-lr")
    optimum = session.analysis.optimum_loss
    history = session.drain()
    assert 700 <= first_step(history, history.loss < 1.01 * optimum) <= 1100
    assert 1.0 < session.current_loss() / optimum < 1.05
    assert max(abs(session.coefficients[0]), abs(session.coefficients[2])) < 0.005

    ratios, at_100 = {}, {}
    for name in read("06-compare-optimizers")["compare_optimizers"]:
        race = run("06-compare-optimizers", **{"optimizer.name": name})
        ratios[name] = race.current_loss() / optimum
        at_100[name] = race.drain().loss[99]
    assert ratios["sgd"] < 1.01
    assert ratios["adam"] < 1.001
    assert 1.1 < ratios["rmsprop"] < 1.5
    assert 10 < ratios["adagrad"] < 30
    assert min(at_100, key=at_100.get) == "rmsprop"
    bold = run("06-compare-optimizers", **{"training.lr": 0.01, "optimizer.name": "sgd"})
    assert bold.status == "diverged"


@pytest.mark.slow
def test_lessons_07_to_09_claims():
    legendre = run("07-powers-vs-legendre")
    history = legendre.drain()
    assert first_step(history, history.loss <= 1.001 * legendre.analysis.optimum_loss) <= 50
    assert run("07-powers-vs-legendre", **{"model.basis": "power"}).status == "diverged"

    overfit = run("08-overfitting-degree-9")
    history = overfit.drain()
    measured = ~np.isnan(history.val_loss)
    steps, val = history.steps[measured], history.val_loss[measured]
    best = int(np.argmax(val == val.min()))
    assert steps[best] <= 200
    assert val.min() == pytest.approx(0.11, abs=0.01)
    assert overfit.validation_loss() > 2
    assert overfit.current_loss() == pytest.approx(0.094, abs=0.001)
    x_val, y_val = overfit.dataset.x_val, overfit.dataset.y_val
    errors = (overfit.predict(x_val) - y_val) ** 2
    assert x_val[np.argmax(errors)] == pytest.approx(-math.pi)
    assert errors.max() > 0.5 * errors.sum()  # "most of the validation error"

    shifts = {}
    for loss in ("l1", "squared"):
        with_spikes = run("09-l1-vs-squared-outliers", **{"training.loss": loss})
        clean = run("09-l1-vs-squared-outliers", **{"training.loss": loss, "data.target": "sin"})
        grid = np.linspace(-math.pi, math.pi, 1001)
        shifts[loss] = np.abs(with_spikes.predict(grid) - clean.predict(grid)).max()
    assert shifts["l1"] < 0.05
    assert shifts["squared"] == pytest.approx(0.5, abs=0.05)


# ---- helpers ------------------------------------------------------------------------------


def analysis_of(name: str, **changes: object):
    config = config_of(read(name)).with_changes(**changes)
    return analyse(config, make_dataset(config))


def run(name: str, **changes: object):
    from gradlab.core.session import TrainingSession

    session = TrainingSession(config_of(read(name)).with_changes(**changes))
    session.advance(session.total_steps)
    return session


def config_start(name: str) -> np.ndarray:
    from gradlab.core.session import TrainingSession

    return TrainingSession(config_of(read(name))).coefficients


def first_step(history, condition: np.ndarray) -> int:
    assert condition.any()
    return int(history.steps[np.argmax(condition)])


def test_lesson_10_a_flipped_sign_is_caught_by_gradcheck_and_the_four_way_check():
    pytest.importorskip("torch")
    from gradlab.core.compare import three_way_check
    from gradlab.core.methods.torch_function import run_gradcheck
    from gradlab.core.session import TrainingSession

    config = config_of(read("10-write-your-own-backward"))
    assert config.training.method == "torch-function"
    assert not config.training.flip_backward_sign  # the student breaks it, on purpose
    broken = config.with_changes(**{"training.flip_backward_sign": True})
    assert run_gradcheck(config).passed
    assert run_gradcheck(broken).wrong_coefficients == (1,)  # "b", as the question expects
    assert np.all(three_way_check(config, 5).relative_gradient_difference < 1e-12)
    assert three_way_check(broken, 5).relative_gradient_difference[0] > 0.1  # from step 1
    session = TrainingSession(config)
    session.advance(config.training.steps)
    assert session.current_loss() < 1.05 * 8.8172  # close to the optimum, as in lesson 2
    runaway = TrainingSession(broken)
    runaway.advance(config.training.steps)
    assert abs(runaway.coefficients[1]) > 10 and runaway.current_loss() > 1e4  # b runs away
