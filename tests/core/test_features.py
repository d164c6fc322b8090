"""Feature matrices, the Legendre -> powers conversion and the printed polynomial."""

import math

import numpy as np
import pytest

from gradlab.core.features import (
    feature_matrix,
    format_polynomial,
    scale_to_unit,
    to_power_coefficients,
)

X = np.linspace(-math.pi, math.pi, 7)


def test_power_columns_are_one_x_x2_x3():
    m = feature_matrix(X, 3, "power", -math.pi, math.pi)
    assert m.shape == (7, 4)
    assert m.dtype == np.float64
    np.testing.assert_array_equal(m, np.stack([np.ones_like(X), X, X**2, X**3], axis=1))


def test_power_ignores_the_range():
    a = feature_matrix(X, 2, "power", -1, 1)
    b = feature_matrix(X, 2, "power", -100, 5)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("degree", [1, 2, 5, 9])
def test_legendre_matches_numpy_on_the_scaled_range(degree):
    x = np.linspace(-2.0, 6.0, 50)
    m = feature_matrix(x, degree, "legendre", -2.0, 6.0)
    t = (x - 2.0) / 4.0
    expected = np.polynomial.legendre.legvander(t, degree)
    np.testing.assert_allclose(m, expected, rtol=1e-12, atol=1e-12)


def test_scale_to_unit_maps_the_ends_to_minus_one_and_one():
    np.testing.assert_allclose(scale_to_unit(np.array([3.0, 5.0, 7.0]), 3.0, 7.0), [-1, 0, 1])


def test_degree_one_and_a_scalar_like_input():
    m = feature_matrix(np.array([2.0]), 1, "power", 0, 1)
    np.testing.assert_array_equal(m, [[1.0, 2.0]])


def test_bad_basis_is_a_value_error():
    with pytest.raises(ValueError, match="basis must be one of power, legendre"):
        feature_matrix(X, 3, "chebyshev", -1, 1)


def test_power_coefficients_of_power_basis_are_a_copy():
    c = np.array([1.0, 2.0, 3.0])
    out = to_power_coefficients(c, "power", -1, 1)
    np.testing.assert_array_equal(out, c)
    out[0] = 99
    assert c[0] == 1.0


@pytest.mark.parametrize("degree", [1, 3, 6, 9])
@pytest.mark.parametrize(("lo", "hi"), [(-math.pi, math.pi), (0.5, 3.0), (-10.0, -2.0)])
def test_legendre_to_power_gives_the_same_curve(degree, lo, hi):
    rng = np.random.default_rng(degree)
    coeffs = rng.normal(size=degree + 1)
    x = np.linspace(lo, hi, 40)
    via_legendre = feature_matrix(x, degree, "legendre", lo, hi) @ coeffs
    powers = to_power_coefficients(coeffs, "legendre", lo, hi)
    assert powers.shape == (degree + 1,)
    via_powers = feature_matrix(x, degree, "power", lo, hi) @ powers
    np.testing.assert_allclose(via_powers, via_legendre, rtol=1e-9, atol=1e-9)


def test_chapter_style_is_the_chapters_print_line():
    a, b, c, d = 0.0147, 0.8549, -0.0025, -0.0931
    expected = f"y_pred = {a} + {b}*x + {c}*x^2 + {d}*x^3"  # the chapter's f-string
    assert format_polynomial(np.array([a, b, c, d]), "chapter") == expected
    assert expected == "y_pred = 0.0147 + 0.8549*x + -0.0025*x^2 + -0.0931*x^3"


def test_chapter_style_keeps_full_precision_and_any_degree():
    text = format_polynomial(np.array([0.1234567891234, 2.0]), "chapter")
    assert text == "y_pred = 0.1234567891234 + 2.0*x"


def test_unicode_style():
    text = format_polynomial(np.array([0.0147, 0.8549, -0.0025, -0.0931]))
    assert text == "y = 0.0147 + 0.8549·x − 0.0025·x² − 0.0931·x³"


def test_unicode_style_degree_nine_superscripts():
    text = format_polynomial(np.arange(10, dtype=float) + 1, "unicode")
    assert text.endswith("+ 9.0000·x⁸ + 10.0000·x⁹")


def test_unicode_style_rounding_noise_prints_as_zero_but_small_values_do_not():
    assert format_polynomial(np.array([-3e-17, 0.8567])) == "y = 0.0000 + 0.8567·x"
    text = format_polynomial(np.array([1.0, -1.2346e-6]))
    assert text == "y = 1.0000 − 1.235×10⁻⁶·x"


def test_unicode_style_negative_constant_and_decimals():
    assert format_polynomial(np.array([-1.5, 2.0]), decimals=2) == "y = −1.50 + 2.00·x"


def test_unknown_style():
    with pytest.raises(ValueError, match="style"):
        format_polynomial(np.array([1.0]), "latex")
