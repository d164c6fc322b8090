"""With the interface in Chinese, no English sentence anywhere the student looks: step through
every phase of every method, diverge, open every dock and the CNN lab, and read every visible
text (labels, buttons, menus, tabs, tables, tooltips, plot titles, axes and legends)."""

from __future__ import annotations

import io
import re
import textwrap
import tokenize

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItemIterator,
    QWidget,
)

from gradlab.core.config import Config
from gradlab.model.run_state import RunState
from gradlab.ui import i18n

pytestmark = pytest.mark.usefixtures("classroom_sandbox")  # tests/ui/conftest.py

WAIT_MS = 30_000
# words that stay as they are in Chinese text: names, code identifiers, units
KEPT = {
    "GradLab", "NumPy", "PyTorch", "RMSprop", "Adam", "AdamW", "SGD", "Adagrad", "Nesterov",
    "Huber", "Legendre", "ReLU", "CNN", "MSE", "CIFAR", "MNIST", "Qt", "PySide", "CSV", "PNG",
    "SVG", "JSON", "L1", "MSELoss", "L1Loss", "HuberLoss", "Linear", "Flatten", "Sequential",
    "Conv2d", "MaxPool2d", "float32", "float64", "Ctrl", "Shift", "Space", "Esc", "F1", "F5",
}  # fmt: skip
CODE = re.compile(r"\S*[._()\[\]=<>/\\:0-9]\S*")  # tokens with code characters
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z']+(?:[ ,\-]+[A-Za-z][a-z']+){2,}")


def english_sentence(text: str) -> str | None:
    """The first run of three or more English words left after code and names are removed."""
    plain = CODE.sub(" ", text.replace("&", ""))
    plain = " ".join(" " if word in KEPT else word for word in plain.split(" "))
    match = ENGLISH_RUN.search(plain)
    return match.group(0) if match else None


def visible_texts(window: QWidget) -> dict[str, str]:
    """Every text a student can see now, keyed by where it is."""
    found: dict[str, str] = {}
    for obj in [window, *window.findChildren(QObject)]:
        if isinstance(obj, QWidget) and not obj.isVisible():
            continue
        if obj.objectName() in ("codePane", "codeView"):
            continue  # the listing is code (its comments are a separate matter)
        where = f"{type(obj).__name__}:{obj.objectName()}"
        for n, (getter, _setter) in enumerate(i18n._text_properties(obj)):
            text = getter()
            if text:
                found[f"{where}#{n}"] = text
        for n, text in enumerate(_contents(obj)):
            if text:
                found[f"{where}[{n}]"] = text
    return found


def _contents(obj: QObject) -> list[str]:
    """Texts inside views that i18n's property list leaves out: documents, cells, items."""
    if isinstance(obj, (QTextEdit, QPlainTextEdit)):
        return [obj.toPlainText()]
    if isinstance(obj, QTableWidget):
        cells = [obj.item(r, c) for r in range(obj.rowCount()) for c in range(obj.columnCount())]
        return [i.text() for i in cells if i is not None] + [
            i.toolTip() for i in cells if i is not None
        ]
    if isinstance(obj, QListWidget):
        items = [obj.item(r) for r in range(obj.count())]
        return [i.text() for i in items if i is not None] + [
            i.toolTip() for i in items if i is not None
        ]
    if isinstance(obj, QTreeWidget):
        texts = []
        iterator = QTreeWidgetItemIterator(obj)
        while iterator.value() is not None:
            item = iterator.value()
            texts += [item.text(c) for c in range(item.columnCount())]
            iterator += 1
        return texts
    return []


def english_on_screen(window: QWidget) -> list[str]:
    return sorted(
        f"{where}: {sentence!r} in {text!r}"
        for where, text in visible_texts(window).items()
        if (sentence := english_sentence(text)) is not None
    )


def test_the_detector_knows_a_sentence_from_code_and_names() -> None:
    assert english_sentence("Training diverged at step 5") == "Training diverged at step"
    assert english_sentence("损失 loss.backward() 之后") is None
    assert english_sentence("RMSprop 与 Adam 的比较") is None
    assert english_sentence("y = a + b·x + c·x² + d·x³") is None
    assert english_sentence("nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))") is None


@pytest.fixture
def chinese_window(qtbot):
    from gradlab.app import create_window

    manager = i18n.language_manager()
    manager.set_language("zh", remember=False)
    win = create_window()
    qtbot.addWidget(win)
    win.dialogs.confirm = lambda text: True
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    manager.set_language("en", remember=False)


