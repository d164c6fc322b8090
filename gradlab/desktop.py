"""Install GradLab's menu launcher and icon for the current user (freedesktop / XDG locations).

``gradlab --install-desktop`` writes, for the current user only (no root needed)::

    <data>/applications/gradlab.desktop              the menu entry
    <data>/icons/hicolor/<n>x<n>/apps/gradlab.png    the icon in every shipped size
    <data>/icons/hicolor/scalable/apps/gradlab.svg
    <desktop folder>/gradlab.desktop                 only if that folder exists (~/Desktop, ~/桌面)

where <data> is $XDG_DATA_HOME or ~/.local/share. The entry runs the absolute path of the
installed ``gradlab-gui`` (a double-click does not see a virtual environment's PATH). What was
written, and which folders had to be created, is recorded in <data>/gradlab/desktop-install.json
so that ``--uninstall-desktop`` removes exactly that. No Qt here: it runs before any window.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from gradlab import __version__
from gradlab.resources import resource_path

ENTRY_NAME = "gradlab.desktop"
ICON_NAME = "gradlab"
MANIFEST = Path("gradlab", "desktop-install.json")
MARKER = "# Installed by gradlab --install-desktop; remove with gradlab --uninstall-desktop"
# characters that force an Exec argument into double quotes (Desktop Entry Spec, "Exec key")
_RESERVED = frozenset(" \t\"'\\><~|&;$*?#()`")


class DesktopInstallError(RuntimeError):
    """The launcher cannot be installed or removed; the message says why in plain words."""


def launch_command() -> list[str]:
    """The command that starts the GUI: the frozen app's own launcher, the installed gradlab-gui,
    else ``python -m gradlab``."""
    if getattr(sys, "frozen", False):  # the bundle: its launcher opens the window with no argument
        return [str(Path(sys.executable).absolute())]
    # not resolved: a virtual environment's python is a symlink that points out of the venv
    beside_python = Path(sys.executable).absolute().parent / "gradlab-gui"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return [str(beside_python)]
    found = shutil.which("gradlab-gui")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "gradlab"]


def exec_value(arguments: list[str]) -> str:
    """The arguments as a desktop entry Exec value: quoted and escaped as the spec requires."""
    parts = []
    for argument in arguments:
        if "\n" in argument or "\r" in argument:
            raise DesktopInstallError(
                f"cannot launch a program whose path has a line break: {argument!r}"
            )
        if not argument or any(c in _RESERVED for c in argument):
            argument = '"' + re.sub(r'(["`$\\])', r"\\\1", argument) + '"'
        parts.append(argument.replace("%", "%%"))
    # the string escape (\\ for \) is applied on top of the quoting rule
    return " ".join(parts).replace("\\", "\\\\")


def desktop_entry(command: list[str]) -> str:
    """The shipped entry (resources/gradlab.desktop) with Exec and TryExec for ``command``."""
    lines = [MARKER]
    for line in resource_path(ENTRY_NAME).read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            # TryExec hides the entry, instead of failing, once that program is removed
            try_exec = command[0].replace("\\", "\\\\")  # a plain string value: never quoted
            lines += [f"TryExec={try_exec}", f"Exec={exec_value(command)}"]
        elif not line.startswith("TryExec="):
            lines.append(line)
    lines.append(f"X-GradLab-Version={__version__}")
    return "\n".join(lines) + "\n"


def install_desktop(home: str | os.PathLike[str] | None = None) -> list[Path]:
    """Install the menu entry, icons and (if a desktop folder exists) a desktop launcher.

    ``home`` installs into that folder instead of the current user's (the XDG_* environment
    variables are then ignored). Returns the files written. Installing twice is harmless. On
    any failure, what was written so far is removed again and DesktopInstallError is raised.
    """
    _check_platform()
    data, desktop_folder = _locations(home)
    files: list[Path] = []
    folders: list[Path] = []
    try:
        entry = desktop_entry(launch_command())
        menu_entry = data / "applications" / ENTRY_NAME
        _write(menu_entry, entry.encode("utf-8"), 0o644, files, folders)
        for source, target in _icon_files(data):
            _write(target, source.read_bytes(), 0o644, files, folders)
        if desktop_folder is not None:
            launcher = desktop_folder / ENTRY_NAME
            # desktops launch only executable, trusted .desktop files from the desktop folder
            _write(launcher, entry.encode("utf-8"), 0o755, files, folders)
            _mark_trusted(launcher)
        _record(data, files, folders)
    except OSError as error:
        _remove(files, folders)
        where = f"{error.filename}: " if error.filename else ""
        raise DesktopInstallError(
            f"cannot install the launcher: {where}{error.strerror or error}"
        ) from error
    return files


def uninstall_desktop(home: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove what install_desktop() wrote (and the folders it created, if left empty).

    The files come from the install's record plus the usual places (in case the record was
    cleared with the data folder); either way only GradLab's icons and .desktop files that
    GradLab wrote are deleted. Returns the paths removed.
    """
    _check_platform()
    data, desktop_folder = _locations(home)
    manifest = data / MANIFEST
    recorded: dict[str, list[str]] = {}
    with contextlib.suppress(OSError, ValueError):
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    if not isinstance(recorded, dict):
        recorded = {}
    candidates = [Path(p) for p in recorded.get("files", []) if isinstance(p, str)]
    candidates += [data / "applications" / ENTRY_NAME, *(t for _, t in _icon_files(data))]
    if desktop_folder is not None:
        candidates.append(desktop_folder / ENTRY_NAME)
    files = [p for p in dict.fromkeys(candidates) if _is_ours(p)]
    if manifest.is_file():
        files.append(manifest)
    folders = [Path(p) for p in recorded.get("folders", []) if isinstance(p, str)]
    return _remove(files, folders)


