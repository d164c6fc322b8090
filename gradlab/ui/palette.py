"""Every colour GradLab draws with, per theme: light, dark and high contrast.

Curves use the Okabe–Ito set (distinguishable with every common colour-vision deficiency) and,
for the coefficient curves, a line style as a second cue. Code asks for a colour by its role
(``colour("train")``); a theme is a table from roles to colours. ``THEME_NAMES`` are what the
settings remember; ``SYSTEM`` follows the desktop's colour scheme and contrast preference.

Within a theme every role and curve has its own exact colour (a shared one is nudged by a unit
of blue, which no eye sees), so a colour already drawn names its role, and ``theme_map(old,
new)`` carries pens and style sheets to another theme without knowing which code drew them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

SYSTEM, LIGHT, DARK, HIGH_CONTRAST = "system", "light", "dark", "high-contrast"
THEME_NAMES = (SYSTEM, LIGHT, DARK, HIGH_CONTRAST)

# Okabe & Ito (2008), "Color Universal Design": blue, vermillion, bluish green, reddish purple,
# orange, sky blue, black, yellow (yellow last: it is faint on white)
OKABE_ITO = (
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
)  # fmt: skip
# the second cue for curves that would otherwise differ by colour alone
CURVE_STYLES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
)

_HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


@dataclass(frozen=True)
class Theme:
    """One look: ``dark`` says whether the window is dark; ``colours`` maps roles to #rrggbb."""

    name: str
    dark: bool
    colours: dict[str, str] = field(hash=False)
    curves: tuple[str, ...] = OKABE_ITO

    def colour(self, role: str) -> str:
        return self.colours[role]

    def curve(self, index: int) -> str:
        return self.curves[index % len(self.curves)]


_LIGHT = {
    # window and text
    "window": "#efefef", "base": "#ffffff", "text": "#222222", "text_secondary": "#333333",
    "muted": "#555555", "faint": "#777777", "border": "#bbbbbb", "link": "#0b57a4",
    "disabled": "#8c8c8c",  # a control that does nothing now: unmistakably greyed
    "highlight": "#0072b2", "highlighted_text": "#ffffff",
    # plots
    "plot_background": "#ffffff", "plot_text": "#222222", "plot_axis": "#333333",
    "crosshair": "#888888", "legend_background": "#ffffff", "readout_border": "#cccccc",
    "train": "#0072b2", "validation": "#e69f00", "optimum": "#009e73", "prediction": "#d55e00",
    "target": "#222222", "gradient": "#cc79a7", "floor": "#777777", "batch": "#9bb7e0",
    # states and messages
    "good": "#007a56", "bad": "#b84a00", "error": "#c62828", "warning": "#8a5a00",
    "info_background": "#e3f2fd", "info_text": "#0d47a1",
    "warning_background": "#fff4e0", "warning_text": "#6d4300",
    "error_background": "#fdecea", "error_text": "#8e1b1b",
    "phase_active": "#ffe066", "phase_active_border": "#d4a800", "phase_idle": "#f4f4f4",
    # the code pane
    "code_background": "#fbfbfb", "code_text": "#1f1f1f", "code_keyword": "#0033b3",
    "code_builtin": "#8a2be2", "code_module": "#00627a", "code_number": "#1750eb",
    "code_string": "#067d17", "code_comment": "#6a737d", "code_phase": "#fff1a8",
    # the confusion matrix: right (blue) and wrong (vermillion), not green and red
    "matrix_right": "#0072b2", "matrix_wrong": "#d55e00", "matrix_grid": "#bbbbbb",
    # the computation graph dock: its boxes (operation, leaf, root, changed), lines and grads
    "graph_op": "#e3ecfa", "graph_leaf": "#dff2df", "graph_root": "#fde3c8",
    "graph_changed": "#fff3a8", "graph_border": "#666677", "graph_root_border": "#e67e22",
    "graph_edge": "#888899", "graph_grad": "#c0392b",
}  # fmt: skip

