"""CNN training speed: CnnSession.advance versus a bare torch loop, side by side.

    .venv/bin/python tests/benchmarks/bench_cnn.py [--rounds 2] [--threads N] [--accuracy]
    .venv/bin/python tests/benchmarks/bench_cnn.py --gui   # through the app's worker and the lab

Each round trains one epoch of 8,000 shapes images (10,000 with 20 % held out) at batch 64
through a bare torch loop and through CnnSession.advance(1) (how the worker calls it), with
the same seeded model, data, optimizer and thread count, alternating batch by batch so a
shared machine's load hits both alike. Validation is left out of the timings.
The GUI worker's part: time an epoch through the worker with measure_images_per_s(run_epoch)
and compare with a bare epoch measured in the same run (bare_batch_runner).
--accuracy also trains 3 epochs with and without ReLU and prints validation accuracy.
--gui trains one epoch each through a bare loop, the app's TrainingController and the whole
CNN lab tab (offscreen, events processed, plots drawn), and a 10 ms GUI timer's lateness.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from gradlab.core.cnn.config import CnnConfig, default_config
from gradlab.core.cnn.datasets import CnnData, images_as_float
from gradlab.core.cnn.model import build_seeded_cnn
from gradlab.core.cnn.session import CnnSession
from gradlab.core.cnn.shapes import generate_shapes

EpochRunner = Callable[[], int]  # trains one epoch, returns how many images it trained
BatchRunner = Callable[[], int]  # trains one batch, returns how many images it trained


def measure_images_per_s(run_epoch: EpochRunner) -> tuple[float, float]:
    """(images per second, seconds) of one call of run_epoch (e.g. an epoch through the
    GUI worker), to compare with the bare loop's rate measured in the same run."""
    start = time.perf_counter()
    images = run_epoch()
    seconds = time.perf_counter() - start
    return images / seconds, seconds


def interleaved_images_per_s(runners: dict[str, BatchRunner], batches: int) -> dict[str, float]:
    """Images/s of each runner, running them one batch in turn: a shared machine's changing
    load then slows all of them alike, so their ratio stays meaningful."""
    seconds = dict.fromkeys(runners, 0.0)
    images = dict.fromkeys(runners, 0)
    for _ in range(batches):
        for name, run_batch in runners.items():
            start = time.perf_counter()
            images[name] += run_batch()
            seconds[name] += time.perf_counter() - start
    return {name: images[name] / seconds[name] for name in runners}


def bare_batch_runner(config: CnnConfig, data: CnnData) -> BatchRunner:
    """The textbook loop: permutation, batch, forward, loss, zero_grad, backward, step."""
    model = build_seeded_cnn(data.in_channels, data.image_size, config.relu, config.seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, betas=config.betas)
    loss_fn = torch.nn.CrossEntropyLoss()
    state: dict[str, Any] = {
        "epoch": 0,
        "start": data.n_train,
        "order": torch.zeros(0, dtype=torch.int64),
    }

    def run() -> int:
        if state["start"] >= data.n_train:  # a new epoch: a new seeded order
            rng = np.random.default_rng([config.seed, 1, state["epoch"]])
            state.update(
                epoch=state["epoch"] + 1,
                start=0,
                order=torch.from_numpy(rng.permutation(data.n_train)),
            )
        index = state["order"][state["start"] : state["start"] + config.batch_size]
        state["start"] += config.batch_size
        model.train()
        x = images_as_float(data.train_images[index])
        loss = loss_fn(model(x), data.train_targets[index])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        loss.item()  # the app reads every batch's loss too
        return len(index)

    return run


def session_batch_runner(session: CnnSession) -> BatchRunner:
    """One training batch through advance(1), as the worker calls it. The validation pass
    at an epoch's end runs untimed, before the next batch (the bare loop has none)."""

    def run() -> int:
        images = session.images_trained
        session.advance(1)
        return session.images_trained - images

    return run


