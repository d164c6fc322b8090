"""Accessible names and descriptions for every control, plot and dock (screen readers, voice
control), in the interface language.

A widget's accessible name is what a screen reader says and what voice control matches, so it
should be the words on screen: ``label_tree(root)`` names a field by the caption whose buddy it
is, a button by its text or its action's, a plot by its title, a dock by its title and a tab bar
by its tabs; its description is its tooltip. Widgets with no words of their own (the step-count
box, the code pane, the tables) get theirs from ``NAMES``. Call ``label_tree`` again after a
language switch or when a part is built late (the CNN lab): it overwrites what it set before.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

CONTEXT = "Accessibility"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # lupdate reads this name
    return source


# objectName -> (name, description), for widgets whose own words do not name them
NAMES: dict[str, tuple[str, str]] = {
    "stepCountSpin": (
        QT_TRANSLATE_NOOP("Accessibility", "Steps for Step ×N"),
        QT_TRANSLATE_NOOP("Accessibility", "Steps the Step × button does, then it pauses"),
    ),
    "parameterChoice": (
        QT_TRANSLATE_NOOP("Accessibility", "Parameters to show"),
        QT_TRANSLATE_NOOP(
            "Accessibility",
            "What the parameter plot draws: each tensor's norm, or one tensor's first entries",
        ),
    ),
    "speedCombo": (
        QT_TRANSLATE_NOOP("Accessibility", "Speed"),
        QT_TRANSLATE_NOOP("Accessibility", "How many training steps run per second"),
    ),
    "earlyStopTolerance": (
        QT_TRANSLATE_NOOP("Accessibility", "Early stop tolerance"),
        QT_TRANSLATE_NOOP("Accessibility", "The run stops when the loss changes less than this"),
    ),
    "landscapeXCombo": (
        QT_TRANSLATE_NOOP("Accessibility", "Landscape horizontal axis"),
        QT_TRANSLATE_NOOP("Accessibility", "The coefficient shown across the loss landscape"),
    ),
    "landscapeYCombo": (
        QT_TRANSLATE_NOOP("Accessibility", "Landscape vertical axis"),
        QT_TRANSLATE_NOOP("Accessibility", "The coefficient shown up the loss landscape"),
    ),
    "compareStepsSpin": (
        QT_TRANSLATE_NOOP("Accessibility", "Steps to compare"),
        QT_TRANSLATE_NOOP("Accessibility", "How many steps each optimizer runs in the comparison"),
    ),
    "compareLrCombo": (
        QT_TRANSLATE_NOOP("Accessibility", "Learning rate of the comparison"),
        QT_TRANSLATE_NOOP("Accessibility", "The learning rate every compared optimizer uses"),
    ),
    "runHistoryList": (
        QT_TRANSLATE_NOOP("Accessibility", "Earlier runs"),
        QT_TRANSLATE_NOOP("Accessibility", "Runs kept to compare; check one to draw it"),
    ),
    "codePane": (
        QT_TRANSLATE_NOOP("Accessibility", "Code listing"),
        QT_TRANSLATE_NOOP(
            "Accessibility",
            "The method's Python code; the phase's lines marked",
        ),
    ),
    "phaseValues": (
        QT_TRANSLATE_NOOP("Accessibility", "Values of the phase"),
        QT_TRANSLATE_NOOP("Accessibility", "The numbers the current phase of the step computed"),
    ),
    "optimizerStateTable": (
        QT_TRANSLATE_NOOP("Accessibility", "Optimizer state"),
        QT_TRANSLATE_NOOP("Accessibility", "What the optimizer keeps between steps"),
    ),
    "lessonView": (
        QT_TRANSLATE_NOOP("Accessibility", "Lesson"),
        QT_TRANSLATE_NOOP("Accessibility", "The open lesson's text and tasks"),
    ),
    "cnnImageIndexSpin": (
        QT_TRANSLATE_NOOP("Accessibility", "Image number"),
        QT_TRANSLATE_NOOP("Accessibility", "Which validation image the feature maps show"),
    ),
    "cnnLayerCombo": (
        QT_TRANSLATE_NOOP("Accessibility", "Layer"),
        QT_TRANSLATE_NOOP("Accessibility", "Which layer's feature maps are shown"),
    ),
    "cnnSummaryTable": (
        QT_TRANSLATE_NOOP("Accessibility", "Model summary"),
        QT_TRANSLATE_NOOP("Accessibility", "The CNN's layers, output shapes and parameters"),
    ),
    "bannerCloseButton": (
        QT_TRANSLATE_NOOP("Accessibility", "Hide this message"),
        QT_TRANSLATE_NOOP("Accessibility", "Closes the message above the plots"),
    ),
    "labTabs": (
        QT_TRANSLATE_NOOP("Accessibility", "Labs"),
        QT_TRANSLATE_NOOP("Accessibility", "The polynomial lab and the CNN pipeline"),
    ),
    "logitsEdit1": (
        QT_TRANSLATE_NOOP("Accessibility", "Logits of sample 1"),
        QT_TRANSLATE_NOOP(
            "Accessibility", "One number per class; softmax turns them into probabilities"
        ),
    ),
    "classSpin1": (
        QT_TRANSLATE_NOOP("Accessibility", "Correct class of sample 1"),
        QT_TRANSLATE_NOOP("Accessibility", "The class whose probability the cross-entropy rewards"),
    ),
    "logitsEdit2": (
        QT_TRANSLATE_NOOP("Accessibility", "Logits of sample 2"),
        QT_TRANSLATE_NOOP(
            "Accessibility", "One number per class; softmax turns them into probabilities"
        ),
    ),
    "classSpin2": (
        QT_TRANSLATE_NOOP("Accessibility", "Correct class of sample 2"),
        QT_TRANSLATE_NOOP("Accessibility", "The class whose probability the cross-entropy rewards"),
    ),
    "logitsEdit3": (
        QT_TRANSLATE_NOOP("Accessibility", "Logits of sample 3"),
        QT_TRANSLATE_NOOP(
            "Accessibility", "One number per class; softmax turns them into probabilities"
        ),
    ),
    "classSpin3": (
        QT_TRANSLATE_NOOP("Accessibility", "Correct class of sample 3"),
        QT_TRANSLATE_NOOP("Accessibility", "The class whose probability the cross-entropy rewards"),
    ),
    "crossEntropyTable": (
        QT_TRANSLATE_NOOP("Accessibility", "Cross-entropy table"),
        QT_TRANSLATE_NOOP(
            "Accessibility",
            "Per sample: the probability of the correct class, −log p, by the formula and by torch",
        ),
    ),
    "lossPredictionsEdit": (
        QT_TRANSLATE_NOOP("Accessibility", "Predictions"),
        QT_TRANSLATE_NOOP(
            "Accessibility", "The model's predictions ŷ, numbers separated by commas or spaces"
        ),
    ),
    "lossTargetsEdit": (
        QT_TRANSLATE_NOOP("Accessibility", "Targets"),
        QT_TRANSLATE_NOOP("Accessibility", "The labels y, numbers separated by commas or spaces"),
    ),
    "lossDeltaSpin": (
        QT_TRANSLATE_NOOP("Accessibility", "Huber loss δ"),
        QT_TRANSLATE_NOOP(
            "Accessibility", "Where the Huber loss switches from squared to absolute error"
        ),
    ),
    "lossIndexSpin": (
        QT_TRANSLATE_NOOP("Accessibility", "Vary prediction"),
        QT_TRANSLATE_NOOP("Accessibility", "Which prediction the plots vary"),
    ),
    "lossReductionCombo": (
        QT_TRANSLATE_NOOP("Accessibility", "Plots show"),
        QT_TRANSLATE_NOOP("Accessibility", "Sum or mean over the points in the plots"),
    ),
    "graphDetails": (
        QT_TRANSLATE_NOOP("Accessibility", "Node details"),
        QT_TRANSLATE_NOOP(
            "Accessibility", "The selected node's forward value and the gradient flowing into it"
        ),
    ),
    "lossTable": (
        QT_TRANSLATE_NOOP("Accessibility", "Loss table"),
        QT_TRANSLATE_NOOP(
            "Accessibility",
            "Each loss by the formula and by torch's loss module, summed and averaged",
        ),
    ),
    "precisionMethodCombo": (
        QT_TRANSLATE_NOOP("Accessibility", "Method in both precisions"),
        QT_TRANSLATE_NOOP("Accessibility", "The method run in float32 and in float64 side by side"),
    ),
}
# rows of a table of fields ("logitsEdit2"): the row's number fills {n}
NUMBERED_NAMES: dict[str, tuple[str, str]] = {
    "logitsEdit": (
        QT_TRANSLATE_NOOP("Accessibility", "Logits of sample {n}"),
        QT_TRANSLATE_NOOP("Accessibility", "One logit per class, separated by commas"),
    ),
    "classSpin": (
        QT_TRANSLATE_NOOP("Accessibility", "Correct class of sample {n}"),
        QT_TRANSLATE_NOOP("Accessibility", "The class this sample really belongs to"),
    ),
}
_NUMBERED = re.compile(r"^(?P<stem>[A-Za-z]+?)(?P<n>\d+)$")
# buttons whose text is set when they are shown ("Use lr = 3e-6"): their names until then
FALLBACK_NAMES: dict[str, tuple[str, str]] = {
    "useSuggestedLrButton": (
        QT_TRANSLATE_NOOP("Accessibility", "Use the suggested learning rate"),
        QT_TRANSLATE_NOOP("Accessibility", "Puts the suggested learning rate into the field"),
    ),
    "bannerActionButton": (
        QT_TRANSLATE_NOOP("Accessibility", "Apply the suggested fix"),
        QT_TRANSLATE_NOOP("Accessibility", "Does what the message above the plots suggests"),
    ),
}
PLOT_DESCRIPTION = QT_TRANSLATE_NOOP("Accessibility", "Plot of {y} against {x}")
DOCK_DESCRIPTION = QT_TRANSLATE_NOOP(
    "Accessibility", "Pane “{title}”; show or hide it from the View menu"
)
TABS_NAME = QT_TRANSLATE_NOOP("Accessibility", "Tabs: {tabs}")

_TAGS = re.compile(r"<[^>]+>")
_CJK_MNEMONIC = re.compile(r"\s*[(（]&\w[)）]")  # "保存(&S)": the letter is no word


def tr(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def plain(text: str) -> str:
    """Words as a screen reader should say them: no mnemonic &, tags, or trailing … or colon."""
    text = _CJK_MNEMONIC.sub("", _TAGS.sub("", text))
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().removesuffix("…").removesuffix("...").rstrip(":：").strip()


def interactive(widget: QWidget) -> bool:
    """A control, plot, dock or tab bar that needs a name (Qt's own inner parts do not: the
    line edit inside a spin box, a combo box's popup list, a table's header)."""
    if isinstance(widget, (QScrollBar, QHeaderView)):
        return False
    if isinstance(widget, QTabBar):
        return True
    if widget.objectName().startswith("qt_"):
        return False
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return False
        parent = parent.parentWidget()
    kinds: tuple[type, ...] = (
        QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractSlider,
        QAbstractItemView, QPlainTextEdit, QTextEdit, QDockWidget,
    )  # fmt: skip
    pg = sys.modules.get("pyqtgraph")
    if pg is not None:
        kinds += (pg.PlotWidget,)
    return isinstance(widget, kinds)


def _buddies(widgets: Iterable[QWidget]) -> dict[int, QLabel]:
    found: dict[int, QLabel] = {}
    for widget in widgets:
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            found.setdefault(id(widget.buddy()), widget)
    return found


def derived_name(widget: QWidget, buddies: dict[int, QLabel]) -> tuple[str, str]:
    """(name, description) from what the widget shows; empty strings when it shows nothing."""
    description = plain(widget.toolTip())
    known = NAMES.get(widget.objectName())
    if known is not None:
        return tr(known[0]), tr(known[1])
    numbered = _NUMBERED.match(widget.objectName())
    if numbered and numbered["stem"] in NUMBERED_NAMES:
        name, about = NUMBERED_NAMES[numbered["stem"]]
        return tr(name).format(n=numbered["n"]), description or tr(about)
    label = buddies.get(id(widget))
    if label is not None and plain(label.text()):
        return plain(label.text()), description or plain(label.toolTip())
    pg = sys.modules.get("pyqtgraph")
    if pg is not None and isinstance(widget, pg.PlotWidget):
        return _plot_texts(widget)
    if isinstance(widget, QDockWidget):
        title = plain(widget.windowTitle())
        return title, tr(DOCK_DESCRIPTION).format(title=title) if title else ""
    if isinstance(widget, QTabBar):
        tabs = [plain(widget.tabText(i)) for i in range(widget.count())]
        tabs = [t for t in tabs if t]
        return (tr(TABS_NAME).format(tabs=", ".join(tabs)) if tabs else ""), description
    if isinstance(widget, QToolButton) and widget.defaultAction() is not None:
        action = widget.defaultAction()
        return plain(action.text()), plain(action.toolTip()) or description
    if isinstance(widget, QAbstractButton) and plain(widget.text()):
        return plain(widget.text()), description
    if isinstance(widget, QGroupBox):
        return plain(widget.title()), description
    fallback = FALLBACK_NAMES.get(widget.objectName())
    if fallback is not None:
        return tr(fallback[0]), description or tr(fallback[1])
    return "", description


def _plot_texts(plot: QWidget) -> tuple[str, str]:
    item = plot.getPlotItem()  # type: ignore[attr-defined]
    title = plain(item.titleLabel.text or "")
    x = plain(item.getAxis("bottom").labelText or "")
    y = plain(item.getAxis("left").labelText or "")
    description = tr(PLOT_DESCRIPTION).format(x=x, y=y) if x and y else ""
    return title or plain(plot.objectName()), description


def label_tree(root: QWidget) -> list[QWidget]:
    """Name and describe every interactive widget under ``root`` (``root`` too); returns the
    ones still without a name (nothing on screen names them: add them to ``NAMES``)."""
    widgets = [root, *root.findChildren(QWidget)]
    buddies = _buddies(widgets)
    unnamed = []
    for widget in widgets:
        if not interactive(widget):
            continue
        name, description = derived_name(widget, buddies)
        if name and widget.accessibleName() != name:
            widget.setAccessibleName(name)
        if description and widget.accessibleDescription() != description:
            widget.setAccessibleDescription(description)
        _follow_action(widget)
        if not widget.accessibleName():
            unnamed.append(widget)
    return unnamed


def prepare_tree(root: QWidget) -> list[QWidget]:
    """``label_tree(root)``, and Tab never trapped: in a read-only table Tab leaves the table
    (arrow keys move between its cells) instead of walking every cell first."""
    for view in [root, *root.findChildren(QAbstractItemView)]:
        if isinstance(view, QAbstractItemView) and view.tabKeyNavigation():
            if view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers:
                view.setTabKeyNavigation(False)
    return label_tree(root)


def _follow_action(widget: QWidget) -> None:
    """A tool button shows its action's text, which changes (Start, Resume): so does its name."""
    if not isinstance(widget, QToolButton) or widget.property("a11yFollowsAction"):
        return
    action = widget.defaultAction()
    if action is None:
        return
    widget.setProperty("a11yFollowsAction", True)

    def follow(button: QToolButton = widget, source: QAction = action) -> None:
        name = plain(source.text())
        if name and button.accessibleName() != name:
            button.setAccessibleName(name)

    action.changed.connect(follow)


def shortcut_owner_name(obj: QObject) -> str:
    """The object name of the action a QShortcut stands in for ("startActionShortcut")."""
    name = obj.objectName()
    return name[: -len("Shortcut")] if name.endswith("Shortcut") else ""
