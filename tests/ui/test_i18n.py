"""Translations: every string in the code has a finished Chinese translation, the shipped .qm is
compiled from the .ts, and switching language re-translates the running window and back."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QGroupBox, QLabel, QWidget

from gradlab.resources import resource_path
from gradlab.ui import i18n
from gradlab.ui.settings import Settings

REPO = Path(__file__).resolve().parents[2]
TS = resource_path("translations", "gradlab_zh_CN.ts")
QM = resource_path("translations", "gradlab_zh_CN.qm")
BIN = Path(sys.executable).parent
UPDATE = resource_path("translations", "update.sh")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%p%")


pytestmark = pytest.mark.usefixtures("classroom_sandbox")  # tests/ui/conftest.py


@pytest.fixture
def window(qtbot):
    from gradlab.app import create_window

    win = create_window()
    qtbot.addWidget(win)
    win.dialogs.confirm = lambda text: True
    win.show()
    yield win
    win.close()


class LanguageChangeSeen(QObject):
    """Counts the LanguageChange events a widget receives (Qt posts one to each window)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        self.widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.LanguageChange:
            self.count += 1
        return False


def switch_language(qtbot, window, language: str) -> None:
    """Switch without remembering, and wait until the window has had its LanguageChange."""
    seen = LanguageChangeSeen(window)
    try:
        i18n.language_manager().set_language(language, remember=False)
        qtbot.waitUntil(lambda: seen.count > 0, timeout=2000)
    finally:
        window.removeEventFilter(seen)


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every live message in a .ts file."""
    root = ET.parse(path).getroot()
    found = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") in ("vanished", "obsolete"):
                continue
            found.append((name, message.findtext("source") or "", translation))
    return found


def translated_text(translation: ET.Element | None) -> str:
    if translation is None:
        return ""
    forms = translation.findall("numerusform")
    return "".join(f.text or "" for f in forms) if forms else (translation.text or "")


@pytest.fixture(scope="module")
def fresh_ts(tmp_path_factory) -> Path:
    """The .ts as lupdate makes it from the code now: a copy, updated like update.sh does."""
    fresh = tmp_path_factory.mktemp("ts") / "gradlab_zh_CN.ts"
    shutil.copy(TS, fresh)
    subprocess.run(
        [str(UPDATE), "--lupdate-only"],
        env={**os.environ, "GRADLAB_TS": str(fresh), "GRADLAB_QT_BIN": str(BIN)},
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return fresh


def test_every_string_in_the_code_has_a_finished_chinese_translation(fresh_ts):
    """Anything new or changed in the code arrives in the updated copy as unfinished."""
    fresh = fresh_ts
    found = messages(fresh)
    assert len(found) > 100
    problems = [
        f"  [{context}] {source!r}"
        for context, source, translation in found
        if translation is None
        or translation.get("type") == "unfinished"
        or not translated_text(translation).strip()
    ]
    assert not problems, (
        f"{len(problems)} string(s) without a finished Chinese translation; run "
        "resources/translations/update.sh, translate them, rerun it:\n" + "\n".join(problems)
    )


def translation_calls(tree: ast.AST) -> Iterator[tuple[int, ast.expr]]:
    """(line, text argument) of every tr()/translate() call, and of every call to a helper
    that passes its argument on to them (``def _t(text): return translate("Ctx", text)``)."""
    helpers = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.args.args:
            parameter = node.args.args[-1].arg
            for call in ast.walk(node):
                text = _text_argument(call)
                if isinstance(text, ast.Name) and text.id == parameter:
                    helpers.add(node.name)
    for node in ast.walk(tree):
        text = _text_argument(node)
        if text is None and isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            text = node.args[0] if name in helpers else None
        if text is not None:
            yield node.lineno, text


def _text_argument(node: ast.AST) -> ast.expr | None:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    if node.func.attr == "tr" and node.args:
        return node.args[0]
    if node.func.attr == "translate" and len(node.args) >= 2:
        owner = node.func.value
        if isinstance(owner, ast.Name) and owner.id in ("QCoreApplication", "QApplication"):
            return node.args[1]
    return None


def test_lupdate_sees_every_translated_string(fresh_ts):
    """Strings lupdate cannot extract are never translated: tr() inside an f-string, a text
    built at run time, or a wrapper lupdate does not know (update.sh reads _tr() and _t())."""
    known = {source for _context, source, _translation in messages(fresh_ts)}
    problems = []
    for path in sorted((REPO / "gradlab").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        marks_literals = "QT_TRANSLATE_NOOP" in source or "QT_TR_NOOP" in source
        for line, text in translation_calls(tree):
            where = f"{path.relative_to(REPO)}:{line}"
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                if text.value not in known:
                    problems.append(f"{where}: lupdate cannot see {text.value!r} (in an f-string?)")
            elif not (marks_literals or _inside_helper(tree, line)):
                problems.append(
                    f"{where}: tr() of {ast.unparse(text)!r}, not of a literal: lupdate cannot "
                    "collect it (mark the literals with QT_TRANSLATE_NOOP)"
                )
    assert not problems, "\n".join(problems)


def _inside_helper(tree: ast.AST, line: int) -> bool:
    """True for the one call inside a translation helper (it translates its parameter)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.lineno <= line <= (node.end_lineno or 0):
            if node.args.args and len(node.body) <= 2:
                return True
    return False


