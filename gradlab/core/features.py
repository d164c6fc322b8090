"""The model's features: the columns 1, x, x², ... (or Legendre polynomials) and how to print a fit.

Column 0 is always the constant 1, so coefficient 0 is the chapter's ``a``, coefficient 1 is
``b``, and so on. The Legendre basis evaluates P_0..P_degree at x scaled to [-1, 1] over the
configured x range: its columns are nearly orthogonal, which is why plain gradient descent can use
a far larger learning rate on it than on raw powers (the chapter's 1e-6).
"""

from __future__ import annotations

import numpy as np

from gradlab.core.config import BASES

SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
MINUS = "\N{MINUS SIGN}"


def scale_to_unit(x: np.ndarray, x_min: float, x_max: float) -> np.ndarray:
    """Map [x_min, x_max] linearly onto [-1, 1] (the Legendre basis's natural interval)."""
    centre, half_width = _centre_and_half_width(x_min, x_max)
    return (np.asarray(x, dtype=np.float64) - centre) / half_width


def feature_matrix(
    x: np.ndarray, degree: int, basis: str, x_min: float, x_max: float
) -> np.ndarray:
    """The (n, degree + 1) float64 design matrix; column k is x**k or P_k(scaled x).

    ``x_min``/``x_max`` only matter for the Legendre basis (they fix the scaling, so the same
    coefficients mean the same curve for training, validation and plotting points).
    """
    _check_basis(basis)
    if degree < 0:
        raise ValueError(f"degree must be >= 0, got {degree}")
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    t = x if basis == "power" else scale_to_unit(x, x_min, x_max)
    columns = np.empty((x.size, degree + 1), dtype=np.float64)
    columns[:, 0] = 1.0
    if degree >= 1:
        columns[:, 1] = t
    for k in range(1, degree):
        if basis == "power":
            columns[:, k + 1] = t ** (k + 1)  # x**k, bit for bit the chapter's x**2, x**3
        else:
            # Bonnet's recurrence: (k + 1) P_{k+1} = (2k + 1) t P_k - k P_{k-1}
            columns[:, k + 1] = ((2 * k + 1) * t * columns[:, k] - k * columns[:, k - 1]) / (k + 1)
    return columns


def to_power_coefficients(
    coefficients: np.ndarray, basis: str, x_min: float, x_max: float
) -> np.ndarray:
    """The same polynomial written in raw powers of x: coefficients of 1, x, x², ...

    For the power basis this is a float64 copy. For Legendre, each P_k(t) is expanded in t and
    t = (x - centre) / half_width is substituted, so the GUI and CLI can always print
    ``y = a + b·x + c·x² + ...`` in the student's own variable x.
    """
    _check_basis(basis)
    coefficients = np.asarray(coefficients, dtype=np.float64).reshape(-1)
    if basis == "power":
        return coefficients.copy()
    size = coefficients.size
    in_t = np.polynomial.legendre.leg2poly(coefficients)
    centre, half_width = _centre_and_half_width(x_min, x_max)
    t_in_x = np.array([-centre / half_width, 1.0 / half_width])
    # Horner's scheme on polynomials: p(t(x)) = (...(c_n t + c_{n-1}) t + ...) + c_0
    in_x = np.zeros(1)
    for c in in_t[::-1]:
        in_x = np.convolve(in_x, t_in_x)
        in_x[0] += c
    result = np.zeros(size)
    result[: min(size, in_x.size)] = in_x[:size]
    return result


def format_polynomial(coefficients: np.ndarray, style: str = "unicode", decimals: int = 4) -> str:
    """The fitted polynomial as text, constant term first (coefficients in powers of x).

    ``style="chapter"`` reproduces the chapter's final print exactly, full precision and all:
    ``y_pred = 0.01 + 0.85*x + -0.002*x^2 + -0.09*x^3``.
    ``style="unicode"`` is for reading: ``y = 0.0147 + 0.8549·x − 0.0025·x² − 0.0931·x³``
    (a real minus sign, superscript powers, ``decimals`` places; tiny or huge values in
    scientific form such as ``1.234×10⁻⁶`` so they do not print as 0.0000). Values below
    1e-12 of the largest coefficient are rounding noise (the chapter's a = c = 0 by symmetry
    comes out as ~1e-17) and print as 0.
    """
    values = [float(c) for c in np.asarray(coefficients, dtype=np.float64).reshape(-1)]
    if not values:
        raise ValueError("a polynomial needs at least one coefficient")
    if style == "chapter":
        terms = [f"{values[0]}"]
        terms += [f"{c}*x" if k == 1 else f"{c}*x^{k}" for k, c in enumerate(values) if k >= 1]
        return "y_pred = " + " + ".join(terms)
    if style != "unicode":
        raise ValueError(f"style must be 'chapter' or 'unicode', got {style!r}")
    noise_level = 1e-12 * max((abs(c) for c in values if np.isfinite(c)), default=0.0)
    values = [0.0 if abs(c) <= noise_level else c for c in values]
    text = "y = " + _unicode_number(values[0], decimals)
    for k, c in enumerate(values[1:], start=1):
        sign = f" {MINUS} " if c < 0 else " + "
        power = "x" if k == 1 else "x" + str(k).translate(SUPERSCRIPTS)
        text += sign + _unicode_number(abs(c), decimals) + "·" + power
    return text


def _unicode_number(value: float, decimals: int) -> str:
    """``decimals`` places, or a×10ⁿ when fixed-point would hide the value or be unreadable."""
    magnitude = abs(value)
    if value == 0 or not np.isfinite(value) or 10.0**-decimals <= magnitude < 1e6:
        text = f"{value:.{decimals}f}"
    else:
        mantissa, exponent = f"{value:.{decimals - 1}e}".split("e")
        text = f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPTS)}"
    return text.replace("-", MINUS)


def _centre_and_half_width(x_min: float, x_max: float) -> tuple[float, float]:
    if not x_max > x_min:
        raise ValueError(f"x_max must be greater than x_min, got {x_min} .. {x_max}")
    return (x_max + x_min) / 2.0, (x_max - x_min) / 2.0


def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}, got {basis!r}")