_DARK = {
    "window": "#2b2b2b", "base": "#1e1e1e", "text": "#e6e6e6", "text_secondary": "#d0d0d0",
    "muted": "#b0b0b0", "faint": "#9a9a9a", "border": "#5a5a5a", "link": "#7cc4ff",
    "disabled": "#7d7d7d",
    "highlight": "#3d8fd1", "highlighted_text": "#ffffff",
    "plot_background": "#1e1e1e", "plot_text": "#e6e6e6", "plot_axis": "#d0d0d0",
    "crosshair": "#999999", "legend_background": "#2b2b2b", "readout_border": "#5b5b5b",
    "train": "#56b4e9", "validation": "#e69f00", "optimum": "#2bd9a8", "prediction": "#ff7a2e",
    "target": "#e6e6e6", "gradient": "#e8a0c8", "floor": "#9a9a9a", "batch": "#4a6a94",
    "good": "#3ccf9e", "bad": "#ff9a52", "error": "#ff6b6b", "warning": "#f0b54a",
    "info_background": "#1c3552", "info_text": "#bcdcff",
    "warning_background": "#4a3612", "warning_text": "#ffdca0",
    "error_background": "#4d1f1f", "error_text": "#ffc2c2",
    "phase_active": "#6b5a00", "phase_active_border": "#c9a400", "phase_idle": "#333333",
    "code_background": "#1b1b1b", "code_text": "#dcdcdc", "code_keyword": "#7aa7ff",
    "code_builtin": "#c792ea", "code_module": "#4fc1d6", "code_number": "#8fb8ff",
    "code_string": "#8bd17c", "code_comment": "#9aa4ad", "code_phase": "#5a4a00",
    "matrix_right": "#56b4e9", "matrix_wrong": "#ff7a2e", "matrix_grid": "#5a5a5a",
    "graph_op": "#1f3350", "graph_leaf": "#1f3d26", "graph_root": "#4a3015",
    "graph_changed": "#574800", "graph_border": "#9aa0b0", "graph_root_border": "#ff9f4a",
    "graph_edge": "#8f95a8", "graph_grad": "#ff6b6c",
}  # fmt: skip

_HIGH_CONTRAST = {
    "window": "#ffffff", "base": "#ffffff", "text": "#000000", "text_secondary": "#000000",
    "muted": "#000000", "faint": "#1a1a1a", "border": "#000000", "link": "#0000c8",
    "disabled": "#767676",  # greyed, yet 4.5:1 on white
    "highlight": "#000000", "highlighted_text": "#ffffff",
    "plot_background": "#ffffff", "plot_text": "#000000", "plot_axis": "#000000",
    "crosshair": "#1a1a1a", "legend_background": "#ffffff", "readout_border": "#000000",
    "train": "#0040a0", "validation": "#b35900", "optimum": "#006b4e", "prediction": "#c00000",
    "target": "#000000", "gradient": "#8b008b", "floor": "#1a1a1a", "batch": "#5078b4",
    "good": "#005a3c", "bad": "#a03c00", "error": "#b00000", "warning": "#6b4000",
    "info_background": "#ffffff", "info_text": "#00007a",
    "warning_background": "#ffffff", "warning_text": "#4d2e00",
    "error_background": "#ffffff", "error_text": "#7a0000",
    "phase_active": "#ffff00", "phase_active_border": "#000000", "phase_idle": "#ffffff",
    "code_background": "#ffffff", "code_text": "#000000", "code_keyword": "#00008b",
    "code_builtin": "#5a0090", "code_module": "#004050", "code_number": "#00006a",
    "code_string": "#004d00", "code_comment": "#3a3a3a", "code_phase": "#ffff00",
    "matrix_right": "#0040a0", "matrix_wrong": "#c00000", "matrix_grid": "#000000",
    "graph_op": "#ffffff", "graph_leaf": "#ffffff", "graph_root": "#ffffff",
    "graph_changed": "#ffff00", "graph_border": "#000000", "graph_root_border": "#000000",
    "graph_edge": "#000000", "graph_grad": "#b00000",
}  # fmt: skip


