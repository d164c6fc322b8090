"""CnnLabModel's transitions, at core-test speed (no Qt, no worker, no torch)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from gradlab.core.cnn.config import CnnConfig
from gradlab.core.cnn.results import CnnBatch
from gradlab.model.cnn_lab import CnnLabModel, Effect, Goal, RunEnded
from gradlab.model.cnn_pipeline import stage_statuses
from gradlab.model.run_state import Control, RunState

CONFIG = CnnConfig(n_images=600, epochs=2, threads=1)
EMPTY_I, EMPTY_F = np.zeros(0, dtype=np.int64), np.zeros(0)


def batch(step: int = 0, stage: str = "train", status: str = "running", **more: object) -> CnnBatch:
    fields: dict[str, object] = {
        "steps": EMPTY_I, "loss": EMPTY_F, "accuracy": EMPTY_F, "epochs": EMPTY_I,
        "epoch_train_loss": EMPTY_F, "epoch_train_accuracy": EMPTY_F, "val_loss": EMPTY_F,
        "val_accuracy": EMPTY_F, "epoch": 1, "batch_in_epoch": step, "batches_per_epoch": 10,
        "step_count": step, "total_steps": 20, "stage": stage, "stage_progress": 0.0,
        "status": status, "images_per_s": math.nan, "eta_s": math.nan, "error": None,
    }  # fmt: skip
    fields.update(more)
    return CnnBatch(**fields)  # type: ignore[arg-type]


def record(model: CnnLabModel) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    for name in ("state_changed", "run_started", "session_started", "run_ended", "step_done"):
        getattr(model, name).connect(lambda value, n=name: seen.append((n, value)))
    return seen


def running_model() -> CnnLabModel:
    model = CnnLabModel(CONFIG)
    model.begin_run(CONFIG)
    model.want_run()
    model.session_ready()
    model.worker_state("running", worker_active=True)
    return model


def test_controls_follow_the_shared_table_with_the_labs_own_extras() -> None:
    model = CnnLabModel(CONFIG)
    assert model.enabled_controls() == {Control.START, Control.STEP}
    model.set_settings(None, "learning rate must be above 0")
    assert model.enabled_controls() == frozenset() and model.settings_error
    model.set_settings(CONFIG)
    model = running_model()
    assert model.enabled_controls() == {Control.PAUSE, Control.STOP, Control.RESET}
    model.worker_state("paused", worker_active=False)
    # Resume without valid settings (the run has its own); Pause is no toggle while paused
    model.set_settings(None, "bad")
    assert model.enabled_controls() == {Control.START, Control.STOP, Control.RESET}
    assert model.seek(Goal.STEP_DONE) == {Effect.STEP_AGAIN}
    assert Control.PAUSE in model.enabled_controls()  # pause the stepping
    assert Control.STEP not in model.enabled_controls()
    for state in RunState:
        model.state = state
        assert Control.REWIND not in model.enabled_controls()


def test_a_run_reuses_the_idle_session_built_for_the_same_settings() -> None:
    model = CnnLabModel(CONFIG)
    seen = record(model)
    model.new_session(CONFIG)  # "Load data" built one
    model.session_ready()
    assert model.begin_run(CONFIG) is False  # reused
    assert seen == [
        ("session_started", 1),
        ("run_started", CONFIG),
        ("state_changed", RunState.PAUSED),
    ]
    other = CONFIG.with_changes(seed=3)
    model.reset_run()
    assert model.begin_run(other) is True and model.state == RunState.PREPARING
    assert model.session_config == other and model.generation == 3


def test_worker_reports_move_the_run_state() -> None:
    model = CnnLabModel(CONFIG)
    seen = record(model)
    model.begin_run(CONFIG)
    model.want_run()
    model.session_ready()
    assert model.worker_state("paused", worker_active=True) == set()  # "running" follows
    assert model.state == RunState.PREPARING
    model.worker_state("running", worker_active=True)
    model.batch_arrived(batch(20, val_accuracy=np.array([0.4, 0.75])), worker_idle=False)
    effects = model.worker_state("finished", worker_active=False)
    assert effects == {Effect.REQUEST_RESULTS} and model.state == RunState.FINISHED
    assert seen[-1] == ("run_ended", RunEnded(RunState.FINISHED, 20, CONFIG.lr, 0.75))
    assert not model.run_wanted


def test_a_stopped_run_ignores_the_workers_last_words_and_a_failed_factory_fails() -> None:
    model = running_model()
    assert model.stop() and model.state == RunState.STOPPED
    assert model.enabled_controls() == {Control.START, Control.STEP, Control.RESET}
    assert model.worker_state("paused", worker_active=False) == set()
    assert model.state == RunState.STOPPED and not model.stop()
    model = CnnLabModel(CONFIG)
    model.begin_run(CONFIG)
    model.worker_state("stopped", worker_active=False)  # the factory raised
    assert model.state == RunState.FAILED and model.session_failed and not model.has_model


def test_step_one_batch_steps_unit_by_unit_until_the_next_batch() -> None:
    model = running_model()
    model.worker_state("paused", worker_active=False)
    model.batch_arrived(batch(5), worker_idle=True)
    seen = record(model)
    assert model.seek(Goal.STEP_DONE) == {Effect.STEP_AGAIN} and model.stepping
    # a validation unit (same step count) and the worker idle: one more unit
    assert model.batch_arrived(batch(5, "validate"), worker_idle=True) == {Effect.STEP_AGAIN}
    assert model.batch_arrived(batch(5, "validate"), worker_idle=False) == set()
    effects = model.batch_arrived(batch(6), worker_idle=True)
    assert effects == {Effect.REQUEST_RESULTS} and not model.stepping
    assert seen == [("step_done", 6)]


def test_loading_the_data_asks_for_samples_once() -> None:
    model = CnnLabModel(CONFIG)
    model.new_session(CONFIG)
    assert model.seek(Goal.DATA_LOADED) == {Effect.STEP_AGAIN}
    assert model.batch_arrived(batch(0, "data"), worker_idle=True) == {Effect.STEP_AGAIN}
    effects = model.batch_arrived(batch(0, "model"), worker_idle=True)
    assert effects == {Effect.REQUEST_SAMPLES} and model.samples_pending
    assert model.batch_arrived(batch(0, "model"), worker_idle=True) == set()
    model.samples_arrived()
    assert model.samples_shown
    model.samples_cleared()  # a change undone since cleared them: asked for again
    assert model.seek(Goal.DATA_LOADED) == {Effect.REQUEST_SAMPLES}


def test_answers_for_an_old_session_are_dropped() -> None:
    model = running_model()
    old = model.generation
    assert model.accepts(old)
    model.reset_run()
    assert not model.accepts(old) and not model.accepts(model.generation)
    assert model.batch_arrived(batch(3), worker_idle=True) == set() and model.latest is None


def test_results_are_asked_for_once_per_step_with_the_pictures_once() -> None:
    model = running_model()
    assert model.results_request() is None  # running: pause or let it finish
    model.batch_arrived(batch(4), worker_idle=False)
    model.worker_state("paused", worker_active=False)
    first = model.results_request()
    assert first is not None and first.with_pictures
    assert model.results_request() is None  # nothing new
    again = model.results_request(force=True)
    assert again is not None and not again.with_pictures
    model.results_failed()
    retry = model.results_request()
    assert retry is not None and retry.with_pictures
    model.weights_loaded()
    assert model.results_request() is not None


def test_settings_changes_during_a_run_and_after_loading_data() -> None:
    model = running_model()
    assert model.commit_settings(CONFIG.with_changes(lr=0.01)) == {Effect.APPLY_LR}
    assert model.run_lr == 0.01
    assert model.commit_settings(CONFIG.with_changes(lr=0.01, epochs=5)) == set()
    idle = CnnLabModel(CONFIG)
    idle.new_session(CONFIG)
    assert idle.commit_settings(CONFIG.with_changes(epochs=5)) == set()
    assert idle.commit_settings(CONFIG.with_changes(seed=9)) == {Effect.DATA_STALE}
    assert idle.stale()


def test_stage_statuses_follow_the_batch() -> None:
    assert set(stage_statuses(None, has_session=False, active=False).values()) == {"waiting"}
    statuses = stage_statuses(batch(3, "train", epoch=2), has_session=True, active=True)
    assert statuses["train"] == "running" and statuses["validate"] == "done"
    assert statuses["optimizer"] == "done" and statuses["results"] == "waiting"
    diverged = stage_statuses(batch(3, "train", "diverged"), has_session=True, active=False)
    assert diverged["train"] == "failed"
    demo = stage_statuses(batch(3, "train"), has_session=True, active=False, validates=False)
    assert demo["validate"] == "skipped" and demo["train"] == "current"


def test_the_strip_shows_the_download_check_while_a_session_is_built() -> None:
    model = CnnLabModel(CONFIG)
    model.begin_run(CONFIG)
    statuses, details = model.pipeline()
    assert statuses["download"] == "running" and details == {}
    model.session_ready()
    model.batch_arrived(batch(0, "data", stage_progress=0.4), worker_idle=False)
    statuses, details = model.pipeline()
    assert statuses["download"] == "done" and details == {"data": 0.4}
    demo = CnnLabModel(replace(CONFIG, dataset="demo"))
    assert demo.pipeline()[0]["validate"] == "skipped"
