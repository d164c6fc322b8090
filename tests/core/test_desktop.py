"""The launcher install: XDG places, a valid entry, and an uninstall that leaves no trace."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from gradlab import desktop
from gradlab.desktop import (
    DesktopInstallError,
    desktop_entry,
    exec_value,
    install_desktop,
    launch_command,
    uninstall_desktop,
)
from gradlab.resources import resource_path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
VALIDATOR = shutil.which("desktop-file-validate")
needs_validator = pytest.mark.skipif(VALIDATOR is None, reason="desktop-file-utils not installed")


@pytest.fixture
def trusted(monkeypatch) -> list[Path]:
    """The files install_desktop() marked trusted (recorded instead of running gio)."""
    marked: list[Path] = []
    monkeypatch.setattr(desktop, "_mark_trusted", marked.append)
    return marked


@pytest.fixture
def home(tmp_path, monkeypatch, trusted) -> Path:
    """A fresh home folder with a Desktop, set as HOME, with the XDG variables unset."""
    home = tmp_path / "home"
    (home / "Desktop").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(variable, raising=False)
    return home


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def entry_values(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def validate(path: Path) -> None:
    assert VALIDATOR is not None
    result = subprocess.run([VALIDATOR, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


def test_install_follows_xdg_data_home(home, trusted, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    files = install_desktop()
    entry = data / "applications" / "gradlab.desktop"
    icons = data / "icons" / "hicolor"
    expected = {
        entry,
        icons / "scalable" / "apps" / "gradlab.svg",
        *(icons / f"{n}x{n}" / "apps" / "gradlab.png" for n in ICON_SIZES),
        home / "Desktop" / "gradlab.desktop",
    }
    assert set(files) == expected
    assert all(p.is_file() for p in files)
    assert not (home / ".local").exists()
    values = entry_values(entry)
    assert values["Exec"] == exec_value(launch_command())
    assert values["Icon"] == "gradlab"
    assert values["Terminal"] == "false"
    assert values["Name[zh_CN]"].startswith("GradLab")
    launcher = home / "Desktop" / "gradlab.desktop"
    assert launcher.read_text(encoding="utf-8") == entry.read_text(encoding="utf-8")
    assert os.access(launcher, os.X_OK)
    assert trusted == [launcher]


def test_install_defaults_to_local_share_and_the_chinese_desktop_folder(home):
    shutil.rmtree(home / "Desktop")
    (home / "桌面").mkdir()
    (home / ".config").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text(
        '# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR="$HOME/桌面"\n', encoding="utf-8"
    )
    files = install_desktop()
    assert home / ".local" / "share" / "applications" / "gradlab.desktop" in files
    assert home / "桌面" / "gradlab.desktop" in files


def test_no_desktop_folder_means_no_desktop_copy(home, trusted):
    shutil.rmtree(home / "Desktop")
    files = install_desktop()
    assert all("Desktop" not in p.parts for p in files)
    assert not (home / "Desktop").exists()
    assert trusted == []


def test_explicit_home_ignores_the_environment(home, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    other = tmp_path / "other-home"
    other.mkdir()
    files = install_desktop(home=other)
    assert files and all(other in p.parents for p in files)
    assert not (tmp_path / "elsewhere").exists()
    uninstall_desktop(home=other)
    assert tree(other) == set()


def test_uninstall_removes_exactly_what_install_created(home):
    # someone else's files in the same folders must survive
    applications = home / ".local" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / "other.desktop").write_text("[Desktop Entry]\n", encoding="utf-8")
    (home / "Desktop" / "notes.txt").write_text("keep me", encoding="utf-8")
    before = tree(home)
    files = install_desktop()
    install_desktop()  # a second install is harmless and still fully undone
    removed = uninstall_desktop()
    assert tree(home) == before
    assert set(files) <= set(removed)
    assert uninstall_desktop() == []  # nothing left to remove


def test_uninstall_without_its_record_still_removes_the_launcher(home):
    files = install_desktop()
    (home / ".local" / "share" / "gradlab" / "desktop-install.json").unlink()
    foreign = home / "Desktop" / "gradlab.desktop"
    foreign.write_text("[Desktop Entry]\nName=Not ours\n", encoding="utf-8")
    uninstall_desktop()
    assert not any(p.exists() for p in files if p != foreign)
    assert foreign.read_text(encoding="utf-8").endswith("Not ours\n")  # not written by GradLab


def test_uninstall_never_deletes_other_files_named_in_its_record(home):
    install_desktop()
    precious = home / "thesis.txt"
    precious.write_text("a year of work", encoding="utf-8")
    record = home / ".local" / "share" / "gradlab" / "desktop-install.json"
    record.write_text(json.dumps({"files": [str(precious)], "folders": [str(home)]}))
    uninstall_desktop()
    assert precious.read_text(encoding="utf-8") == "a year of work"
    assert not (home / ".local" / "share" / "applications" / "gradlab.desktop").exists()


def test_a_failed_install_is_rolled_back(home):
    data = home / ".local" / "share"
    data.mkdir(parents=True)
    (data / "icons").write_text("a file where a folder should be", encoding="utf-8")
    before = tree(home)
    with pytest.raises(DesktopInstallError, match="cannot install the launcher"):
        install_desktop()
    assert tree(home) == before


def test_other_platforms_get_a_clear_message(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(DesktopInstallError, match=r"gradlab-gui\.exe"):
        install_desktop()


def test_launch_command_prefers_the_installed_gui_script(tmp_path, monkeypatch):
    bin_folder = tmp_path / "venv" / "bin"
    bin_folder.mkdir(parents=True)
    python = bin_folder / "python"
    python.touch()
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert launch_command() == [str(python), "-m", "gradlab"]
    script = bin_folder / "gradlab-gui"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    assert launch_command() == [str(script)]


def test_the_development_install_has_an_executable_gui_script():
    command = launch_command()
    assert Path(command[0]).is_absolute()
    assert os.access(command[0], os.X_OK)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["/usr/bin/gradlab-gui"], "/usr/bin/gradlab-gui"),
        (["/opt/py 3/bin/python", "-m", "gradlab"], '"/opt/py 3/bin/python" -m gradlab'),
        (["/home/x/$dir/gradlab-gui"], '"/home/x/\\\\$dir/gradlab-gui"'),
        (["/a\\b/gradlab-gui"], '"/a\\\\\\\\b/gradlab-gui"'),
        (["/opt/100%/gradlab-gui"], "/opt/100%%/gradlab-gui"),
        (["/home/张三/gradlab-gui"], "/home/张三/gradlab-gui"),
    ],
)
def test_exec_value_quotes_as_the_spec_requires(arguments, expected):
    assert exec_value(arguments) == expected


def test_exec_value_refuses_a_line_break():
    with pytest.raises(DesktopInstallError, match="line break"):
        exec_value(["/tmp/a\nb"])


@needs_validator
def test_shipped_entry_passes_desktop_file_validate():
    validate(resource_path("gradlab.desktop"))


@needs_validator
@pytest.mark.parametrize("program", ["/opt/My Apps/$HOME\\x/gradlab-gui", "/home/张三/gradlab-gui"])
def test_installed_entry_passes_desktop_file_validate(home, tmp_path, monkeypatch, program):
    monkeypatch.setattr(desktop, "launch_command", lambda: [program])
    for path in install_desktop():
        if path.suffix == ".desktop":
            validate(path)
    entry = tmp_path / "plain.desktop"
    entry.write_text(desktop_entry([sys.executable, "-m", "gradlab"]), encoding="utf-8")
    validate(entry)


@pytest.mark.parametrize("size", ICON_SIZES)
def test_png_icons_have_the_size_in_their_name(size):
    data = resource_path("icons", f"gradlab-{size}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (size, size)


def test_svg_icon_is_square_and_well_formed():
    root = ElementTree.parse(resource_path("icons", "gradlab.svg")).getroot()
    assert root.tag.endswith("svg")
    assert root.get("viewBox") == "0 0 256 256"
