"""CnnLabController: the CNN lab's student intents turned into worker calls, and the worker's
reports turned into CnnLabModel transitions.

It owns the lab's TrainingController (``trainer``) and a ``CnnJobs`` (samples, results, files),
acts on the ``Effect``s the model's transitions return, and says what the student should read
as ``Notice``s (data; the lab words them). Dialogs go through the ``Dialogs`` it is given.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from gradlab.core.cnn.config import CnnConfig
from gradlab.core.cnn.results import CnnBatch
from gradlab.model.cnn_lab import CnnLabModel, Effect, Goal, RunEnded
from gradlab.model.run_state import Control, RunState
from gradlab.ui.cnn.jobs import Session, make_cnn_session
from gradlab.ui.cnn.lab_jobs import CnnJobs
from gradlab.ui.cnn.notices import Notice, Say
from gradlab.ui.controller import TrainingController
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.worker_text import describe_failure

SessionFactory = Callable[[CnnConfig], Session]


class CnnLabController(QObject):
    """Start, pause, step, stop, reset, load data, weights and script for one CnnLabModel.

    Signals: ``notice(Notice)`` for the banner; ``samples_cleared(reason)`` ("reset",
    "loading", "stale") for the data page's preview; ``stage_wanted(stage)`` when a page should
    open (the results after loading weights); ``job_done(kind)`` after a file job or an error.
    The jobs' answers come from ``jobs``.
    """

    notice = Signal(object)
    samples_cleared = Signal(str)
    stage_wanted = Signal(str)
    job_done = Signal(str)  # "saved", "loaded", "exported", or "error"

    def __init__(
        self,
        model: CnnLabModel,
        dialogs: Dialogs,
        *,
        session_factory: SessionFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.dialogs = dialogs
        self.session_factory: SessionFactory = session_factory or make_cnn_session
        self.trainer = TrainingController(self)
        self.jobs = CnnJobs(model, self.trainer, self)
        self.results_page_open = False
        self.jobs.failed.connect(self._on_job_failed)
        self.jobs.notice.connect(self.notice)
        self.jobs.job_done.connect(self._on_job_done)
        self.jobs.job_done.connect(self.job_done)
        t = self.trainer
        t.session_ready.connect(lambda _session: model.session_ready())
        t.batch_ready.connect(self._on_batch)
        t.state_changed.connect(self._on_worker_state)
        t.failed.connect(lambda failure: self._on_failed(describe_failure(failure)))
        model.run_ended.connect(self._on_run_ended)

    @property
    def running(self) -> bool:
        """True while the lab's training thread is alive."""
        return self.trainer.running

    # ---- intents ----

    def start(self) -> None:
        """Start (a new run with the settings) or resume a paused run."""
        model = self.model
        if model.state == RunState.PAUSED:
            model.want_run()
            self.trainer.resume()
            return
        config = self._valid_config()
        if Control.START not in model.enabled_controls() or config is None:
            return
        self._begin_run(config)
        model.want_run()
        self.trainer.resume()

    def pause(self) -> None:
        self.model.pause()
        self.trainer.pause()

    def step(self) -> None:
        """Train exactly one more batch (loading data and preparing first if needed)."""
        model = self.model
        if model.stepping:
            return
        if model.state in (RunState.READY, RunState.STOPPED):
            config = self._valid_config()
            if config is None:
                return
            self._begin_run(config)
        elif model.state != RunState.PAUSED:
            return
        self._seek(Goal.STEP_DONE)

    def stop(self) -> None:
        """End training here: the model stays for results and saving; Start begins anew."""
        if self.model.stop():
            self.trainer.pause()
            self.notice.emit(Notice(Say.STOPPED))
            self.request_results()

    def reset(self) -> None:
        """Throw the run (and its session) away; the settings are editable again."""
        self.model.shutdown()
        self.trainer.shutdown()
        self.model.reset_run()
        self._clear_samples("reset")

    def load_data(self) -> None:
        """Run the data stage (once) and show samples; uses the current session if it fits."""
        model = self.model
        if model.state != RunState.READY:
            if model.latest is not None and model.latest.stage != "data":
                self.jobs.request_samples()
            return
        config = self._valid_config()
        if config is None or model.stepping:
            return
        if not model.session_fits(config):
            self._new_session(config)
        self._clear_samples("loading")
        self._seek(Goal.DATA_LOADED)

    def settings_committed(self, config: CnnConfig) -> None:
        """A committed valid edit of the settings."""
        effects = self.model.commit_settings(config)
        if Effect.APPLY_LR in effects:
            lr = self.model.run_lr
            self.trainer.submit(lambda s: s.set_learning_rate(lr))
        if Effect.DATA_STALE in effects:
            self._clear_samples("stale")

    def stage_opened(self, stage: str) -> None:
        self.results_page_open = stage == "results"
        if self.results_page_open:
            self.request_results()

    def request_results(self, *, force: bool = False) -> None:
        if force or self.results_page_open:
            self.jobs.request_results(force=force)

    def choose_image(self, index: int) -> None:
        if self.model.has_model:
            self.jobs.request_feature_maps(index)

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and join its thread; call when the window closes."""
        self.model.shutdown()
        return self.trainer.shutdown(timeout_ms)

    # ---- weights and script ----

    def save_weights(self) -> None:
        if not self.model.has_worker or not self.model.has_session:
            self.notice.emit(Notice(Say.NO_MODEL))
            return
        path = self.dialogs.ask_save_file(
            QCoreApplication.translate("CnnLabWidget", "Save the model's weights"),
            QCoreApplication.translate("CnnLabWidget", "PyTorch weights (*.pt *.pth)"),
            "cnn-weights.pt",
        )
        if path:
            self.jobs.save_weights(path)

    def load_weights(self) -> None:
        """Load a weights file into the model (a new, untrained session if there is none)."""
        if not self.model.can_load_weights():
            self.notice.emit(Notice(Say.PAUSE_FIRST))
            return
        path = self.dialogs.ask_open_file(
            QCoreApplication.translate("CnnLabWidget", "Load weights"),
            QCoreApplication.translate(
                "CnnLabWidget", "PyTorch weights (*.pt *.pth);;All files (*)"
            ),
        )
        if not path:
            return
        if not self.model.has_worker or self.model.stale():
            config = self._valid_config()
            if config is None:
                return
            self._new_session(config)
        self.jobs.load_weights(path)

    def export_script(self) -> None:
        config = self._valid_config()
        if config is None:
            return
        path = self.dialogs.ask_save_file(
            QCoreApplication.translate("CnnLabWidget", "Export the pipeline as a script"),
            QCoreApplication.translate("CnnLabWidget", "Python script (*.py)"),
            "cnn_pipeline.py",
        )
        if not path:
            return
        if not self.model.has_worker:
            self._new_session(config)
        self.jobs.export_script(config, path)

    def weights_loaded(self) -> None:
        """Weights were loaded: show the results they give."""
        self.model.weights_loaded()
        self.stage_wanted.emit("results")
        self.request_results(force=True)

    # ---- sessions ----

    def _clear_samples(self, reason: str) -> None:
        self.model.samples_cleared()
        self.samples_cleared.emit(reason)

    def _valid_config(self) -> CnnConfig | None:
        config = self.model.config
        if config is None:
            message = self.model.settings_error or ""
            self.notice.emit(Notice(Say.ERROR, {"message": message}))
        return config

    def _new_session(self, config: CnnConfig) -> None:
        self.model.new_session(config)
        factory = self.session_factory
        self.trainer.start(lambda: factory(config))

    def _begin_run(self, config: CnnConfig) -> None:
        if self.model.begin_run(config):
            factory = self.session_factory
            self.trainer.start(lambda: factory(config))

    def _seek(self, goal: Goal) -> None:
        self._apply(self.model.seek(goal))

    # ---- the worker's reports ----

    def _worker_idle(self) -> bool:
        worker = self.trainer.worker
        return worker is not None and not worker.active

    def _on_batch(self, batch: CnnBatch) -> None:
        effects = self.model.batch_arrived(batch, worker_idle=self._worker_idle())
        if batch.error and batch.status == "failed" and self.model.live:
            values: dict[str, object] = {"error": batch.error, "message": batch.error_message}
            self.notice.emit(Notice(Say.DATA_FAILED, values))
        self._apply(effects)

    def _on_worker_state(self, state: str) -> None:
        worker = self.trainer.worker
        active = worker is not None and worker.active
        self._apply(self.model.worker_state(state, worker_active=active))

    def _on_failed(self, message: str) -> None:
        if self.model.live:
            self.notice.emit(Notice(Say.ERROR, {"message": message}))
            self.job_done.emit("error")

    def _on_job_failed(self, message: str) -> None:
        self.notice.emit(Notice(Say.ERROR, {"message": message}))

    def _on_job_done(self, kind: str) -> None:
        if kind == "loaded":
            self.weights_loaded()

    def _on_run_ended(self, ended: RunEnded) -> None:
        if ended.state == RunState.FINISHED:
            self.notice.emit(Notice(Say.FINISHED, {"accuracy": ended.val_accuracy}))
        elif ended.state == RunState.DIVERGED:
            self.notice.emit(Notice(Say.DIVERGED, {"n": ended.step_count + 1, "lr": ended.lr}))

    def _apply(self, effects: set[Effect]) -> None:
        if Effect.REQUEST_SAMPLES in effects:
            self.jobs.request_samples()
        if Effect.STEP_AGAIN in effects:
            self.trainer.step(1)
        if Effect.REQUEST_RESULTS in effects:
            self.request_results()
