"""What the frozen app leaves out: Qt plugins and translations it never uses, test libraries.

Used by gradlab.spec to filter PyInstaller's lists before anything is copied. Only files that
GradLab cannot reach are dropped: torch keeps every module and its .py sources (torch.optim
imports torch._dynamo, which reads them), numpy and PySide6 keep every module they import.
"""

from __future__ import annotations

import fnmatch
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


def filtered(toc: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The entries of a PyInstaller TOC (dest, source, kind) that keep() keeps."""
    return [entry for entry in toc if keep(entry[0])]
