"""The numbers the network lessons quote are the ones training gives."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.lesson import load_lesson
from gradlab.core.network import first_layer_kinks, layer_views, predict
from gradlab.core.session import TrainingSession
from gradlab.resources import resource_path

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _one_torch_thread() -> object:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def trained(name: str, **changes: object) -> TrainingSession:
    config = load_lesson(resource_path("lessons") / f"{name}.json").config
    session = TrainingSession(config.with_changes(**changes))
    session.advance(10**6)
    assert session.status == "finished"
    return session


def test_lesson_10_three_tanh_units() -> None:
    session = trained("14-network-three-tanh-units")
    assert session.config.model.parameter_count == 10
    assert session.history.loss[0] == pytest.approx(0.98, abs=0.005)
    assert session.current_loss() == pytest.approx(0.0038, abs=0.00005)


def test_lesson_11_relu_kinks() -> None:
    session = trained("15-relu-builds-from-kinks")
    kinks = np.sort(first_layer_kinks(session.config.model, session.coefficients))
    quoted = [-2.17, -1.79, -1.06, -1.06, 0.92, 1.37, 1.75, 2.40]
    np.testing.assert_allclose(kinks, quoted, atol=0.005)
    assert session.current_loss() == pytest.approx(0.00045, abs=0.000005)
    tanh = trained("15-relu-builds-from-kinks", **{"model.activation": "tanh"})
    assert tanh.current_loss() == pytest.approx(0.0000015, abs=0.00000005)


def test_lesson_12_zero_start_stays_symmetric() -> None:
    session = trained("16-zero-init-never-breaks-symmetry")
    model = session.config.model
    assert model.parameter_count == 25
    weights = session.coefficients[: model.parameter_count - 1]
    assert not weights.any()  # everything but the output bias stays exactly zero
    bias = layer_views(model, session.coefficients)[-1][1][0]
    assert bias == pytest.approx(session.dataset.y.mean(), abs=1e-9)
    assert session.current_loss() == pytest.approx(0.49975, abs=0.000005)
    random = trained("16-zero-init-never-breaks-symmetry", **{"model.init": "random"})
    assert random.current_loss() == pytest.approx(0.0000015, abs=0.00000005)


def test_lesson_13_wide_and_deep_have_97_parameters() -> None:
    wide = trained("17-wider-or-deeper")
    deep = trained("17-wider-or-deeper", **{"model.hidden": 8, "model.layers": 2})
    assert wide.config.model.parameter_count == deep.config.model.parameter_count == 97
    # Adam's last steps jump (the loss rises ~1000-fold for a step or two now and then), so the
    # final loss's digits change with the processor's float rounding: the text says "below 0.0001"
    text = load_lesson(resource_path("lessons") / "17-wider-or-deeper.json").explanation["en"]
    assert "both end at a loss below 0.0001" in text and "the 0.5 of a flat line" in text
    flat = float(np.mean((wide.dataset.y - wide.dataset.y.mean()) ** 2))
    assert flat == pytest.approx(0.5, abs=0.005)
    assert wide.current_loss() < 1e-4 and deep.current_loss() < 1e-4
    assert flat / max(wide.current_loss(), deep.current_loss()) > 1000  # "thousands of times"


def test_lesson_18_the_network_extrapolates_badly() -> None:
    session = trained("18-network-extrapolates-badly")
    config = session.config
    assert config.data.plot_margin == 0.5  # the plot reaches from -2π to 2π
    assert session.current_loss() == pytest.approx(0.0000038, abs=0.00000005)
    model = config.model
    inside = np.linspace(config.data.x_min, config.data.x_max, 101)
    assert np.abs(predict(model, session.coefficients, inside) - np.sin(inside)).max() < 0.01
    # outside the data the fit runs out flat: the quoted values at ±2π, far from sin(x) = 0
    ends = predict(model, session.coefficients, np.array([-2 * np.pi, 2 * np.pi]))
    np.testing.assert_allclose(ends, [1.14, -0.94], atol=0.005)
    for outside in (np.linspace(np.pi, 2 * np.pi, 101), np.linspace(-2 * np.pi, -np.pi, 101)):
        assert np.abs(predict(model, session.coefficients, outside) - np.sin(outside)).mean() > 0.2
    relu = trained("18-network-extrapolates-badly", **{"model.activation": "relu"})
    relu_model = relu.config.model  # the question's ReLU: straight lines, as far from sin(x)
    right = np.linspace(1.5 * np.pi, 2 * np.pi, 51)
    assert np.abs(np.diff(predict(relu_model, relu.coefficients, right), n=2)).max() < 1e-9
    assert abs(predict(relu_model, relu.coefficients, np.array([2 * np.pi]))[0]) > 1
