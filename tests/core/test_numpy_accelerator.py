"""numpy-manual's accelerator gives the numbers and the phase values of the plain phases."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.methods import StepBuffers, make_method
from gradlab.core.methods.numpy_accelerator import ExplicitSteps, QuadraticBlocks
from gradlab.core.methods.numpy_manual import NumpyManual
from gradlab.core.session import TrainingSession

STEPS = 700
CASES = {
    "quadratic": {},
    "quadratic-mean": {"training.reduction": "mean", "training.lr": 1e-3},
    "l1": {"training.loss": "l1", "training.lr": 1e-5},
    "huber-batches": {"training.loss": "huber", "training.batch_size": 300, "training.lr": 1e-5},
    "float32": {"model.dtype": "float32"},
}


def numpy_method(case: str) -> NumpyManual:
    config = Config().with_changes(**{"training.steps": STEPS, **CASES[case]})
    session = TrainingSession(config)
    method = make_method(config, session.features, session.dataset.y)
    assert isinstance(method, NumpyManual)
    return method


def phase_values(method: NumpyManual) -> list[np.ndarray | float | int | None]:
    return [
        method.step_count,
        method.loss,
        method.gradients,
        method.grad_norm,
        method.coefficients_before,
        method.coefficients_after,
        method.coefficients,
        method.batch_indices,
    ]


@pytest.mark.parametrize("case", CASES)
def test_accelerated_chunks_give_the_phases_numbers(case: str) -> None:
    fast, plain = numpy_method(case), numpy_method(case)
    kind = QuadraticBlocks if case.startswith("quadratic") else ExplicitSteps
    assert isinstance(fast._accelerator, kind)
    buffers = StepBuffers(STEPS, fast.num_coefficients)
    chunks = np.random.default_rng(5).integers(1, 200, size=STEPS).tolist()
    done = 0
    rows: list[tuple[float, np.ndarray, float]] = []
    for chunk in chunks:
        count = min(chunk, STEPS - done)
        if not count:
            break
        result = fast.run_fast(count, buffers)
        assert result == (count, False)
        rows += [
            (buffers.loss[r], buffers.coefficients[r].copy(), buffers.grad_norm[r])
            for r in range(count)
        ]
        done += count
        for _ in range(count):  # the plain phases, one step at a time
            plain.step()
        # bit for bit for the explicit loop; the exact block recurrence to rounding
        ours, theirs = phase_values(fast), phase_values(plain)
        for a, b in zip(ours, theirs, strict=True):
            if a is None or b is None:
                assert a is None and b is None
            elif kind is ExplicitSteps:
                np.testing.assert_array_equal(a, b)
            else:
                np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert done == STEPS == plain.step_count


def test_blocks_do_not_depend_on_chunking_or_on_snapshots() -> None:
    whole, chunked = numpy_method("quadratic"), numpy_method("quadratic")
    a, b = StepBuffers(STEPS, 4), StepBuffers(STEPS, 4)
    whole.run_fast(STEPS, a)
    done = 0
    for chunk in (1, 127, 1, 128, 200, STEPS):
        count = min(chunk, STEPS - done)
        snapshot = chunked.snapshot()
        chunked.restore(snapshot)  # restoring where it stands changes nothing
        part = StepBuffers(count, 4)
        chunked.run_fast(count, part)
        b.loss[done : done + count] = part.loss[:count]
        b.coefficients[done : done + count] = part.coefficients[:count]
        done += count
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(a.coefficients, b.coefficients)
