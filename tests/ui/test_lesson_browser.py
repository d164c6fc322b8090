"""Lessons in the window: the browser lists the shipped lessons, opening one sets the panel,
locks and hides what it says and shows its texts; broken files change nothing; a teacher saves
the current setup as a lesson; Open Recent prunes files that are gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradlab.core.config import Config
from gradlab.core.lesson import Lesson, load_lesson
from gradlab.ui import i18n
from gradlab.ui.lesson_browser import PanelLocks, expand_paths, shipped_lesson_files
from gradlab.ui.settings import Settings

CHAPTER_ONE = "01-chapter-numpy-by-hand.json"


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


def shipped(name: str) -> Path:
    return next(p for p in shipped_lesson_files() if p.name == name)


def test_the_browser_lists_every_shipped_lesson_in_the_interface_language(qtbot, window):
    browser = window.classroom.lessons.show_browser()
    qtbot.addWidget(browser)
    titles = browser.titles()
    assert len(titles) == len(shipped_lesson_files()) == 18  # tests/core lists them by name
    assert titles[0] == "Chapter listing 1: fitting sin(x) by hand in NumPy"
    assert "Questions" in browser.preview.toPlainText()

    i18n.language_manager().set_language("zh", remember=False)
    qtbot.waitUntil(lambda: browser.titles()[0].startswith("书中代码 1"), timeout=2000)
    assert "问题" in browser.preview.toPlainText()


def test_opening_a_lesson_sets_the_panel_locks_and_hides_and_shows_its_texts(qtbot, window):
    browser = window.classroom.lessons.show_browser()
    qtbot.addWidget(browser)
    browser.lesson_list.setCurrentRow(0)
    browser.open_current()
    lesson = load_lesson(shipped(CHAPTER_ONE))
    panel = window.panel
    assert panel.config() == lesson.config
    assert not panel.field_widget("training.method").isEnabled()
    assert panel.field_widget("training.lr").isEnabled()
    assert all(not panel.fields[p].relevant() for p in expand_paths(["optimizer"]))
    assert window.classroom.lessons.dock.isVisible()
    text = window.classroom.lessons.view.toPlainText()
    assert lesson.title["en"] in text and "Why do a and c end near 0" in text
    assert Settings().last_lesson() == str(shipped(CHAPTER_ONE).resolve())

    window.classroom.lessons.close_lesson()
    assert panel.field_widget("training.method").isEnabled()
    assert Settings().last_lesson() is None


def test_a_broken_lesson_file_shows_a_message_and_changes_nothing(tmp_path, window):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1, "kind": "gradlab-lesson", "config": {"training": {"lr": -1}}')
    before = window.panel.config()
    assert not window.classroom.lessons.open_lesson(broken)
    assert window.panel.config() == before
    assert window.banner.isVisible() and "not valid JSON" in window.banner.text
    assert window.classroom.lessons.lesson is None
    assert all(window.panel.field_widget(p).isEnabled() for p in window.panel.fields)


def test_the_last_lesson_reopens_at_the_next_start(qtbot, window):
    assert window.classroom.lessons.open_lesson(shipped("04-learning-rate-too-large.json"))
    window.close()
    from gradlab.app import create_window

    again = create_window()
    qtbot.addWidget(again)
    assert again.classroom.lessons.lesson is not None
    assert again.panel.config() == load_lesson(shipped("04-learning-rate-too-large.json")).config
    again.close()


def test_a_teacher_saves_the_current_setup_as_a_lesson(tmp_path, monkeypatch, window):
    config = Config().with_changes(**{"training.lr": 2e-6, "training.steps": 5000})
    window.panel.set_config(config)
    dialogs = window.classroom.dialogs
    target = tmp_path / "my-lesson"

    def fill_in(dialog) -> bool:
        dialog.title_en.setText("Two micro steps")
        dialog.title_zh.setText("两个微步")
        dialog.questions_en.setPlainText("Does it converge?\nHow fast?")
        dialog.questions_zh.setPlainText("会收敛吗？")
        dialog.lock_checks["method"].setChecked(True)
        return True

    monkeypatch.setattr(dialogs, "run_dialog", fill_in)
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *args: str(target))
    saved = window.classroom.lessons.save_lesson()
    assert saved == tmp_path / "my-lesson.json"
    lesson = load_lesson(saved)
    assert lesson.config == config
    assert lesson.title == {"en": "Two micro steps", "zh": "两个微步"}
    assert lesson.questions == (
        {"en": "Does it converge?", "zh": "会收敛吗？"},
        {"en": "How fast?"},
    )
    assert lesson.locked == ("training.method",)
    assert Settings().recent_files()[0] == str(saved)


def test_open_recent_prunes_missing_files_with_a_message(tmp_path, window):
    kept = tmp_path / "kept.json"
    kept.write_text(shipped(CHAPTER_ONE).read_text(encoding="utf-8"), encoding="utf-8")
    Settings().set_recent_files([str(tmp_path / "gone.json"), str(kept)])
    window.classroom.recent.rebuild_menu()
    names = [a.text() for a in window.classroom.recent.menu.actions() if a.text()]
    assert any("kept.json" in n for n in names) and not any("gone.json" in n for n in names)
    assert "gone.json" in window.statusBar().currentMessage()
    assert Settings().recent_files() == [str(kept)]
    assert window.classroom.recent.open_recent(str(kept))
    assert window.classroom.lessons.lesson is not None


class HookedPanel:
    """A panel that locks and hides by itself (a LockTarget): PanelLocks must use its hooks."""

    def __init__(self) -> None:
        self.fields = {path: object() for path in ("training.method", "training.lr")}
        self.locked: list[str] = []
        self.hidden: list[str] = []

    def set_locked(self, paths: list[str]) -> None:
        self.locked = list(paths)

    def set_hidden(self, paths: list[str]) -> None:
        self.hidden = list(paths)


def test_panel_locks_use_the_panels_own_hooks_when_it_has_them():
    panel = HookedPanel()
    locks = PanelLocks(panel)
    lesson = Lesson(locked=("training.method",), hidden=("training",))
    locks.apply(lesson.locked, lesson.hidden)
    assert panel.locked == ["training.method"]
    assert panel.hidden == ["training.method", "training.lr"]
    locks.clear()
    assert panel.locked == [] and panel.hidden == []


def test_recent_files_keep_the_newest_eight_without_duplicates(tmp_path, qapp):
    settings = Settings()
    for index in range(10):
        settings.add_recent_file(tmp_path / f"lesson{index}.json")
    settings.add_recent_file(tmp_path / "lesson5.json")
    names = [Path(p).name for p in settings.recent_files()]
    assert len(names) == 8 and names[0] == "lesson5.json" and names.count("lesson5.json") == 1
    assert names[1:3] == ["lesson9.json", "lesson8.json"]
