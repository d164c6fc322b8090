"""Reference numbers: the chapter's optimum, Hessian eigenvalues, stable learning rate."""

import numpy as np
import pytest

from gradlab.core.analysis import analyse
from gradlab.core.config import Config
from gradlab.core.data import make_dataset
from gradlab.core.features import feature_matrix, to_power_coefficients
from gradlab.core.losses import loss_value


def run(**changes):
    config = Config().with_changes(**changes)
    dataset = make_dataset(config)
    return config, dataset, analyse(config, dataset)


def test_chapter_setup_numbers():
    _, _, a = run()
    b, d = a.optimum_coefficients[1], a.optimum_coefficients[3]
    assert abs(a.optimum_coefficients[0]) < 1e-12
    assert abs(a.optimum_coefficients[2]) < 1e-12
    assert b == pytest.approx(0.856741, abs=1e-6)
    assert d == pytest.approx(-0.0933304, abs=1e-7)
    assert a.optimum_loss == pytest.approx(8.81717, rel=1e-6)
    np.testing.assert_allclose(a.hessian_eigenvalues, [1727.5, 2066.0, 80356, 562122], rtol=1e-4)
    assert a.max_stable_lr == pytest.approx(3.558e-6, rel=1e-3)
    assert a.condition_number == pytest.approx(325.4, rel=1e-3)
    assert a.optimum_val_loss is None
    # the chapter's 1e-6 is stable; 4e-6 is not
    assert 1e-6 < a.max_stable_lr < 4e-6


def test_mean_reduction_divides_loss_and_hessian_by_n():
    _, _, total = run()
    _, _, mean = run(**{"training.reduction": "mean"})
    assert mean.optimum_loss == pytest.approx(0.0044086, rel=1e-4)
    assert mean.optimum_loss == pytest.approx(total.optimum_loss / 2000, rel=1e-12)
    np.testing.assert_allclose(mean.hessian_eigenvalues, total.hessian_eigenvalues / 2000)
    assert mean.condition_number == pytest.approx(total.condition_number, rel=1e-9)
    np.testing.assert_allclose(mean.optimum_coefficients, total.optimum_coefficients, atol=1e-12)


def test_legendre_basis_same_curve_better_conditioned():
    _, _, power = run()
    _, _, legendre = run(**{"model.basis": "legendre"})
    assert legendre.optimum_loss == pytest.approx(power.optimum_loss, rel=1e-10)
    np.testing.assert_allclose(
        to_power_coefficients(legendre.optimum_coefficients, "legendre", -np.pi, np.pi),
        power.optimum_coefficients,
        atol=1e-10,
    )
    assert legendre.condition_number < 10
    assert legendre.max_stable_lr > 100 * power.max_stable_lr


def _is_local_minimum(config, dataset, coefficients, loss):
    m = config.model
    features = feature_matrix(dataset.x, m.degree, m.basis, config.data.x_min, config.data.x_max)
    t = config.training
    rng = np.random.default_rng(1)
    for scale in (1e-2, 1e-4, 1e-6):
        for _ in range(50):
            moved = coefficients + rng.normal(scale=scale, size=coefficients.size)
            value = loss_value(features @ moved - dataset.y, t.loss, t.reduction, t.huber_delta)
            if value < loss - 1e-9 * abs(loss):
                return False
    return True


@pytest.mark.parametrize(
    "changes",
    [
        {"training.loss": "l1"},
        {"training.loss": "l1", "data.noise": 0.3, "training.reduction": "mean"},
        {"training.loss": "huber"},
        {"training.loss": "huber", "training.huber_delta": 0.05, "data.target": "step"},
    ],
)
def test_robust_optimum_is_a_minimum_of_its_own_loss(changes):
    config, ds, a = run(**changes)
    assert _is_local_minimum(config, ds, a.optimum_coefficients, a.optimum_loss)
    # the Hessian reported is still the squared one
    _, _, squared = run(**{"training.reduction": config.training.reduction})
    np.testing.assert_allclose(a.hessian_eigenvalues, squared.hessian_eigenvalues)


def test_huber_with_a_wide_band_is_half_the_squared_optimum():
    _, _, squared = run()
    _, _, huber = run(**{"training.loss": "huber", "training.huber_delta": 10.0})
    np.testing.assert_allclose(huber.optimum_coefficients, squared.optimum_coefficients, atol=1e-12)
    assert huber.optimum_loss == pytest.approx(squared.optimum_loss / 2, rel=1e-12)


def test_validation_loss_uses_the_held_out_points():
    _, ds, a = run(**{"data.val_fraction": 0.2, "data.noise": 0.1})
    features = feature_matrix(ds.x_val, 3, "power", -np.pi, np.pi)
    expected = loss_value(features @ a.optimum_coefficients - ds.y_val, "squared", "sum")
    assert a.optimum_val_loss == pytest.approx(expected, rel=1e-12)


def test_results_are_read_only():
    _, _, a = run()
    with pytest.raises(ValueError, match="read-only"):
        a.optimum_coefficients[0] = 1.0
