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
    """filtered(), and on Linux also the shared libraries that only the dropped files needed.

    PyInstaller collects a plugin's dependencies before the spec can drop the plugin: the GTK3
    platform theme brings GTK, cairo and pango, the Wayland and EGLFS platforms their Qt
    libraries. A library is dropped only if a dropped file needs it and no kept file does
    (libraries that Python code loads by name, like torch's, are never needed by a dropped one).
    """
    kept = filtered(binaries)
    if not sys.platform.startswith("linux"):
        return kept
    dropped = [entry for entry in binaries if not keep(entry[0])]
    # shared libraries (not Python extension modules, not Qt plugins, which are loaded by name)
    libraries = {
        dest: source
        for dest, source, kind in kept
        if kind == "BINARY" and "plugins" not in PurePosixPath(dest).parts
    }
    roots = [source for dest, source, kind in kept if dest not in libraries and kind != "SYMLINK"]
    needed = _closure(roots, libraries)
    unneeded = _closure([source for _, source, kind in dropped if kind != "SYMLINK"], libraries)
    orphans = unneeded - needed
    orphan_sources = {os.path.realpath(libraries[dest]) for dest in orphans}
    return [
        entry
        for entry in kept
        if entry[0] not in orphans
        and not (entry[2] == "SYMLINK" and _symlink_target(entry, kept) in orphan_sources)
    ]


def _symlink_target(entry: tuple[str, str, str], toc: Toc) -> str | None:
    """The real path of the file a SYMLINK entry (dest, link target in the bundle) points to."""
    target = str(PurePosixPath(entry[0]).parent / entry[1])
    for dest, source, kind in toc:
        if os.path.normpath(dest) == os.path.normpath(target) and kind != "SYMLINK":
            return os.path.realpath(source)
    return None


def _closure(sources: list[str], libraries: dict[str, str]) -> set[str]:
    """Bundle names of the ``libraries`` that ``sources`` need, directly or through each other."""
    from PyInstaller.depend.bindepend import get_imports

    by_path = {os.path.realpath(source): dest for dest, source in libraries.items()}
    by_name = {PurePosixPath(dest).name: dest for dest in libraries}
    found: set[str] = set()
    stack, seen = list(sources), set()
    while stack:
        path = stack.pop()
        if path in seen or not os.path.isfile(path):
            continue
        seen.add(path)
        for name, full in get_imports(path):
            dest = by_path.get(os.path.realpath(full)) if full else None
            dest = dest or by_name.get(PurePosixPath(name).name)
            if dest is not None and dest not in found:
                found.add(dest)
                stack.append(libraries[dest])
    return found