def _skip_validation(session: CnnSession) -> None:
    while session.stage == "validate":
        session.advance(1)


def _warm_up(config: CnnConfig, data: CnnData) -> None:
    """First calls build oneDNN kernels and import torch._dynamo: keep them out of timings."""
    model = build_seeded_cnn(data.in_channels, data.image_size, config.relu, config.seed)
    optimizer = torch.optim.Adam(model.parameters())
    for _ in range(3):
        x = images_as_float(data.train_images[: config.batch_size])
        loss = torch.nn.functional.cross_entropy(model(x), data.train_targets[: config.batch_size])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def speed(rounds: int, threads: int) -> None:
    start = time.perf_counter()
    generate_shapes(10_000, seed=0)
    print(f"generate 10,000 shapes: {time.perf_counter() - start:.3f} s")
    config = default_config("shapes", n_images=10_000, epochs=rounds, threads=threads)
    session = CnnSession(config)  # sets torch's thread count
    session.prepare()
    data = session.data
    assert data is not None
    print(
        f"{data.n_train} training images, batch {config.batch_size}, {threads} thread(s), "
        f"torch {torch.__version__}; one epoch per round, the two loops alternating batches"
    )
    _warm_up(config, data)
    bare, app = bare_batch_runner(config, data), session_batch_runner(session)
    ratios = []
    for r in range(rounds):
        rates = interleaved_images_per_s({"bare": bare, "app": app}, session.batches_per_epoch)
        _skip_validation(session)
        ratios.append(rates["app"] / rates["bare"])
        print(
            f"round {r + 1}: bare torch loop {rates['bare']:6.0f} images/s "
            f"({data.n_train / rates['bare']:.2f} s/epoch) | CnnSession.advance(1) "
            f"{rates['app']:6.0f} images/s ({data.n_train / rates['app']:.2f} s/epoch) | "
            f"ratio {ratios[-1]:.3f}"
        )
    print(f"session / bare: median ratio {statistics.median(ratios):.3f}  (goal >= 0.9)")


def accuracy(threads: int) -> None:
    for relu in (True, False):
        config = default_config("shapes", epochs=3, relu=relu, threads=threads)
        start = time.perf_counter()
        session = CnnSession(config)
        while not session.done:
            session.advance(50)
        h = session.history()
        print(
            f"relu={relu!s:5}: validation accuracy per epoch "
            f"{', '.join(f'{a:.1%}' for a in h.val_accuracy)} "
            f"(train loss {', '.join(f'{v:.3f}' for v in h.epoch_train_loss)}; "
            f"{time.perf_counter() - start:.1f} s)"
        )


# ---- through the GUI: the app's worker thread, with a Qt event loop running ----------------


class TimedSession(CnnSession):
    """Notes the wall-clock time of its first and last training batch of epoch 1 (in the
    worker thread), so the timing covers the worker's own overhead between batches."""

    def __init__(self, config: CnnConfig) -> None:
        super().__init__(config)
        self.train_start: float | None = None
        self.train_end: float | None = None

    def advance(self, n: int) -> int:
        if self.train_start is None and self.stage == "train":
            self.train_start = time.perf_counter()
        done = super().advance(n)
        if self.train_end is None and self.step_count >= self.batches_per_epoch:
            self.train_end = time.perf_counter()
        return done


