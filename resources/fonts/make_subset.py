"""Rebuild GradLabSansSC-Regular.otf: a subset of Noto Sans CJK SC for GradLab's Chinese text.

Not part of the app: a maintainer runs it with fontTools (outside the project venv)::

    python3 -m venv /tmp/ftenv && /tmp/ftenv/bin/pip install fonttools brotli
    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    /tmp/ftenv/bin/python resources/fonts/make_subset.py \
        /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

The character set is every GB2312 symbol and all 3,755 level-1 hanzi, CJK punctuation,
fullwidth forms, ASCII, Latin-1 and the Greek, arrow and maths symbols the app prints, plus
any character used in the shipped lessons and translations (so rerun it after adding text
that tests/ui/test_fonts.py reports as missing). The family is renamed "GradLab Sans SC" so
this subset never shadows a complete Noto Sans CJK SC installed on the system.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent
OUTPUT = HERE / "GradLabSansSC-Regular.otf"
CHARACTER_LIST = HERE / "subset-characters.txt"
FAMILY = "GradLab Sans SC"
POSTSCRIPT_NAME = "GradLabSansSC-Regular"
SOURCE_NAME = "Noto Sans CJK SC"

RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x017F),  # Latin-1 and Latin Extended-A (ŷ)
    (0x01CD, 0x01DC),  # pinyin tone letters ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x0300, 0x036F),  # combining accents (y + ̂)
    (0x0370, 0x03FF),  # Greek (θ λ Σ δ η)
    (0x2010, 0x205E),  # general punctuation (— … • ′ ‖)
    (0x2070, 0x209F),  # superscripts and subscripts (⁻ ¹ ⁴)
    (0x2100, 0x214F),  # letterlike symbols (℃ №)
    (0x2190, 0x21FF),  # arrows (→ ↔)
    (0x2200, 0x22FF),  # mathematical operators (∂ − ≈ ≤ ≥ ∑ √ ∞)
    (0x2300, 0x23FF),  # technical symbols (⏸ ⏹ where the font has them)
    (0x2460, 0x24FF),  # enclosed numbers (① ②)
    (0x2500, 0x25FF),  # box drawing and shapes (▶ ■ ●)
    (0x2600, 0x27BF),  # symbols and dingbats (★ ✓ ✗)
    (0x3000, 0x303F),  # CJK symbols and punctuation (，。、「」《》)
    (0xFF00, 0xFFEF),  # fullwidth forms (（）：；！？)
)
# technical words outside GB2312 level 1, e.g. 交叉熵 (cross-entropy), 阈值 (threshold)
EXTRA_HANZI = "熵阈渲宕巅遴蜿啰嗦娴"


def gb2312(first_row: int, last_row: int) -> set[str]:
    """Every character GB2312 encodes in rows first_row..last_row (16..55 = level-1 hanzi)."""
    characters = set()
    for row in range(first_row, last_row + 1):
        for cell in range(1, 95):
            try:
                characters.add(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return characters


def shipped_text_characters() -> set[str]:
    """Non-ASCII characters of the lessons and translation sources that ship with GradLab."""
    files = [*RESOURCES.glob("lessons/*.json"), *RESOURCES.glob("translations/*.ts")]
    text = "".join(path.read_text(encoding="utf-8") for path in files)
    text = re.sub(r"&#x([0-9a-fA-F]+);", lambda m: chr(int(m.group(1), 16)), text)
    return {c for c in text if ord(c) > 0x7F and c.isprintable()}


def character_set() -> str:
    characters = {chr(c) for lo, hi in RANGES for c in range(lo, hi + 1)}
    characters |= gb2312(1, 9)  # symbols, fullwidth, Greek, Cyrillic, kana, pinyin
    level_one = gb2312(16, 55)
    assert len(level_one) == 3755, len(level_one)
    characters |= level_one | set(EXTRA_HANZI) | shipped_text_characters()
    return "".join(sorted(characters))


def rename(font: TTFont) -> None:
    """Give the subset its own family name, keeping the copyright and licence records."""
    name = font["name"]
    name.names = [n for n in name.names if n.nameID not in (1, 2, 3, 4, 6, 16, 17, 21, 22)]
    version = name.getDebugName(5) or ""
    for name_id, value in (
        (1, FAMILY),
        (2, "Regular"),
        (3, f"{POSTSCRIPT_NAME};{version.split(';')[0]}"),
        (4, f"{FAMILY} Regular"),
        (6, POSTSCRIPT_NAME),
        (
            10,
            f"A subset of {SOURCE_NAME} ({version.split(';')[0]}) made for GradLab by "
            "resources/fonts/make_subset.py.",
        ),
    ):
        name.setName(value, name_id, 3, 1, 0x409)
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT_NAME]
    top = cff.topDictIndex[0]
    top.FamilyName = FAMILY
    top.FullName = f"{FAMILY} Regular"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="NotoSansCJK-Regular.ttc (or an SC .otf)")
    args = parser.parse_args()
    font = TTFont(args.source, fontNumber=_sc_index(args.source), recalcTimestamp=False)
    text = character_set()
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = [0x409]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    rename(font)
    font.save(OUTPUT)
    CHARACTER_LIST.write_text(text + "\n", encoding="utf-8")
    print(f"{OUTPUT.name}: {len(font.getBestCmap())} characters, {OUTPUT.stat().st_size} bytes")


def _sc_index(source: Path) -> int:
    """Index of "Noto Sans CJK SC" inside a .ttc collection (0 for a single font)."""
    if source.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    for index, font in enumerate(TTCollection(source).fonts):
        if font["name"].getDebugName(1) == SOURCE_NAME:
            return index
    raise SystemExit(f"{source}: no {SOURCE_NAME!r} in this collection")


if __name__ == "__main__":
    main()
