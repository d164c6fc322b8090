"""The lab administrator's settings file in the window: the language locked to Chinese, no CNN
tab, the lock shown in the Language menu; the CIFAR-10 picker withheld; the autosave folder and
interval; the default lesson; problems reported; a read-only install folder left untouched."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QTabBar

from gradlab.ui import i18n
from gradlab.ui.settings import Settings

pytestmark = pytest.mark.usefixtures("classroom_sandbox")  # tests/ui/conftest.py

LOCKED_ZH_NO_CNN = """[General]
language=zh

[cnn]
tab=false

[admin]
locked=language,cnn/tab
"""


@pytest.fixture
def system_file(tmp_path, monkeypatch) -> Iterator[Callable[[str], Path]]:
    """Write the system-wide GradLab/GradLab.ini in a folder XDG_CONFIG_DIRS points at."""
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{folder}:{tmp_path / 'empty'}")

    def write(text: str) -> Path:
        path = folder / "GradLab" / "GradLab.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    yield write


def user_file_keys() -> list[str]:
    store = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "GradLab", "GradLab")
    store.setFallbacksEnabled(False)
    return store.allKeys()


def test_locked_chinese_and_no_cnn_tab(qtbot, system_file, monkeypatch):
    path = system_file(LOCKED_ZH_NO_CNN)
    monkeypatch.setenv(i18n.LANGUAGE_VARIABLE, "en")  # the lock wins over the start variable
    from gradlab.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # in Chinese
    assert i18n.language_manager().language == "zh"
    assert window.windowTitle() == i18n.language_manager().translator.lookup(
        "GradLabWindow", "GradLab — watch and drive the training of a model"
    )
    assert window.windowTitle() != "GradLab — watch and drive the training of a model"
    # no CNN tab and no CNN menu
    assert window.tabs.count() == 1 and not window.cnn_shown
    assert not window.tabs.findChild(QTabBar).isVisible()
    assert "cnn" not in window.menus
    titles = [a.text() for a in window.menuBar().actions()]
    assert not any("CNN" in t for t in titles), titles
    assert not window.findChild(type(window._cnn_scroll), "cnnScroll").isVisible()
    window.show_tab("cnn")
    assert window.tabs.currentIndex() == 0
    # the Language menu shows the lock, names the file, and switches nothing
    menu = window.classroom.language_menu
    line = menu.lock_line
    assert line in menu.menu.actions() and not line.isEnabled()
    english = "Locked by the lab administrator"
    assert line.text() == QCoreApplication.translate("LanguageMenu", english) != english
    assert str(path) in line.toolTip()
    assert menu.menu.toolTipsVisible()
    assert menu.menu.actions().index(line) < menu.menu.actions().index(menu.actions["en"])
    for code, action in menu.actions.items():
        assert not action.isEnabled() and str(path) in action.toolTip()
        assert action.isChecked() == (code == "zh")
    menu.actions["en"].trigger()  # disabled: nothing happens
    menu.set_language("en")
    assert i18n.language_manager().language == "zh"
    window.close()
    Settings().sync()
    assert "language" not in user_file_keys()  # never written for a locked key
    assert "window/geometry" in user_file_keys()  # the rest is remembered as usual


def test_without_a_lock_the_student_chooses(qtbot, system_file):
    system_file("[General]\nlanguage=zh\n")  # a default, not a lock
    from gradlab.app import create_window

    assert i18n.initial_language() == "zh"  # what a first start opens in
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    menu = window.classroom.language_menu
    assert menu.lock_line not in menu.menu.actions()
    assert all(a.isEnabled() for a in menu.actions.values())
    assert window.tabs.count() == 2 and "cnn" in window.menus
    menu.actions["en"].trigger()
    assert i18n.language_manager().language == "en"
    assert Settings().language() == "en"  # the student's own choice now wins
    assert i18n.initial_language() == "en"
    window.close()


def test_cifar_picker_withheld(qtbot, system_file):
    system_file("[cnn]\ncifar_picker=false\n")
    from gradlab.ui.cnn.lab import CnnLabWidget

    lab = CnnLabWidget()
    qtbot.addWidget(lab)
    lab.show()
    combo = lab.settings.dataset_combo
    index = combo.findData("cifar10")
    assert combo.view().isRowHidden(index)
    assert not combo.model().item(index).isEnabled()
    assert not lab.settings.folder_button.isVisible()
    assert not lab.settings.folder_edit.isVisible()
    lab.shutdown()


def test_cifar_picker_shown_by_default(qtbot, system_file):
    from gradlab.ui.cnn.lab import CnnLabWidget

    lab = CnnLabWidget()
    qtbot.addWidget(lab)
    combo = lab.settings.dataset_combo
    index = combo.findData("cifar10")
    assert not combo.view().isRowHidden(index) and combo.model().item(index).isEnabled()
    lab.shutdown()


def test_default_lesson_opens_at_start_and_locked_beats_the_last_one(qtbot, system_file, tmp_path):
    from gradlab.app import create_window
    from gradlab.ui.lesson_browser import shipped_lesson_files

    other = next(p for p in shipped_lesson_files() if p.name.startswith("04-"))
    Settings().set_last_lesson(other)
    system_file("[lessons]\ndefault=02-chapter-autograd.json\n")
    window = create_window()
    qtbot.addWidget(window)
    assert window.classroom.lessons.path == other  # unlocked: the student's last lesson
    window.close()
    system_file("[lessons]\ndefault=02-chapter-autograd.json\n[admin]\nlocked=lessons/default\n")
    window = create_window()
    qtbot.addWidget(window)
    assert window.classroom.lessons.path.name == "02-chapter-autograd.json"
    window.close()


def test_problems_in_the_file_are_reported_not_fatal(qtbot, system_file):
    path = system_file("[General]\nlanguage=fr\ncolour=red\n[cnn]\ntab=false\n")
    from gradlab.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    window.show()
    assert window.banner.isVisible() and window.banner.level == "error"
    assert str(path) in window.banner.text and "language" in window.banner.text
    assert "colour" in window.banner.text
    assert window.tabs.count() == 1  # the good line still counts
    window.close()


def test_read_only_install_folder(qtbot, system_file, tmp_path, monkeypatch):
    """A frozen bundle in a read-only folder: its gradlab-admin.ini is read (and wins over the
    system file); settings, autosave and recent files go to the per-user places; nothing is
    written in the install folder."""
    from gradlab.app import create_window

    install = tmp_path / "opt" / "GradLab"
    install.mkdir(parents=True)
    (install / "GradLab").write_text("launcher")
    autosaves = tmp_path / "autosaves-$GRADLAB_TEST_USER"
    monkeypatch.setenv("GRADLAB_TEST_USER", "ada")
    (install / "gradlab-admin.ini").write_text(
        f"[autosave]\nfolder={autosaves}\ninterval_s=0\n", encoding="utf-8"
    )
    system_file("[autosave]\ninterval_s=600\nfolder=/nowhere\n")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(install / "GradLab"))
    for path in (install / "GradLab", install / "gradlab-admin.ini", install):
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = sorted((p.name, p.stat().st_mtime_ns) for p in install.iterdir())

    window = create_window()
    qtbot.addWidget(window)
    window.show()
    autosave = window.classroom.autosave
    assert autosave.autosave_dir == tmp_path / "autosaves-ada"  # ~ and variables expanded
    assert not autosave.timer.isActive()  # interval 0: no timed autosave
    i18n.language_manager().set_language("zh")
    window.classroom.lessons.show_browser().close()
    window.close()
    Settings().sync()

    assert sorted((p.name, p.stat().st_mtime_ns) for p in install.iterdir()) == before
    user_ini = Path(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                              "GradLab", "GradLab").fileName())  # fmt: skip
    assert not user_ini.is_relative_to(install) and user_ini.is_file()
    assert {"language", "window/geometry"} <= set(user_file_keys())
    assert (tmp_path / "autosaves-ada").is_dir()  # the clean-exit mark went there
    assert os.environ["GRADLAB_DATA_DIR"].startswith(str(tmp_path))
    install.chmod(0o755)
