"""CnnLabWidget: the CNN lab tab. Pipeline strip, run controls, one page per stage, and the glue
between them and its own TrainingController.

Everything heavy runs in the worker thread: the session (data, model, training) is built there,
and results, samples, feature maps, weights and the script are made by jobs submitted to it,
whose NumPy answers come back through a queued signal. "Step one batch" needs no hook in the
worker: the lab steps one unit at a time and stops once a batch reports a new step_count.

Run it alone: ``python -m gradlab.ui.cnn.lab`` (GRADLAB_AUTOSTART=1 starts training;
GRADLAB_CNN_DEMO_RESULTS=1 trains a small model and opens its results).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.cnn.config import CnnConfig, default_config
from gradlab.core.config import ConfigError
from gradlab.ui.cnn.pipeline_strip import (
    ENABLED,
    PipelineStrip,
    RunBar,
    stage_details,
    stage_statuses,
)
from gradlab.ui.cnn.plots import EpochPlots, TrainingPlots
from gradlab.ui.cnn.results_view import (
    ResultsView,
    collect_feature_maps,
    collect_results,
    collect_samples,
)
from gradlab.ui.cnn.settings import DATA_FIELDS, CnnSettings
from gradlab.ui.controller import TrainingController
from gradlab.ui.readouts import Banner
from gradlab.ui.worker import describe_error

REDRAW_MS = 33
DONE = ("finished", "diverged", "failed")
RUN_STATES = ("preparing", "running", "paused")  # a run uses the settings: they are locked
RESULT_STATES = ("paused", "finished", "stopped", "diverged")


def make_cnn_session(config: CnnConfig) -> object:
    """The default session factory; runs in the worker thread (torch is imported there)."""
    from gradlab.core.cnn.session import CnnSession

    return CnnSession(config)


class _Courier(QObject):
    """Carries a job's answer from the worker thread to the GUI thread (queued)."""

    delivered = Signal(int, str, object)  # session generation, kind, payload