@pytest.mark.parametrize(
    "settings",
    [
        {"training.method": "numpy-manual"},
        {"training.method": "torch-autograd"},
        {"training.method": "torch-optim", "optimizer.name": "adam", "training.lr": 0.01},
        {"training.method": "torch-optim", "optimizer.name": "sgd", "optimizer.momentum": 0.9},
    ],
    ids=["numpy-manual", "torch-autograd", "torch-optim-adam", "torch-optim-sgd-momentum"],
)
def test_every_phase_of_every_method_reads_in_chinese(qtbot, chinese_window, settings) -> None:
    window = chinese_window
    inside = window.inside
    window.panel.set_config(Config().with_changes(**settings))
    seen: list[str] = []
    for _ in range(2 * 5):  # two whole steps, phase by phase
        before = inside.phase_view.record
        inside.step_phase()
        qtbot.waitUntil(lambda b=before: inside.phase_view.record is not b, timeout=WAIT_MS)
        window.view.redraw()
        seen += english_on_screen(window)
        seen += english_comments(inside.code_pane.toPlainText())
    assert not seen, "\n".join(dict.fromkeys(seen))


def english_comments(code: str) -> list[str]:
    """The code pane's comments that hold an English sentence (the code itself is fine)."""
    tokens = tokenize.generate_tokens(io.StringIO(textwrap.dedent(code)).readline)
    comments = [t.string for t in tokens if t.type == tokenize.COMMENT]
    assert comments, "the listing has comments"
    return [f"codePane: {c!r}" for c in comments if english_sentence(c.replace("`", " "))]


def test_the_code_pane_follows_a_language_switch(qtbot, window_factory) -> None:
    window = window_factory()
    pane = window.inside.code_pane
    window.inside.step_phase()
    qtbot.waitUntil(lambda: window.inside.phase_view.record is not None, timeout=WAIT_MS)
    assert "# 4. update the coefficients" in pane.toPlainText()
    highlighted = pane.highlighted_lines()
    i18n.language_manager().set_language("zh", remember=False)
    qtbot.waitUntil(lambda: "# 4. 更新参数" in pane.toPlainText(), timeout=WAIT_MS)
    assert pane.highlighted_lines() == highlighted  # the same lines, now commented in Chinese
    i18n.language_manager().set_language("en", remember=False)
    qtbot.waitUntil(lambda: "# 4. update the coefficients" in pane.toPlainText(), timeout=WAIT_MS)


def test_setting_errors_read_in_chinese(qtbot, chinese_window) -> None:
    """A value the core refuses is explained in Chinese at its field and in the status bar."""
    window = chinese_window
    edit = window.panel.field_widget("training.lr")
    edit.selectAll()
    qtbot.keyClicks(edit, "-1")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.panel.is_valid(), timeout=WAIT_MS)
    message = window.panel.error_for("training.lr") or ""
    assert has_chinese(message) and english_sentence(message) is None, message
    assert "学习率" in message
    window.controller.start()
    status = window.statusBar().currentMessage()
    assert has_chinese(status) and english_sentence(status) is None, status
    assert not english_on_screen(window), english_on_screen(window)


def test_divergence_docks_and_the_cnn_lab_read_in_chinese(qtbot, chinese_window) -> None:
    window = chinese_window
    window.panel.set_config(Config().with_changes(**{"training.lr": 4e-6}))
    window.controller.start()
    qtbot.waitUntil(lambda: window.model.state is RunState.DIVERGED, timeout=WAIT_MS)
    window.view.redraw()
    seen = english_on_screen(window)
    window.inside.rewind()
    qtbot.waitUntil(lambda: not window.inside.rewind_action.isEnabled(), timeout=WAIT_MS)
    seen += english_on_screen(window)
    for dock in window.findChildren(QDockWidget):
        dock.show()
        dock.raise_()
        qtbot.waitUntil(dock.isVisible, timeout=WAIT_MS)
        seen += english_on_screen(window)
    window.show_tab("cnn")
    qtbot.waitUntil(lambda: window.cnn_lab.isVisible(), timeout=WAIT_MS)
    seen += english_on_screen(window)
    assert not seen, "\n".join(dict.fromkeys(seen))


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_a_language_switch_leaves_no_stale_sentence(qtbot, window_factory) -> None:
    """The learning-rate warning, the divergence banner and the phase view's sentence follow a
    switch to Chinese and back."""
    window = window_factory()
    manager = i18n.language_manager()
    window.panel.set_config(Config().with_changes(**{"training.lr": 4e-6}))
    window.controller.start()
    qtbot.waitUntil(lambda: window.model.state is RunState.DIVERGED, timeout=WAIT_MS)
    warning = lambda: window.panel.lr_warning() or ""  # noqa: E731
    banner = lambda: window.banner.text  # noqa: E731
    assert "stable limit" in warning() and "diverged" in banner()
    manager.set_language("zh", remember=False)
    qtbot.waitUntil(lambda: has_chinese(banner()) and has_chinese(warning()), timeout=WAIT_MS)
    assert english_sentence(banner()) is None and english_sentence(warning()) is None
    manager.set_language("en", remember=False)
    qtbot.waitUntil(lambda: not has_chinese(banner()), timeout=WAIT_MS)
    assert "diverged" in banner() and not has_chinese(warning())

    window.controller.reset()
    window.panel.set_config(Config())
    window.inside.step_phase()  # forward of step 1, then → finishes it as a whole step
    qtbot.waitUntil(lambda: window.inside.phase_view.record is not None, timeout=WAIT_MS)
    window.controller.step(1)
    sentence = window.inside.phase_view.chapter_label.text
    qtbot.waitUntil(lambda: "whole step" in sentence(), timeout=WAIT_MS)
    manager.set_language("zh", remember=False)
    qtbot.waitUntil(lambda: has_chinese(sentence()), timeout=WAIT_MS)
    manager.set_language("en", remember=False)
    qtbot.waitUntil(lambda: "whole step" in sentence(), timeout=WAIT_MS)


