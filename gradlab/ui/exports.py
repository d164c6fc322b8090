"""File → Export: the latest run's history as CSV, the plots as PNG or SVG, and the bundle (a
folder with the history, the plots, the settings and a script that repeats the run).

``SessionExports`` is a part of SessionActions (gradlab.ui.session_actions), split off by
responsibility; it uses the window, dialogs and ``capture_state()`` of that class. Its texts keep
the "SessionActions" translation context. Every failure is one message in the window's banner.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, QRectF
from PySide6.QtGui import QPainter

from gradlab.core.config import ConfigError
from gradlab.core.lesson import atomic_write_bytes, atomic_write_text, config_to_dict
from gradlab.core.run_export import export_history_csv
from gradlab.core.session_file import SessionFileError, SessionState

UI_STATE_KEY = "classroom"  # our part of SessionState.extra (the bundle reads the lesson there)

try:  # QtSvg ships with PySide6-Essentials, but a trimmed install may lack it
    from PySide6.QtSvg import QSvgGenerator
except ImportError:  # pragma: no cover - depends on the installation
    QSvgGenerator = None


def svg_available() -> bool:
    """True when this Qt installation can write SVG (QtSvg is there)."""
    return QSvgGenerator is not None


def plot_widgets(window: QObject) -> list[tuple[str, Any]]:
    """(file stem, pyqtgraph PlotWidget) of each plot in the window: fit, loss, ..."""
    grid = getattr(window, "plots", None)
    plots = list(getattr(grid, "plots", ()) or ())
    if not plots:
        import pyqtgraph as pg

        plots = window.findChildren(pg.PlotWidget)
    # the grid's own attribute names ("coefficients") read better than object names
    attributes = {id(value): name for name, value in vars(grid).items()} if grid else {}
    named = []
    for index, plot in enumerate(plots, start=1):
        stem = attributes.get(id(plot)) or plot.objectName().removesuffix("Plot")
        named.append((stem or f"plot{index}", plot))
    return named


def plot_png_bytes(plot: Any, width: int = 1600) -> bytes:
    """The plot as a PNG image (pyqtgraph's ImageExporter, scaled to ``width`` pixels)."""
    from pyqtgraph.exporters import ImageExporter

    exporter = ImageExporter(plot.getPlotItem())
    exporter.parameters()["width"] = width
    image = exporter.export(toBytes=True)
    return _image_bytes(image)


def plot_svg_bytes(plot: Any, title: str = "GradLab") -> bytes:
    """The plot as SVG, drawn by Qt's own SVG generator (pyqtgraph's SVG exporter fails on
    Qt 6.11+); RuntimeError when QtSvg is not installed."""
    if QSvgGenerator is None:
        raise RuntimeError("QtSvg is not available")
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    source = QRectF(plot.viewport().rect())
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(source.size().toSize())
    generator.setViewBox(source)
    generator.setTitle(title)
    painter = QPainter(generator)
    try:
        plot.scene().render(painter, source, plot.mapToScene(plot.viewport().rect()).boundingRect())
    finally:
        painter.end()
    return bytes(buffer.data())


def _image_bytes(image: Any) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("the picture could not be encoded")
    return bytes(data)


class SessionExports:
    """The Export menu's slots: a part of SessionActions, whose ``__init__`` sets up the window,
    the dialogs and ``svg_supported`` these methods use."""

    def export_csv(self) -> bool:
        state = self._state_or_message()
        if state is None:
            return False
        if not state.runs:
            self.dialogs.show_error(
                QCoreApplication.translate(
                    "SessionActions", "There is no run to export yet: press Start first."
                )
            )
            return False
        name = self.dialogs.ask_save_file(
            QCoreApplication.translate("SessionActions", "Export history as CSV"),
            QCoreApplication.translate("SessionActions", "CSV files (*.csv)"),
            "history.csv",
        )
        if not name:
            return False
        try:
            export_history_csv(name, state.runs[-1])
        except SessionFileError as error:
            self.dialogs.show_error(
                QCoreApplication.translate(
                    "SessionActions", "The history was not exported: {error}"
                ).format(error=error)
            )
            return False
        self.dialogs.show_status(
            QCoreApplication.translate("SessionActions", "History exported to {path}").format(
                path=name
            )
        )
        return True

    def export_script(self, path: str | os.PathLike[str] | None = None) -> bool:
        """Export script…: a standalone Python script that repeats the current run exactly and
        prints the chapter's ``y_pred = ...`` line (numpy, plus torch for the torch methods)."""
        from gradlab.core.export_script import export_script

        config = self.window.model.run_config
        if config is None:
            try:
                config = self.window.panel.config()
            except ConfigError as error:
                self.dialogs.show_error(str(error))
                return False
        if path is None:
            path = self.dialogs.ask_save_file(
                QCoreApplication.translate(
                    "SessionActions", "Export a script that repeats the run"
                ),
                QCoreApplication.translate("SessionActions", "Python files (*.py)"),
                "reproduce.py",
            )
            if not path:
                return False
        try:
            atomic_write_text(path, export_script(config))
        except OSError as error:
            self.dialogs.show_error(
                QCoreApplication.translate(
                    "SessionActions", "The script was not exported: {error}"
                ).format(error=error)
            )
            return False
        self.dialogs.show_status(
            QCoreApplication.translate("SessionActions", "Script exported to {path}").format(
                path=path
            )
        )
        return True

    def export_png(self) -> bool:
        return self._export_plots("png")

    def export_svg(self) -> bool:
        return self._export_plots("svg")

    def _export_plots(self, kind: str) -> bool:
        folder = self.dialogs.ask_folder(
            QCoreApplication.translate("SessionActions", "Export the plots into a folder")
        )
        if not folder:
            return False
        try:
            written = self.write_plots(Path(folder), (kind,))
        except (OSError, RuntimeError) as error:
            self.dialogs.show_error(
                QCoreApplication.translate(
                    "SessionActions", "The plots were not exported: {error}"
                ).format(error=error)
            )
            return False
        self.dialogs.show_status(
            QCoreApplication.translate("SessionActions", "{count} plots exported to {path}").format(
                count=len(written), path=folder
            )
        )
        return True

    def write_plots(self, folder: Path, kinds: tuple[str, ...] = ("png", "svg")) -> list[Path]:
        """Write each plot as ``<name>.png`` / ``<name>.svg`` into ``folder``; the paths."""
        self._draw_now()
        written = []
        for stem, plot in plot_widgets(self.window):
            for kind in kinds:
                if kind == "svg" and not self.svg_supported:
                    continue
                data = plot_png_bytes(plot) if kind == "png" else plot_svg_bytes(plot, stem)
                atomic_write_bytes(folder / f"{stem}.{kind}", data)
                written.append(folder / f"{stem}.{kind}")
        return written

    def export_bundle(self, folder: str | os.PathLike[str] | None = None) -> Path | None:
        """Export bundle…: a new folder with the history CSVs, the plots, the reproducing script
        and the lesson or config JSON; returns it (None if cancelled or it failed)."""
        from gradlab.core.export_script import export_script

        state = self._state_or_message()
        if state is None:
            return None
        if folder is None:
            folder = self.dialogs.ask_folder(
                QCoreApplication.translate("SessionActions", "Export a bundle into a folder")
            )
            if not folder:
                return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(folder) / f"gradlab-export-{stamp}"
        partial = target.with_name(target.name + ".partial")
        config = state.runs[-1].config if state.runs else state.config
        try:
            partial.mkdir(parents=True)
            for record in state.runs:
                name = "history.csv" if record is state.runs[-1] else f"history-run{record.id}.csv"
                export_history_csv(partial / name, record)
            self.write_plots(partial)
            atomic_write_text(partial / "reproduce.py", export_script(config))
            lesson = state.extra.get(UI_STATE_KEY, {}).get("lesson")
            if isinstance(lesson, dict):
                lesson = {**lesson, "config": config_to_dict(config)}
                atomic_write_text(partial / "lesson.json", _json(lesson))
            document = {"format": 1, "kind": "gradlab-config", "config": config_to_dict(config)}
            atomic_write_text(partial / "config.json", _json(document))
            os.replace(partial, target)  # the folder appears complete or not at all
        except (OSError, RuntimeError, SessionFileError, ConfigError) as error:
            with contextlib.suppress(OSError):
                _remove_tree(partial)
            self.dialogs.show_error(
                QCoreApplication.translate(
                    "SessionActions", "The bundle was not exported: {error}"
                ).format(error=error)
            )
            return None
        self.dialogs.show_status(
            QCoreApplication.translate("SessionActions", "Bundle exported to {path}").format(
                path=target
            )
        )
        return target

    def _state_or_message(self) -> SessionState | None:
        try:
            return self.capture_state()
        except ConfigError as error:
            self.dialogs.show_error(
                QCoreApplication.translate(
                    "SessionActions", "Fix the settings first: {error}"
                ).format(error=error)
            )
            return None

    def _draw_now(self) -> None:
        view = getattr(self.window, "view", None)
        if view is not None and hasattr(view, "redraw"):
            view.mark_dirty()
            view.redraw()


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _remove_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()
