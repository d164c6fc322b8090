"""File → Export: the latest run's history as CSV, the plots as PNG or SVG, the script that
repeats the run, and the bundle (a folder with the history, the plots, the settings and that
script). Exports that need the current run ask a SessionCapture for it, so they never make the
GUI thread wait for the worker. Every failure is one message in the window's banner.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QMenu

from gradlab.core.config import ConfigError
from gradlab.core.lesson import atomic_write_bytes, atomic_write_text, config_to_dict
from gradlab.core.run_export import export_history_csv
from gradlab.core.session_arrays import SessionFileError
from gradlab.core.session_file import SessionState
from gradlab.model.lab import LabModel
from gradlab.text.comments import Comments
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.error_text import error_text
from gradlab.ui.i18n import current_language
from gradlab.ui.menu_actions import make_action
from gradlab.ui.parameter_panel import ParameterPanel
from gradlab.ui.plots import PlotGrid
from gradlab.ui.plots.live_view import LiveView
from gradlab.ui.session_capture import UI_STATE_KEY, SessionCapture

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgGenerator as _QSvgGenerator


def _svg_generator() -> type[_QSvgGenerator] | None:
    """QtSvg ships with PySide6-Essentials, but a trimmed install may lack it."""
    try:
        from PySide6.QtSvg import QSvgGenerator
    except ImportError:  # pragma: no cover - depends on the installation
        return None
    return QSvgGenerator


QSvgGenerator = _svg_generator()


def svg_available() -> bool:
    """True when this Qt installation can write SVG (QtSvg is there)."""
    return QSvgGenerator is not None


def plot_widgets(grid: PlotGrid) -> list[tuple[str, pg.PlotWidget]]:
    """(file stem, pyqtgraph PlotWidget) of each plot of the lab: fit, loss, ..."""
    return [
        ("fit", grid.fit),
        ("loss", grid.loss),
        ("coefficients", grid.coefficients),
        ("gradient", grid.gradient),
    ]


def plot_png_bytes(plot: pg.PlotWidget, width: int = 1600) -> bytes:
    """The plot as a PNG image (pyqtgraph's ImageExporter, scaled to ``width`` pixels)."""
    from pyqtgraph.exporters import ImageExporter

    exporter = ImageExporter(plot.getPlotItem())
    exporter.parameters()["width"] = width
    image = exporter.export(toBytes=True)
    return _image_bytes(image)


def plot_svg_bytes(plot: pg.PlotWidget, title: str = "GradLab") -> bytes:
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
    return bytes(buffer.data().data())


def _image_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # the stub wants bytes
        raise OSError("the picture could not be encoded")
    return bytes(data.data())


class Exports(QObject):
    """File → Export: its actions and what they write (see the module docstring)."""

    finished = Signal(object)  # an export that needed the current run: what was written, or None

    def __init__(
        self,
        *,
        model: LabModel,
        panel: ParameterPanel,
        plots: PlotGrid,
        view: LiveView,
        dialogs: Dialogs,
        capture: SessionCapture,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.panel = panel
        self.plots = plots
        self.view = view
        self.dialogs = dialogs
        self.capture = capture
        self.svg_supported = svg_available()
        self.csv_action = make_action(self, "exportCsvAction", self.export_csv)
        self.png_action = make_action(self, "exportPngAction", self.export_png)
        self.svg_action = make_action(self, "exportSvgAction", self.export_svg)
        self.svg_action.setEnabled(self.svg_supported)
        self.script_action = make_action(self, "exportScriptAction", self.export_script)
        self.bundle_action = make_action(self, "exportBundleAction", self.export_bundle)
        self.retranslate_ui()

    def fill_menu(self, menu: QMenu) -> None:
        """The Export menu: one file kind per entry, then the bundle of all of them."""
        for action in (self.csv_action, self.png_action, self.svg_action, self.script_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.bundle_action)

    def retranslate_ui(self) -> None:
        texts = (
            (self.csv_action, self.tr("History as &CSV…"),
             self.tr("The latest run's loss, coefficients and gradient at every step")),
            (self.png_action, self.tr("Plots as &PNG…"), self.tr("Each plot as a picture")),
            (self.svg_action, self.tr("Plots as &SVG…"),
             self.tr("Each plot as a drawing that stays sharp at any size")
             if self.svg_supported
             else self.tr("Not available: this Qt installation has no SVG support (QtSvg)")),
            (self.script_action, self.tr("&Script that repeats the run…"),
             self.tr("A standalone Python script (NumPy, plus PyTorch for the torch methods) that "
                     "trains exactly this run and prints y_pred = …")),
            (self.bundle_action, self.tr("&Bundle…"),
             self.tr("A folder with the history, the plots, the settings and a Python script "
                     "that repeats the run")),
        )  # fmt: skip
        for action, text, tip in texts:
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)

    # ---- the latest run's history ----

    def export_csv(self) -> None:
        """History as CSV…: once the current run is in, ask where and write it (``finished``)."""
        self._with_state(self._export_csv)

    def _export_csv(self, state: SessionState) -> Path | None:
        if not state.runs:
            self.dialogs.show_error(self.tr("There is no run to export yet: press Start first."))
            return None
        name = self.dialogs.ask_save_file(
            self.tr("Export history as CSV"), self.tr("CSV files (*.csv)"), "history.csv"
        )
        if not name:
            return None
        try:
            export_history_csv(name, state.runs[-1])
        except SessionFileError as error:
            self.dialogs.show_error(
                self.tr("The history was not exported: {error}").format(error=error_text(error))
            )
            return None
        self.dialogs.show_status(self.tr("History exported to {path}").format(path=name))
        return Path(name)

    # ---- the script ----

    def export_script(self, path: str | os.PathLike[str] | None = None) -> bool:
        """Export script…: a standalone Python script that repeats the current run exactly and
        prints the chapter's ``y_pred = ...`` line (numpy, plus torch for the torch methods)."""
        from gradlab.core.export_script import export_script

        config = self.model.run_config
        if config is None:
            try:
                config = self.panel.config()
            except ConfigError as error:
                self.dialogs.show_error(error_text(error))
                return False
        try:  # before asking where: a method without a script says so at once
            script = export_script(config, Comments(current_language()))
        except ConfigError as error:
            self.dialogs.show_error(error_text(error))
            return False
        if path is None:
            path = self.dialogs.ask_save_file(
                self.tr("Export a script that repeats the run"),
                self.tr("Python files (*.py)"),
                "reproduce.py",
            )
            if not path:
                return False
        try:
            atomic_write_text(path, script)
        except OSError as error:
            self.dialogs.show_error(
                self.tr("The script was not exported: {error}").format(error=error_text(error))
            )
            return False
        self.dialogs.show_status(self.tr("Script exported to {path}").format(path=path))
        return True

    # ---- the plots ----

    def export_png(self) -> bool:
        return self._export_plots("png")

    def export_svg(self) -> bool:
        return self._export_plots("svg")

    def _export_plots(self, kind: str) -> bool:
        folder = self.dialogs.ask_folder(self.tr("Export the plots into a folder"))
        if not folder:
            return False
        try:
            written = self.write_plots(Path(folder), (kind,))
        except (OSError, RuntimeError) as error:
            self.dialogs.show_error(
                self.tr("The plots were not exported: {error}").format(error=error_text(error))
            )
            return False
        self.dialogs.show_status(
            self.tr("{count} plots exported to {path}").format(count=len(written), path=folder)
        )
        return True

    def write_plots(self, folder: Path, kinds: tuple[str, ...] = ("png", "svg")) -> list[Path]:
        """Write each plot as ``<name>.png`` / ``<name>.svg`` into ``folder``; the paths."""
        self.view.mark_dirty()  # the latest rows drawn before the pictures are taken
        self.view.redraw()
        written = []
        for stem, plot in plot_widgets(self.plots):
            for kind in kinds:
                if kind == "svg" and not self.svg_supported:
                    continue
                data = plot_png_bytes(plot) if kind == "png" else plot_svg_bytes(plot, stem)
                atomic_write_bytes(folder / f"{stem}.{kind}", data)
                written.append(folder / f"{stem}.{kind}")
        return written

    # ---- the bundle ----

    def export_bundle(self, folder: str | os.PathLike[str] | None = None) -> None:
        """Export bundle…: a new folder with the history CSVs, the plots, the reproducing script
        and the lesson or config JSON (``finished`` gives it; None if cancelled or it failed)."""
        if folder is None:
            folder = self.dialogs.ask_folder(self.tr("Export a bundle into a folder"))
            if not folder:
                return
        into = Path(folder)
        self._with_state(lambda state: self._write_bundle(into, state))

    def _write_bundle(self, folder: Path, state: SessionState) -> Path | None:
        from gradlab.core.export_script import export_script

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"gradlab-export-{stamp}"
        partial = target.with_name(target.name + ".partial")
        config = state.runs[-1].config if state.runs else state.config
        try:
            partial.mkdir(parents=True)
            for record in state.runs:
                name = "history.csv" if record is state.runs[-1] else f"history-run{record.id}.csv"
                export_history_csv(partial / name, record)
            self.write_plots(partial)
            if config.model.kind != "mlp":  # scripts are written for the polynomial only
                script = export_script(config, Comments(current_language()))
                atomic_write_text(partial / "reproduce.py", script)
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
                self.tr("The bundle was not exported: {error}").format(error=error_text(error))
            )
            return None
        self.dialogs.show_status(self.tr("Bundle exported to {path}").format(path=target))
        return target

    def _with_state(self, export: Callable[[SessionState], Path | None]) -> None:
        """Run ``export`` on the session as it is now (once the current run is in)."""
        try:
            self.capture.capture(lambda state: self.finished.emit(export(state)))
        except ConfigError as error:
            self.dialogs.show_error(
                self.tr("Fix the settings first: {error}").format(error=error_text(error))
            )
            self.finished.emit(None)


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _remove_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()