class CnnLabWidget(QWidget):
    """The CNN lab tab, with its own TrainingController (``controller``).

    For the main window: add it as a tab; call ``shutdown()`` from closeEvent; ``actions``
    (start, pause, step, stop, reset, save, load, export) can fill a menu; ``retranslate_ui()``
    after a language switch; ``maybe_autostart()`` for the demo variables. Tests use
    ``select_stage()``, ``select_confusion_cell()``, ``ask_save_path``/``ask_open_path`` (and
    ``settings.ask_folder``) as dialog seams, and the signals below.

    Stop keeps the session (paused) so results and Save weights still work; Reset ends it.
    """

    state_changed = Signal(str)
    batch_received = Signal(object)  # a CnnBatch, after the lab has shown it
    samples_ready = Signal(object)
    results_ready = Signal(object)  # a ResultsSnapshot, after the results page shows it
    step_finished = Signal(int)  # "Step one batch" is done; the step count now
    job_done = Signal(str)  # "saved", "loaded", "exported", or "error"

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        session_factory: Callable[[CnnConfig], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cnnLab")
        self.session_factory = session_factory or make_cnn_session
        self.controller = TrainingController(self)
        self.run_state = "ready"
        self._generation = 0
        self._live = False  # False after Reset: late signals of the old session are dropped
        self._session_config: CnnConfig | None = None
        self._has_session = False
        self._session_failed = False
        self._run_exists = False
        self._intent: str | None = None  # "run" after Start
        self._until: Callable[[object], bool] | None = None  # stepping unit by unit until true
        self._then: Callable[[object], None] | None = None
        self.latest = None  # the last CnnBatch
        self._samples_requested = self._samples_pending = False
        self._pictures_sent = False
        self._results_key: tuple | None = None
        self._weights_version = 0
        self._show_results_when_finished = False
        self._run_lr = 0.0
        self._courier = _Courier(self)
        self._courier.delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)

        self.settings = CnnSettings(self)
        self.banner = Banner(self)
        self.strip = PipelineStrip(self)
        self.training_plots = TrainingPlots()
        self.epoch_plots = EpochPlots(self.training_plots)
        self.results_view = ResultsView()
        self.stack = QStackedWidget(self)
        self.pages = self._build_pages()
        self.run_bar = RunBar(self)
        self.actions: dict[str, QAction] = self.run_bar.actions
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.banner)
        layout.addWidget(self.strip)
        layout.addWidget(self.run_bar)
        layout.addWidget(self.stack, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self._redraw)
        self.timer.start()
        self._connect()
        self.strip.select("data")
        self._set_state("ready")

    # ---- building ----

    def _build_pages(self) -> dict[str, QWidget]:
        train = QWidget()
        row = QHBoxLayout(train)
        row.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        left.addWidget(self.settings.train_form)
        loop = QLabel(
            self.tr(
                "Each training step, as in the chapter:<pre>output = model(images)\n"
                "loss = loss_fn(output, labels)\noptimizer.zero_grad()\nloss.backward()\n"
                "optimizer.step()</pre>An epoch is one pass over all training images."
            )
        )
        loop.setWordWrap(True)
        left.addWidget(loop)
        left.addStretch(1)
        side = QWidget()
        side.setLayout(left)
        side.setMaximumWidth(250)
        row.addWidget(side)
        row.addWidget(self.training_plots, 1)
        validate = QWidget()
        column = QVBoxLayout(validate)
        column.setContentsMargins(0, 0, 0, 0)
        note = QLabel(
            self.tr(
                "After every epoch the model predicts the validation images, which it never "
                "trains on. Training accuracy rising while validation accuracy stalls or falls "
                "means the model learns the training images by heart (overfitting)."
            )
        )
        note.setWordWrap(True)
        column.addWidget(note)
        column.addWidget(self.epoch_plots, 1)
        s = self.settings
        pages = {
            "download": s.data_page,
            "data": s.data_page,
            "model": s.model_page,
            "loss": s.loss_page,
            "optimizer": s.optimizer_page,
            "train": train,
            "validate": validate,
            "results": self.results_view,
        }
        for page in dict.fromkeys(pages.values()):
            self.stack.addWidget(page)
        return pages

    def _connect(self) -> None:
        a = self.actions
        a["start"].triggered.connect(self.start)
        a["pause"].triggered.connect(self.pause)
        a["step"].triggered.connect(self.step)
        a["stop"].triggered.connect(self.stop)
        a["reset"].triggered.connect(self.reset)
        a["save"].triggered.connect(self.save_weights)
        a["load"].triggered.connect(self.load_weights)
        a["export"].triggered.connect(self.export_script)
        self.strip.stage_selected.connect(self._on_stage_selected)
        self.settings.config_changed.connect(self._on_config_changed)
        self.settings.validity_changed.connect(lambda _valid: self._update_controls())
        self.settings.load_data_requested.connect(self.load_data)
        self.results_view.image_chosen.connect(self._on_image_chosen)
        c = self.controller
        c.session_ready.connect(self._on_session_ready)
        c.batch_ready.connect(self._on_batch)
        c.state_changed.connect(self._on_state)
        c.failed.connect(self._on_failed)

    # ---- the controls ----

    def start(self) -> None:
        """Start (a new run with the settings) or resume a paused run."""
        if self.run_state == "paused":
            self._until = None
            self._intent = "run"
            self.controller.resume()
            return
        config = self._valid_config()
        if "start" not in ENABLED[self.run_state] or config is None:
            return
        self._begin_run(config)
        self._intent = "run"
        self.controller.resume()

    def pause(self) -> None:
        self._intent = None
        self._until = self._then = None
        self.controller.pause()
        if self.run_state == "preparing":
            self._set_state("paused")
        self._update_controls()

    def step(self) -> None:
        """Train exactly one more batch (loading data and preparing first if needed)."""
        if self._until is not None:
            return
        if self.run_state == "ready":
            config = self._valid_config()
            if config is None:
                return
            self._begin_run(config)
        elif self.run_state != "paused":
            return
        self._intent = "step"
        target = (self.latest.step_count if self.latest is not None else 0) + 1
        self._advance_until(lambda b: b.step_count >= target, self._on_step_done)

    def stop(self) -> None:
        """End training here: the model stays for results and saving; Start begins anew."""
        if self.run_state not in RUN_STATES:
            return
        self._intent = None
        self._until = self._then = None
        self.controller.pause()
        self._set_state("stopped")
        self.banner.show_message(
            self.tr(
                "Training stopped. Results and Save weights use the model as it is now; "
                "Start begins a new run."
            ),
            "info",
            self.tr("Show results"),
            lambda: self.select_stage("results"),
        )

    def reset(self) -> None:
        """Throw the run (and its session) away; the settings are editable again."""
        self._live = False
        self.controller.shutdown()
        self._generation += 1
        self._session_config = None
        self._has_session = self._session_failed = self._run_exists = False
        self._intent = None
        self._until = self._then = None
        self.latest = None
        self.training_plots.clear()
        self.epoch_plots.clear()
        self.results_view.clear()
        self.settings.show_samples(None, self.tr("Press “Load data and show samples” (or Start)."))
        self.banner.dismiss()
        self._set_state("ready")
        self._update_readouts()

    def load_data(self) -> None:
        """Run the data stage (once) and show samples; uses the current session if it fits."""
        if self.run_state != "ready":
            if self.latest is not None and self.latest.stage != "data":
                self._request_samples()
            return
        config = self._valid_config()
        if config is None or self._until is not None:
            return
        if not self._session_fits(config):
            self._new_session(config)
        self.settings.show_samples(None, self.tr("Loading the data…"))
        self._advance_until(lambda b: b.stage != "data", self._on_data_loaded)

    def _on_data_loaded(self, batch: object) -> None:
        waiting = self._samples_pending or self.settings.preview.pictures
        if batch.status != "failed" and not waiting:
            self._request_samples()  # shown before, then cleared by a change undone since
        self._update_controls()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and join its thread; call when the window closes."""
        self.timer.stop()
        self._live = False
        return self.controller.shutdown(timeout_ms)

    def retranslate_ui(self) -> None:
        """Re-set every text made from numbers or state after a language switch."""
        self.strip.retranslate_ui()
        self.run_bar.retranslate_ui()
        self.settings.retranslate_ui()
        self.results_view.retranslate_ui()
        self._update_controls()
        self._update_strip()
        self._update_readouts()

    # ---- dialogs (tests replace these methods) ----

    def ask_save_path(self, title: str, name: str, filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, filters)
        return path or None

    def ask_open_path(self, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, title, "", filters)
        return path or None

    # ---- weights and script ----

    def save_weights(self) -> None:
        if self.controller.worker is None or not self._has_session:
            self.banner.show_message(self.tr("There is no model yet: press Start first."), "info")
            return
        path = self.ask_save_path(
            self.tr("Save the model's weights"),
            "cnn-weights.pt",
            self.tr("PyTorch weights (*.pt *.pth)"),
        )
        if path:
            self._submit("saved", lambda s: (s.save_weights(path), path)[1])

    def load_weights(self) -> None:
        """Load a weights file into the model (a new, untrained session if there is none)."""
        if self.run_state in ("running", "preparing"):
            self.banner.show_message(self.tr("Pause first, then load weights."), "info")
            return
        path = self.ask_open_path(
            self.tr("Load weights"), self.tr("PyTorch weights (*.pt *.pth);;All files (*)")
        )
        if not path:
            return
        if self.controller.worker is None or self._stale():
            config = self._valid_config()
            if config is None:
                return
            self._new_session(config)
        self._submit("loaded", lambda s: (s.load_weights(path), path)[1])

    def export_script(self) -> None:
        config = self._valid_config()
        if config is None:
            return
        path = self.ask_save_path(
            self.tr("Export the pipeline as a script"),
            "cnn_pipeline.py",
            self.tr("Python script (*.py)"),
        )
        if not path:
            return
        if self.controller.worker is None:
            self._new_session(config)

        def write(_session: object) -> str:
            from gradlab.core.cnn.export import write_training_script

            write_training_script(config, path)
            return path

        self._submit("exported", write)

    # ---- sessions and jobs ----

    def _valid_config(self) -> CnnConfig | None:
        try:
            return self.settings.config()
        except ConfigError as error:
            self.banner.show_message(str(error), "error")
            return None

    def _session_fits(self, config: CnnConfig) -> bool:
        return self.controller.worker is not None and self._session_config == config

    def _stale(self) -> bool:
        """An idle session built for settings that have changed since."""
        return self.run_state == "ready" and self._session_config != self._settings_or_none()

    def _settings_or_none(self) -> CnnConfig | None:
        return self.settings.config() if self.settings.is_valid() else None

    def _new_session(self, config: CnnConfig) -> None:
        self._live = True
        self._generation += 1
        self._session_config = config
        self._has_session = self._session_failed = False
        self.latest = None
        self._samples_requested = self._samples_pending = self._pictures_sent = False
        self._results_key = None
        self._until = self._then = None
        factory = self.session_factory
        self.controller.start(lambda: factory(config))
        self._update_strip()

    def _begin_run(self, config: CnnConfig) -> None:
        reuse = (
            self.run_state == "ready" and self._session_fits(config) and not self._session_failed
        )
        if not reuse:
            self._new_session(config)
        self._run_exists = True
        self._run_lr = config.lr
        self.training_plots.clear()
        self.epoch_plots.clear()
        self.results_view.clear()
        self._results_key = None
        self.banner.dismiss()
        self._set_state("preparing" if not self._has_session else "paused")
        self.strip.select("train")

    def _advance_until(
        self, done: Callable[[object], bool], then: Callable[[object], None]
    ) -> None:
        """Step one unit at a time until a batch satisfies ``done`` (or the run ends)."""
        if self.latest is not None and (done(self.latest) or self.latest.status in DONE):
            then(self.latest)
            return
        self._until, self._then = done, then
        self.controller.step(1)
        self._update_controls()

    def _submit(self, kind: str, fn: Callable[[object], object]) -> None:
        """Run fn(session) in the worker; its answer (or error) comes back as ``kind``."""
        generation, courier = self._generation, self._courier

        def job(session: object) -> None:
            try:
                payload = fn(session)
            except Exception as error:  # reported in the banner, never as a traceback
                courier.delivered.emit(generation, "error", (kind, describe_error(error)))
                return
            courier.delivered.emit(generation, kind, payload)

        self.controller.submit(job)

    def _request_samples(self) -> None:
        self._samples_requested = self._samples_pending = True
        self._submit("samples", collect_samples)

    def _request_results(self, *, force: bool = False) -> None:
        if not force and self.strip.selected != "results":
            return
        if not self._has_session or self._session_failed:
            return
        if self.run_state not in RESULT_STATES and not (self.run_state == "ready" and force):
            if self.run_state in ("running", "preparing"):
                self.results_view.headline.setText(
                    self.tr("Pause or let training finish to see the results.")
                )
            return
        step = self.latest.step_count if self.latest is not None else 0
        key = (self._generation, step, self._weights_version)
        if key == self._results_key and not force:
            return
        self._results_key = key
        index, pictures = self.results_view.image_spin.value(), not self._pictures_sent
        self._pictures_sent = True
        self.results_view.headline.setText(self.tr("Computing the results…"))
        self._submit("results", lambda s: collect_results(s, index, pictures))

    def select_stage(self, stage: str) -> None:
        """Open a stage's page, as a click on its box does."""
        self.strip.select(stage)

    def select_confusion_cell(self, true_class: int, predicted: int):
        """Show the validation images of one confusion-matrix cell; returns their indices."""
        return self.results_view.select_confusion_cell(true_class, predicted)

    # ---- signals from the worker ----

    def _on_session_ready(self, _session: object) -> None:
        if self._live:
            self._has_session = True
            self._update_strip()

    def _on_batch(self, batch: object) -> None:
        if not self._live:
            return
        self.latest = batch
        self.training_plots.add_batch(batch)
        if batch.error and batch.status == "failed":
            self.banner.show_message(
                self.tr("The data could not be used: {e}").format(e=batch.error), "error"
            )
        if not self._samples_requested and batch.stage != "data" and batch.status != "failed":
            self._request_samples()
        if self._until is not None:
            if self._until(batch) or batch.status in DONE:
                then, self._until, self._then = self._then, None, None
                if then is not None:
                    then(batch)
            elif self.controller.worker is not None and not self.controller.worker.active:
                self.controller.step(1)
        self._update_strip()
        self._update_readouts()
        self.batch_received.emit(batch)

    def _on_state(self, state: str) -> None:
        if not self._live or not self._run_exists:
            if state == "stopped" and self._live and not self._has_session:
                self._session_failed = True  # the factory failed (e.g. the folder vanished)
                self._update_strip()
            return
        if self.run_state == "stopped" and state not in DONE:
            return  # the last words of a run the student stopped
        worker = self.controller.worker
        if state == "paused" and self._intent == "run" and worker is not None and worker.active:
            return  # the session just got ready; "running" follows at once
        if state in ("running", "paused", "preparing"):
            self._set_state(state)
        elif state in DONE:
            self._intent = None
            self._set_state(state)
            self._on_run_ended(state)
        elif state == "stopped":  # the worker ended by itself: its factory failed
            self._session_failed = True
            self._set_state("failed")

    def _on_failed(self, message: str) -> None:
        if self._live:
            self.banner.show_message(message, "error")
            self.job_done.emit("error")

    def _on_run_ended(self, state: str) -> None:
        if state == "finished":
            accuracy = self.training_plots.epochs.column(3)
            text = self.tr("Training finished.")
            if accuracy.size and math.isfinite(accuracy[-1]):
                text = self.tr("Training finished: validation accuracy {a:.1%}.").format(
                    a=accuracy[-1]
                )
            self.banner.show_message(
                text, "info", self.tr("Show results"), lambda: self.select_stage("results")
            )
            if self._show_results_when_finished:
                self.select_stage("results")
        elif state == "diverged":
            lr = self._session_config.lr if self._session_config else 0.0
            self.banner.show_message(
                self.tr(
                    "The loss became infinite or NaN at batch {n}: the learning rate {lr:g} is too "
                    "large for this setup. Try {smaller:g}."
                ).format(
                    n=(self.latest.step_count + 1) if self.latest else 0, lr=lr, smaller=lr / 10
                ),
                "warning",
            )
        self._request_results()

    def _on_step_done(self, batch: object) -> None:
        self._intent = None
        self._update_controls()
        self.step_finished.emit(batch.step_count)
        self._request_results()

    def _on_delivered(self, generation: int, kind: str, payload: object) -> None:
        if generation != self._generation or not self._live:
            return
        if kind == "samples":
            self._samples_pending = False
            self.settings.show_samples(payload)
            self.samples_ready.emit(payload)
        elif kind == "results":
            self.results_view.set_snapshot(payload)
            self.results_ready.emit(payload)
            if self._show_results_when_finished:
                self._show_results_when_finished = False
                self._select_worst_cell()
        elif kind == "maps":
            self.results_view.show_feature_maps(payload)
        elif kind == "error":
            failed, message = payload
            if failed == "results":  # ask again next time, with the pictures
                self._results_key, self._pictures_sent = None, False
                self.results_view.headline.setText(message)
            self.banner.show_message(message, "error")
        else:
            messages = {
                "saved": self.tr("Weights saved to {path}."),
                "loaded": self.tr("Weights loaded from {path}; the results below use them."),
                "exported": self.tr("Script written to {path}: run it with python3."),
            }
            self.banner.show_message(messages[kind].format(path=payload), "info")
            if kind == "loaded":
                self._weights_version += 1
                self.select_stage("results")
                self._request_results(force=True)
        if kind in ("saved", "loaded", "exported", "error"):
            self.job_done.emit(kind)

    def _select_worst_cell(self) -> None:
        """Open the confusion cell with the most mistakes (the results screenshot shows it)."""
        snapshot = self.results_view.snapshot
        if snapshot is None or not snapshot.results.confusion.size:
            return
        wrong = snapshot.results.confusion.copy()
        wrong[range(len(wrong)), range(len(wrong))] = 0
        if wrong.max() > 0:
            t, p = divmod(int(wrong.argmax()), len(wrong))
            self.select_confusion_cell(t, p)

    # ---- settings and pages ----

    def _on_config_changed(self, config: CnnConfig) -> None:
        if self.run_state in RUN_STATES:
            if config.lr != self._run_lr:  # the only setting that changes a run in flight
                lr = self._run_lr = config.lr
                self.controller.submit(lambda s: s.set_learning_rate(lr))
            return
        if self.run_state == "ready" and self._session_config is not None:
            old = self._session_config.to_dict()
            if any(old[name] != config.to_dict()[name] for name in DATA_FIELDS):
                self.settings.show_samples(
                    None, self.tr("The data settings changed: load the data again to see samples.")
                )
        self._update_strip()
        self._update_controls()

    def _on_stage_selected(self, stage: str) -> None:
        self.stack.setCurrentWidget(self.pages[stage])
        if stage in ("download", "data"):
            self.settings.revalidate()  # a CIFAR-10 folder may have been filled in meanwhile
        if stage == "results":
            self._request_results()
        elif stage == "validate":
            self.epoch_plots.redraw()

    def _on_image_chosen(self, index: int) -> None:
        if self._has_session and not self._session_failed:
            self._submit("maps", lambda s: collect_feature_maps(s, index))

    # ---- drawing the state ----

    def _set_state(self, state: str) -> None:
        self.run_state = state
        self.settings.set_locked(state in RUN_STATES)
        self._update_controls()
        self._update_strip()
        self.state_changed.emit(state)
        if state in ("paused", "stopped"):
            self._request_results()

    def _update_controls(self) -> None:
        valid, stepping = self.settings.is_valid(), self._until is not None
        self.run_bar.set_state(
            self.run_state,
            valid=valid,
            stepping=stepping,
            has_model=self._has_session and not self._session_failed,
            has_worker=self.controller.worker is not None,
        )
        ready = self.run_state == "ready" and valid and not stepping
        self.settings.load_data_button.setEnabled(ready)

    def _update_strip(self) -> None:
        has = self._has_session and not self._stale()
        active = self.run_state == "running" or self._until is not None
        config = self._session_config if has else self._settings_or_none()
        validates = config is None or not (
            config.dataset == "demo" or (config.dataset != "cifar10" and config.val_fraction == 0)
        )
        statuses = stage_statuses(
            self.latest if has else None, has_session=has, active=active, validates=validates
        )
        if self._session_failed:
            statuses["download"] = "failed"
        elif not has and (self.run_state == "preparing" or self._until is not None):
            statuses["download"] = "running"
        epochs = self._session_config.epochs if self._session_config else 1
        self.strip.set_statuses(statuses, stage_details(self.latest if has else None, epochs))

    def _update_readouts(self) -> None:
        epochs = self._session_config.epochs if self._session_config else 1
        self.run_bar.show_batch(self.latest, epochs, idle=self.run_state == "ready")

    def _redraw(self) -> None:
        self.training_plots.redraw()
        if self.stack.currentWidget() is self.pages["validate"]:
            self.epoch_plots.redraw()

    # ---- demo and screenshots ----

    def maybe_autostart(self, environ: Mapping[str, str] | None = None) -> None:
        """GRADLAB_CNN_DEMO_RESULTS=1: train a small model, then open its results;
        GRADLAB_AUTOSTART=1: press Start once the event loop runs."""
        env = os.environ if environ is None else environ
        if env.get("GRADLAB_CNN_DEMO_RESULTS") == "1":
            self.settings.set_config(
                default_config("shapes", n_images=6000, epochs=3), notify=False
            )
            self._show_results_when_finished = True
            QTimer.singleShot(0, self.start)
        elif env.get("GRADLAB_AUTOSTART") == "1":
            QTimer.singleShot(0, self.start)


def main(argv: list[str] | None = None) -> int:
    """Show the CNN lab alone in a window titled "GradLab — CNN"."""
    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    from gradlab.ui.fonts import apply_cjk_fallback

    apply_cjk_fallback(app)
    window = QMainWindow()
    window.setWindowTitle("GradLab — CNN")
    lab = CnnLabWidget(window)
    window.setCentralWidget(lab)
    window.resize(1400, 900)
    app.aboutToQuit.connect(lab.shutdown)
    window.show()
    lab.maybe_autostart()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
