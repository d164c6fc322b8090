"""Run history and legend name runs by the method's display name and a translated state."""

from __future__ import annotations

import pytest

from gradlab.core.config import Config
from gradlab.core.runs import RunRecord
from gradlab.core.session import TrainingSession
from gradlab.ui import i18n

INTERNAL_WORDS = ("numpy-manual", "torch-autograd", "torch-optim", "finished", "stopped")


@pytest.fixture
def window(app_window, classroom_sandbox):
    return app_window  # tests/ui/conftest.py


def _record(runs, config: Config, base: Config | None, steps: int = 20) -> RunRecord:
    session = TrainingSession(config.with_changes(**{"training.steps": steps}))
    session.advance(steps)
    return runs.add(RunRecord.from_session(session, base_config=base))


def _texts(window) -> list[str]:
    view = window.inside.run_view
    items = [view.list.item(row) for row in range(view.list.count())]
    legend = [label.text for _sample, label in window.plots.loss.legend.items]
    return [item.text() for item in items] + [item.toolTip() for item in items] + legend


def test_runs_are_named_in_the_students_language(qtbot, window):
    runs = window.inside.runs
    first = _record(runs, Config(), None)
    _record(runs, Config().with_changes(**{"training.lr": 2e-6}), first.config)
    texts = _texts(window)
    assert any("#1 NumPy by hand lr=1e-6" in text for text in texts)
    assert any("NumPy by hand lr=2e-6" in text for text in texts)
    assert any("finished, 20 steps" in text for text in texts)
    assert not any(word in text for text in texts for word in INTERNAL_WORDS[:3])

    i18n.language_manager().set_language("zh", remember=False)
    qtbot.waitUntil(lambda: any("已完成" in text for text in _texts(window)), timeout=5000)
    texts = _texts(window)
    assert any("NumPy 手写" in text for text in texts)
    assert not any(word in text for text in texts for word in INTERNAL_WORDS)
