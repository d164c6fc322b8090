"""File → Save / Open session, Export, and the autosave that is offered back after a crash.

The session file itself (an atomic ZIP, checked before anything is used) is the core's
(gradlab.core.session_file); this module decides what goes in and where it comes back:

- what is saved: ``window.session_state()`` when the window has it; otherwise the panel's
  config, ``window.runs`` if there is such a run list, and the current run, snapshotted from
  its session (between two chunks of the worker, or directly once the worker has stopped);
- what reopening does: ``window.restore_session(state)`` when the window has it; otherwise the
  panel gets the config, ``window.runs`` the runs, and the live view the last run's history.

Every failure is one message in the window's banner and changes nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QLockFile,
    QObject,
    QRectF,
    QStandardPaths,
    QTimer,
)
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from gradlab.core.autosave import (
    autosave_needs_recovery,
    autosave_path,
    discard_autosave,
    mark_clean_exit,
    write_autosave,
)
from gradlab.core.config import Config, ConfigError
from gradlab.core.history import HistoryBatch
from gradlab.core.lesson import atomic_write_bytes, atomic_write_text, config_to_dict
from gradlab.core.run_export import export_history_csv
from gradlab.core.runs import RunRecord
from gradlab.core.session_file import (
    SESSION_SUFFIX,
    SessionFileError,
    SessionState,
    load_session,
    save_session,
)

AUTOSAVE_INTERVAL_MS = 60_000
AUTOSAVE_JOIN_S = 10.0  # at close, how long to let a background autosave finish
SNAPSHOT_TIMEOUT_S = 2.0  # how long Save waits for the worker to hand over the current run
UI_STATE_KEY = "classroom"  # our part of SessionState.extra

try:  # QtSvg ships with PySide6-Essentials, but a trimmed install may lack it
    from PySide6.QtSvg import QSvgGenerator
except ImportError:  # pragma: no cover - depends on the installation
    QSvgGenerator = None


class Dialogs:
    """Every file question and message of the classroom features goes through here, so a test
    replaces one method instead of facing a modal dialog. Errors go to the window's banner
    (never modal) when it has one."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )

    def ask_open_file(self, title: str, filters: str) -> str | None:
        name, _ = QFileDialog.getOpenFileName(self.window, title, self.folder, filters)
        return self._remember(name)

    def ask_save_file(self, title: str, filters: str, suggested: str) -> str | None:
        start = suggested if os.path.isabs(suggested) else os.path.join(self.folder, suggested)
        name, _ = QFileDialog.getSaveFileName(self.window, title, start, filters)
        return self._remember(name)

    def ask_folder(self, title: str) -> str | None:
        name = QFileDialog.getExistingDirectory(self.window, title, self.folder)
        if name:
            self.folder = name
        return name or None

    def show_error(self, text: str) -> None:
        banner = getattr(self.window, "banner", None)
        if banner is not None and hasattr(banner, "show_message"):
            banner.show_message(text, "error")
        else:
            QMessageBox.warning(self.window, QCoreApplication.applicationName(), text)

    def show_status(self, text: str, timeout_ms: int = 8000) -> None:
        if hasattr(self.window, "statusBar"):
            self.window.statusBar().showMessage(text, timeout_ms)

    def confirm(self, text: str) -> bool:
        """Ask before throwing a run away (the window's own confirm_reset when it has one)."""
        confirm = getattr(self.window, "confirm_reset", None)
        if callable(confirm):
            return bool(confirm(text))
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(
            self.window, QCoreApplication.applicationName(), text, buttons
        )
        return answer == QMessageBox.StandardButton.Yes

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a modal form (e.g. the lesson texts); True if accepted."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _remember(self, name: str) -> str | None:
        if name:
            self.folder = os.path.dirname(name)
        return name or None


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


