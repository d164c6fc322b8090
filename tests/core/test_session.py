"""TrainingSession: chunking, divergence, the chapter's run, controls, snapshots, rewind, drain."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from gradlab.core.config import Config, ConfigError
from gradlab.core.methods import PHASES
from gradlab.core.session import TrainingSession

CHAPTER = Config()  # listing 1: sin on 2000 points, cubic, numpy-manual, squared/sum, lr 1e-6


def config_with(**dotted: object) -> Config:
    return CHAPTER.with_changes(**dotted)


def run_in_chunks(config: Config, chunks: list[int]) -> TrainingSession:
    session = TrainingSession(config, snapshot_every=97)
    for chunk in chunks:
        session.advance(chunk)
    return session


def assert_same_history(a: TrainingSession, b: TrainingSession) -> None:
    np.testing.assert_array_equal(a.history.steps, b.history.steps)
    for name in ("loss", "val_loss", "coefficients", "grad_norm"):
        np.testing.assert_allclose(
            getattr(a.history, name), getattr(b.history, name), rtol=1e-12, atol=0
        )


CHUNKING_CASES = {
    "numpy-squared": {},
    "numpy-l1-validation": {"training.loss": "l1", "data.val_fraction": 0.2},
    "numpy-mini-batch": {"training.batch_size": 256},
    "numpy-float32": {"model.dtype": "float32"},
    "torch-autograd": {"training.method": "torch-autograd"},
    "torch-optim-adam": {
        "training.method": "torch-optim",
        "optimizer.name": "adam",
        "training.lr": 1e-2,
    },
}


@pytest.mark.parametrize("case", CHUNKING_CASES)
def test_any_chunking_gives_the_same_numbers(case: str) -> None:
    if case.startswith("torch"):
        pytest.importorskip("torch")
    steps = 700 if case.startswith("torch") else 3000
    config = config_with(**{"training.steps": steps, **CHUNKING_CASES[case]})
    whole = run_in_chunks(config, [steps])
    rng = np.random.default_rng(1)
    chunks = rng.integers(1, 300, size=steps).tolist()
    chunked = run_in_chunks(config, chunks)
    assert whole.step_count == chunked.step_count == steps
    assert_same_history(whole, chunked)
    np.testing.assert_array_equal(whole.coefficients, chunked.coefficients)


def test_mixing_single_steps_into_the_fast_path_stays_within_rounding() -> None:
    config = config_with(**{"training.steps": 2000})
    whole = run_in_chunks(config, [2000])
    mixed = TrainingSession(config)
    while not mixed.done:
        mixed.advance(333)
        if not mixed.done:
            mixed.step()
    scale = np.abs(whole.history.coefficients).max()
    np.testing.assert_allclose(mixed.history.loss, whole.history.loss, rtol=1e-12)
    np.testing.assert_allclose(
        mixed.history.coefficients, whole.history.coefficients, rtol=1e-12, atol=1e-12 * scale
    )


@pytest.mark.parametrize("chunks", [[10**6], [100] * 100, [1, 7, 500, 3, 1000, 10**6]])
def test_divergence_at_lr_4e_6(chunks: list[int]) -> None:
    session = run_in_chunks(config_with(**{"training.lr": 4e-6, "training.steps": 10**5}), chunks)
    assert session.status == "diverged" and session.done
    assert session.diverged_at is not None
    assert session.step_count == session.diverged_at - 1
    assert np.isfinite(session.coefficients).all()
    assert not np.isfinite(session.current_loss())  # the loss at them is the one that overflowed
    history = session.history
    assert history.last_step == session.diverged_at - 1
    assert np.isfinite(history.loss).all() and np.isfinite(history.coefficients).all()
    np.testing.assert_array_equal(history.coefficients[-1], session.coefficients)
    assert session.advance(10) == 0
    with pytest.raises(RuntimeError, match="diverged"):
        session.step()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_divergence_by_single_steps_matches_the_fast_path(dtype: str) -> None:
    config = config_with(**{"training.lr": 4e-6, "model.dtype": dtype})
    fast = run_in_chunks(config, [10**6])
    slow = TrainingSession(config)
    while not slow.done:
        slow.step()
    assert slow.diverged_at == fast.diverged_at is not None
    assert np.isfinite(slow.coefficients).all() and np.isfinite(fast.coefficients).all()
    np.testing.assert_allclose(slow.history.loss, fast.history.loss, rtol=1e-6)


def test_chapter_run_reaches_the_optimum() -> None:
    session = TrainingSession(CHAPTER)
    assert session.advance(10**9) == 200_000
    assert session.status == "finished"
    optimum = session.analysis.optimum_loss
    assert optimum == pytest.approx(8.81717, abs=5e-6)
    assert abs(session.current_loss() - optimum) <= 1e-9 * optimum
    assert abs(session.history.loss[-1] - optimum) <= 1e-9 * optimum
    np.testing.assert_allclose(
        session.coefficients, session.analysis.optimum_coefficients, rtol=1e-6, atol=1e-9
    )


@pytest.mark.parametrize("method", ["numpy-manual", "torch-autograd", "torch-optim"])
def test_learning_rate_change_applies_from_the_next_step(method: str) -> None:
    if method != "numpy-manual":
        pytest.importorskip("torch")
    config = config_with(**{"training.method": method, "optimizer.name": "sgd"})
    session = TrainingSession(config)
    session.advance(100)
    before = session.coefficients
    session.set_learning_rate(2e-6)
    assert session.config.training.lr == 2e-6
    record = session.step()
    residual = session.features @ before - session.dataset.y
    gradient = 2 * session.features.T @ residual
    np.testing.assert_allclose(record.gradients, gradient, rtol=1e-9)
    np.testing.assert_allclose(record.coefficients, before - 2e-6 * gradient, rtol=1e-12)
    session.advance(50)  # the fast path picks the new rate up too
    twin = TrainingSession(config)
    twin.advance(100)
    twin.set_learning_rate(2e-6)
    twin.advance(51)
    np.testing.assert_allclose(twin.coefficients, session.coefficients, rtol=1e-12)
    with pytest.raises(ConfigError, match="learning rate"):
        session.set_learning_rate(-1.0)


def test_optimizer_hyperparameters_change_mid_run() -> None:
    pytest.importorskip("torch")
    config = config_with(**{"training.method": "torch-optim", "optimizer.name": "sgd"})
    session = TrainingSession(config)
    session.advance(5)
    session.set_optimizer_hyperparameters(momentum=0.9, lr=2e-6)
    assert session.config.optimizer.momentum == 0.9
    optimizer = session.method.optimizer  # type: ignore[attr-defined]
    assert optimizer.param_groups[0]["momentum"] == 0.9
    assert optimizer.param_groups[0]["lr"] == 2e-6
    session.advance(5)
    assert "momentum_buffer" in session.method.optimizer_state()  # type: ignore[attr-defined]
    with pytest.raises(ConfigError):
        session.set_optimizer_hyperparameters(momentum=2.0)
    with pytest.raises(ConfigError, match="unknown optimizer setting 'beta3'"):
        session.set_optimizer_hyperparameters(beta3=0.5)


SNAPSHOT_CASES = {
    "numpy-squared": {},
    "numpy-huber-batches": {"training.loss": "huber", "training.batch_size": 300},
    "torch-autograd": {"training.method": "torch-autograd"},
    "torch-optim-adam": {
        "training.method": "torch-optim",
        "optimizer.name": "adam",
        "training.lr": 1e-2,
    },
    "torch-optim-sgd-nesterov": {
        "training.method": "torch-optim",
        "optimizer.name": "sgd",
        "optimizer.momentum": 0.9,
        "optimizer.nesterov": True,
        "training.batch_size": 300,
    },
}


@pytest.mark.parametrize("case", SNAPSHOT_CASES)
def test_restore_then_step_reproduces_bit_for_bit(case: str) -> None:
    if case.startswith("torch"):
        pytest.importorskip("torch")
    session = TrainingSession(config_with(**SNAPSHOT_CASES[case]))
    session.advance(53)  # mid-block for the fast path, mid-epoch for batches
    snapshot = session.method.snapshot()
    session.advance(40)
    first = session.history.rows_after(53)
    session.method.step()  # wander off, then come back
    session.method.restore(snapshot)
    assert session.step_count == 53
    session.history.truncate_after(53)
    session.advance(40)
    again = session.history.rows_after(53)
    np.testing.assert_array_equal(again.coefficients, first.coefficients)
    np.testing.assert_array_equal(again.loss, first.loss)


def test_rewind_to_a_snapshot_is_exact() -> None:
    config = config_with(**{"training.steps": 1000})
    session = TrainingSession(config, snapshot_every=100, snapshots_kept=4)
    session.advance(1000)
    reference = session.history.rows_after(0)
    assert session.snapshot_steps == [700, 800, 900, 1000]
    assert not session.rewind(to_step=650)  # older snapshots were dropped from the ring
    session.drain()
    assert session.rewind(to_step=850)
    assert session.step_count == 800 and session.status == "running"
    assert session.history.last_step == 800
    np.testing.assert_array_equal(session.coefficients, reference.coefficients[799])
    batch = session.drain()
    assert batch.rewound_to == 800 and len(batch) == 0
    session.advance(1000)
    np.testing.assert_array_equal(
        session.history.rows_after(0).coefficients, reference.coefficients
    )


def test_rewind_after_divergence_returns_to_the_last_good_snapshot() -> None:
    session = TrainingSession(CHAPTER, snapshot_every=500)
    session.advance(3000)  # converging nicely at lr 1e-6
    good_loss = session.current_loss()
    session.set_learning_rate(4e-6)
    session.advance(10**6)
    assert session.status == "diverged"
    assert not TrainingSession(CHAPTER).rewind()
    assert session.rewind()
    assert session.status == "running" and session.diverged_at is None
    assert session.step_count == 3000 and session.history.last_step == 3000
    assert session.current_loss() == good_loss
    session.set_learning_rate(1e-6)
    session.advance(1000)
    assert session.status == "running" and session.current_loss() < good_loss


def test_drain_returns_only_new_rows() -> None:
    session = TrainingSession(config_with(**{"training.steps": 30}))
    assert session.status == "ready"
    session.advance(10)
    first = session.drain()
    assert first.steps.tolist() == list(range(1, 11))
    assert first.status == "running" and first.step_count == 10
    session.advance(5)
    session.step()
    second = session.drain()
    assert second.steps.tolist() == list(range(11, 17))
    assert len(session.drain()) == 0
    session.advance(100)
    last = session.drain()
    assert last.steps[-1] == 30 and last.status == "finished"
    second.coefficients[0] = 1e9  # copies: the history is untouched
    assert session.history.coefficients[10, 0] != 1e9


def test_validation_loss_every_few_steps_and_at_the_end() -> None:
    config = config_with(**{"data.val_fraction": 0.25, "training.steps": 5000})
    session = TrainingSession(config)
    session.advance(5000)
    every = session.validation_every
    assert every == 8
    measured = session.history.steps[np.isfinite(session.history.val_loss)]
    assert measured.tolist() == list(range(every, 5001, every))
    val_loss = session.validation_loss()
    assert val_loss is not None and np.isfinite(val_loss)
    assert TrainingSession(CHAPTER).validation_loss() is None


def test_step_phase_runs_the_chapters_phases_in_order() -> None:
    session = TrainingSession(config_with(**{"training.loss": "huber"}))
    twin = TrainingSession(config_with(**{"training.loss": "huber"}))
    session.advance(3)
    twin.advance(3)
    names = [session.step_phase() for _ in PHASES]
    assert names == list(PHASES)
    method = session.method
    record = twin.step()
    assert method.loss == record.loss
    np.testing.assert_array_equal(method.gradients, record.gradients)
    np.testing.assert_array_equal(session.coefficients, record.coefficients)
    np.testing.assert_allclose(method.update_delta, -method.learning_rate * record.gradients)
    assert session.history.last_step == 4
    session.step_phase()  # forward of step 5, then finish it with advance()
    assert method.predictions is not None and method.predictions.shape == (2000,)
    assert session.advance(2) == 2 and session.step_count == 6


def test_total_steps_can_grow_after_finishing() -> None:
    session = TrainingSession(config_with(**{"training.steps": 20}))
    session.advance(100)
    assert session.status == "finished" and session.step_count == 20
    session.set_total_steps(25)
    assert not session.done
    assert session.advance(100) == 5 and session.status == "finished"
    session.restart()
    assert session.step_count == 0 and len(session.history) == 0
    assert session.drain().rewound_to == 0


def test_set_coefficients_starts_from_there_and_clears_a_divergence() -> None:
    session = TrainingSession(config_with(**{"training.lr": 4e-6}))
    session.advance(10**6)
    assert session.status == "diverged"
    start = np.array([0.0, 0.85, 0.0, -0.09])
    session.set_coefficients(start)
    assert session.status == "running" and session.diverged_at is None
    np.testing.assert_array_equal(session.coefficients, start)
    session.set_learning_rate(1e-6)
    record = session.step()
    residual = session.features @ start - session.dataset.y
    assert record.loss == pytest.approx(np.square(residual).sum(), rel=1e-12)
    with pytest.raises(ValueError, match="finite"):
        session.set_coefficients(np.array([np.nan, 0, 0, 0]))


@pytest.mark.slow
def test_a_million_steps_keep_memory_bounded() -> None:
    config = config_with(**{"training.steps": 1_000_000})
    tracemalloc.start()
    try:
        session = TrainingSession(config)
        session.advance(1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert session.status == "finished"
    assert session.history.nbytes < 20 * 2**20
    assert peak < 50 * 2**20
    assert session.history.last_step == 1_000_000
