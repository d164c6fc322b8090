"""CnnJobs: what the CNN lab asks its worker for (the data page's samples, the results page,
feature maps, the weights and script files) and the answers, as signals.

The jobs themselves run in the worker thread (gradlab.ui.cnn.jobs); their answers come back
through a queued JobCourier, tagged with the session generation they were asked for, so answers
for a session since replaced are dropped (``CnnLabModel.accepts``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from gradlab.core.cnn.config import CnnConfig
from gradlab.model.cnn_lab import CnnLabModel
from gradlab.model.run_state import RunState
from gradlab.ui.cnn.jobs import (
    JobCourier,
    Session,
    collect_feature_maps,
    collect_results,
    collect_samples,
    load_weights_from,
    save_weights_to,
    write_script,
)
from gradlab.ui.cnn.notices import Notice, Say, results_busy_text, results_computing_text
from gradlab.ui.controller import TrainingController
from gradlab.ui.i18n import current_language

FILE_NOTICES = {"saved": Say.SAVED, "loaded": Say.LOADED, "exported": Say.EXPORTED}


class CnnJobs(QObject):
    """Submits the lab's jobs to ``trainer`` and hands their answers on.

    Signals: ``samples_ready(SamplePictures)``, ``results_ready(ResultsSnapshot)``,
    ``maps_ready(FeatureMaps)``, ``results_note(text)`` for the results page's headline,
    ``notice(Notice)``, and ``job_done(kind)`` ("saved", "loaded", "exported" or "error").
    """

    samples_ready = Signal(object)
    results_ready = Signal(object)
    maps_ready = Signal(object)
    results_note = Signal(str)
    notice = Signal(object)
    failed = Signal(str)
    job_done = Signal(str)

    def __init__(
        self, model: CnnLabModel, trainer: TrainingController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.trainer = trainer
        self._courier = JobCourier(self)
        self._courier.delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)
        self.image_index = 0  # the results page's chosen image (its feature maps come along)

    def _submit(self, kind: str, fn: Callable[[Session], object]) -> None:
        """Run fn(session) in the worker; its answer (or error) comes back as ``kind``."""
        self.trainer.submit(self._courier.job(self.model.generation, kind, fn))

    # ---- what the lab asks for ----

    def save_weights(self, path: str) -> None:
        self._submit("saved", lambda s: save_weights_to(s, path))

    def load_weights(self, path: str) -> None:
        self._submit("loaded", lambda s: load_weights_from(s, path))

    def export_script(self, config: CnnConfig, path: str) -> None:
        language = current_language()  # read here: the job runs in the worker thread
        self._submit("exported", lambda _session: write_script(config, path, language))

    def request_samples(self) -> None:
        self.model.request_samples()
        self._submit("samples", collect_samples)

    def request_results(self, *, force: bool = False) -> None:
        model = self.model
        if not model.has_model:
            return
        if model.state in (RunState.RUNNING, RunState.PREPARING) and not force:
            self.results_note.emit(results_busy_text())
            return
        request = model.results_request(force=force)
        if request is None:
            return
        index, pictures = self.image_index, request.with_pictures
        self.results_note.emit(results_computing_text())
        self._submit("results", lambda s: collect_results(s, index, pictures))

    def request_feature_maps(self, index: int) -> None:
        self._submit("maps", lambda s: collect_feature_maps(s, index))

    # ---- the answers ----

    def _on_delivered(self, generation: int, kind: str, payload: object) -> None:
        if not self.model.accepts(generation):
            return
        if kind == "samples":
            self.model.samples_arrived()
            self.samples_ready.emit(payload)
        elif kind == "results":
            self.results_ready.emit(payload)
        elif kind == "maps":
            self.maps_ready.emit(payload)
        elif kind == "error":
            assert isinstance(payload, tuple)
            failed, message = payload
            if failed == "results":  # ask again next time, with the pictures
                self.model.results_failed()
                self.results_note.emit(message)
            self.failed.emit(message)
        else:
            self.notice.emit(Notice(FILE_NOTICES[kind], {"path": payload}))
        if kind in ("saved", "loaded", "exported", "error"):
            self.job_done.emit(kind)