@pytest.fixture
def window_factory(qtbot):
    from gradlab.app import create_window

    made = []

    def make():
        win = create_window()
        qtbot.addWidget(win)
        win.dialogs.confirm = lambda text: True
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.close()
    i18n.language_manager().set_language("en", remember=False)


def test_a_cnn_data_failure_reads_in_chinese(qapp) -> None:
    """A damaged CIFAR-10 file found while loading: the core's message id, worded in Chinese."""
    from gradlab.core.messages import Message
    from gradlab.ui.cnn.notices import Notice, Say, notice_text

    failure = {
        "error": "data_batch_1: is not a CIFAR-10 batch file (KeyError: 3)",
        "message": Message("cifar_bad_file", {"file": "data_batch_1"}),
    }
    manager = i18n.language_manager()
    manager.set_language("zh", remember=False)
    try:
        text = notice_text(Notice(Say.DATA_FAILED, failure))
    finally:
        manager.set_language("en", remember=False)
    assert has_chinese(text) and english_sentence(text) is None, text
    assert "data_batch_1" in text
    assert "is not a CIFAR-10 batch file" in notice_text(Notice(Say.DATA_FAILED, failure))


def start_text(window: QWidget) -> str:
    from PySide6.QtWidgets import QAbstractButton

    return window.findChild(QAbstractButton, "startButton").text()


def test_the_target_names_stay_code_in_chinese(qtbot, window_factory, monkeypatch) -> None:
    """The target list holds what a student would type ("step" is a function of the target
    language): born in Chinese or switched to it, it is never translated (步 was, and failed
    to parse), and a window born in Chinese is not walked again to translate it."""
    from gradlab.core.config import NAMED_TARGETS

    def names(window: QWidget) -> list[str]:
        combo = window.panel.target_combo
        return [combo.itemText(i) for i in range(combo.count())]

    walks: list[str] = []
    walk = i18n.retranslate_tree

    def counted(root: QObject, *args: object) -> int:
        walks.append(type(root).__name__)
        return walk(root, *args)

    monkeypatch.setattr(i18n, "retranslate_tree", counted)
    manager = i18n.language_manager()
    manager.set_language("zh", remember=False)
    walks.clear()  # the switch walks whatever windows are shown already
    born_chinese = window_factory()
    assert born_chinese.built_language == "zh"
    assert walks == []  # the classroom found it in its language already
    assert names(born_chinese) == list(NAMED_TARGETS)
    assert has_chinese(start_text(born_chinese))
    born_chinese.close()

    manager.set_language("en", remember=False)
    english = window_factory()
    manager.set_language("zh", remember=False)  # a live switch walks every window shown
    assert walks and names(english) == list(NAMED_TARGETS)
    english.panel.target_combo.setCurrentText("step")
    assert english.panel.config().data.target == "step"


def test_a_window_built_before_the_language_manager_is_translated(qtbot, monkeypatch) -> None:
    """Built by hand while the manager says "en", then the manager turns to Chinese before the
    classroom is installed: the classroom's walk brings the texts over."""
    from gradlab.ui.app_window import GradLabWindow

    manager = i18n.language_manager()
    manager.set_language("en", remember=False)
    built = {}
    original = GradLabWindow._build_classroom

    def classroom_in_chinese(self) -> None:
        manager.set_language("zh", remember=False)  # the window is not shown: not walked here
        built["language"] = self.built_language
        original(self)

    monkeypatch.setattr(GradLabWindow, "_build_classroom", classroom_in_chinese)
    try:
        window = GradLabWindow()
        qtbot.addWidget(window)
        assert built["language"] == "en"
        assert has_chinese(start_text(window))
    finally:
        manager.set_language("en", remember=False)
