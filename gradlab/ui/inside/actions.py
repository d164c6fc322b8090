"""The inside-training actions: Step phase (. or Shift+→), Rewind (Ctrl+Z), Compare optimizers and
Three-way check, in the Run menu, a new Inside menu and the run toolbar."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QToolBar, QWidget

from gradlab.ui.controls import typing_in


class InsideActions(QObject):
    """Creates the actions on ``window``; whoever installs them connects ``triggered``."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        style = window.style()
        pixmap = style.StandardPixmap
        self.step_phase = self._action(
            "stepPhaseAction",
            self.tr("Step phase"),
            self.tr(
                "Run one phase of the step: forward, loss, backward, update, zero the "
                "gradients (. or Shift+→)"
            ),
        )
        self.step_phase.setIcon(style.standardIcon(pixmap.SP_ArrowRight))
        self.rewind = self._action(
            "rewindAction",
            self.tr("Rewind"),
            self.tr(
                "After a divergence: go back to the last good state, so you can lower the "
                "learning rate and go on (Ctrl+Z)"
            ),
        )
        self.rewind.setIcon(style.standardIcon(pixmap.SP_MediaSeekBackward))
        self.rewind.setShortcut(QKeySequence("Ctrl+Z"))
        self.rewind.setEnabled(False)
        self.compare = self._action(
            "compareAction",
            self.tr("Compare optimizers"),
            self.tr("Train SGD, SGD+momentum, RMSprop and Adam from the same start, in lockstep"),
        )
        self.three_way = self._action(
            "threeWayAction",
            self.tr("Four-way check"),
            self.tr(
                "Run NumPy-by-hand, autograd, nn+optim and the hand-written Function side by "
                "side: same numbers?"
            ),
        )
        # "." and Shift+→ (→ alone is one whole step); never while a number is being typed
        self.shortcuts = []
        for key in (QKeySequence(Qt.Key.Key_Period), QKeySequence("Shift+Right")):
            shortcut = QShortcut(key, window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.setObjectName("stepPhaseActionShortcut")  # listed with the action
            shortcut.activated.connect(self._on_step_phase_key)
            self.shortcuts.append(shortcut)

    def _action(self, name: str, text: str, tooltip: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setToolTip(tooltip)
        action.setStatusTip(tooltip)
        return action

    def add_to_window(
        self,
        menus: dict[str, QMenu],
        toolbar: QToolBar,
        toolbar_widgets: tuple[QWidget, ...] = (),
    ) -> None:
        """Into the Run menu, a new Inside menu (``menus["inside"]``) and the toolbar."""
        w = self.window
        for action in (self.step_phase, self.rewind):
            menus["run"].addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.step_phase)
        toolbar.addAction(self.rewind)
        if toolbar_widgets:
            toolbar.addSeparator()
            for widget in toolbar_widgets:
                toolbar.addWidget(widget)
        # a window shown before its docks were filled has the menu in its bar already
        menu = menus.get("inside") or w.menuBar().addMenu(self.tr("&Inside"))
        menu.setObjectName("insideMenu")
        menu.addAction(self.step_phase)
        menu.addAction(self.rewind)
        menu.addSeparator()
        menu.addAction(self.compare)
        menu.addAction(self.three_way)
        menus["inside"] = menu

    def _on_step_phase_key(self) -> None:
        if typing_in(QApplication.focusWidget()):
            return  # "." belongs to the number being typed
        if self.step_phase.isEnabled():
            self.step_phase.trigger()
