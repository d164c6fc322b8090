"""Themes: colour-blind-safe curve colours with line styles, readable text in every theme, a
switch that recolours what is on screen (plots, code pane, confusion matrix) and is remembered,
and the system's colour scheme and contrast preference followed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from gradlab.core.config import MAX_DEGREE
from gradlab.ui import palette, themes
from gradlab.ui.palette import DARK, HIGH_CONTRAST, LIGHT, OKABE_ITO, SYSTEM, THEMES, luminance
from gradlab.ui.settings import Settings

pytestmark = pytest.mark.usefixtures("classroom_sandbox")  # tests/ui/conftest.py


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def theme_afterwards():
    """The theme manager; the light theme, as the rest of the suite expects, afterwards."""
    manager = themes.theme_manager()
    yield manager
    manager.set_choice(LIGHT, remember=False)
    manager.choice = SYSTEM


def test_text_on_a_fill_is_black_or_white_whichever_contrasts_more() -> None:
    for fill in ("#3ccf9e", "#56b4e9", "#0072b2", "#d55e00", "#1e1e1e", "#ffffff", "#777777"):
        chosen = palette.text_on(fill)
        other = "#ffffff" if chosen == "#000000" else "#000000"
        assert contrast(chosen, fill) >= contrast(other, fill), fill


def test_light_curves_are_okabe_ito_and_coefficients_differ_in_style_too() -> None:
    light = THEMES[LIGHT]
    assert [light.curve(i) for i in range(8)] == list(OKABE_ITO)
    looks = [(palette.curve_style(i), i % len(OKABE_ITO)) for i in range(MAX_DEGREE + 1)]
    assert len(set(looks)) == len(looks)
    # the first four (a cubic) differ by style alone, for readers who see no colour
    assert len({palette.curve_style(i) for i in range(4)}) == 4


@pytest.mark.parametrize("name", [LIGHT, DARK, HIGH_CONTRAST])
def test_text_is_readable_in_every_theme(name: str) -> None:
    theme = THEMES[name]
    least = 7.0 if name == HIGH_CONTRAST else 4.5  # WCAG AAA for high contrast, else AA
    for text, background in (
        ("text", "base"), ("text", "window"), ("muted", "base"), ("plot_text", "plot_background"),
        ("plot_axis", "plot_background"), ("code_text", "code_background"),
        ("code_comment", "code_background"), ("code_keyword", "code_background"),
        ("code_string", "code_background"), ("info_text", "info_background"),
        ("warning_text", "warning_background"), ("error_text", "error_background"),
        ("text", "phase_active"), ("code_text", "code_phase"),
    ):  # fmt: skip
        ratio = contrast(theme.colour(text), theme.colour(background))
        assert ratio >= least, f"{name}: {text} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize(("name", "least"), [(DARK, 3.0), (HIGH_CONTRAST, 4.5)])
def test_curves_stand_out_from_the_plot_background(name: str, least: float) -> None:
    theme = THEMES[name]
    for index in range(len(theme.curves)):
        ratio = contrast(theme.curve(index), theme.colour("plot_background"))
        assert ratio >= least, f"{name}: curve {index} is {ratio:.2f}:1"
    for role in ("train", "validation", "optimum", "prediction", "target", "gradient"):
        assert contrast(theme.colour(role), theme.colour("plot_background")) >= least, role


def test_every_drawn_colour_names_its_role_so_a_switch_can_carry_it() -> None:
    for theme in THEMES.values():
        drawn = [*theme.colours.values(), *theme.curves]
        assert len(set(drawn)) == len(drawn), theme.name
    for old, new in itertools.permutations(THEMES.values(), 2):
        mapping = palette.theme_map(old, new)
        back = palette.theme_map(new, old)
        for role, value in old.colours.items():
            assert mapping[value] == new.colour(role)
            assert back[mapping[value]] == value
    sheet = "color: #555; background: #fff4e0; border: 1px solid #123456;"
    dark = palette.recolour_text(sheet, palette.theme_map(THEMES[LIGHT], THEMES[DARK]))
    assert THEMES[DARK].colour("warning_background") in dark
    assert "#123456" in dark  # not a palette colour: left alone


def test_a_theme_switch_recolours_the_window_and_is_remembered(
    qtbot, app_window, theme_afterwards
) -> None:
    window = app_window
    lab = window.cnn_lab
    loss, coefficients = window.plots.loss, window.plots.coefficients
    light_pen = loss.train.pen().color().name()
    fit = window.plots.fit
    light_fit = [item.curve.opts["pen"].color().name() for item in (fit.target, fit.optimum)]
    code = window.findChild(QWidget, "codePane")
    theme_afterwards.set_choice(DARK)
    dark = THEMES[DARK]
    assert Settings().theme() == DARK
    assert loss.backgroundBrush().color().name() == dark.colour("plot_background")
    assert loss.train.pen().color().name() == dark.colour("train")
    assert coefficients.curves[1].pen().color().name() == dark.curve(1)
    # the curve and scatter inside a PlotDataItem take the new colours too
    assert fit.optimum.curve.opts["pen"].color().name() == dark.colour("optimum")
    assert fit.target.curve.opts["pen"].color().name() == dark.colour("target")
    assert fit.points.scatter.opts["brush"].color().name() == dark.colour("train")
    assert coefficients.curves[1].pen().style() == Qt.PenStyle.DashLine
    assert loss.getPlotItem().getAxis("left").textPen().color().name() == dark.colour("plot_axis")
    assert QGuiApplication.palette().window().color().name() == dark.colour("window")
    assert dark.colour("code_background") in code.styleSheet()
    keyword = code.highlighter._rules[0][1].foreground().color().name()
    assert keyword == dark.colour("code_keyword")
    # the confusion matrix paints in the theme: its background and a readable number
    matrix = _confusion_matrix(lab)
    matrix.set_matrix(np.array([[5, 1], [0, 6]]), ["cat", "dog"])
    matrix.resize(300, 300)
    image = matrix.grab().toImage()
    assert image.pixelColor(2, 2).name() == dark.colour("base")
    theme_afterwards.set_choice(LIGHT)
    assert loss.train.pen().color().name() == light_pen
    assert [item.curve.opts["pen"].color().name() for item in (fit.target, fit.optimum)] == (
        light_fit
    )
    assert loss.backgroundBrush().color().name() == THEMES[LIGHT].colour("plot_background")


def _confusion_matrix(lab):
    from gradlab.ui.cnn.confusion_matrix import ConfusionMatrixView

    return lab.findChildren(ConfusionMatrixView)[0]


def test_the_theme_menu_switches_and_follows_the_system(
    qtbot, app_window, theme_afterwards, monkeypatch
) -> None:
    actions = app_window.appearance.theme_actions
    assert set(actions) == {SYSTEM, LIGHT, DARK, HIGH_CONTRAST}
    actions[HIGH_CONTRAST].trigger()
    assert palette.current_theme() is THEMES[HIGH_CONTRAST]
    assert actions[HIGH_CONTRAST].isChecked()
    # "system": the desktop's contrast preference, then its colour scheme
    monkeypatch.setattr(themes, "system_theme_name", lambda: DARK)
    actions[SYSTEM].trigger()
    assert palette.current_theme() is THEMES[DARK]
    monkeypatch.setattr(themes, "system_theme_name", lambda: HIGH_CONTRAST)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert palette.current_theme() is THEMES[HIGH_CONTRAST]
    assert Settings().theme() == SYSTEM


def test_the_system_preference_is_read_from_qt(monkeypatch) -> None:
    hints = QGuiApplication.styleHints()
    accessibility = hints.accessibility()
    monkeypatch.setattr(
        type(accessibility), "contrastPreference", lambda self: Qt.ContrastPreference.HighContrast
    )
    assert themes.system_theme_name() == HIGH_CONTRAST
    monkeypatch.setattr(
        type(accessibility), "contrastPreference", lambda self: Qt.ContrastPreference.NoPreference
    )
    monkeypatch.setattr(type(hints), "colorScheme", lambda self: Qt.ColorScheme.Dark)
    assert themes.system_theme_name() == DARK
    monkeypatch.setattr(type(hints), "colorScheme", lambda self: Qt.ColorScheme.Light)
    assert themes.system_theme_name() == LIGHT


@pytest.mark.parametrize("name", [DARK, HIGH_CONTRAST])
def test_a_disabled_control_looks_disabled_in_every_theme(name: str) -> None:
    """Greyed text differs clearly from enabled text (high contrast drew both black)."""
    from PySide6.QtGui import QPalette

    made = themes.qt_palette(THEMES[name])
    group, role = QPalette.ColorGroup, QPalette.ColorRole.ButtonText
    enabled = made.color(group.Active, role).name()
    disabled = made.color(group.Disabled, role).name()
    assert contrast(enabled, disabled) >= 2.0, (name, enabled, disabled)
    assert contrast(disabled, THEMES[name].colour("window")) >= 3.0, (name, disabled)
