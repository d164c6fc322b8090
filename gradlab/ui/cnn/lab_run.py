"""The CNN lab's run machinery: sessions built in the worker thread, stepping batch by batch, and
what the worker reports back (batches, states, failures).

``LabRun`` is a part of CnnLabWidget (gradlab.ui.cnn.lab), split off by responsibility; it uses
the lab's widgets and state set up in ``CnnLabWidget.__init__``. A session belongs to one
"generation": after Reset (``_live`` False) or a new session, late signals of the old one are
dropped. "Step one batch" needs no hook in the worker: the lab steps one unit at a time and stops
once a batch reports a new step_count (``_advance_until``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from gradlab.core.cnn.config import CnnConfig
from gradlab.core.config import ConfigError

DONE = ("finished", "diverged", "failed")


class LabRun:
    """Sessions and the worker's signals: a part of CnnLabWidget, whose ``__init__`` sets up the
    state these methods share."""

    # ---- sessions ----

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
                QCoreApplication.translate(
                    "CnnLabWidget", "The data could not be used: {e}"
                ).format(e=batch.error),
                "error",
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
            text = QCoreApplication.translate("CnnLabWidget", "Training finished.")
            if accuracy.size and math.isfinite(accuracy[-1]):
                text = QCoreApplication.translate(
                    "CnnLabWidget", "Training finished: validation accuracy {a:.1%}."
                ).format(a=accuracy[-1])
            self.banner.show_message(
                text,
                "info",
                QCoreApplication.translate("CnnLabWidget", "Show results"),
                lambda: self.select_stage("results"),
            )
            if self._show_results_when_finished:
                self.select_stage("results")
        elif state == "diverged":
            lr = self._session_config.lr if self._session_config else 0.0
            self.banner.show_message(
                QCoreApplication.translate(
                    "CnnLabWidget",
                    "The loss became infinite or NaN at batch {n}: the learning rate {lr:g} is too "
                    "large for this setup. Try {smaller:g}.",
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
