"""The bundled CJK font: it registers, covers the app's Chinese, and becomes the fallback."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QRawFont, QTextLayout

from gradlab.resources import resource_path
from gradlab.ui import fonts

BUNDLED_FAMILY = "GradLab Sans SC"
SAMPLE = "训练 学习率 损失 梯度下降 优化器 交叉熵，。：（）“”、"
# CJK ideographs, CJK punctuation and fullwidth forms: these must come from the bundled font
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture
def app(qapp) -> Iterator[object]:
    """The QApplication, with its font restored after the test."""
    font = QFont(qapp.font())
    yield qapp
    qapp.setFont(font)


def shaped_runs(text: str, font: QFont) -> list[tuple[str, list[int]]]:
    """(family, glyph indexes) of each run Qt shapes ``text`` into; glyph 0 is an empty box."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [(run.rawFont().familyName(), list(run.glyphIndexes())) for run in layout.glyphRuns()]


def test_the_bundled_font_ships_with_its_licence():
    files = fonts.bundled_font_files()
    assert [p.rsplit("/", 1)[-1] for p in files] == ["GradLabSansSC-Regular.otf"]
    assert "SIL OPEN FONT LICENSE Version 1.1" in resource_path("fonts", "OFL.txt").read_text(
        encoding="utf-8"
    )
    assert resource_path("fonts", "GradLabSansSC-Regular.otf").stat().st_size < 3_000_000


def test_register_adds_the_family_once(app):
    families = fonts.register_bundled_fonts()
    assert families == [BUNDLED_FAMILY]
    assert BUNDLED_FAMILY in QFontDatabase.families()
    assert fonts.register_bundled_fonts() == families


def test_bundled_font_has_the_common_chinese_words(app):
    fonts.register_bundled_fonts()
    raw = QRawFont(fonts.bundled_font_files()[0], 16)
    assert raw.isValid()
    metrics = QFontMetrics(QFont(BUNDLED_FAMILY))
    # ord(): PySide6's str -> QChar overloads (supportsCharacter(str), inFont) misreport many hanzi
    for character in SAMPLE.replace(" ", ""):
        assert raw.supportsCharacter(ord(character)), character
        assert metrics.inFontUcs4(ord(character)), character
    for symbol in "·−²³∂Σθλ×→≈≤≥":
        assert raw.supportsCharacter(ord(symbol)), symbol


def test_all_shipped_chinese_text_is_covered():
    """Lessons and translations: add text, then rerun resources/fonts/make_subset.py."""
    raw = QRawFont(fonts.bundled_font_files()[0], 16)
    sources = [
        *resource_path("lessons").glob("*.json"),
        *resource_path("translations").glob("*.ts"),
    ]
    assert sources
    missing = {}
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for character in set(CJK.findall(text)):
            if not raw.supportsCharacter(ord(character)):
                missing.setdefault(character, path.name)
    assert not missing, (
        f"the bundled font lacks {''.join(sorted(missing))} (used in "
        f"{', '.join(sorted(set(missing.values())))}); rerun resources/fonts/make_subset.py"
    )


def test_chinese_locale_appends_the_bundled_family(app):
    default = QFont(app.font()).families() or [app.font().family()]
    default = [family for family in default if family != BUNDLED_FAMILY]  # an earlier test's
    assert fonts.apply_cjk_fallback(app, "zh_CN")
    families = app.font().families()
    assert families[-1] == BUNDLED_FAMILY
    assert set(default) <= set(families[:-1])  # the usual font still comes first
    assert fonts.apply_cjk_fallback(app, "zh_CN")
    assert app.font().families() == families  # applying twice changes nothing


def test_english_locale_uses_the_system_cjk_font_when_there_is_one(app, monkeypatch):
    before = app.font().families()
    monkeypatch.setattr(fonts, "system_has_chinese_font", lambda: True)
    assert not fonts.apply_cjk_fallback(app, "en_US")
    assert app.font().families() == before
    monkeypatch.setattr(fonts, "system_has_chinese_font", lambda: False)
    assert fonts.apply_cjk_fallback(app, "en_US")  # the language menu still shows 中文
    assert app.font().families()[-1] == BUNDLED_FAMILY


def test_chinese_text_renders_without_empty_boxes(app):
    fonts.apply_cjk_fallback(app, "zh_CN")
    runs = shaped_runs("训练 Training 学习率 1e-6 损失 Σ(ŷ − y)²", app.font())
    assert runs
    for family, glyphs in runs:
        assert 0 not in glyphs, f"an empty box in the {family} run"
    if not fonts.system_has_chinese_font():
        cjk_families = {family for family, _ in shaped_runs("训练学习率损失", app.font())}
        assert cjk_families == {BUNDLED_FAMILY}


@pytest.mark.parametrize(
    ("language", "chinese"),
    [
        ("zh", True),
        ("zh_CN", True),
        ("zh-Hans-CN", True),
        ("ZH_tw", True),
        ("en_US", False),
        ("", False),
        ("C", False),
    ],
)
def test_is_chinese(language, chinese):
    assert fonts.is_chinese(language) is chinese
