"""What the CNN lab asks its worker for, and what it does with the answers: the data page's
samples, the results page (confusion matrix, images, filters, feature maps), and the weights and
script files.

``LabJobs`` is a part of CnnLabWidget (gradlab.ui.cnn.lab), split off by responsibility; it uses
the lab's widgets and state set up in ``CnnLabWidget.__init__``. The jobs themselves run in the
worker thread (gradlab.ui.cnn.jobs); their answers arrive in ``_on_delivered``, tagged with the
session generation they were asked for, so answers for a session since replaced are dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from gradlab.ui.cnn.jobs import (
    collect_feature_maps,
    collect_results,
    collect_samples,
    load_weights_from,
    save_weights_to,
    write_script,
)

RESULT_STATES = ("paused", "finished", "stopped", "diverged")


class LabJobs:
    """Jobs for the worker and their answers: a part of CnnLabWidget, whose ``__init__`` sets up
    the state these methods share."""

    # ---- weights and script ----

    def save_weights(self) -> None:
        if self.controller.worker is None or not self._has_session:
            self.banner.show_message(
                QCoreApplication.translate(
                    "CnnLabWidget", "There is no model yet: press Start first."
                ),
                "info",
            )
            return
        path = self.ask_save_path(
            QCoreApplication.translate("CnnLabWidget", "Save the model's weights"),
            "cnn-weights.pt",
            QCoreApplication.translate("CnnLabWidget", "PyTorch weights (*.pt *.pth)"),
        )
        if path:
            self._submit("saved", lambda s: save_weights_to(s, path))

    def load_weights(self) -> None:
        """Load a weights file into the model (a new, untrained session if there is none)."""
        if self.run_state in ("running", "preparing"):
            self.banner.show_message(
                QCoreApplication.translate("CnnLabWidget", "Pause first, then load weights."),
                "info",
            )
            return
        path = self.ask_open_path(
            QCoreApplication.translate("CnnLabWidget", "Load weights"),
            QCoreApplication.translate(
                "CnnLabWidget", "PyTorch weights (*.pt *.pth);;All files (*)"
            ),
        )
        if not path:
            return
        if self.controller.worker is None or self._stale():
            config = self._valid_config()
            if config is None:
                return
            self._new_session(config)
        self._submit("loaded", lambda s: load_weights_from(s, path))

    def export_script(self) -> None:
        config = self._valid_config()
        if config is None:
            return
        path = self.ask_save_path(
            QCoreApplication.translate("CnnLabWidget", "Export the pipeline as a script"),
            "cnn_pipeline.py",
            QCoreApplication.translate("CnnLabWidget", "Python script (*.py)"),
        )
        if not path:
            return
        if self.controller.worker is None:
            self._new_session(config)
        self._submit("exported", lambda _session: write_script(config, path))

    def _submit(self, kind: str, fn: Callable[[object], object]) -> None:
        """Run fn(session) in the worker; its answer (or error) comes back as ``kind``."""
        self.controller.submit(self._courier.job(self._generation, kind, fn))

    # ---- samples, results, feature maps ----

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
                    QCoreApplication.translate(
                        "CnnLabWidget", "Pause or let training finish to see the results."
                    )
                )
            return
        step = self.latest.step_count if self.latest is not None else 0
        key = (self._generation, step, self._weights_version)
        if key == self._results_key and not force:
            return
        self._results_key = key
        index, pictures = self.results_view.image_spin.value(), not self._pictures_sent
        self._pictures_sent = True
        self.results_view.headline.setText(
            QCoreApplication.translate("CnnLabWidget", "Computing the results…")
        )
        self._submit("results", lambda s: collect_results(s, index, pictures))

    def _on_image_chosen(self, index: int) -> None:
        if self._has_session and not self._session_failed:
            self._submit("maps", lambda s: collect_feature_maps(s, index))

    # ---- the answers ----

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
                "saved": QCoreApplication.translate("CnnLabWidget", "Weights saved to {path}."),
                "loaded": QCoreApplication.translate(
                    "CnnLabWidget", "Weights loaded from {path}; the results below use them."
                ),
                "exported": QCoreApplication.translate(
                    "CnnLabWidget", "Script written to {path}: run it with python3."
                ),
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