def _nudged(hex_colour: str, taken: set[str]) -> str:
    """``hex_colour``, or the nearest colour one blue/green unit away that is not ``taken``."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(1, 256):
        for candidate in ((r, g, b + step), (r, g, b - step), (r, g + step, b), (r, g - step, b)):
            if all(0 <= c <= 255 for c in candidate):
                text = "#{:02x}{:02x}{:02x}".format(*candidate)
                if text not in taken:
                    return text
    raise ValueError(hex_colour)  # pragma: no cover - 256 steps always find one


def _theme(
    name: str, dark: bool, colours: dict[str, str], curves: tuple[str, ...], **k: float
) -> Theme:
    """A theme whose roles and curves all have distinct colours (see the module docstring)."""
    taken: set[str] = set()
    distinct_curves = []
    for value in curves:
        value = value.lower() if value.lower() not in taken else _nudged(value.lower(), taken)
        taken.add(value)
        distinct_curves.append(value)
    distinct = {}
    for role, value in colours.items():
        value = value.lower() if value.lower() not in taken else _nudged(value.lower(), taken)
        taken.add(value)
        distinct[role] = value
    return Theme(name, dark, distinct, tuple(distinct_curves), **k)


THEMES = {
    LIGHT: _theme(LIGHT, False, _LIGHT, OKABE_ITO),
    DARK: _theme(
        DARK,
        True,
        _DARK,
        curves=(
            "#56b4e9",
            "#ff7a2e",
            "#2bd9a8",
            "#e8a0c8",
            "#e69f00",
            "#a6d8f5",
            "#e6e6e6",
            "#f0e442",
        ),
    ),
    HIGH_CONTRAST: _theme(
        HIGH_CONTRAST,
        False,
        _HIGH_CONTRAST,
        curves=(
            "#0040a0",
            "#c00000",
            "#006b4e",
            "#8b008b",
            "#b35900",
            "#006ea8",
            "#000000",
            "#6b6b00",
        ),
    ),
}

_current: Theme = THEMES[LIGHT]


def current_theme() -> Theme:
    """The theme on screen (light until gradlab.ui.themes applies another)."""
    return _current


def set_current_theme(theme: Theme) -> Theme:
    """Make ``theme`` the one new drawing uses; returns the previous one."""
    global _current
    previous, _current = _current, theme
    return previous


def colour(role: str) -> str:
    """The colour of ``role`` in the current theme, as #rrggbb."""
    return _current.colour(role)


def curve_colour(index: int) -> str:
    """The ``index``-th curve colour (a, b, c, ... or the n-th run) in the current theme."""
    return _current.curve(index)


def curve_style(index: int) -> Qt.PenStyle:
    """The line style that tells curve ``index`` apart without its colour."""
    return CURVE_STYLES[index % len(CURVE_STYLES)]


def _normal(hex_colour: str) -> str:
    text = hex_colour.lower()
    return "#" + "".join(c * 2 for c in text[1:]) if len(text) == 4 else text


def theme_map(old: Theme, new: Theme) -> dict[str, str]:
    """#rrggbb in ``old`` -> the same role's colour in ``new`` (roles and curves)."""
    mapping = {_normal(old.colours[role]): new.colours[role] for role in old.colours}
    for index in range(len(old.curves)):
        mapping.setdefault(_normal(old.curve(index)), new.curve(index))
    return mapping


def recolour_text(text: str, mapping: dict[str, str]) -> str:
    """``text`` (a style sheet, a bit of HTML) with every colour of ``mapping`` replaced."""
    return _HEX.sub(lambda m: mapping.get(_normal(m.group(0)), m.group(0)), text)


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``hex_colour``: 0 for black, 1 for white."""
    colour = QColor(hex_colour)

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(background: str) -> str:
    """Black or white, whichever has more contrast on ``background`` (#rrggbb)."""
    # the two contrasts are equal where (L + 0.05)^2 = 1.05 * 0.05, at L = 0.179
    return "#000000" if luminance(background) > 0.179 else "#ffffff"
