"""How often the live plots redraw: a pure rule (no Qt), tested directly.

A redraw costs the GUI thread a few milliseconds of CPU time (the plots' curves, their repaints,
the read-outs), all of it holding Python's lock, which the training thread then waits for: on a
2-core machine the two threads take turns rather than run side by side. So while a run trains,
the plots redraw ~27 times a second, just above the 25 a second they must keep (a QTimer may
fire a little early or late); otherwise (a paused or finished run, the student editing the
settings) nothing competes for the lock and they redraw ~30 times a second: the GUI thread's
redraw work per second falls by ~8 % while training (see the README's Speed section).
"""

from __future__ import annotations

IDLE_REDRAW_MS = 33  # ~30 redraws a second
RUNNING_REDRAW_MS = 36  # ~27 redraws a second while training: the goal is >= 25
MIN_REDRAWS_PER_S = 25
# while training, the read-outs (step, loss, speed, the equation) are written at every other
# redraw, ~13 times a second: digits changing faster cannot be read anyway, and writing them
# (text layout, and the repaint of the labels and of every widget under them) cost the GUI
# thread ~1.4 ms per redraw (measured, tests/benchmarks/bench_frame.py and a synthetic A/B)
READOUT_EVERY = 2


# a busy GUI thread (waiting for the lock, a loaded machine) fires the timer late: measured at
# load 4-6, 36 ms gave 25.5-27.5 redraws a second. Below this rate over the last second the
# interval goes back to 33 ms until the rate has recovered.
LOW_REDRAWS_PER_S = 26.5


def redraw_interval_ms(running: bool, redraws_last_second: int | None = None) -> int:
    """The redraw timer's interval: longer while a run trains, unless the redraws of the last
    second (None: not known yet) fell below LOW_REDRAWS_PER_S (see the module docstring)."""
    if not running:
        return IDLE_REDRAW_MS
    if redraws_last_second is not None and redraws_last_second < LOW_REDRAWS_PER_S:
        return IDLE_REDRAW_MS
    return RUNNING_REDRAW_MS


def readouts_due(redraw_index: int, running: bool) -> bool:
    """Whether redraw number ``redraw_index`` writes the read-outs: every one unless a run
    trains (then every READOUT_EVERY-th), so a paused or finished run shows its last values."""
    return not running or redraw_index % READOUT_EVERY == 0
