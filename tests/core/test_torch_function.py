"""The fourth method: a custom torch.autograd.Function with a hand-written backward."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gradlab.cli import main
from gradlab.core.code_listing import code_listing
from gradlab.core.compare import three_way_check
from gradlab.core.config import Config, ConfigError
from gradlab.core.methods import make_method
from gradlab.core.session import TrainingSession

torch = pytest.importorskip("torch")
from torch.autograd.gradcheck import GradcheckError  # noqa: E402 - after the torch check

from gradlab.core.methods.torch_function import (  # noqa: E402 - after the torch check
    Polynomial,
    PolynomialWithFlippedSign,
    TorchFunction,
    run_gradcheck,
)

FLIPPED = {"training.method": "torch-function", "training.flip_backward_sign": True}


def _inputs(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, 12)
    features = torch.tensor(x[:, None] ** np.arange(4), dtype=torch.float64)
    theta = torch.tensor(rng.standard_normal(4), dtype=torch.float64, requires_grad=True)
    return features, theta


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradcheck_passes_in_float64(seed: int) -> None:
    assert torch.autograd.gradcheck(Polynomial.apply, _inputs(seed))


def test_gradcheck_fails_with_the_sign_flipped() -> None:
    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        torch.autograd.gradcheck(PolynomialWithFlippedSign.apply, _inputs())
    assert not torch.autograd.gradcheck(
        PolynomialWithFlippedSign.apply, _inputs(), raise_exception=False
    )


def test_run_gradcheck_reports_both_gradients_and_the_wrong_coefficient() -> None:
    good = run_gradcheck(Config().with_changes(**{"training.method": "torch-function"}))
    assert good.passed and good.function == "Polynomial"
    assert good.wrong_coefficients == ()
    np.testing.assert_allclose(good.analytical, good.numerical, rtol=1e-7)
    bad = run_gradcheck(Config().with_changes(**FLIPPED))
    assert not bad.passed and bad.function == "PolynomialWithFlippedSign"
    assert bad.wrong_coefficients == (1,)  # b
    assert bad.analytical[1] == pytest.approx(-bad.numerical[1], rel=1e-7)
    assert bad.largest_difference == pytest.approx(2 * abs(bad.numerical[1]), rel=1e-7)


def test_the_graph_holds_the_custom_function_as_one_node() -> None:
    config = Config().with_changes(**{"training.method": "torch-function"})
    session = TrainingSession(config)
    method = session.method
    assert isinstance(method, TorchFunction) and method.name == "torch-function"
    method.step_phase()  # forward
    assert method._y_pred is not None
    assert type(method._y_pred.grad_fn).__name__ == "PolynomialBackward"
    assert method.gradients_computed_by.id == "backward.function"


def test_flipped_backward_gives_the_negated_gradient_of_b_only() -> None:
    base = Config().with_changes(**{"training.method": "torch-function"})
    dataset_features = np.linspace(-np.pi, np.pi, 50)[:, None] ** np.arange(4)
    targets = np.sin(dataset_features[:, 1])
    good = make_method(base, dataset_features, targets).step().gradients
    flipped_method = make_method(
        base.with_changes(**{"training.flip_backward_sign": True}), dataset_features, targets
    )
    flipped = flipped_method.step().gradients
    assert flipped_method.gradients_computed_by.id == "backward.function_flipped"
    assert flipped[1] == -good[1] and good[1] != 0
    np.testing.assert_array_equal(np.delete(flipped, 1), np.delete(good, 1))


def test_the_setting_is_validated_and_off_by_default() -> None:
    assert Config().training.flip_backward_sign is False
    with pytest.raises(ConfigError) as error:
        Config().with_changes(**{"training.flip_backward_sign": 1})
    assert error.value.field == "training.flip_backward_sign"
    with pytest.raises(ConfigError):
        Config().with_changes(**{"training.method": "torch-functions"})


def _fit(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["fit", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_matches_numpy_manual_over_10000_steps_in_float64(
    capsys: pytest.CaptureFixture[str],
) -> None:
    common = ["--steps", "10000", "--dtype", "float64", "--seed", "3"]
    function = _fit(capsys, "--method", "torch-function", *common)
    numpy = _fit(capsys, "--method", "numpy-manual", *common)
    assert function["steps"] == numpy["steps"] == 10_000
    got, want = np.array(function["coefficients"]), np.array(numpy["coefficients"])
    # relative to the coefficients' size: a and c head for 0, where only rounding is left
    assert np.max(np.abs(got - want)) <= 1e-9 * np.max(np.abs(want))
    assert function["loss"] == pytest.approx(numpy["loss"], rel=1e-9)


def test_cli_flag_breaks_the_backward(capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--method", "torch-function", "--steps", "2000", "--seed", "1"]
    good = _fit(capsys, *common)
    broken = _fit(capsys, *common, "--flip-backward-sign")
    assert good["loss"] < 9.1  # the chapter's 2000 steps come close to the optimum 8.817
    assert broken["loss"] > 1000 * good["loss"]  # gradient ascent in b: b runs away
    assert abs(broken["coefficients"][1]) > 10 * abs(good["coefficients"][1])


def test_four_way_check_catches_the_flipped_sign_at_the_first_step() -> None:
    agreed = three_way_check(Config().with_changes(**{"training.method": "torch-function"}), 20)
    assert "torch-function" in agreed.methods
    assert np.all(agreed.relative_gradient_difference < 1e-12)
    caught = three_way_check(Config().with_changes(**FLIPPED), 20)
    assert caught.relative_gradient_difference[0] > 0.1  # step 1: b's gradient has two signs
    ordered = list(caught.methods)
    function, numpy = ordered.index("torch-function"), ordered.index("numpy-manual")
    finals = caught.final_coefficients
    assert np.max(np.abs(finals[function] - finals[numpy])) > 1e-3


def test_listing_puts_the_functions_lines_in_its_phases() -> None:
    listing = code_listing(Config().with_changes(**{"training.method": "torch-function"}))
    lines = listing.lines
    forward = [lines[i].strip() for i in listing.phase_lines["forward"]]
    backward = [lines[i].strip() for i in listing.phase_lines["backward"]]
    assert "ctx.save_for_backward(X)  # backward needs the features x**k" in forward
    assert "y_pred = Polynomial.apply(X_t, a, b, c, d)" in forward
    assert "grad_b = (grad_y_pred * X[:, 1]).sum()" in backward
    assert "loss.backward()" in backward
    assert "return None, grad_a, grad_b, grad_c, grad_d  # no gradient for X" in backward
    flipped = code_listing(Config().with_changes(**FLIPPED))
    assert any(line.strip().startswith("grad_b = -(grad_y_pred") for line in flipped.lines)
