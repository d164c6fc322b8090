"""Round view ranges for the live plots: pure rules (no Qt), tested through the plots.

A plot's range moves in round steps (x up to the next 1, 2 or 5 × 10ⁿ; y by whole decades on a
log axis) and only when the data outgrows it: the axes then keep their drawing from frame to
frame, and re-drawing an axis's labels costs the GUI thread more than the rest of a live repaint.
"""

from __future__ import annotations

import math

LOG_HEADROOM = 0.25  # of the data's span, left on the side a log-axis curve is leaving through
MAX_LOG_HEADROOM = 3.0  # decades


def nice_step(value: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(f * power for f in (1, 2, 5, 10) if f * power >= value * (1 - 1e-12))


def nice_ceiling(value: float) -> float:
    """Where a growing step axis ends: 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 1)."""
    return 1.0 if value <= 1 else nice_step(value)


def nice_span(low: float, high: float, current: tuple[float, float]) -> tuple[float, float]:
    """A round range around [low, high]; ``current`` is kept while it still fits well."""
    if current[0] <= low and high <= current[1] and (high - low) >= 0.4 * (current[1] - current[0]):
        return (float(current[0]), float(current[1]))
    span = high - low if high > low else max(abs(high), 1.0) * 0.2
    step = nice_step(span / 5)
    margin = 0.05 * span
    return (math.floor((low - margin) / step) * step, math.ceil((high + margin) / step) * step)


def decade_span(low: float, high: float, current: tuple[float, float]) -> tuple[float, float]:
    """Whole decades (in log10 units) around [low, high], kept while they still fit well.

    A curve leaving through the bottom or the top (a gradient norm falling a decade every
    few frames) gets a quarter of its span (at most 3 decades) as headroom on that side:
    otherwise the axis would be re-framed, and its labels re-drawn, at every decade (measured:
    ~1-2 ms of GUI time each, which the training thread waits for)."""
    if current[0] <= low and high <= current[1] and (high - low) >= 0.4 * (current[1] - current[0]):
        return (float(current[0]), float(current[1]))
    headroom = min(LOG_HEADROOM * (high - low), MAX_LOG_HEADROOM)
    if low < current[0]:
        low -= headroom
    if high > current[1]:
        high += headroom
    bottom, top = float(math.floor(low)), float(math.ceil(high))
    if top - bottom < 1:
        bottom, top = bottom - 0.5, top + 0.5
    if top - low < 0.1:  # keep the newest value off the very top edge
        top += 1
    return (float(bottom), float(top))


def top_below_band(low: float, high: float, under: float, share: float) -> float:
    """The top of a y range [low, top] in which values up to ``under`` stay below a band taking
    the top ``share`` of the height (where a legend sits): ``high`` if they already do, else
    raised to the next multiple of the range's own round step, so that it moves rarely."""
    span = high - low
    if not (0 < share < 1) or span <= 0 or not math.isfinite(under):
        return high
    if under <= high - share * span:
        return high
    needed = (under - share * low) / (1 - share)
    step = nice_step(span / 10)
    return max(high, math.ceil(needed / step) * step)
