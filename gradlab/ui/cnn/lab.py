"""CnnLabWidget: the CNN lab tab. Pipeline strip, run controls, one page per stage, and the glue
between them and its own TrainingController.

Everything heavy runs in the worker thread: the session (data, model, training) is built there,
and results, samples, feature maps, weights and the script are made by jobs submitted to it
(gradlab.ui.cnn.jobs), whose NumPy answers come back through a queued signal. The widget is split
by responsibility: this module builds the tab, holds the controls and draws the state; LabRun
(lab_run.py) drives the sessions and reads the worker's signals; LabJobs (lab_jobs.py) asks the
worker for samples, results and files and shows the answers.

Run it alone: ``python -m gradlab.ui.cnn`` (see gradlab/ui/cnn/__main__.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QStackedWidget, QVBoxLayout, QWidget

from gradlab.core.cnn.config import CnnConfig, default_config
from gradlab.ui.cnn.jobs import JobCourier, make_cnn_session
from gradlab.ui.cnn.lab_jobs import LabJobs
from gradlab.ui.cnn.lab_run import LabRun
from gradlab.ui.cnn.pages import train_page, validate_page
from gradlab.ui.cnn.pipeline_strip import PipelineStrip, stage_details, stage_statuses
from gradlab.ui.cnn.plots import EpochPlots, TrainingPlots
from gradlab.ui.cnn.results_view import ResultsView
from gradlab.ui.cnn.run_bar import ENABLED, RunBar
from gradlab.ui.cnn.settings import DATA_FIELDS, CnnSettings
from gradlab.ui.controller import TrainingController
from gradlab.ui.readouts import Banner
from gradlab.ui.worker_text import describe_failure

REDRAW_MS = 33
RUN_STATES = ("preparing", "running", "paused")  # a run uses the settings: they are locked


class CnnLabWidget(LabRun, LabJobs, QWidget):
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
        self._courier = JobCourier(self)
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
        train = train_page(self.settings.train_form, self.training_plots)
        validate = validate_page(self.epoch_plots)
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
        c.failed.connect(lambda f: self._on_failed(describe_failure(f)))

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

    def select_stage(self, stage: str) -> None:
        """Open a stage's page, as a click on its box does."""
        self.strip.select(stage)

    def select_confusion_cell(self, true_class: int, predicted: int):
        """Show the validation images of one confusion-matrix cell; returns their indices."""
        return self.results_view.select_confusion_cell(true_class, predicted)

    # ---- dialogs (tests replace these methods) ----

    def ask_save_path(self, title: str, name: str, filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, filters)
        return path or None

    def ask_open_path(self, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, title, "", filters)
        return path or None

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


if __name__ == "__main__":  # python -m gradlab.ui.cnn.lab, as before the runner moved
    from gradlab.ui.cnn.__main__ import main

    sys.exit(main())