# ---- helpers --------------------------------------------------------------------------------


def _check_platform() -> None:
    if sys.platform in ("win32", "darwin"):
        raise DesktopInstallError(
            "--install-desktop is for Linux desktops. On Windows, make a shortcut to "
            "gradlab-gui.exe (in the Scripts folder of the Python that has GradLab); on macOS, "
            "start gradlab-gui from a terminal or add it to the Dock."
        )


def _locations(home: str | os.PathLike[str] | None) -> tuple[Path, Path | None]:
    """(data folder, desktop folder or None) following the XDG base and user-dirs specs."""
    if home is not None:
        home_path = Path(home).absolute()
        data, config = home_path / ".local" / "share", home_path / ".config"
    else:
        home_path = Path.home()
        data = _xdg_folder("XDG_DATA_HOME", home_path / ".local" / "share")
        config = _xdg_folder("XDG_CONFIG_HOME", home_path / ".config")
    desktop = _user_desktop_folder(home_path, config)
    return data, desktop if desktop is not None and desktop.is_dir() else None


def _xdg_folder(variable: str, default: Path) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else default  # relative values are invalid


def _user_desktop_folder(home: Path, config: Path) -> Path | None:
    """XDG_DESKTOP_DIR from user-dirs.dirs (e.g. ~/桌面 on a Chinese system), else ~/Desktop."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = (config / "user-dirs.dirs").read_text(encoding="utf-8")
        match = re.search(r'^XDG_DESKTOP_DIR="([^"]*)"', text, re.MULTILINE)
        if match:
            value = match.group(1)
            if value in ("$HOME", "$HOME/"):
                return None  # the desktop is the home folder itself: do not litter it
            if value.startswith("$HOME/"):
                return home / value[len("$HOME/") :]
            if value.startswith("/"):
                return Path(value)
    return home / "Desktop"


def _icon_files(data: Path) -> list[tuple[Path, Path]]:
    """(shipped icon, installed place) for the SVG and every gradlab-<n>.png."""
    icons = resource_path("icons")
    theme = data / "icons" / "hicolor"
    pairs = [(icons / "gradlab.svg", theme / "scalable" / "apps" / f"{ICON_NAME}.svg")]
    for png in sorted(icons.glob("gradlab-*.png")):
        size = png.stem.rpartition("-")[2]
        if size.isdigit():
            pairs.append((png, theme / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"))
    return pairs


def _write(path: Path, data: bytes, mode: int, files: list[Path], folders: list[Path]) -> None:
    """Write one file, remembering it and every folder that had to be created for it."""
    _make_folders(path.parent, folders)
    path.write_bytes(data)
    os.chmod(path, mode)
    if path not in files:
        files.append(path)


def _make_folders(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its missing parents, appending each one made to ``created``."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        created.append(path)


def _record(data: Path, files: list[Path], folders: list[Path]) -> None:
    """Add this install to the record, keeping what earlier installs wrote and created."""
    manifest = data / MANIFEST
    old: dict[str, list[str]] = {}
    with contextlib.suppress(OSError, ValueError):
        old = json.loads(manifest.read_text(encoding="utf-8"))
    if not isinstance(old, dict):
        old = {}
    _make_folders(manifest.parent, folders)
    record = {}
    for key, new in (("files", files), ("folders", folders)):
        earlier = [p for p in old.get(key, []) if isinstance(p, str)]
        record[key] = earlier + [str(p) for p in new if str(p) not in earlier]
    manifest.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _is_ours(path: Path) -> bool:
    """A GradLab icon, or a .desktop file that GradLab wrote (never anything else)."""
    if not path.is_file() or path.name not in (ENTRY_NAME, f"{ICON_NAME}.png", f"{ICON_NAME}.svg"):
        return False
    if path.suffix != ".desktop":
        return True
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return path.read_text(encoding="utf-8").startswith(MARKER)
    return False


def _remove(files: list[Path], folders: list[Path]) -> list[Path]:
    """Delete the files, then the folders that are left empty (deepest first)."""
    removed = []
    for path in files:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    for folder in sorted(set(folders), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty: something else lives there now
            folder.rmdir()
            removed.append(folder)
    return removed


def _mark_trusted(path: Path) -> None:
    """Let GNOME launch the desktop copy without asking ("Allow Launching"); best effort."""
    gio = shutil.which("gio")
    if gio is None:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [gio, "set", str(path), "metadata::trusted", "true"],
            check=False,
            capture_output=True,
            timeout=5,
        )
