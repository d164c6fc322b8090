"""Random sequences of the run controls on the real window: every action is answered within a
second, nothing raises, and the step count (``stepLabel``) always agrees with the actions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

ANSWER_MS = 1000  # every action must show its effect within a second
BUSY = ("preparing", "running")


@dataclass(frozen=True)
class Action:
    name: str
    value: object = None

    def __repr__(self) -> str:  # short, readable falsifying examples
        return self.name if self.value is None else f"{self.name}({self.value})"


ACTIONS = st.one_of(
    st.sampled_from(
        [Action("start"), Action("pause"), Action("step"), Action("stop"), Action("reset")]
    ),
    st.sampled_from([2, 5, 37]).map(lambda n: Action("step_n", n)),
    st.sampled_from(["1e-6", "2e-6", "3e-7", "5e-6"]).map(lambda lr: Action("lr", lr)),
    st.sampled_from(["numpy-manual", "torch-autograd", "torch-optim"]).map(
        lambda m: Action("method", m)
    ),
)


@pytest.fixture(scope="module")
def _torch_loaded() -> None:
    """Import torch once, so a torch method's first Start is not a 1-second import."""
    import torch  # noqa: F401


class Lab:
    """The window under test, driven through its widgets like a student would."""

    def __init__(self, qtbot, window) -> None:
        self.qtbot = qtbot
        self.window = window
        find = window.findChild
        self.buttons = {
            name: find(QAbstractButton, f"{name}Button")
            for name in ("start", "pause", "step", "stepN", "stop", "reset")
        }
        self.step_label = find(QLabel, "stepLabel")
        self.total_label = find(QLabel, "totalLabel")
        self.lr_edit = find(QLineEdit, "lrEdit")
        self.method_combo = find(QComboBox, "methodCombo")
        self.step_n_spin = find(QSpinBox, "stepCountSpin")
        widgets = (self.step_label, self.total_label, self.lr_edit, self.method_combo)
        assert None not in (*widgets, self.step_n_spin)
        assert None not in self.buttons.values()

    @property
    def state(self) -> str:
        return self.window.run_state

    @property
    def count(self) -> int:
        return int(self.step_label.text())

    def total(self) -> int:
        """The run's step total, from the read-out next to the step count ("of 200000")."""
        digits = "".join(c for c in self.total_label.text() if c.isdigit())
        return int(digits) if digits else 10**12

    def wait(self, condition, what: str, timeout: int = ANSWER_MS) -> None:
        try:
            self.qtbot.waitUntil(condition, timeout=timeout)
        except Exception as error:
            raise AssertionError(
                f"not answered within {timeout} ms: {what} "
                f"(state {self.state}, step label {self.step_label.text()})"
            ) from error

    def settled_count(self) -> int:
        """The count once the run is quiet; it must then stay put."""
        self.wait(lambda: self.state not in BUSY, "the run settles")
        self.quiet()
        count = self.count
        self.quiet()
        assert self.count == count, f"count moved while {self.state}: {count} -> {self.count}"
        return count

    def quiet(self) -> None:
        """Everything the worker had to say is said and drawn: its loop comes round twice (or,
        without a worker, the queued signals are handed out), then the view redraws."""
        training = self.window.controller.training
        if training.running:
            for _ in range(2):
                answered: list[object] = []
                training.submit(lambda session: None, on_done=answered.append)
                self.wait(lambda a=answered: bool(a) or not training.running, "a worker round trip")
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        for _ in range(2):  # the step label is written by the next redraws
            with self.qtbot.waitSignal(self.window.view.timer.timeout, timeout=ANSWER_MS):
                pass

    def click(self, name: str) -> bool:
        button = self.buttons[name]
        if not button.isEnabled():
            return False
        button.click()
        return True

    # ---- the actions and what each must do ----

    def do(self, action: Action) -> None:
        getattr(self, f"_do_{action.name}")(action.value)

    def _do_start(self, _value: object) -> None:
        before = self.state
        if not self.click("start"):
            return
        if before == "paused":
            self.wait(lambda: self.state != "paused", "Resume leaves the paused state")
        else:  # a new run: it starts from step 0 and gets going
            self.wait(lambda: self.state in BUSY or self.state in ("finished", "diverged"),
                      "Start begins a run")  # fmt: skip
            self.wait(lambda: self.count > 0 or self.state == "running", "the new run moves",
                      timeout=5000)  # fmt: skip

    def _do_pause(self, _value: object) -> None:
        before = self.state
        if not self.click("pause"):
            return
        if before == "running":
            self.wait(lambda: self.state in ("paused", "finished", "diverged"), "Pause pauses")
            self.settled_count()
        elif before == "paused":
            self.wait(lambda: self.state != "paused", "Pause again resumes")

    def _step(self, name: str, n: int) -> None:
        before_state = self.state
        if before_state == "paused":
            before = self.settled_count()
        if not self.click(name):
            return
        if before_state == "paused":
            expected = min(before + n, self.total())
            self.wait(lambda: self.count == expected or self.state == "diverged",
                      f"Step ×{n} from {before} reaches {expected}")  # fmt: skip
            after = self.settled_count()
            if self.state != "diverged":
                assert after == expected, f"Step ×{n} from {before} gave {after}"
        elif before_state in ("ready", "stopped"):  # a new run, stepped from 0
            self.wait(lambda: self.count == n or self.state == "diverged",
                      f"Step ×{n} on a new run reaches {n}", timeout=5000)  # fmt: skip
            assert self.settled_count() in ((n,) if self.state != "diverged" else range(n))

    def _do_step(self, _value: object) -> None:
        self._step("step", 1)

    def _do_step_n(self, n: object) -> None:
        assert isinstance(n, int)
        self.step_n_spin.setValue(n)
        self._step("stepN", n)

    def _do_stop(self, _value: object) -> None:
        if not self.click("stop"):
            return
        self.wait(lambda: self.state == "stopped", "Stop stops")
        self.settled_count()

    def _do_reset(self, _value: object) -> None:
        if not self.click("reset"):
            return
        self.wait(lambda: self.state == "ready" and self.count == 0, "Reset goes back to 0")
        self.settled_count()

    def _do_lr(self, text: object) -> None:
        quiet = self.state in ("paused", "ready", "stopped", "finished", "diverged")
        before = self.settled_count() if quiet else None
        self.lr_edit.setText(str(text))
        self.lr_edit.editingFinished.emit()
        if before is not None:  # a new rate waits for the next step: the count stays
            assert self.settled_count() == before

    def _do_method(self, method: object) -> None:
        index = self.method_combo.findData(method)
        if index == self.method_combo.currentIndex():
            return
        had_run = self.state != "ready"  # only Reset (or a new method) leaves no run behind
        self.method_combo.setCurrentIndex(index)
        if had_run:  # a new method needs a new run: the window resets (confirmed below)
            self.wait(lambda: self.state == "ready" and self.count == 0, "method change resets")
        assert self.settled_count() == 0 or not had_run


@pytest.mark.slow
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, min_size=3, max_size=25))
def test_random_control_sequences_keep_the_step_count_consistent(
    qtbot, _torch_loaded, actions: list[Action]
) -> None:
    from gradlab.app import create_window

    window = create_window()
    window.dialogs.confirm = lambda _text: True  # the student agrees to start over
    window.show()
    qtbot.waitUntil(window.isVisible, timeout=ANSWER_MS)
    lab = Lab(qtbot, window)
    try:
        for action in actions:
            lab.do(action)
    finally:
        window.close()
        window.deleteLater()
    assert not window.controller.training.running


def test_lab_widgets_are_found(qtbot) -> None:
    from gradlab.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    lab = Lab(qtbot, window)
    assert lab.count == 0 and lab.state == "ready"
    assert isinstance(lab.step_label, QWidget)
