"""The read-out tiles show counts as bare digits: their fixed-pitch font draws a thousands comma
as a dot at classroom sizes, so "20,212 steps/s" read as twenty steps a second."""

from __future__ import annotations

import pytest

from gradlab.ui import i18n
from gradlab.ui.readouts import ReadoutBar


@pytest.mark.parametrize(("language", "unit"), [("en", "steps/s"), ("zh", "步/秒")])
def test_the_speed_is_digits_like_the_step_count_beside_it(qtbot, language, unit):
    manager = i18n.language_manager()
    manager.set_language(language, remember=False)
    try:
        bar = ReadoutBar()
        qtbot.addWidget(bar)
        bar.show_step(150_753, 200_000)
        bar.show_speed(20_212.4, 8.0)
        assert bar.step_label.text() == "150753"
        assert bar.rate_label.text() == f"20212 {unit}"
        bar.show_speed(1_234_567.0, 3725.0)  # numpy-manual's millions too
        assert bar.rate_label.text() == f"1234567 {unit}"
    finally:
        manager.set_language("en", remember=False)