def test_translations_keep_placeholders_and_accelerators():
    problems = []
    for context, source, translation in messages(TS):
        text = translated_text(translation)
        if not text:
            continue  # untranslated: the test above reports it
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"[{context}] {source!r} -> {text!r}: placeholders differ")
        if source.replace("&&", "").count("&") != text.replace("&&", "").count("&"):
            problems.append(f"[{context}] {source!r} -> {text!r}: & shortcut differs")
        if re.findall(r"</?\w+", source) != re.findall(r"</?\w+", text):
            problems.append(f"[{context}] {source!r} -> {text!r}: HTML tags differ")
    assert not problems, "\n".join(problems)


def test_the_shipped_qm_is_compiled_from_the_ts(tmp_path):
    compiled = tmp_path / "fresh.qm"
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), "-silent", str(TS), "-qm", str(compiled)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert QM.read_bytes() == compiled.read_bytes(), "rerun resources/translations/update.sh"


def test_the_translator_falls_back_to_base_class_contexts(qapp):
    """PySide6's tr() names the runtime class; lupdate filed the string under the base class."""
    from gradlab.ui.readouts import Banner

    class ChildBanner(Banner):
        pass

    translator = i18n.GradLabTranslator()
    assert translator.translate("Banner", "Hide this message") is None  # English: untouched
    assert translator.contexts_of("Hide this message") == ["Banner"]
    assert translator.load_catalogues()
    translator.active = True
    assert translator.translate("Banner", "Hide this message") == "隐藏此消息"
    assert translator.translate("ChildBanner", "Hide this message") == "隐藏此消息"
    assert translator.source_of("隐藏此消息") == "Hide this message"
    assert translator.translate("Banner", "no such text") is None  # Qt shows the source
    assert ChildBanner  # keeps the subclass alive while the translator looks it up


def test_language_follows_the_system_then_the_saved_choice(qapp, monkeypatch):
    monkeypatch.setattr(i18n, "system_language", lambda: "zh")
    assert i18n.initial_language() == "zh"
    Settings().set_language("en")
    assert i18n.initial_language() == "en"
    monkeypatch.setenv(i18n.LANGUAGE_VARIABLE, "zh_CN")
    assert i18n.initial_language() == "zh"
    assert i18n.normalise_language("zh-Hans-CN") == "zh"
    assert i18n.normalise_language("de_DE") == "en"


