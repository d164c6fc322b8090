"""The lab administrator's settings files: values checked, locks, problems, precedence."""

from __future__ import annotations

import os
from pathlib import Path

from gradlab.model.admin import (
    LOCKED,
    AdminPolicy,
    bundle_folder,
    load_admin_policy,
    parse_admin_text,
    parse_value,
)

QT_LAYOUT = """[General]
language=zh

[autosave]
folder=~/gradlab-autosave
interval_s=120

[cnn]
tab=false
cifar_picker=no

[lessons]
default=01-chapter-numpy.json

[admin]
locked=language, cnn/tab
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_key_in_qt_layout_is_read_typed_and_checked(tmp_path):
    policy = load_admin_policy([write(tmp_path, "GradLab.ini", QT_LAYOUT)])
    assert policy.values == {
        "language": "zh",
        "autosave/folder": os.path.expanduser("~/gradlab-autosave"),
        "autosave/interval_s": 120,
        "cnn/tab": False,
        "cnn/cifar_picker": False,
        "lessons/default": "01-chapter-numpy.json",
    }
    assert policy.locked == {"language", "cnn/tab"}
    assert policy.problems == ()
    assert policy.source("language") == str(tmp_path / "GradLab.ini")
    assert policy.files == (str(tmp_path / "GradLab.ini"),)


def test_slash_keys_without_a_section_are_the_same_keys():
    values, locked, problems = parse_admin_text(
        "language=zh\ncnn/tab=false\nadmin/locked=language,cnn/tab\n", "f.ini"
    )
    assert values == {"language": "zh", "cnn/tab": False}
    assert locked == {"language", "cnn/tab"}
    assert problems == []


def test_invalid_values_are_reported_and_not_used():
    text = (
        "[General]\nlanguage=fr\n[autosave]\ninterval_s=5\nfolder=\n[cnn]\ntab=maybe\n"
        "[lessons]\ndefault=__import__('os').system('x')\n"
    )
    values, locked, problems = parse_admin_text(text, "f.ini")
    assert values == {"lessons/default": "__import__('os').system('x')"}  # a name, never run
    assert locked is None
    bad = {(p.message, p.values["key"]) for p in problems}
    assert bad == {
        ("bad_value", "language"),
        ("bad_value", "autosave/interval_s"),
        ("bad_value", "autosave/folder"),
        ("bad_value", "cnn/tab"),
    }
    assert all(p.file == "f.ini" for p in problems)


def test_interval_bounds():
    assert parse_value("autosave/interval_s", "0") == 0
    assert parse_value("autosave/interval_s", "10") == 10
    assert parse_value("autosave/interval_s", "86400") == 86400
    for text in ("9", "86401", "-1", "1e3", "60.5", " ", "9999999999"):
        assert parse_value("autosave/interval_s", text) is None, text


def test_unknown_keys_and_unknown_locked_keys_are_reported():
    text = "[General]\ncolour=red\n[admin]\nlocked=language, everything\n"
    values, locked, problems = parse_admin_text(text, "f.ini")
    assert values == {}
    assert locked == {"language"}
    assert [(p.message, dict(p.values)) for p in problems] == [
        ("unknown_key", {"key": "colour"}),
        ("unknown_locked_key", {"key": "everything"}),
    ]


def test_a_broken_file_is_reported_not_fatal(tmp_path):
    broken = write(tmp_path / "a", "GradLab.ini", "[General\nlanguage=zh\n")
    binary = tmp_path / "b" / "GradLab.ini"
    binary.parent.mkdir()
    binary.write_bytes(b"\xff\xfe\x00language=zh")
    good = write(tmp_path / "c", "GradLab.ini", "[cnn]\ntab=false\n")
    policy = load_admin_policy([broken, binary, good])
    assert policy.values == {"cnn/tab": False}
    assert [(p.file, p.message) for p in policy.problems] == [
        (str(broken), "malformed"),
        (str(binary), "not_text"),
    ]


def test_an_oversized_or_unreadable_file_is_reported(tmp_path):
    huge = write(tmp_path / "a", "GradLab.ini", "# padding\n" * 10_000 + "language=zh\n")
    folder = tmp_path / "b" / "GradLab.ini"
    folder.mkdir(parents=True)  # a folder where the file should be is skipped, not read
    policy = load_admin_policy([huge, folder])
    assert policy.values == {}
    assert [(p.file, p.message) for p in policy.problems] == [(str(huge), "too_large")]


def test_missing_files_give_an_empty_policy(tmp_path):
    policy = load_admin_policy([tmp_path / "none.ini"])
    assert policy == AdminPolicy()
    assert policy.resolve("language", None, "en") == "en"


def test_bundle_side_wins_over_system_key_by_key(tmp_path):
    bundle = write(tmp_path / "bundle", "gradlab-admin.ini", "[autosave]\ninterval_s=30\n")
    system = write(
        tmp_path / "etc",
        "GradLab.ini",
        "[General]\nlanguage=zh\n[autosave]\ninterval_s=600\n[admin]\nlocked=language\n",
    )
    policy = load_admin_policy([bundle, system])
    assert policy.values == {"autosave/interval_s": 30, "language": "zh"}
    assert policy.source("autosave/interval_s") == str(bundle)
    assert policy.locked == {"language"} and policy.source("language") == str(system)
    # a lock list in the bundle-side file replaces the system's
    write(tmp_path / "bundle", "gradlab-admin.ini", "[admin]\nlocked=cnn/tab\n")
    policy = load_admin_policy([bundle, system])
    assert policy.locked == {"cnn/tab"} and policy.sources[LOCKED] == str(bundle)


def test_resolve_locked_beats_user_beats_admin_default(tmp_path):
    system = write(tmp_path, "GradLab.ini", "[General]\nlanguage=zh\n[cnn]\ntab=false\n")
    policy = load_admin_policy([system])
    assert policy.resolve("language", "en", None) == "en"  # not locked: the student's choice
    assert policy.resolve("language", None, None) == "zh"  # the administrator's default
    assert policy.resolve("language", "klingon", None) == "zh"  # a garbled own value
    assert policy.resolve("cnn/tab", "true", True) is True
    text = "language=zh\ncnn/tab=false\nadmin/locked=language,cnn/tab"
    locked = load_admin_policy([write(tmp_path, "GradLab.ini", text)])
    assert locked.resolve("language", "en", None) == "zh"
    assert locked.resolve("cnn/tab", "true", True) is False
    assert locked.resolve("cnn/cifar_picker", None, True) is True  # not set anywhere


def test_folders_are_absolute_after_expansion(monkeypatch):
    monkeypatch.setenv("GRADLAB_TEST_USER", "ada")
    expected = os.path.join(os.path.expanduser("~"), "saves", "ada")
    assert parse_value("autosave/folder", "~/saves/$GRADLAB_TEST_USER") == expected
    assert parse_value("autosave/folder", "saves") is None  # relative: depends on the start folder
    assert parse_value("lessons/default", "02-chapter-autograd.json") == "02-chapter-autograd.json"


def test_values_from_qt_lists_and_quotes():
    assert parse_value("language", '"zh"') == "zh"
    assert parse_value("cnn/tab", "TRUE") is True
    assert parse_value("lessons/default", ["a", "b.json"]) == "a,b.json"
    assert parse_value("language", 3) is None


def test_bundle_folder():
    assert bundle_folder(frozen=False, executable="/x/bin/python", prefix="/venv") == Path("/venv")
    frozen = bundle_folder(frozen=True, executable="/opt/GradLab/GradLab", prefix="/ignored")
    assert frozen == Path("/opt/GradLab").resolve()
