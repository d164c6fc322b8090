"""A live plot's y range leaves its legend a band at the top that no curve enters."""

from __future__ import annotations

import pytest

from gradlab.model.plot_ranges import top_below_band


def band_bottom(low: float, top: float, share: float) -> float:
    return top - share * (top - low)


def test_values_already_below_the_band_keep_the_range():
    assert top_below_band(0.0, 1.0, 0.6, 0.3) == 1.0


@pytest.mark.parametrize(
    ("low", "high", "under", "share", "step"),
    [
        (0.0, 1.0, 0.95, 0.3, 0.1),
        (-0.2, 1.0, 1.0, 0.45, 0.2),
        (-1.0, 4.0, 3.9, 0.25, 0.5),  # decades of a log axis
        (-30.0, 5.0, 4.0, 0.2, 5.0),
    ],
)
def test_the_raised_top_keeps_every_value_below_the_band_in_round_steps(
    low, high, under, share, step
):
    top = top_below_band(low, high, under, share)
    assert top > high
    assert under <= band_bottom(low, top, share) + 1e-12
    assert top / step == pytest.approx(round(top / step))  # the range's own round step
    assert under > band_bottom(low, top - step, share)  # and the lowest such


def test_the_raised_top_is_stable_once_reached():
    top = top_below_band(0.0, 1.0, 0.95, 0.3)
    assert top_below_band(0.0, top, 0.95, 0.3) == top


@pytest.mark.parametrize("share", [0.0, 1.0, -0.1])
def test_no_band_for_a_share_outside_zero_to_one(share):
    assert top_below_band(0.0, 1.0, 0.99, share) == 1.0