def test_switching_language_retranslates_the_window_and_back(qtbot, window):
    manager = i18n.language_manager()
    menu_titles = lambda: [a.text() for a in window.menuBar().actions()]  # noqa: E731
    assert menu_titles()[0] == "&File"
    panel_labels = {label.text() for label in window.panel.findChildren(QLabel)}
    assert "Learning rate" in panel_labels

    window.classroom.language_menu.actions["zh"].trigger()
    qtbot.waitUntil(lambda: window.classroom.lessons.dock.windowTitle() == "课程", timeout=2000)
    assert manager.language == "zh"
    assert menu_titles()[:1] == ["文件(&F)"]
    assert "语言(&L)" in menu_titles() and "帮助(&H)" in menu_titles()
    assert "学习率" in {label.text() for label in window.panel.findChildren(QLabel)}
    assert QCoreApplication.translate("RunControls", "Start") == "开始"
    assert Settings().language() == "zh"  # remembered for the next start

    window.classroom.language_menu.actions["en"].trigger()
    qtbot.waitUntil(lambda: window.classroom.lessons.dock.windowTitle() == "Lesson", timeout=2000)
    assert menu_titles()[0] == "&File"
    assert "Learning rate" in {label.text() for label in window.panel.findChildren(QLabel)}
    assert Settings().language() == "en"


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_panel_and_run_controls_switch_the_texts_they_build(qtbot, window):
    """Texts made in code (captions, tooltips, choices, "{n} steps/s", the run state) follow a
    live switch, and an error message names its field in the language of the moment."""
    panel, controls = window.panel, window.controls
    lr_edit = panel.field_widget("training.lr")
    combo = controls.speed_combo

    def texts() -> dict[str, object]:
        return {
            "groups": [group.title() for group in panel.findChildren(QGroupBox)],
            "captions": [label.text() for label in panel.findChildren(QLabel) if label.buddy()],
            "lr tooltip": lr_edit.toolTip(),
            "speeds": [combo.itemText(i) for i in range(combo.count())],
            "method": panel.method_explanation.text(),
            "batch": panel.field_widget("training.batch_size").specialValueText(),
            "state": window.state_label.text(),
        }

    english = texts()
    assert english["groups"][0] == "1 · Data" and "Learning rate" in english["captions"]
    assert english["speeds"][-2:] == ["1000 steps/s", "as fast as possible"]
    switch_language(qtbot, window, "zh")
    chinese = texts()
    assert chinese["groups"][0] == "1 · 数据"
    assert all(has_chinese(title) for title in chinese["groups"])
    assert "学习率" in chinese["captions"]
    assert has_chinese(chinese["lr tooltip"]) and has_chinese(chinese["method"])
    assert chinese["speeds"][-2:] == ["1000 步/秒", "尽可能快"]
    assert all(has_chinese(text) for text in chinese["speeds"])
    assert has_chinese(chinese["batch"]) and has_chinese(chinese["state"])

    lr_edit.setText("fast")
    assert "学习率" in panel.error_for("training.lr")  # the field named in Chinese
    lr_edit.setText("1e-6")
    assert panel.error_for("training.lr") is None
    assert lr_edit.toolTip() == chinese["lr tooltip"]  # not the English one it was built with

    switch_language(qtbot, window, "en")
    assert texts() == english
    lr_edit.setText("fast")
    assert panel.error_for("training.lr").startswith("learning rate must be a number")
    lr_edit.setText("1e-6")


def test_a_locked_field_keeps_its_lock_note_across_a_switch(qtbot, window):
    lr_edit = window.panel.field_widget("training.lr")
    window.classroom.locks.apply(["training.lr"], [])
    english = lr_edit.toolTip()
    assert english.endswith("\nLocked by the lesson")
    switch_language(qtbot, window, "zh")
    tip, note = lr_edit.toolTip().split("\n")
    assert has_chinese(tip) and note == QCoreApplication.translate(
        "Classroom", "Locked by the lesson"
    )
    assert has_chinese(note)
    switch_language(qtbot, window, "en")
    assert lr_edit.toolTip() == english
    window.classroom.locks.clear()


def test_update_script_is_executable():
    script = resource_path("translations", "update.sh")
    assert script.is_file() and os.access(script, os.X_OK)


def screen_texts(window) -> dict[object, tuple[str, ...]]:
    """The user-visible texts the retranslation handles, by object (the objects themselves are
    the keys: an id() could be reused by an object made after one was deleted)."""
    from PySide6.QtCore import QObject

    return {
        obj: tuple(getter() for getter, _setter in i18n._text_properties(obj))
        for obj in [window, *window.findChildren(QObject)]
    }


