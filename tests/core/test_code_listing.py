"""The code pane's listing: filled-in settings, every phase mapped to lines, valid Python."""

from __future__ import annotations

import ast
import itertools

import pytest

from gradlab.core.code_listing import code_listing, training_points
from gradlab.core.config import Config
from gradlab.core.data import make_dataset
from gradlab.core.export_script import export_script
from gradlab.core.methods.base import PHASES

METHODS = ("numpy-manual", "torch-autograd", "torch-optim", "torch-function")


def _config(**changes) -> Config:
    return Config().with_changes(**changes)


@pytest.mark.parametrize(
    ("method", "loss", "reduction", "batch_size", "dtype"),
    list(
        itertools.product(
            METHODS, ("squared", "l1", "huber"), ("sum", "mean"), (0, 50), ("float64", "float32")
        )
    ),
)
def test_every_phase_has_lines_and_the_code_is_valid_python(
    method, loss, reduction, batch_size, dtype
):
    config = _config(
        **{
            "training.method": method,
            "training.loss": loss,
            "training.reduction": reduction,
            "training.batch_size": batch_size,
            "model.dtype": dtype,
        }
    )
    listing = code_listing(config)
    ast.parse(listing.text)  # compiles (never run here)
    assert set(listing.phase_lines) == set(PHASES)
    loop_start = next(i for i, line in enumerate(listing.lines) if line.startswith("for step"))
    # torch-function's forward and backward also run the lines of its Function, defined above
    function_lines = range(0, loop_start) if method == "torch-function" else range(0)
    for phase in PHASES:
        lines = listing.phase_lines[phase]
        in_loop = [i for i in lines if loop_start < i < len(listing.lines)]
        assert in_loop, phase
        outside = set(lines) - set(in_loop)
        assert outside <= set(function_lines), phase
        assert not outside or phase in ("forward", "backward"), phase
    # phases come in the chapter's order in the loop
    firsts = [min(i for i in listing.phase_lines[phase] if i > loop_start) for phase in PHASES]
    assert firsts == sorted(firsts)


def test_numpy_zero_grad_is_a_comment_saying_there_is_nothing_to_clear():
    listing = code_listing(_config())
    zero = [listing.lines[i].strip() for i in listing.phase_lines["zero_grad"]]
    assert all(line.startswith("#") for line in zero)
    assert "nothing to clear" in " ".join(zero)


def test_torch_zero_grad_lines_clear_the_gradients():
    autograd = code_listing(_config(**{"training.method": "torch-autograd"}))
    text = " ".join(autograd.lines[i] for i in autograd.phase_lines["zero_grad"])
    assert "a.grad = None" in text and "d.grad = None" in text
    optim = code_listing(_config(**{"training.method": "torch-optim"}))
    assert any("optimizer.zero_grad()" in optim.lines[i] for i in optim.phase_lines["zero_grad"])
    assert any("optimizer.step()" in optim.lines[i] for i in optim.phase_lines["update"])
    assert any("loss.backward()" in optim.lines[i] for i in optim.phase_lines["backward"])


def test_filled_in_values_appear():
    numpy_text = code_listing(
        _config(
            **{
                "training.lr": 2.5e-6,
                "training.steps": 777,
                "training.loss": "huber",
                "training.huber_delta": 0.4,
                "training.batch_size": 64,
                "model.degree": 5,
            }
        )
    ).text
    for text in (
        "learning_rate = 2.5e-06",
        "steps = 777",
        "delta = 0.4",
        "batch_size = 64",
        "a, b, c, d, e, f = w_init",
        "grad_f = (grad_y_pred * Xb[:, 5]).sum()",
    ):
        assert text in numpy_text
    optim_text = code_listing(
        _config(
            **{
                "training.method": "torch-optim",
                "optimizer.name": "sgd",
                "optimizer.momentum": 0.9,
                "optimizer.nesterov": True,
                "training.lr": 0.01,
                "training.loss": "l1",
                "training.reduction": "mean",
            }
        )
    ).text
    for text in (
        "learning_rate = 0.01",
        "torch.optim.SGD(",
        "momentum=0.9",
        "nesterov=True",
        'nn.L1Loss(reduction="mean")',
        "nn.Linear(3, 1",
    ):
        assert text in optim_text
    autograd_text = code_listing(
        _config(
            **{
                "training.method": "torch-autograd",
                "training.reduction": "mean",
                "model.dtype": "float32",
            }
        )
    ).text
    assert "torch.square(y_pred - y_t).mean()" in autograd_text
    assert "dtype=torch.float32" in autograd_text


def test_batch_size_at_least_the_training_points_is_full_batch():
    config = _config(**{"data.points": 100, "data.val_fraction": 0.3, "training.batch_size": 70})
    assert training_points(config) == make_dataset(config).x.size == 70
    assert "batch" not in code_listing(config).text


def test_the_exported_script_runs_the_listed_loop():
    for method in METHODS:
        config = _config(**{"training.method": method, "training.batch_size": 32})
        listing = code_listing(config)
        script = export_script(config).splitlines()
        start = script.index(listing.lines[0])
        loop = listing.lines.index("for step in range(1, steps + 1):")
        # the set-up lines, then (after the bookkeeping lines) the same loop, phase for phase
        assert script[start : start + loop] == listing.lines[:loop]
        loop_in_script = script.index(listing.lines[loop])
        body = listing.lines[loop:]
        assert script[loop_in_script : loop_in_script + len(body)] == body
