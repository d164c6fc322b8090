"""Keyboard and assistive technology: every interactive widget of both labs has an accessible
name (in both languages), Tab reaches every control of the panel and the run toolbar, and Help's
shortcut list shows every shortcut the window has."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QWidget

from gradlab.ui import i18n
from gradlab.ui.accessibility import FALLBACK_NAMES, NAMES, interactive, label_tree, plain
from gradlab.ui.shortcuts_dialog import key_text

pytestmark = pytest.mark.usefixtures("classroom_sandbox")  # tests/ui/conftest.py
WAIT_MS = 10_000


def interactive_widgets(window: QWidget) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if interactive(w)]


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.objectName()!r} in {type(widget.parent()).__name__}"


def test_every_control_plot_and_dock_of_both_labs_has_an_accessible_name(qtbot, app_window) -> None:
    app_window.cnn_lab  # noqa: B018 (built on first use)
    app_window.inside.loss_dock.show()  # the loss explorer too: built when first opened
    app_window.inside.loss_dock.raise_()  # (its tab raised, as its View menu entry does)
    qtbot.waitUntil(lambda: app_window.inside.loss_explorer is not None, timeout=WAIT_MS)
    widgets = interactive_widgets(app_window)
    kinds = {type(w).__name__ for w in widgets}
    # the walk does see the kinds that matter (a walk that found nothing would pass)
    assert {"QToolButton", "NumberEdit", "QComboBox", "QSpinBox", "QCheckBox"} <= kinds
    assert {"FitPlot", "LossPlot", "CoefficientPlot", "GradientPlot", "QDockWidget"} <= kinds
    assert any(isinstance(w, QTabBar) for w in widgets)
    unnamed = [describe(w) for w in widgets if not w.accessibleName().strip()]
    assert not unnamed, "no accessible name: " + ", ".join(unnamed)
    # plots, docks and the panel's fields are described too
    for widget in widgets:
        if isinstance(widget, QDockWidget) or widget in app_window.plots.findChildren(QWidget):
            assert widget.accessibleDescription(), describe(widget)
    lr = app_window.panel.findChild(QWidget, "lrEdit")
    assert lr.accessibleName() == "Learning rate"
    assert lr.accessibleDescription() == plain(lr.toolTip())
    assert app_window.plots.loss.accessibleName() == "Loss"


def test_names_follow_the_visible_text_when_it_changes(qtbot, app_window) -> None:
    start = app_window.findChild(QWidget, "startButton")
    assert start.accessibleName() == "Start"
    app_window.controls.start_action.setText("Resume")
    assert start.accessibleName() == "Resume"


def test_accessible_names_are_in_chinese_after_a_switch(qtbot, app_window) -> None:
    app_window.cnn_lab  # noqa: B018
    manager = i18n.language_manager()
    manager.set_language("zh", remember=False)
    try:
        by_object = {w.objectName(): w for w in interactive_widgets(app_window) if w.objectName()}
        assert by_object["startButton"].accessibleName() == "开始"
        for table in (NAMES, FALLBACK_NAMES):
            for object_name, (name, description) in table.items():
                widget = by_object.get(object_name)
                if widget is None:
                    continue
                assert widget.accessibleName() != name, object_name
                assert widget.accessibleDescription() != description, object_name
        plot = app_window.plots.coefficients
        assert plot.accessibleName() == "系数" and "step" not in plot.accessibleDescription()
    finally:
        manager.set_language("en", remember=False)
    assert by_object["startButton"].accessibleName() == "Start"


def test_label_tree_reports_what_it_cannot_name(qtbot) -> None:
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    box = QWidget()
    qtbot.addWidget(box)
    field = QLineEdit(box)
    QVBoxLayout(box).addWidget(field)
    assert label_tree(box) == [field]


def focus_chain(window: QWidget, start: QWidget, limit: int = 400) -> list[QWidget]:
    """The widgets Tab visits from ``start`` until it comes round again."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    for _ in range(limit):
        focus = QApplication.focusWidget()
        if focus is None:
            break
        if focus in seen:
            break
        seen.append(focus)
        QTest.keyClick(focus, Qt.Key.Key_Tab)
    return seen


def test_tab_reaches_every_control_of_the_panel_and_the_run_toolbar(qtbot, app_window) -> None:
    app_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app_window, timeout=WAIT_MS)
    panel = app_window.panel
    fields = [
        f.box.field
        for f in panel.fields.values()
        if f.box.field.isVisibleTo(app_window) and f.box.field.isEnabled()
    ]
    assert len(fields) >= 8
    controls = app_window.controls
    run = [controls.step_n_spin, controls.speed_combo]
    run += [
        app_window.findChild(QWidget, name) for name in ("startButton", "stepButton", "stepNButton")
    ]
    assert all(button.isEnabled() for button in run)
    assert len(run) == 5
    reached = focus_chain(app_window, fields[0])
    missing = [describe(w) for w in [*fields, *run] if w not in reached]
    assert not missing, "Tab never reaches: " + ", ".join(missing)
    # the panel in its own order: each field comes after the one above it
    order = [reached.index(w) for w in fields]
    assert order == sorted(order)


def test_space_presses_a_focused_run_button(qtbot, app_window) -> None:
    app_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app_window, timeout=WAIT_MS)
    step = app_window.findChild(QWidget, "stepButton")
    step.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is step
    QTest.keyClick(step, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: app_window.model.state.name == "PAUSED", timeout=WAIT_MS)


def test_help_lists_every_shortcut_of_the_window(qtbot, app_window) -> None:
    dialog = app_window.appearance.show_shortcuts()
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    listed_keys = {key for _name, keys in rows for key in keys.split(", ")}
    actions = [a for a in app_window.findChildren(QAction) if not a.shortcut().isEmpty()]
    shortcuts = [s for s in app_window.findChildren(QShortcut) if not s.key().isEmpty()]
    expected = {key_text(k) for a in actions for k in a.shortcuts()}
    expected |= {key_text(s.key()) for s in shortcuts}
    assert listed_keys == expected
    names = {name for name, _keys in rows}
    for action in actions:
        assert plain(action.text()) in names, action.objectName()
    keys = dict(rows)
    space = QKeySequence(Qt.Key.Key_Space).toString(QKeySequence.SequenceFormat.NativeText)
    assert space in keys["Pause"].split(", ")
    assert "F5" in keys["Start"].split(", ")
    assert "F1" in keys["Guide"].split(", ")
    assert len(rows) >= 8
    # a shortcut added later is listed the next time the list is opened
    extra = QAction("Zoom demo", app_window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
    app_window.addAction(extra)
    assert ("Zoom demo", key_text(QKeySequence("Ctrl+Alt+J"))) in (
        app_window.appearance.show_shortcuts().rows()
    )


def test_every_toolbar_action_is_also_in_a_menu(app_window) -> None:
    """Menus are the keyboard's way in (Alt and a letter): nothing only a mouse can reach."""
    from PySide6.QtWidgets import QMenu, QToolBar, QToolButton

    app_window.cnn_lab  # noqa: B018
    in_menus = {a for menu in app_window.findChildren(QMenu) for a in menu.actions()}
    on_toolbars = []
    for bar in app_window.findChildren(QToolBar):
        on_toolbars += [a for a in bar.actions() if not a.isSeparator() and a.text()]
        on_toolbars += [
            b.defaultAction() for b in bar.findChildren(QToolButton) if b.defaultAction()
        ]
    assert len(on_toolbars) >= 8
    missing = [a.objectName() or a.text() for a in on_toolbars if a not in in_menus]
    assert not missing, "only on a toolbar: " + ", ".join(missing)
