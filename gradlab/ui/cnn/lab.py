"""CnnLabWidget: the CNN lab tab. Pipeline strip, run controls, one page per stage.

The tab is a view of a ``CnnLabModel`` (gradlab.model.cnn_lab: settings, run state, pipeline
progress) driven by a ``CnnLabController`` (gradlab.ui.cnn.controller: intents to the worker,
the worker's reports to the model, jobs for samples, results and files). Everything heavy runs
in the worker thread. This module builds the tab and draws what the model's events say.

Run it alone: ``python -m gradlab.ui.cnn``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import partial

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from gradlab.core.cnn.config import CnnConfig, default_config
from gradlab.core.cnn.results import CnnBatch
from gradlab.model.cnn_lab import CnnLabModel, RunEnded
from gradlab.model.cnn_results import FeatureMaps, ResultsSnapshot, SamplePictures
from gradlab.model.run_state import Control, RunState
from gradlab.ui.cnn.controller import CnnLabController, SessionFactory
from gradlab.ui.cnn.notices import Notice, notice_text, show_results_text
from gradlab.ui.cnn.pages import train_page, validate_page
from gradlab.ui.cnn.pipeline_strip import PipelineStrip
from gradlab.ui.cnn.plots import EpochPlots, TrainingPlots
from gradlab.ui.cnn.results_view import ResultsView
from gradlab.ui.cnn.run_bar import RunBar
from gradlab.ui.cnn.settings import CnnSettings
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.readouts import Banner

REDRAW_MS = 33
CONTROLS = (Control.START, Control.PAUSE, Control.STEP, Control.STOP, Control.RESET)


class CnnLabWidget(QWidget):
    """The CNN lab tab: ``model`` (CnnLabModel), ``controller`` (CnnLabController, whose
    ``trainer`` is the lab's TrainingController) and the views that show them.

    For the main window: add it as a tab; call ``shutdown()`` from closeEvent; ``actions``
    (start, pause, step, stop, reset, save, load, export) can fill a menu, ``run_actions()``
    gives the run controls by ``Control`` (e.g. to route the Run menu to this tab);
    ``model.state_changed`` reports the run state (e.g. for the status bar), ``state_text()``
    says it in words; ``retranslate_ui()`` after a language switch; ``maybe_autostart()`` for
    the demo variables. File dialogs go through the ``Dialogs`` given (tests pass their own).

    Stop keeps the session (paused) so results and Save weights still work; Reset ends it.
    """

    state_changed = Signal(str)  # the RunState (a str)
    batch_received = Signal(object)  # a CnnBatch, after the lab has shown it
    samples_ready = Signal(object)
    results_ready = Signal(object)  # a ResultsSnapshot, after the results page shows it
    step_finished = Signal(int)  # "Step one batch" is done; the step count now
    job_done = Signal(str)  # "saved", "loaded", "exported", or "error"

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        dialogs: Dialogs | None = None,
        session_factory: SessionFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cnnLab")
        self.dialogs = dialogs or Dialogs(self)
        self.model = CnnLabModel()
        self.controller = CnnLabController(
            self.model, self.dialogs, session_factory=session_factory, parent=self
        )
        self._show_results_when_finished = False
        self.settings = CnnSettings(self.dialogs, self)
        self.banner = Banner(self)
        self.strip = PipelineStrip(self)
        self.training_plots = TrainingPlots()
        self.epoch_plots = EpochPlots(self.training_plots)
        self.results_view = ResultsView()
        self.stack = QStackedWidget(self)
        self.pages = self._build_pages()
        self.run_bar = RunBar(self)
        # the tab's actions by name, as the window's CNN menu takes them (QWidget.actions(),
        # which this shadows, is not used on the tab)
        self.actions: dict[str, QAction] = self.run_bar.by_name  # type: ignore[assignment]
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
        self._connect_views()
        self._subscribe()
        self.model.set_settings(self.settings.current(), self.settings.first_error())
        self.strip.select("data")
        self._show_state(self.model.state)

    # ---- building ----

    def _build_pages(self) -> dict[str, QWidget]:
        train = train_page(self.settings.train_form, self.training_plots)
        validate = validate_page(self.epoch_plots)
        s = self.settings
        data = _scrolling(s.data_page)
        pages = {
            "download": data,
            "data": data,
            "model": s.model_page,
            "loss": s.loss_page,
            "optimizer": s.optimizer_page,
            "train": train,
            "validate": validate,
            "results": _scrolling(self.results_view),
        }
        for page in dict.fromkeys(pages.values()):
            self.stack.addWidget(page)
        return pages

    def _connect_views(self) -> None:
        """The views' intents, to the controller."""
        a, c = self.actions, self.controller
        a["start"].triggered.connect(c.start)
        a["pause"].triggered.connect(c.pause)
        a["step"].triggered.connect(c.step)
        a["stop"].triggered.connect(c.stop)
        a["reset"].triggered.connect(c.reset)
        a["save"].triggered.connect(c.save_weights)
        a["load"].triggered.connect(c.load_weights)
        a["export"].triggered.connect(c.export_script)
        self.strip.stage_selected.connect(self._on_stage_selected)
        self.settings.config_changed.connect(c.settings_committed)
        self.settings.validated.connect(self._on_settings_validated)
        self.settings.load_data_requested.connect(c.load_data)
        self.results_view.image_chosen.connect(self._on_image_chosen)

    def _subscribe(self) -> None:
        """What the model and the controller report, to the views."""
        m, c = self.model, self.controller
        m.state_changed.connect(self._show_state)
        m.controls_changed.connect(lambda _none: self._update_controls())
        m.pipeline_changed.connect(lambda _none: self._update_strip())
        m.rows_appended.connect(self._on_batch)
        m.run_started.connect(self._on_run_started)
        m.run_ended.connect(self._on_run_ended)
        m.step_done.connect(self.step_finished.emit)
        m.reset.connect(lambda _none: self._on_reset())
        c.notice.connect(self._show_notice)
        c.samples_cleared.connect(self._clear_samples)
        c.stage_wanted.connect(self.select_stage)
        c.job_done.connect(self.job_done)
        jobs = c.jobs
        jobs.samples_ready.connect(self._on_samples)
        jobs.results_ready.connect(self._on_results)
        jobs.maps_ready.connect(self._on_maps)
        jobs.results_note.connect(self.results_view.headline.setText)

    # ---- the controls (the actions call the controller; these are for code and tests) ----

    def start(self) -> None:
        """Start (a new run with the settings) or resume a paused run."""
        self.controller.start()

    def pause(self) -> None:
        self.controller.pause()

    def step(self) -> None:
        """Train exactly one more batch (loading data and preparing first if needed)."""
        self.controller.step()

    def stop(self) -> None:
        """End training here: the model stays for results and saving; Start begins anew."""
        self.controller.stop()

    def reset(self) -> None:
        """Throw the run (and its session) away; the settings are editable again."""
        self.controller.reset()

    def load_data(self) -> None:
        self.controller.load_data()

    def save_weights(self) -> None:
        self.controller.save_weights()

    def load_weights(self) -> None:
        self.controller.load_weights()

    def export_script(self) -> None:
        self.controller.export_script()

    def run_actions(self) -> dict[Control, QAction]:
        """Start, Pause, Step, Stop and Reset by their Control (the Run menu's five)."""
        return {control: self.actions[control.value] for control in CONTROLS}

    @property
    def run_state(self) -> RunState:
        return self.model.state

    @property
    def latest(self) -> CnnBatch | None:
        """The worker's last report on the current session."""
        return self.model.latest

    def state_text(self) -> str:
        """The run state in words, in the interface language (as the run bar shows it)."""
        return self.run_bar.state_label.text()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and join its thread; call when the window closes."""
        self.timer.stop()
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

    def select_confusion_cell(self, true_class: int, predicted: int) -> np.ndarray:
        """Show the validation images of one confusion-matrix cell; returns their indices."""
        return self.results_view.select_confusion_cell(true_class, predicted)

    # ---- what the views and the controller report ----

    def _on_settings_validated(self, config: CnnConfig | None) -> None:
        self.model.set_settings(config, self.settings.first_error())

    def _on_stage_selected(self, stage: str) -> None:
        self.stack.setCurrentWidget(self.pages[stage])
        if stage in ("download", "data"):
            self.settings.revalidate()  # a CIFAR-10 folder may have been filled in meanwhile
        elif stage == "validate":
            self.epoch_plots.redraw()
        self.controller.stage_opened(stage)

    def _on_image_chosen(self, index: int) -> None:
        self.controller.jobs.image_index = index
        self.controller.choose_image(index)

    def _on_run_started(self, _config: CnnConfig) -> None:
        self.training_plots.clear()
        self.epoch_plots.clear()
        self.results_view.clear()
        self.banner.dismiss()
        self.strip.select("train")

    def _on_batch(self, batch: CnnBatch) -> None:
        self.training_plots.add_batch(batch)
        self._update_readouts()
        self.batch_received.emit(batch)

    def _on_run_ended(self, ended: RunEnded) -> None:
        if ended.state == RunState.FINISHED and self._show_results_when_finished:
            self.select_stage("results")

    def _on_reset(self) -> None:
        self.training_plots.clear()
        self.epoch_plots.clear()
        self.results_view.clear()
        self.banner.dismiss()
        self._update_readouts()

    def _show_notice(self, notice: Notice) -> None:
        if notice.offers_results:
            action = partial(self.select_stage, "results")
            self.banner.show_message(notice_text(notice), notice.level, show_results_text(), action)
        else:
            self.banner.show_message(notice_text(notice), notice.level)

    def _clear_samples(self, reason: str) -> None:
        self.settings.show_samples(None, self.settings.samples_message(reason))

    def _on_samples(self, samples: SamplePictures) -> None:
        self.settings.show_samples(samples)
        self.samples_ready.emit(samples)

    def _on_results(self, snapshot: ResultsSnapshot) -> None:
        self.results_view.set_snapshot(snapshot)
        self.results_ready.emit(snapshot)
        if self._show_results_when_finished:
            self._show_results_when_finished = False
            self._select_worst_cell()

    def _on_maps(self, maps: FeatureMaps) -> None:
        self.results_view.show_feature_maps(maps)

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

    # ---- drawing the state ----

    def _show_state(self, state: RunState) -> None:
        self.settings.set_locked(self.model.locked)
        self._update_controls()
        self._update_strip()
        self.state_changed.emit(state.value)

    def _update_controls(self) -> None:
        m = self.model
        self.run_bar.set_state(
            m.state, m.enabled_controls(), has_model=m.has_model, can_load=m.can_load_weights()
        )
        self.settings.load_data_button.setEnabled(m.can_load_data())

    def _update_strip(self) -> None:
        statuses, details = self.model.pipeline()
        self.strip.set_statuses(statuses, self.strip.detail_texts(details, self.model.epochs()))

    def _update_readouts(self) -> None:
        self.run_bar.show_batch(
            self.model.latest, self.model.epochs(), idle=self.model.state == RunState.READY
        )

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


def _scrolling(page: QWidget) -> QScrollArea:
    """A page whose image grids grow with their width, in a scroll area of its own: a grid's
    height-for-width would otherwise pass up through the stack and make every page (the
    training plots too) taller than the tab, their x axes scrolled out of sight."""
    area = QScrollArea()
    area.setObjectName(f"{page.objectName() or 'page'}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area
