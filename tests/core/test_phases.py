"""Phase stepping: the chapter's five phases with the numbers the core really computed."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.features import feature_matrix
from gradlab.core.messages import Message
from gradlab.core.methods.base import PHASES
from gradlab.core.phases import PhaseStepper, chain_rule_formulas, feature_names
from gradlab.core.session import TrainingSession

METHODS = ("numpy-manual", "torch-autograd", "torch-optim")


def _session(**changes) -> TrainingSession:
    base = {"training.steps": 50}
    base.update(changes)
    return TrainingSession(Config().with_changes(**base))


def test_phase_sequence_and_position():
    session = _session()
    stepper = PhaseStepper(session)
    assert stepper.upcoming_phase == "forward" and stepper.current_phase is None
    assert not stepper.in_middle
    seen = []
    for _ in range(2 * len(PHASES)):
        record = stepper.next_phase()
        seen.append((record.phase, record.step))
        if record.phase == "zero_grad":
            assert not stepper.in_middle and stepper.current_phase is None
            assert record.completes_step
        else:
            assert stepper.in_middle and stepper.current_phase == record.phase
            assert not record.completes_step
    assert seen == [(p, 1) for p in PHASES] + [(p, 2) for p in PHASES]
    assert session.step_count == 2
    assert session.history.steps.tolist() == [1, 2]


@pytest.mark.parametrize(
    "changes",
    [
        {"training.method": "numpy-manual"},
        {"training.method": "numpy-manual", "training.loss": "huber", "training.batch_size": 300},
        {"training.method": "torch-autograd", "training.reduction": "mean", "training.lr": 1e-3},
        {"training.method": "torch-optim", "optimizer.name": "adam", "training.lr": 1e-2},
        {"training.method": "torch-optim", "training.batch_size": 128, "model.dtype": "float32"},
    ],
    ids=["numpy", "numpy-huber-batches", "autograd-mean", "optim-adam", "optim-batches-float32"],
)
def test_steps_by_phases_equal_whole_steps(changes):
    by_phase, whole = _session(**changes), _session(**changes)
    stepper = PhaseStepper(by_phase)
    config = by_phase.config
    X = feature_matrix(
        by_phase.dataset.x,
        config.model.degree,
        config.model.basis,
        config.data.x_min,
        config.data.x_max,
    )
    for _ in range(7):
        start = whole.coefficients
        records = {}
        for _phase in PHASES:
            record = stepper.next_phase()
            records[record.phase] = record
        expected = whole.step()
        # the same numbers as the whole step, bit for bit
        assert records["loss"].values["loss"] == expected.loss
        np.testing.assert_array_equal(records["backward"].values["gradients"], expected.gradients)
        np.testing.assert_array_equal(records["update"].values["after"], expected.coefficients)
        np.testing.assert_array_equal(records["update"].values["before"], start)
        # the forward values are the predictions at the step's starting coefficients
        forward = records["forward"].values
        rows = forward["batch_indices"]
        rows = slice(None) if rows is None else rows
        np.testing.assert_allclose(forward["predictions"], X[rows] @ start, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(forward["x"], by_phase.dataset.x[rows])
    np.testing.assert_array_equal(by_phase.coefficients, whole.coefficients)
    np.testing.assert_array_equal(by_phase.history.loss, whole.history.loss)
    np.testing.assert_array_equal(by_phase.history.coefficients, whole.history.coefficients)
    np.testing.assert_array_equal(by_phase.history.grad_norm, whole.history.grad_norm)


@pytest.mark.parametrize("method", METHODS)
def test_phases_and_whole_steps_mix_freely(method):
    changes = {"training.method": method, "training.lr": 1e-6}
    mixed, reference = _session(**changes), _session(**changes)
    stepper = PhaseStepper(mixed)
    stepper.next_phase()
    stepper.next_phase()  # half-way through step 1
    assert mixed.advance(5) == 5  # finishes step 1, then steps 2..5
    assert mixed.step_count == 5 and not stepper.in_middle
    for _ in range(3):
        stepper.next_phase()
    mixed.step()  # finishes step 6
    for _ in range(5):
        stepper.next_phase()  # all of step 7
    stepper.next_phase()
    stepper.finish_step()  # step 8
    for _ in range(8):
        reference.step()
    assert mixed.step_count == reference.step_count == 8
    np.testing.assert_allclose(mixed.coefficients, reference.coefficients, rtol=1e-12)
    np.testing.assert_allclose(mixed.history.loss, reference.history.loss, rtol=1e-12)
    assert mixed.history.steps.tolist() == list(range(1, 9))


def test_forward_and_loss_values():
    session = _session(**{"training.reduction": "mean", "training.batch_size": 100})
    stepper = PhaseStepper(session)
    forward = stepper.next_phase().values
    assert forward["predictions"].shape == (100,) and forward["batch_indices"].shape == (100,)
    assert 1 <= len(forward["samples"]) <= 5
    for x, y_pred, y in forward["samples"]:
        i = int(np.flatnonzero(forward["x"] == x)[0])
        assert forward["predictions"][i] == y_pred and forward["y"][i] == y
    loss = stepper.next_phase().values
    assert loss["formula"] == "(1/n) Σ (ŷ − y)²"
    assert loss["num_points"] == 100
    residual = forward["predictions"] - forward["y"]
    assert loss["loss"] == pytest.approx(np.mean(residual**2), rel=1e-12)


def test_backward_values_and_chain_rule():
    session = _session()
    stepper = PhaseStepper(session)
    stepper.next_phase()
    stepper.next_phase()
    backward = stepper.next_phase().values
    assert backward["names"] == ["a", "b", "c", "d"]
    assert backward["chain_rule"][1] == "∂loss/∂b = Σ 2 (ŷ − y) · x"
    assert backward["chain_rule"][3] == "∂loss/∂d = Σ 2 (ŷ − y) · x³"
    assert backward["computed_by"] == Message("backward.by_hand")
    # the chapter's grad_y_pred, and the gradient is Σ grad_y_pred · feature
    X = feature_matrix(session.dataset.x, 3, "power", -np.pi, np.pi)
    np.testing.assert_allclose(
        X.T @ backward["grad_wrt_predictions"], backward["gradients"], rtol=1e-12
    )


def test_chain_rule_texts_follow_loss_reduction_and_basis():
    config = Config().with_changes(
        **{
            "training.loss": "l1",
            "training.reduction": "mean",
            "model.basis": "legendre",
            "model.degree": 2,
        }
    )
    assert feature_names(config) == ["1", "P₁(t)", "P₂(t)"]
    assert chain_rule_formulas(config) == [
        "∂loss/∂a = (1/n) Σ sign(ŷ − y)",
        "∂loss/∂b = (1/n) Σ sign(ŷ − y) · P₁(t)",
        "∂loss/∂c = (1/n) Σ sign(ŷ − y) · P₂(t)",
    ]
    huber = Config().with_changes(**{"training.loss": "huber"})
    assert chain_rule_formulas(huber)[2] == "∂loss/∂c = Σ clip(ŷ − y, −δ, δ) · x²"


def test_gradient_descent_update_is_lr_times_grad():
    session = _session(**{"training.method": "torch-autograd"})
    stepper = PhaseStepper(session)
    for _ in range(3):
        stepper.next_phase()
    update = stepper.next_phase().values
    np.testing.assert_allclose(update["step"], -update["lr_times_grad"], rtol=1e-9)
    assert update["rule"] == "θ ← θ − lr · g" and update["lr"] == 1e-6
    assert "optimizer_state" not in update


@pytest.mark.parametrize(
    ("name", "momentum", "keys"),
    [
        ("sgd", 0.9, {"momentum_buffer"}),
        ("rmsprop", 0.0, {"square_avg"}),
        ("adam", 0.0, {"exp_avg", "exp_avg_sq"}),
        ("adagrad", 0.0, {"sum"}),
    ],
)
def test_optimizer_state_per_coefficient(name, momentum, keys):
    session = _session(
        **{
            "training.method": "torch-optim",
            "optimizer.name": name,
            "optimizer.momentum": momentum,
            "training.lr": 1e-4,
        }
    )
    stepper = PhaseStepper(session)
    for _ in range(3):
        stepper.next_phase()
    update = stepper.next_phase().values
    assert update["optimizer"] == name
    assert keys <= set(update["optimizer_state"])
    for value in update["optimizer_state"].values():
        assert value.shape == (4,)
    if name == "rmsprop":
        # the chapter's point: RMSprop moves every coefficient by about lr per step at first
        assert np.all(np.abs(update["step"]) > 1e-4)
        np.testing.assert_allclose(
            update["optimizer_state"]["square_avg"],
            0.01 * update["lr_times_grad"] ** 2 / 1e-8,
            rtol=1e-9,
        )


@pytest.mark.parametrize("method", METHODS)
def test_zero_grad_says_what_was_cleared(method):
    stepper = PhaseStepper(_session(**{"training.method": method}))
    for _ in range(4):
        stepper.next_phase()
    values = stepper.next_phase().values
    if method == "numpy-manual":
        assert values["cleared"] == Message("zero_grad.nothing_to_clear")
        assert values["gradients_cleared"] is None
    else:
        assert values["gradients_cleared"] is True
        expected = "zero_grad.optimizer" if method == "torch-optim" else "zero_grad.grad_none"
        assert values["cleared"] == Message(expected, {"letters": "a, b, c, d"})


def test_a_diverging_phase_ends_the_run():
    session = _session(**{"training.lr": 1e3})
    stepper = PhaseStepper(session)
    records = []
    while session.status != "diverged":
        records.append(stepper.next_phase())
    last = records[-1]
    assert last.values.get("diverged") is True and last.completes_step
    assert session.diverged_at == last.step
    assert np.isfinite(session.coefficients).all()
    with pytest.raises(RuntimeError):
        stepper.next_phase()


def test_a_network_step_records_each_layer_and_tensor():
    config = Config().with_changes(
        **{"model.kind": "mlp", "model.hidden": 3, "model.layers": 2, "training.lr": 1e-3}
    )
    stepper = PhaseStepper(TrainingSession(config))
    forward = stepper.next_phase().values
    assert [z.shape for z, _a in forward["layers"]] == [(5, 3), (5, 3)]
    for z, a in forward["layers"]:
        np.testing.assert_allclose(a, np.tanh(z), rtol=1e-15)
    stepper.next_phase()
    backward = stepper.next_phase().values
    assert [g.name for g in backward["groups"]] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    gradients = backward["gradients"]
    assert backward["groups"][2].norm == pytest.approx(np.linalg.norm(gradients[6:15]))
    np.testing.assert_array_equal(backward["groups"][2].first, gradients[6:9])
    assert backward["chain_rule"][7] == "∂L/∂W2[0,1] = Σ ∂L/∂z2[0] · a1[1]"
    assert backward["chain_rule"][-1] == "∂L/∂b3[0] = Σ ∂L/∂ŷ"
    assert backward["group_rules"][4] == "∂L/∂W3 = (∂L/∂ŷ)ᵀ a2"
    update = stepper.next_phase().values
    before, after, change = update["groups"][5]
    assert (before.name, after.shape) == ("b3", (1,))
    assert change.first[0] == pytest.approx(update["after"][-1] - update["before"][-1])
