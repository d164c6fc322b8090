"""Render gradlab.svg to the PNG sizes the desktop install uses (run after editing the SVG).

QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/render_pngs.py
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
HERE = Path(__file__).resolve().parent


def main() -> None:
    app = QGuiApplication([])  # noqa: F841  (QPainter needs a GUI application)
    renderer = QSvgRenderer(str(HERE / "gradlab.svg"))
    if not renderer.isValid():
        raise SystemExit("gradlab.svg could not be read")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(HERE / f"gradlab-{size}.png")):
            raise SystemExit(f"could not write gradlab-{size}.png")


if __name__ == "__main__":
    main()
