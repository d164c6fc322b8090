"""What the frozen app leaves out: Qt plugins and translations it never uses, test libraries.

Used by gradlab.spec to filter PyInstaller's lists before anything is copied. Only files that
GradLab cannot reach are dropped: torch keeps every module and its .py sources (torch.optim
imports torch._dynamo, which reads them), numpy and PySide6 keep every module they import.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import PurePosixPath

# Qt plugin folders kept, and within some of them only the plugins named here.
QT_PLUGINS = {
    # xcb for X11 desktops, offscreen for the self-test without a display; wayland desktops run
    # X applications through XWayland; windows/cocoa on the other systems
    "platforms": ["*qxcb*", "*qoffscreen*", "*qwindows*", "*qcocoa*"],
    "xcbglintegrations": ["*"],  # xcb needs one for OpenGL contexts
    "imageformats": ["*qsvg*", "*qico*"],  # the SVG icon; PNG is built into QtGui
    "iconengines": ["*"],  # SVG icons in menus
    "platforminputcontexts": ["*"],  # compose keys and input methods (Chinese input)
    "platformthemes": ["*xdgdesktopportal*"],  # native file dialogs; not the GTK3 theme
    "styles": ["*"],  # macOS style
}
# Qt's own translations (standard dialogs' buttons): only the languages GradLab speaks.
QT_TRANSLATIONS = ["qt_zh_CN.qm", "qtbase_zh_CN.qm", "qt_en.qm", "qtbase_en.qm"]
# torch libraries that only torch's own test suite loads
TEST_LIBRARIES = [
    "libjitbackend_test.*",
    "libtorchbind_test.*",
    "libbackend_with_compiler.*",
    "libaoti_custom_ops.*",
    "jitbackend_test.*",
    "torchbind_test.*",
    "backend_with_compiler.*",
    "aoti_custom_ops.*",
]
# data files that nothing reads at run time
DATA_PATTERNS = ["*.h", "*.hpp", "*.cuh", "*.pyi", "*.cmake", "*.a", "*.lib", "*/py.typed"]


def keep(dest: str) -> bool:
    """False for a bundled file (its path inside the bundle) that GradLab never uses."""
    path = PurePosixPath(dest.replace("\\", "/"))
    parts = path.parts
    name = path.name
    if any(fnmatch.fnmatch(name, pattern) for pattern in TEST_LIBRARIES):
        return False
    if any(fnmatch.fnmatch(str(path), pattern) for pattern in DATA_PATTERNS):
        return False
    if "plugins" in parts:
        index = parts.index("plugins")
        if index + 2 < len(parts) and _in_qt(parts[:index]):
            folder = parts[index + 1]
            patterns = QT_PLUGINS.get(folder)
            return patterns is not None and any(fnmatch.fnmatch(name, p) for p in patterns)
    if "translations" in parts and _in_qt(parts[: parts.index("translations")]):
        return name in QT_TRANSLATIONS
    return True


def _in_qt(parents: tuple[str, ...]) -> bool:
    """True for PySide6's Qt folder (PySide6/Qt/..., or PySide6/... on Windows)."""
    return bool(parents) and parents[0] == "PySide6"


Toc = list[tuple[str, str, str]]


def filtered(toc: Toc) -> Toc:
    """The entries of a PyInstaller TOC (dest, source, kind) that keep() keeps."""
    return [entry for entry in toc if keep(entry[0])]


def filtered_binaries(binaries: Toc) -> Toc:
    """filtered(), and on Linux also the system libraries that only the dropped files needed.

    PyInstaller collects a plugin's dependencies before the spec can drop the plugin: the GTK3
    platform theme alone brings GTK, cairo, pango and their friends. A system library is
    dropped only if a dropped file needs it and no kept file does.
    """
    kept = filtered(binaries)
    if not sys.platform.startswith("linux"):
        return kept
    dropped = [entry for entry in binaries if not keep(entry[0])]
    # system libraries that PyInstaller copied to the top of the bundle
    system = {
        dest: source
        for dest, source, kind in kept
        if kind == "BINARY" and "/" not in dest and source.startswith(("/lib", "/usr/"))
    }
    roots = [source for dest, source, kind in kept if dest not in system and kind != "SYMLINK"]
    needed = _closure(roots, system)
    unneeded = _closure([source for _, source, kind in dropped if kind != "SYMLINK"], system)
    orphans = unneeded - needed
    return [entry for entry in kept if entry[0] not in orphans]


def _closure(sources: list[str], system: dict[str, str]) -> set[str]:
    """Names of the system libraries that ``sources`` need, directly or through each other."""
    from PyInstaller.depend.bindepend import get_imports

    by_path = {os.path.realpath(source): dest for dest, source in system.items()}
    found: set[str] = set()
    stack, seen = list(sources), set()
    while stack:
        path = stack.pop()
        if path in seen or not os.path.isfile(path):
            continue
        seen.add(path)
        for name, full in get_imports(path):
            dest = by_path.get(os.path.realpath(full)) if full else None
            dest = dest or (name if name in system else None)
            if dest is not None and dest not in found:
                found.add(dest)
                stack.append(system[dest])
    return found
