"""CNN training speed: CnnSession.advance versus a bare torch loop, side by side.

    .venv/bin/python tests/benchmarks/bench_cnn.py [--rounds 2] [--threads N] [--accuracy]

Each round trains one epoch of 8,000 shapes images (10,000 with 20 % held out) at batch 64
through a bare torch loop and through CnnSession.advance(1) (how the worker calls it), with
the same seeded model, data, optimizer and thread count, alternating batch by batch so a
shared machine's load hits both alike. Validation is left out of the timings.
The GUI worker's part: time an epoch through the worker with measure_images_per_s(run_epoch)
and compare with a bare epoch measured in the same run (bare_batch_runner).
--accuracy also trains 3 epochs with and without ReLU and prints validation accuracy.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

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
    state = {"epoch": 0, "start": data.n_train, "order": torch.zeros(0, dtype=torch.int64)}

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=CnnConfig().threads)
    parser.add_argument("--accuracy", action="store_true", help="also train 3 epochs ± ReLU")
    args = parser.parse_args()
    speed(args.rounds, args.threads)
    if args.accuracy:
        accuracy(args.threads)


if __name__ == "__main__":
    main()