class SessionActions(QObject):
    """The session and export actions of one window, its autosave and crash recovery."""

    def __init__(
        self,
        window: Any,
        dialogs: Dialogs,
        *,
        data_dir: Path,
        ui_state: Callable[[], dict[str, Any]] = dict,
        restore_ui_state: Callable[[dict[str, Any], Config], None] = lambda _s, _c: None,
        file_used: Callable[[Path], None] = lambda _p: None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs = dialogs
        self.ui_state = ui_state
        self.restore_ui_state = restore_ui_state
        self.file_used = file_used
        self.path: Path | None = None  # the session file Save writes to
        self.svg_supported = QSvgGenerator is not None
        self.save_action = self._action(
            "saveSessionAction", self.save, QKeySequence.StandardKey.Save
        )
        self.save_as_action = self._action(
            "saveSessionAsAction", self.save_as, QKeySequence.StandardKey.SaveAs
        )
        self.open_action = self._action(
            "openSessionAction", self.open_session, QKeySequence.StandardKey.Open
        )
        self.export_csv_action = self._action("exportCsvAction", self.export_csv)
        self.export_png_action = self._action("exportPngAction", self.export_png)
        self.export_svg_action = self._action("exportSvgAction", self.export_svg)
        self.export_svg_action.setEnabled(self.svg_supported)
        self.export_bundle_action = self._action("exportBundleAction", self.export_bundle)
        self.restore_autosave_action = self._action("restoreAutosaveAction", self.restore_latest)
        self.data_dir = Path(data_dir)
        # a second GradLab running at the same time autosaves into its own folder, so neither
        # takes the other's live autosave for a crashed one
        self._lock = _try_lock(self.data_dir)
        self.primary = self._lock is not None
        self.autosave_dir = self.data_dir
        if not self.primary:
            self.autosave_dir = self.data_dir / f"instance-{os.getpid()}"
            self._lock = _try_lock(self.autosave_dir)
        self._autosave_thread: threading.Thread | None = None
        self._saved_signature: object = None
        self._autosave_error: str | None = None
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_INTERVAL_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.retranslate_ui()

    def _action(self, name: str, slot: Callable[[], object], shortcut: Any = None) -> QAction:
        action = QAction(self.window)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def retranslate_ui(self) -> None:
        texts = (
            (self.save_action, self.tr("&Save session"),
             self.tr("Save the settings and every run")),
            (self.save_as_action, self.tr("Save session &as…"), self.tr("Save to a new file")),
            (self.open_action, self.tr("&Open session…"), self.tr("Open a saved session")),
            (self.export_csv_action, self.tr("History as &CSV…"),
             self.tr("The latest run's loss, coefficients and gradient at every step")),
            (self.export_png_action, self.tr("Plots as &PNG…"),
             self.tr("Each plot as a picture")),
            (self.export_svg_action, self.tr("Plots as &SVG…"),
             self.tr("Each plot as a drawing that stays sharp at any size")
             if self.svg_supported
             else self.tr("Not available: this Qt installation has no SVG support (QtSvg)")),
            (self.export_bundle_action, self.tr("&Bundle…"),
             self.tr("A folder with the history, the plots, the settings and a Python script "
                     "that repeats the run")),
            (self.restore_autosave_action, self.tr("Reopen the &autosaved session"),
             self.tr("The session as it was at the last autosave or when GradLab last closed")),
        )  # fmt: skip
        for action, text, tip in texts:
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)

    # ---- what a session is ----

    def capture_state(self) -> SessionState:
        """Everything to save now; ConfigError if the panel is invalid and there is no hook."""
        hook = getattr(self.window, "session_state", None)
        if callable(hook):
            state: SessionState = hook()
        else:
            runs = list(getattr(self.window, "runs", None) or [])
            current = self.snapshot_current_run(next_id=max((r.id for r in runs), default=0) + 1)
            state = SessionState(config=self.window.panel.config(), runs=runs)
            if current is not None and not any(_same_run(current, r) for r in runs):
                state.runs.append(current)
        state.extra = {**state.extra, UI_STATE_KEY: self.ui_state()}
        return state

    def snapshot_current_run(self, next_id: int = 1) -> RunRecord | None:
        """The current run (if it did any steps) as a RunRecord, taken where it is safe."""
        if getattr(self.window, "run_state", "") == "ready":
            return None  # nothing run yet, or Reset threw the run away
        controller = getattr(self.window, "controller", None)
        session = getattr(controller, "session", None)
        if session is None or not hasattr(session, "history") or not session.step_count:
            return None

        def take(s: Any) -> RunRecord:
            return RunRecord.from_session(s, run_id=next_id)

        if controller.running and controller.worker is not None:
            taken: list[RunRecord] = []
            done = threading.Event()

            def job(s: Any) -> None:
                try:
                    taken.append(take(s))
                finally:
                    done.set()

            controller.submit(job)  # runs between two chunks of the worker's loop
            done.wait(SNAPSHOT_TIMEOUT_S)
            return taken[0] if taken else None
        return take(session)

    def apply_state(self, state: SessionState) -> None:
        """Show a loaded session: config, runs and plots (see the module docstring)."""
        hook = getattr(self.window, "restore_session", None)
        if callable(hook):
            hook(state)
        else:
            if hasattr(self.window, "reset"):
                self.window.reset()
            self.window.panel.set_config(state.config)
            runs = getattr(self.window, "runs", None)
            if runs is not None and hasattr(runs, "replace_all"):
                runs.replace_all(state.runs)
            if state.runs:
                self._show_run(state.runs[-1])
        ui = state.extra.get(UI_STATE_KEY)
        self.restore_ui_state(ui if isinstance(ui, dict) else {}, state.config)

    def _show_run(self, record: RunRecord) -> None:
        """Draw a saved run in the live view (used when the window has no restore hook)."""
        view = getattr(self.window, "view", None)
        if view is None or not len(record.history):
            return
        h = record.history
        view.clear_run(record.config)
        view.add_batch(
            HistoryBatch(
                h.steps, h.loss, h.val_loss, h.coefficients, h.grad_norm,
                status=record.status, step_count=record.step_count,
                diverged_at=record.diverged_at,
            )
        )  # fmt: skip
        view.initial_coefficients = np.asarray(record.final_coefficients)
        view.redraw()

    # ---- save and open ----

    def save(self) -> bool:
        """Ctrl+S: save to the current session file, or ask where the first time."""
        return self.save_to(self.path) if self.path is not None else self.save_as()

    def save_as(self) -> bool:
        name = self.dialogs.ask_save_file(
            self.tr("Save session"), self._session_filter(), self._suggested_name(SESSION_SUFFIX)
        )
        if not name:
            return False
        path = Path(name)
        if path.suffix != SESSION_SUFFIX:
            path = path.with_name(path.name + SESSION_SUFFIX)
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        try:
            save_session(path, self.capture_state())
        except (SessionFileError, ConfigError) as error:
            self.dialogs.show_error(
                self.tr("The session was not saved: {error}").format(error=error)
            )
            return False
        self.path = path
        self.file_used(path)
        self.dialogs.show_status(self.tr("Session saved to {path}").format(path=path))
        return True

    def open_session(self, path: str | os.PathLike[str] | None = None) -> bool:
        """Open a session file (asking for one if not given); nothing changes on failure."""
        if path is None:
            path = self.dialogs.ask_open_file(self.tr("Open session"), self._session_filter())
            if not path:
                return False
        try:
            state = load_session(path)
        except SessionFileError as error:
            self.dialogs.show_error(
                self.tr("The session was not opened: {error}").format(error=error)
            )
            return False
        if getattr(self.window, "run_state", "ready") != "ready":
            text = self.tr("The session replaces the current run and settings. Open it?")
            if not self.dialogs.confirm(text):
                return False
        self.apply_state(state)
        is_autosave = Path(path).parent in (self.data_dir, self.autosave_dir)
        self.path = None if is_autosave else Path(path)
        if not is_autosave:
            self.file_used(Path(path))
        self.dialogs.show_status(self.tr("Opened {path}").format(path=path))
        return True

    def restore_latest(self) -> bool:
        """Reopen the latest autosave (there is one after every clean close, too)."""
        path = autosave_path(self.autosave_dir)
        if not path.is_file():
            self.dialogs.show_error(self.tr("There is no autosaved session yet."))
            return False
        return self.open_session(path)

    # ---- export ----

    def export_csv(self) -> bool:
        state = self._state_or_message()
        if state is None:
            return False
        if not state.runs:
            self.dialogs.show_error(self.tr("There is no run to export yet: press Start first."))
            return False
        name = self.dialogs.ask_save_file(
            self.tr("Export history as CSV"), self.tr("CSV files (*.csv)"), "history.csv"
        )
        if not name:
            return False
        try:
            export_history_csv(name, state.runs[-1])
        except SessionFileError as error:
            self.dialogs.show_error(
                self.tr("The history was not exported: {error}").format(error=error)
            )
            return False
        self.dialogs.show_status(self.tr("History exported to {path}").format(path=name))
        return True

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
                self.tr("The plots were not exported: {error}").format(error=error)
            )
            return False
        self.dialogs.show_status(
            self.tr("{count} plots exported to {path}").format(count=len(written), path=folder)
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
            folder = self.dialogs.ask_folder(self.tr("Export a bundle into a folder"))
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
                self.tr("The bundle was not exported: {error}").format(error=error)
            )
            return None
        self.dialogs.show_status(self.tr("Bundle exported to {path}").format(path=target))
        return target

    # ---- autosave and crash recovery ----

    def autosave(self) -> None:
        """The minute timer: save the session in the background if it changed."""
        if self._autosave_error:
            message = self.tr("Autosave failed: {error}").format(error=self._autosave_error)
            self._autosave_error = None
            self.dialogs.show_status(message)
        if self._autosave_thread is not None and self._autosave_thread.is_alive():
            return
        try:
            state = self.capture_state()
        except ConfigError:
            return  # the panel is being edited; the next minute will do
        signature = _signature(state)
        if signature == self._saved_signature:
            return
        self._autosave_thread = threading.Thread(
            target=self._write_autosave, args=(state, signature), name="GradLabAutosave"
        )
        self._autosave_thread.daemon = True
        self._autosave_thread.start()

    def _write_autosave(self, state: SessionState, signature: object) -> None:
        try:  # runs in the autosave thread: only plain Python and NumPy here
            write_autosave(self.autosave_dir, state)
            self._saved_signature = signature
        except SessionFileError as error:
            self._autosave_error = str(error)

    def wait_for_autosave(self, timeout: float = AUTOSAVE_JOIN_S) -> None:
        if self._autosave_thread is not None:
            self._autosave_thread.join(timeout)

    def shutdown(self) -> None:
        """The window is closing: a last autosave (nothing is lost), then the clean-exit mark."""
        self.autosave_timer.stop()
        self.wait_for_autosave()
        try:
            state = self.capture_state()
        except ConfigError:
            state = None
        if state is not None and _signature(state) != self._saved_signature:
            if state.runs or self._saved_signature is not None:
                self._write_autosave(state, _signature(state))
        mark_clean_exit(self.autosave_dir)
        if self._lock is not None:
            self._lock.unlock()
        if not self.primary:  # a second instance leaves nothing behind
            with contextlib.suppress(OSError, SessionFileError):
                discard_autosave(self.autosave_dir)
                self.autosave_dir.rmdir()

    def recoverable_sessions(self) -> list[Path]:
        """Autosaves of sessions that crashed, newest first, moved aside as
        ``recovered-*.gradlab`` so this session's own autosave never overwrites them."""
        if not self.primary:
            return []
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        for index, folder in enumerate([self.data_dir, *self.data_dir.glob("instance-*")]):
            lock = None if folder == self.data_dir else _try_lock(folder)
            if folder != self.data_dir and lock is None:
                continue  # another GradLab is running and autosaving there
            try:
                crashed = autosave_needs_recovery(folder)
                if crashed:
                    target = self.data_dir / f"recovered-{stamp}-{index}{SESSION_SUFFIX}"
                    os.replace(autosave_path(folder), target)
                if crashed or lock is not None:
                    discard_autosave(folder)  # the marker and any half-written leftovers
                if lock is not None:
                    lock.unlock()
                    folder.rmdir()
            except (OSError, SessionFileError):
                continue
        return sorted(self.data_dir.glob(f"recovered-*{SESSION_SUFFIX}"), reverse=True)

    def restore_recovered(self, path: Path) -> bool:
        """Open a crashed session's autosave; it is deleted once its contents are on screen."""
        if not self.open_session(path):
            return False
        with contextlib.suppress(OSError):
            path.unlink()
        return True

    # ---- helpers ----

    def _state_or_message(self) -> SessionState | None:
        try:
            return self.capture_state()
        except ConfigError as error:
            self.dialogs.show_error(self.tr("Fix the settings first: {error}").format(error=error))
            return None

    def _draw_now(self) -> None:
        view = getattr(self.window, "view", None)
        if view is not None and hasattr(view, "redraw"):
            view.mark_dirty()
            view.redraw()

    def _session_filter(self) -> str:
        return self.tr("GradLab sessions (*{suffix})").format(suffix=SESSION_SUFFIX)

    def _suggested_name(self, suffix: str) -> str:
        if self.path is not None:
            return str(self.path)
        return f"gradlab-{datetime.now().strftime('%Y%m%d-%H%M')}{suffix}"


def _try_lock(folder: Path) -> QLockFile | None:
    """Hold ``folder``'s instance lock, or None if a running GradLab holds it."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(folder / "instance.lock"))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however old
    return lock if lock.tryLock(0) else None


def _same_run(a: RunRecord, b: RunRecord) -> bool:
    """The current run already kept in the window's run list (it adds runs as they end)."""
    return (
        a.config == b.config
        and a.step_count == b.step_count
        and np.array_equal(a.final_coefficients, b.final_coefficients)
    )


def _signature(state: SessionState) -> object:
    """Cheap to compute, and different whenever the saved file would differ."""
    runs = tuple(
        (r.id, r.label, r.status, r.step_count, len(r.history), r.visible) for r in state.runs
    )
    extra = json.dumps(state.extra, sort_keys=True, default=str)
    return (json.dumps(config_to_dict(state.config)), runs, extra)


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _remove_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()
