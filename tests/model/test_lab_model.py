"""LabModel's transitions and the rules, without Qt and without a worker."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.history import HistoryBatch
from gradlab.core.live_settings import LIVE_PATHS
from gradlab.core.methods import starting_parameters
from gradlab.model.advice import DivergenceCause, divergence_advice, lr_warning, suggested_lr
from gradlab.model.lab import Intent, LabModel
from gradlab.model.rules import StartPlan, live_changes, needs_new_run, plan_start, plan_step
from gradlab.model.run_state import RunState

CHAPTER = Config()


def rows(start: int, stop: int, *, rewound_to: int | None = None) -> HistoryBatch:
    steps = np.arange(start, stop, dtype=np.int64)
    k = steps.size
    return HistoryBatch(
        steps, np.linspace(10.0, 9.0, k), np.full(k, np.nan), np.ones((k, 4)), np.ones(k),
        status="running", step_count=stop, rewound_to=rewound_to,
    )  # fmt: skip


class Log:
    """Every event of a model, in order, as (name, value)."""

    def __init__(self, model: LabModel) -> None:
        self.seen: list[tuple[str, object]] = []
        for name, event in vars(model.events).items():
            event.connect(lambda value, name=name: self.seen.append((name, value)))

    def names(self) -> list[str]:
        return [name for name, _ in self.seen]


def test_a_run_begins_prepares_and_resumes_without_showing_the_workers_first_pause() -> None:
    model = LabModel()
    log = Log(model)
    model.begin_run(CHAPTER, Intent("resume"))
    assert model.state is RunState.PREPARING and model.run_config == CHAPTER
    assert log.names() == ["run_started", "state_changed"]
    intent = model.session_ready(np.zeros(4))
    assert intent == Intent("resume") and model.pending is None
    model.worker_state(RunState.PAUSED)  # the worker's own pause before the resume arrives
    assert model.state is RunState.PREPARING
    model.worker_state(RunState.RUNNING)
    model.append(rows(0, 5))
    assert model.state is RunState.RUNNING and model.step_count == 5
    assert model.history.last_step == 4
    model.worker_state(RunState.PAUSED)  # a real pause now shows
    assert model.state is RunState.PAUSED


def test_the_start_is_shown_while_the_session_is_built_then_the_sessions_own() -> None:
    model = LabModel()
    network = CHAPTER.with_changes(**{"model.kind": "mlp", "model.hidden": 4})
    for config in (CHAPTER, network):
        model.begin_run(config, Intent("resume"))
        start = starting_parameters(config)
        assert model.state is RunState.PREPARING
        np.testing.assert_array_equal(model.current_coefficients(), start)
        model.session_ready(start.astype(np.float32))  # a float32 session's own, rounded
        np.testing.assert_array_equal(model.current_coefficients(), start.astype(np.float32))
    model.reset()
    assert model.current_coefficients() is None


def test_a_prepared_idle_session_shows_its_pause() -> None:
    model = LabModel()
    model.begin_run(CHAPTER, Intent("idle"))
    assert model.session_ready(np.zeros(4)) == Intent("idle")
    model.worker_state(RunState.PAUSED)
    assert model.state is RunState.PAUSED


def test_a_stopped_runs_late_words_and_a_reset_runs_rows_are_ignored() -> None:
    model = LabModel()
    model.begin_run(CHAPTER, Intent("resume"))
    model.session_ready(np.zeros(4))
    model.worker_state(RunState.RUNNING)
    model.stop()
    model.worker_state(RunState.PAUSED)
    assert model.state is RunState.STOPPED
    model.append(rows(0, 3))  # the final batch of a stopped run is still drawn
    assert model.step_count == 3
    model.reset()
    log = Log(model)
    model.append(rows(3, 6))
    model.worker_state(RunState.RUNNING)
    assert model.state is RunState.READY and len(model.history) == 0 and not log.seen


def test_a_rewind_in_the_rows_is_announced_and_truncates_the_history() -> None:
    model = LabModel()
    model.begin_run(CHAPTER, Intent("resume"))
    model.append(rows(0, 10))
    rewound: list[int] = []
    model.events.rewound.connect(rewound.append)
    model.append(rows(4, 4, rewound_to=3))
    assert rewound == [3] and model.history.last_step == 3


def test_live_changes_are_sent_once_and_the_run_takes_them_on() -> None:
    model = LabModel()
    model.begin_run(CHAPTER, Intent("resume"))
    wanted = CHAPTER.with_changes(**{"training.lr": 2e-6, "training.steps": 10})
    pending = model.want(wanted)
    assert pending.lr == 2e-6 and pending.steps == 10 and not pending.optimizer
    changed: list[Config] = []
    model.events.run_config_changed.connect(changed.append)
    sent = model.take_live_changes()
    assert sent.lr == 2e-6 and model.run_config == wanted and changed == [wanted]
    assert not model.take_live_changes()  # nothing left to send


def test_display_config_follows_the_run_then_the_panel() -> None:
    panel = CHAPTER.with_changes(**{"training.lr": 5e-7})
    model = LabModel(panel)
    assert model.display_config == panel
    model.begin_run(CHAPTER, Intent("resume"))
    assert model.display_config == CHAPTER
    model.reset()
    assert model.display_config == panel


def test_a_stored_run_is_shown_as_a_stopped_run() -> None:
    model = LabModel()
    batch = rows(0, 7)
    model.show_stored_run(CHAPTER, batch, np.full(4, 0.5))
    assert model.state is RunState.STOPPED and model.step_count == 7
    assert model.pending is None and model.history.last_step == 6


def test_only_live_settings_keep_the_run() -> None:
    other = {
        "training.lr": 2e-6, "training.steps": 10, "optimizer.momentum": 0.5,
        "optimizer.weight_decay": 0.1, "optimizer.alpha": 0.9, "optimizer.beta1": 0.8,
        "optimizer.beta2": 0.99, "optimizer.eps": 1e-6,
    }  # fmt: skip
    assert set(other) | {"optimizer.nesterov"} == LIVE_PATHS
    for path, value in other.items():
        assert not needs_new_run(CHAPTER, CHAPTER.with_changes(**{path: value})), path
    momentum = CHAPTER.with_changes(**{"optimizer.momentum": 0.5})
    assert not needs_new_run(momentum, momentum.with_changes(**{"optimizer.nesterov": True}))
    for path, value in {"model.degree": 4, "training.method": "torch-autograd", "seed": 3}.items():
        assert needs_new_run(CHAPTER, CHAPTER.with_changes(**{path: value})), path


def test_optimizer_changes_are_live_for_torch_optim_only() -> None:
    optim = CHAPTER.with_changes(**{"training.method": "torch-optim"})
    assert live_changes(optim, optim.with_changes(**{"optimizer.alpha": 0.9})).optimizer == {
        "alpha": 0.9
    }
    assert not live_changes(CHAPTER, CHAPTER.with_changes(**{"optimizer.alpha": 0.9}))


@pytest.mark.parametrize(
    ("state", "panel", "steps_done", "plan"),
    [
        (RunState.READY, CHAPTER, 0, StartPlan.NEW_RUN),
        (RunState.PREPARING, CHAPTER, 0, StartPlan.QUEUE),
        (RunState.RUNNING, CHAPTER, 5, StartPlan.NOTHING),
        (RunState.PAUSED, CHAPTER, 5, StartPlan.CONTINUE),
        (
            RunState.PAUSED,
            CHAPTER.with_changes(**{"model.degree": 4}),
            5,
            StartPlan.CONFIRM_NEW_RUN,
        ),
        (RunState.FINISHED, CHAPTER, CHAPTER.training.steps, StartPlan.NEW_RUN),
        (RunState.FINISHED, CHAPTER, 100, StartPlan.CONTINUE),  # more steps were asked for
        (RunState.DIVERGED, CHAPTER, 100, StartPlan.NEW_RUN),
        (RunState.STOPPED, CHAPTER, 100, StartPlan.NEW_RUN),
    ],
)
def test_what_start_does(state: RunState, panel: Config, steps_done: int, plan: StartPlan) -> None:
    assert plan_start(state, CHAPTER, panel, steps_done) is plan


def test_what_step_does() -> None:
    assert plan_step(RunState.READY, None, CHAPTER) is StartPlan.NEW_RUN
    assert plan_step(RunState.PAUSED, CHAPTER, CHAPTER) is StartPlan.CONTINUE
    assert plan_step(RunState.RUNNING, CHAPTER, CHAPTER) is StartPlan.NOTHING
    assert plan_step(RunState.PREPARING, CHAPTER, CHAPTER) is StartPlan.QUEUE
    degree = CHAPTER.with_changes(**{"model.degree": 2})
    assert plan_step(RunState.PAUSED, CHAPTER, degree) is StartPlan.CONFIRM_NEW_RUN


def test_stability_advice_applies_to_plain_gradient_descent_only() -> None:
    model = LabModel()
    analysis = model.show_problem(CHAPTER).analysis
    assert analysis is not None
    too_large = CHAPTER.with_changes(**{"training.lr": 4e-6})
    warning = lr_warning(too_large, analysis)
    assert warning is not None and warning.suggestion == 3e-6
    assert warning.limit == pytest.approx(3.558e-6, rel=1e-3)
    assert lr_warning(CHAPTER, analysis) is None
    adam = too_large.with_changes(**{"training.method": "torch-optim", "optimizer.name": "adam"})
    assert lr_warning(adam, analysis) is None
    advice = divergence_advice(too_large, analysis, 1589)
    assert advice.cause is DivergenceCause.LR_ABOVE_LIMIT and advice.step == 1589
    advice = divergence_advice(adam, analysis, 7)
    assert advice.cause is DivergenceCause.LR_TOO_LARGE and advice.suggestion == 4e-7


@pytest.mark.parametrize(("limit", "suggestion"), [(3.558e-6, 3e-6), (1e-5, 9e-6), (0.25, 0.2)])
def test_suggested_lr_is_round_and_below_the_limit(limit: float, suggestion: float) -> None:
    assert suggested_lr(limit) == suggestion < limit
