"""The read-outs change at every frame of a run: what does not change is not worked out again."""

from __future__ import annotations

from gradlab.ui.readouts import ReadoutBar


def test_the_equation_is_laid_out_only_when_its_line_height_may_change(qtbot):
    bar = ReadoutBar()
    qtbot.addWidget(bar)
    bar.resize(900, 200)
    bar.show()
    qtbot.waitExposed(bar)
    label = bar.equation_label
    calls: list[int] = []
    real = label.heightForWidth
    label.heightForWidth = lambda width: calls.append(width) or real(width)
    bar.show_equation("y = 0.1234 − 2.5000·x + 0.0032·x² + 1.5000·x³")
    first = len(calls)
    assert first >= 1  # new characters: laid out once
    bar.show_equation("y = 0.1243 − 2.5000·x + 0.0023·x² + 1.5000·x³")  # the same characters
    bar.show_equation("y = 0.4321 − 2.0500·x + 0.0320·x² + 1.0500·x³")
    assert len(calls) == first
    height = bar.equation_box.height()
    assert height == real(bar.equation_box.width())  # and the height is the laid-out one
    bar.show_equation("中文 " * 200)  # many lines: laid out, and the box grows
    assert len(calls) > first and bar.equation_box.height() > height


def test_of_n_steps_is_worded_once_per_total(qtbot):
    bar = ReadoutBar()
    qtbot.addWidget(bar)
    texts: list[str] = []
    real = bar.total_label.setText
    bar.total_label.setText = lambda text: texts.append(text) or real(text)
    for step in range(1, 50):
        bar.show_step(step, 1000)
    assert texts == ["of 1000"] and bar.step_label.text() == "49"
    bar.show_step(50, 2000)
    assert texts == ["of 1000", "of 2000"]
    bar.retranslate_ui()  # another language words it again
    assert len(texts) == 3
