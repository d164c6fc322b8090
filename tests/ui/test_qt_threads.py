"""Qt paints in the GUI thread alone: its raster threads would run on the training core."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

PAINT_A_LARGE_POLYGON = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if sys.argv[1] == "off":
        from gradlab.ui.qt_threads import paint_in_gui_thread_only
        paint_in_gui_thread_only()
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPolygonF
    app = QGuiApplication([])
    image = QImage(1400, 900, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setBrush(QBrush(QColor(0, 0, 255, 128)))  # blended: one span per row, 900 rows
    painter.drawPolygon(QPolygonF([QPointF(0, 0), QPointF(1400, 10), QPointF(1300, 900)]))
    painter.end()
    tasks = os.listdir("/proc/self/task")
    print(sum(open(f"/proc/self/task/{t}/comm").read().strip() == "Thread (pooled)" for t in tasks))
    """
)


def pooled_threads(mode: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", PAINT_A_LARGE_POLYGON, mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"},
    )
    return int(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="thread names from /proc")
def test_a_large_fill_starts_no_qt_raster_threads_once_the_pool_is_off():
    assert pooled_threads("on") >= 1  # Qt's default: what the switch is for
    assert pooled_threads("off") == 0


def test_the_window_turns_the_pool_off_before_it_paints(qapp, monkeypatch):
    from gradlab.app import create_window
    from gradlab.ui.qt_threads import NO_POOL_VARIABLE

    monkeypatch.delenv(NO_POOL_VARIABLE, raising=False)
    window = create_window()
    try:
        assert os.environ.get(NO_POOL_VARIABLE) == "1"
    finally:
        window.close()
        window.deleteLater()
