"""Help → Guide (F1) in both languages and Help → About with the versions; neither imports torch."""

from __future__ import annotations

import platform
import subprocess
import sys

import numpy as np
import pyqtgraph as pg
import PySide6
import pytest
from PySide6.QtCore import qVersion

from gradlab import __version__
from gradlab.ui import i18n
from gradlab.ui.help import AboutDialog, GuideDialog, versions

pytestmark = pytest.mark.usefixtures("classroom_sandbox")  # tests/ui/conftest.py


@pytest.fixture
def window(qtbot):
    from gradlab.app import create_window

    win = create_window()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_f1_opens_the_guide_with_the_loop_controls_and_shortcuts(qtbot, window):
    assert window.classroom.help.guide_action.shortcut().toString() == "F1"
    window.classroom.help.guide_action.trigger()
    guide = window.classroom.help.guide
    assert isinstance(guide, GuideDialog) and guide.isVisible()
    text = guide.browser.toPlainText()
    assert "six-step training loop" in text
    assert "Zero the gradients (zero_grad())" in text
    for key in ("F5", "Space", "→", "R", "Ctrl+S", "F1"):
        assert key in text
    assert "6 · Training" in text
    for part in ("Inside one step", "Loss landscape", "Compare optimizers", "Run history",
                 "Rewind", "Stop near optimum", "Lessons", "CNN pipeline"):  # fmt: skip
        assert part in text, part
    # every dock the View menu can show is explained, by the title the student sees
    from PySide6.QtWidgets import QDockWidget

    for dock in window.findChildren(QDockWidget):
        if dock is not window.panel_dock:  # the "Experiment" panel: its sections are above
            assert dock.windowTitle() in text, dock.windowTitle()
    assert "neural network" in text and "float32 vs float64" in text
    # every keyboard shortcut of the window is in the guide
    from PySide6.QtGui import QAction, QKeySequence

    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if key and action.isVisible():
                assert key in text, (action.objectName(), key)

    i18n.language_manager().set_language("zh", remember=False)
    qtbot.waitUntil(lambda: "梯度置零" in guide.browser.toPlainText(), timeout=2000)
    text = guide.browser.toPlainText()
    assert "六步训练循环" in text and "zero_grad()" in text and "键盘快捷键" in text


def test_about_shows_every_version(qtbot, window):
    window.classroom.help.about_action.trigger()
    about = window.classroom.help.about
    assert isinstance(about, AboutDialog) and about.isVisible()
    text = about.text()
    for version in (__version__, platform.python_version(), qVersion(), PySide6.__version__,
                    pg.__version__, np.__version__):  # fmt: skip
        assert version in text
    assert "PyTorch" in text


def test_versions_never_import_torch():
    code = (
        "import sys; from gradlab.ui.help import versions; rows = dict(versions()); "
        "assert 'torch' not in sys.modules, 'torch was imported'; print(rows['PyTorch'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert "not loaded yet" in result.stdout or "not installed" in result.stdout
    assert dict(versions())["GradLab"] == __version__
