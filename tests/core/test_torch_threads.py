"""Each torch fit sets the torch thread count of its own thread, by its size (torch_threads)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

import pytest

from gradlab.core.config import Config
from gradlab.core.session import TrainingSession

torch = pytest.importorskip("torch")
from gradlab.core.torch_threads import (  # noqa: E402
    LARGE_FIT_THREADS,
    SPLIT_ABOVE,
    TORCH_DEFAULT,
    threads_for,
)

CHAPTER_AUTOGRAD = Config().with_changes(**{"training.method": "torch-autograd"})
WIDE_NETWORK = Config().with_changes(
    **{"model.kind": "mlp", "model.hidden": 64, "training.method": "torch-optim"}
)


def in_new_thread(work: Callable[[], object]) -> object:
    """``work()``'s result, run in a thread of its own (as the GUI's worker runs a session)."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    thread.join()
    return result[0]


def test_small_fits_run_one_thread_large_ones_all_cores_but_one() -> None:
    assert threads_for(2000 * 4) == 1  # the chapter's cubic on 2000 points
    assert threads_for(2000 * 16) == 1  # the default network
    assert threads_for(SPLIT_ABOVE) == threads_for(2000 * 64) == LARGE_FIT_THREADS
    cores = os.cpu_count() or 1
    assert LARGE_FIT_THREADS == max(1, min(TORCH_DEFAULT, cores - 1))  # the window keeps one


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (CHAPTER_AUTOGRAD, 1),
        (Config().with_changes(**{"training.method": "torch-optim"}), 1),
        (Config().with_changes(**{"training.method": "torch-function"}), 1),
        (WIDE_NETWORK, LARGE_FIT_THREADS),
        (CHAPTER_AUTOGRAD.with_changes(**{"data.points": 100_000}), LARGE_FIT_THREADS),
    ],
)
def test_a_session_sets_the_count_in_the_thread_that_builds_it(
    config: Config, expected: int
) -> None:
    def build() -> int:
        torch.set_num_threads(3)  # whatever an earlier run left behind
        TrainingSession(config).advance(2)
        return int(torch.get_num_threads())

    assert in_new_thread(build) == expected


def test_the_numpy_method_leaves_torch_alone() -> None:
    def build() -> int:
        torch.set_num_threads(3)
        TrainingSession(Config()).advance(2)
        return int(torch.get_num_threads())

    assert in_new_thread(build) == 3


def _steps_per_s(seconds: float) -> float:
    torch.set_num_threads(2)  # torch's own count on a 2-core PC (the suite sets OMP_NUM_THREADS=1)
    session = TrainingSession(CHAPTER_AUTOGRAD.with_changes(**{"training.steps": 10**8}))
    session.advance(50)
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        done += session.advance(64)
    return done / (time.perf_counter() - started)


@pytest.mark.timing
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: OpenMP never splits work here")
def test_a_fit_keeps_its_speed_while_another_thread_keeps_an_openmp_team() -> None:
    """Another thread that has run a split matrix product keeps its OpenMP team; GNU OpenMP then
    wakes threads through the kernel for every split product. The chapter's fit ran ~5x slower
    in a worker thread beside such a team before it ran one thread (measured: 3,500 against
    17,000 steps/s). Side by side in one process: the fit with the team alive and with it gone."""
    team_ready, release = threading.Event(), threading.Event()

    def keep_a_team() -> None:
        torch.set_num_threads(2)
        matrix = torch.ones(400, 400)
        (matrix @ matrix).sum()  # a product MKL splits over two threads
        team_ready.set()
        release.wait()

    keeper = threading.Thread(target=keep_a_team)
    keeper.start()
    try:
        assert team_ready.wait(10)
        beside_a_team = in_new_thread(lambda: _steps_per_s(0.6))
    finally:
        release.set()
        keeper.join()
    alone = in_new_thread(lambda: _steps_per_s(0.6))
    assert isinstance(beside_a_team, float) and isinstance(alone, float)
    assert beside_a_team > 0.6 * alone, (beside_a_team, alone)