def test_switching_to_chinese_and_back_restores_every_english_text(qtbot, window):
    before = screen_texts(window)
    switch_language(qtbot, window, "zh")
    chinese = screen_texts(window)
    assert sum(before[k] != chinese.get(k) for k in before) > 50
    assert QCoreApplication.translate("Nowhere", "not in the catalogue") == "not in the catalogue"
    switch_language(qtbot, window, "en")
    after = screen_texts(window)
    # (a plot may add or drop a legend entry meanwhile: compare like with like)
    changed = [
        (before[k], after[k])
        for k in before
        if k in after and len(before[k]) == len(after[k]) and before[k] != after[k]
    ]
    assert changed == [], "\n".join(f"{a}\n  -> {b}" for a, b in changed)


def test_read_outs_and_plot_labels_made_from_numbers_follow_a_switch(qtbot, window):
    """Texts formatted from a value (the step tile's "of 200000", the elapsed time, the progress
    tooltip, the fit legend's "target: sin(x)", the loss plot's "optimum 8.81717") are made
    again in the new language, on the items already drawn, and come back exactly."""
    readouts, fit, loss = window.readouts, window.plots.fit, window.plots.loss

    def texts() -> dict[str, str]:
        target = [label.text for sample, label in fit.legend.items if sample.item is fit.target]
        return {
            "of": readouts.total_label.text(),
            "elapsed": readouts.elapsed_label.text(),
            "progress": readouts.progress.toolTip(),
            "target": "".join(target),
            "optimum": loss.optimum_line.label.toPlainText(),
        }

    english = texts()
    assert english["of"].startswith("of ") and english["elapsed"].endswith(" s")
    assert english["progress"].endswith("% of the steps done")
    assert english["target"].startswith("target: ")
    assert english["optimum"].startswith("optimum ")
    switch_language(qtbot, window, "zh")
    chinese = texts()
    assert all(has_chinese(text) for text in chinese.values()), chinese
    assert chinese["of"].endswith(english["of"].removeprefix("of "))  # the same number
    assert chinese["optimum"].endswith(english["optimum"].removeprefix("optimum "))
    switch_language(qtbot, window, "en")
    assert texts() == english


def classroom_texts(window) -> dict[str, str]:
    """Every text the classroom's collaborators put on screen: menus, actions (with their
    tooltips and status tips), the Lesson pane and the recovery bar."""
    c = window.classroom
    menus = [c.export_menu, c.recent.menu, c.language_menu.menu, c.help.menu]
    actions = [
        *c.lessons.actions, *c.files.actions, c.autosave.restore_action, c.exports.csv_action,
        c.exports.png_action, c.exports.svg_action, c.exports.script_action,
        c.exports.bundle_action, c.help.guide_action, c.help.about_action,
    ]  # fmt: skip
    texts = {f"menu {m.objectName()}": m.title() for m in menus}
    for action in actions:
        name = action.objectName()
        texts |= {f"{name} text": action.text(), f"{name} tip": action.toolTip()}
        if action.statusTip():
            texts[f"{name} status tip"] = action.statusTip()
    bar = c.recovery.bar
    texts |= {
        "lesson dock": c.lessons.dock.windowTitle(),
        "lesson pane": c.lessons.view.toPlainText(),
        "recovery": bar.label.text(),
        "restore": bar.restore_button.text(),
        "discard": bar.discard_button.text(),
    }
    return texts


def test_the_classroom_leaves_no_english_text_after_a_switch_and_back(qtbot, window):
    english = classroom_texts(window)
    assert english["menu exportMenu"] == "&Export" and english["lesson dock"] == "Lesson"
    switch_language(qtbot, window, "zh")
    chinese = classroom_texts(window)
    untranslated = {key: text for key, text in chinese.items() if not has_chinese(text)}
    assert not untranslated
    switch_language(qtbot, window, "en")
    assert classroom_texts(window) == english