def _run_in_gui(
    start: Callable[[Callable[[], TimedSession]], object], config: CnnConfig
) -> tuple[float, np.ndarray]:
    """Start a prepared TimedSession through ``start(factory)``, process Qt events until its
    first epoch is trained, and return (images/s, timer lateness in ms during training)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    sessions: list[TimedSession] = []

    def factory() -> TimedSession:
        session = TimedSession(config)
        session.prepare()  # data, model, optimizer: not part of the timing
        sessions.append(session)
        return session

    ticks: list[float] = []
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    check = QTimer()

    def quit_when_trained() -> None:
        if sessions and sessions[0].train_end is not None:
            loop.quit()

    check.timeout.connect(quit_when_trained)
    probe.start(10)
    check.start(50)
    start(factory)
    loop.exec()
    probe.stop()
    check.stop()
    session = sessions[0]
    assert session.train_start is not None and session.train_end is not None
    seconds = session.train_end - session.train_start
    during = np.array([t for t in ticks if session.train_start <= t <= session.train_end])
    lateness = np.maximum(np.diff(during) - 0.010, 0.0) * 1000 if len(during) > 1 else [np.nan]
    return session.images_trained / seconds, np.asarray(lateness)


def gui_worker_speed(threads: int) -> None:
    """Images/s of one shapes epoch (8,000 images, batch 64): bare loop, the app's worker
    (TrainingController + CnnSession) and the CNN lab tab, in one run, plus the lateness of a
    10 ms GUI timer while they train (goals: >= 0.9x the bare loop, p95 <= 30 ms)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gradlab.ui.cnn.lab import CnnLabWidget
    from gradlab.ui.controller import TrainingController

    app = QApplication.instance() or QApplication([])
    config = default_config("shapes", n_images=10_000, epochs=1, threads=threads)
    reference = CnnSession(config)  # sets torch's thread count
    reference.prepare()
    data = reference.data
    assert data is not None
    _warm_up(config, data)

    def bare_epoch() -> float:
        run = bare_batch_runner(config, data)
        rate, _seconds = measure_images_per_s(
            lambda: sum(run() for _ in range(reference.batches_per_epoch))
        )
        return rate

    rows: list[tuple[str, float, np.ndarray | None]] = [("bare torch loop", bare_epoch(), None)]
    controller = TrainingController()
    controller.batch_ready.connect(lambda _batch: None)  # batches cross to the GUI thread

    def through_worker(factory: Callable[[], TimedSession]) -> None:
        controller.start(factory)
        controller.resume()

    rows.append(("worker (TrainingController)", *_run_in_gui(through_worker, config)))
    controller.shutdown(3000)
    lab = CnnLabWidget(session_factory=lambda c: None)
    lab.resize(1400, 900)
    lab.show()
    lab.settings.set_config(config, notify=False)

    def through_lab(factory: Callable[[], TimedSession]) -> None:
        lab.controller.session_factory = lambda _config: factory()  # the lab's runs go here
        lab.start()

    rows.append(("CNN lab tab (plots drawn)", *_run_in_gui(through_lab, config)))
    lab.shutdown(3000)
    rows.append(("bare torch loop, again", bare_epoch(), None))
    bare = statistics.mean([rows[0][1], rows[-1][1]])
    print(
        f"one epoch of {data.n_train} shapes images, batch {config.batch_size}, "
        f"{threads} torch thread(s), torch {torch.__version__}, Qt offscreen"
    )
    print(f"{'':28} {'images/s':>9} {'s/epoch':>8} {'× bare':>7} {'timer late p95':>15} {'max':>7}")
    for name, rate, late in rows:
        timer = (
            f"{np.percentile(late, 95):12.1f} ms {np.max(late):5.0f} ms" if late is not None else ""
        )
        print(f"{name:28} {rate:9.0f} {data.n_train / rate:8.2f} {rate / bare:7.3f} {timer}")
    print("goals: worker and lab >= 0.9 × bare (mean of the two bare epochs); timer p95 <= 30 ms")
    app.processEvents()  # deliver what the ended threads left queued


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=CnnConfig().threads)
    parser.add_argument("--accuracy", action="store_true", help="also train 3 epochs ± ReLU")
    parser.add_argument(
        "--gui", action="store_true", help="only the worker/lab versus bare comparison"
    )
    args = parser.parse_args()
    if args.gui:
        gui_worker_speed(args.threads)
        return
    speed(args.rounds, args.threads)
    if args.accuracy:
        accuracy(args.threads)


if __name__ == "__main__":
    main()
