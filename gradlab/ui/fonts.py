"""The bundled Chinese font, so Chinese text renders on a computer with no CJK font installed.

``resources/fonts/`` holds a subset of Noto Sans CJK SC ("GradLab Sans SC", see its README).
At start the app calls ``register_bundled_fonts()`` and then ``apply_cjk_fallback(app)``, which
appends the bundled family to the application font's family list: Latin text keeps the
platform's usual font, and any character that font lacks (every hanzi, on a machine without a
CJK font) is drawn from the bundled one instead of as an empty box.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication

from gradlab.resources import resource_path

FONT_SUFFIXES = (".otf", ".ttf")

_bundled_families: list[str] | None = None  # registered once per process


def bundled_font_files() -> list[str]:
    """Paths of the font files shipped in resources/fonts/, sorted."""
    folder = resource_path("fonts")
    if not folder.is_dir():
        return []
    return sorted(str(p) for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


def register_bundled_fonts() -> list[str]:
    """Add the bundled fonts to Qt's font database; return their family names.

    Needs a QGuiApplication. Calling it again returns the same families without adding the
    files twice. A missing or unreadable file is skipped (Chinese may then show as boxes, but
    the app still starts).
    """
    global _bundled_families
    if QGuiApplication.instance() is None:
        raise RuntimeError("register_bundled_fonts() needs a QGuiApplication first")
    if _bundled_families is None:
        families: list[str] = []
        for path in bundled_font_files():
            font_id = QFontDatabase.addApplicationFont(path)
            if font_id < 0:
                continue
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in families:
                    families.append(family)
        _bundled_families = families
    return list(_bundled_families)


def is_chinese(language: str) -> bool:
    """True for "zh", "zh_CN", "zh-Hans-CN" and the like."""
    return language.replace("-", "_").lower().split("_")[0] == "zh"


def system_has_chinese_font() -> bool:
    """Whether some installed (not bundled) font supports Simplified Chinese."""
    bundled = set(register_bundled_fonts())
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    return any(family not in bundled for family in families)


def apply_cjk_fallback(app: QGuiApplication, language: str | None = None) -> bool:
    """Make the bundled CJK family a fallback of the application font; True when it is in effect.

    It is added when ``language`` (default: the system locale, e.g. "zh_CN") is Chinese, or
    when no installed font covers Chinese: even an English interface shows Chinese text (the
    language menu, a lesson's Chinese title). The default family stays first, so Latin text
    looks as usual. Calling it again changes nothing.
    """
    language = QLocale.system().name() if language is None else language
    bundled = register_bundled_fonts()
    if not bundled or not (is_chinese(language) or not system_has_chinese_font()):
        return False
    font = QFont(app.font())
    families = list(font.families()) or [font.family()]
    # "Sans Serif" and the like are aliases, skipped in a family list: name the real font first
    resolved = QFontInfo(font).family()
    if resolved not in families and resolved not in bundled:
        families.insert(0, resolved)
    missing = [family for family in bundled if family not in families]
    if missing:
        font.setFamilies(families + missing)
        app.setFont(font)
    return True
