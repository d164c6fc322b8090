"""The run controls: toolbar actions, their buttons (stable object names for tests), the speed
choice, keyboard shortcuts that never fire while the student is typing, and which control is
enabled in which run state. ``retranslate_ui()`` re-sets the texts made from values (speeds,
the run state) after a language switch; the fixed ones are switched by gradlab.ui.i18n."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QSpinBox,
    QStyle,
    QTextEdit,
    QToolBar,
    QToolButton,
    QWidget,
)

from gradlab.model.run_state import Control, RunState, enabled_controls

SPEEDS: tuple[float | None, ...] = (1, 2, 5, 10, 30, 100, 1000, None)  # None: no limit
MAX_STEP_N = 1_000_000


def typing_in(widget: QWidget | None) -> bool:
    """True when ``widget`` takes text, so Space, → and R belong to it, not to the shortcuts."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit))


class RunControls(QObject):
    """Builds the Run toolbar on ``window``; the window connects to the ``*_action``s."""

    speed_changed = Signal(object)  # steps per second, or None for as fast as possible

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._state = RunState.READY  # the run state last shown, for retranslate_ui()
        self.toolbar = QToolBar(self.tr("Run"), window)
        self.toolbar.setObjectName("runToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setFloatable(False)
        style = window.style()
        icon = style.standardIcon
        pixmap = QStyle.StandardPixmap
        self.start_action = self._action(
            "startButton",
            icon(pixmap.SP_MediaPlay),
            self.tr("Start"),
            self.tr("Start training, or resume a paused run (F5)"),
        )
        self.pause_action = self._action(
            "pauseButton",
            icon(pixmap.SP_MediaPause),
            self.tr("Pause"),
            self.tr("Pause the run; press again to resume (Space)"),
            checkable=True,
        )
        self.step_action = self._action(
            "stepButton",
            icon(pixmap.SP_MediaSeekForward),
            self.tr("Step"),
            self.tr("Do exactly one training step, then pause (→)"),
        )
        self.step_n_action = self._action(
            "stepNButton",
            icon(pixmap.SP_MediaSkipForward),
            self.tr("Step ×"),
            self.tr("Do the number of steps in the box, then pause"),
        )
        self.step_n_spin = QSpinBox(window)
        self.step_n_spin.setObjectName("stepCountSpin")
        self.step_n_spin.setRange(1, MAX_STEP_N)
        self.step_n_spin.setValue(100)
        self.step_n_spin.setToolTip(self.tr("How many steps “Step ×N” does"))
        self.toolbar.addWidget(self.step_n_spin)
        self.toolbar.addSeparator()
        self.stop_action = self._action(
            "stopButton",
            icon(pixmap.SP_MediaStop),
            self.tr("Stop"),
            self.tr("End this run; its plots stay until the next start"),
        )
        self.reset_action = self._action(
            "resetButton",
            icon(pixmap.SP_BrowserReload),
            self.tr("Reset"),
            self.tr("Back to step 0 with the current settings; clears the plots (R)"),
        )
        self.toolbar.addSeparator()
        speed_label = QLabel(self.tr(" Speed "), window)
        self.toolbar.addWidget(speed_label)
        self.speed_combo = QComboBox(window)
        self.speed_combo.setObjectName("speedCombo")
        for speed in SPEEDS:
            self.speed_combo.addItem(self.speed_text(speed), speed)
        self.speed_combo.setCurrentIndex(len(SPEEDS) - 1)
        tip = self.tr(
            "How fast training runs: 1 step/s to watch each update, up to as fast "
            "as the computer can"
        )
        self.speed_combo.setToolTip(tip)
        speed_label.setToolTip(tip)
        self.speed_combo.currentIndexChanged.connect(
            lambda _index: self.speed_changed.emit(self.speed())
        )
        self.toolbar.addWidget(self.speed_combo)
        self.shortcuts = self._install_shortcuts()

    def _action(
        self, name: str, icon: QIcon, text: str, tooltip: str, *, checkable: bool = False
    ) -> QAction:
        action = QAction(icon, text, self.window)
        action.setObjectName(name.replace("Button", "Action"))
        action.setToolTip(tooltip)
        action.setStatusTip(tooltip)
        action.setCheckable(checkable)
        button = QToolButton(self.window)
        button.setObjectName(name)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # reached by Tab, never by a click (a clicked button keeping the focus would take Space)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.toolbar.addWidget(button)
        return action

    @property
    def actions(self) -> dict[str, QAction]:
        return {
            "start": self.start_action, "pause": self.pause_action, "step": self.step_action,
            "step_n": self.step_n_action, "stop": self.stop_action, "reset": self.reset_action,
        }  # fmt: skip

    def speed_text(self, speed: float | None) -> str:
        """A speed choice in words: "10 steps/s", "as fast as possible"."""
        if speed is None:
            return self.tr("as fast as possible")
        if speed == 1:
            return self.tr("1 step/s")
        return self.tr("{n} steps/s").format(n=f"{speed:g}")

    def retranslate_ui(self) -> None:
        """Texts made from values, in the current language (the window calls this after a
        language switch): the speed choices, Start/Resume and the run state in the status bar."""
        for index in range(self.speed_combo.count()):
            speed = self.speed_combo.itemData(index)
            self.speed_combo.setItemText(index, self.speed_text(speed))
        self.start_action.setText(self._start_text(self._state))

    def speed(self) -> float | None:
        """Steps per second chosen, or None for as fast as possible."""
        speed = self.speed_combo.currentData()
        return None if speed is None else float(speed)

    def step_count(self) -> int:
        return self.step_n_spin.value()

    def state_text(self, state: RunState) -> str:
        """The run state in words, for the status bar."""
        return {
            RunState.READY: self.tr("Ready"), RunState.PREPARING: self.tr("Preparing…"),
            RunState.RUNNING: self.tr("Running"), RunState.PAUSED: self.tr("Paused"),
            RunState.FINISHED: self.tr("Finished"), RunState.DIVERGED: self.tr("Diverged"),
            RunState.STOPPED: self.tr("Stopped"), RunState.FAILED: self.tr("Failed"),
        }[state]  # fmt: skip

    def update_state(self, state: RunState, *, config_valid: bool) -> None:
        """Enable exactly the controls that make sense in ``state``."""
        self._state = state
        allowed = enabled_controls(state, settings_valid=config_valid)
        self.start_action.setEnabled(Control.START in allowed)
        self.start_action.setText(self._start_text(state))
        self.pause_action.setEnabled(Control.PAUSE in allowed)
        self.pause_action.setChecked(state is RunState.PAUSED)
        can_step = Control.STEP in allowed
        self.step_action.setEnabled(can_step)
        self.step_n_action.setEnabled(can_step)
        self.stop_action.setEnabled(Control.STOP in allowed)
        self.reset_action.setEnabled(Control.RESET in allowed)

    def _start_text(self, state: RunState) -> str:
        return self.tr("Resume") if state is RunState.PAUSED else self.tr("Start")

    # ---- keyboard ----

    def _install_shortcuts(self) -> list[QShortcut]:
        keys = (
            (Qt.Key.Key_F5, self.start_action, False),
            (Qt.Key.Key_Space, self.pause_action, True),
            (Qt.Key.Key_Right, self.step_action, True),
            (Qt.Key.Key_R, self.reset_action, True),
        )
        shortcuts = []
        for key, action, text_key in keys:
            shortcut = QShortcut(QKeySequence(key), self.window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.setObjectName(f"{action.objectName()}Shortcut")
            shortcut.activated.connect(
                lambda a=action, t=text_key: self._on_shortcut(a, text_key=t)
            )
            shortcuts.append(shortcut)
        return shortcuts

    def _on_shortcut(self, action: QAction, *, text_key: bool) -> None:
        focus = QApplication.focusWidget()
        if text_key and typing_in(focus):
            return  # line edits take their keys first; this is only a second guard
        if text_key and action is self.pause_action:
            # Space presses the focused button or check box, as everywhere else
            if isinstance(focus, QAbstractButton):
                if focus.isEnabled():
                    focus.click()
                return
            if isinstance(focus, QComboBox):
                focus.showPopup()
                return
        if action.isEnabled():
            action.trigger()
