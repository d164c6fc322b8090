"""Steps per second of the training core against bare loops written the chapter's way.

Run: ``.venv/bin/python tests/benchmarks/bench_core.py`` (``make bench``). For each method the
core (through ``TrainingSession.advance``, recording loss, coefficients and gradient norm every
step) and the chapter's loop as printed, minus its print() calls, run in alternating rounds of
~0.3 s of CPU time in the same process; each side's best round counts (the median of the
rounds' paired ratios is printed beside it). Rates are steps per second of this process's CPU
time (time.process_time), not of the wall clock: the machine is shared, and other processes
then slow neither side down. ``--paced`` calls ``advance`` as the GUI worker does (its Pacer
sizes each call to ~3 ms of wall time: a few network steps, fewer on a busy machine).

Goals: numpy-manual >= 50x its loop for squared losses, >= 10x for L1/Huber; the torch methods
>= 1.0x theirs; for the small network (16 tanh units, full batch; loops in bench_mlp.py)
every method >= 1.0x its loop. Last, the chapter's 200,000-epoch NumPy run through the core,
against the chapter's loop timed for 20,000 epochs and scaled by 10.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
from bench_mlp import (
    MLP,
    MLP_OPTIM,
    autograd_mlp_loop,
    function_mlp_loop,
    numpy_mlp_loop,
    optim_mlp_loop,
)

from gradlab.core.config import Config, ConfigError
from gradlab.core.session import TrainingSession
from gradlab.model.pacing import Pacer

ROUND_SECONDS = 0.3
ROUNDS = 6
CHAPTER = Config()
Rate = Callable[[float], float]  # seconds to run -> steps per second
# torch's threads for the chapter's loops: --threads, else the count the core picks for these
# sizes (gradlab/core/torch_threads.py), so that a ratio compares code, not thread counts. Set
# before every round: the core's own setting would otherwise stay on this thread.
loop_threads = 0


def core_rate(config: Config, chunk: int, paced: bool = False) -> Rate:
    """TrainingSession.advance(chunk) repeated, as the GUI worker calls it; with --paced the
    worker's own chunk sizes (its Pacer grows or shrinks each call towards ~3 ms of work, a few
    steps of the network), else ``chunk`` steps per call."""

    def run(seconds: float) -> float:
        session = TrainingSession(config.with_changes(**{"training.steps": 10**8}))
        session.advance(chunk)  # warm-up: first block, first torch call
        pacer = Pacer() if paced else None
        steps, start = 0, time.process_time()
        while time.process_time() - start < seconds:
            if pacer is None:
                steps += session.advance(chunk)
            else:
                steps += pacer.advance(session, pacer.chunk)
        return steps / (time.process_time() - start)

    return run


def loop_rate(loop: Callable[[int], None], batch: int) -> Rate:
    def run(seconds: float) -> float:
        import torch

        torch.set_num_threads(loop_threads)
        loop(1)
        steps, start = 0, time.process_time()
        while time.process_time() - start < seconds:
            loop(batch)
            steps += batch
        return steps / (time.process_time() - start)

    return run


def chapter_numpy_loop(kind: str = "squared") -> Callable[[int], None]:
    """Listing 1 (x**2, x**3 recomputed every epoch), with the loss kind written out."""
    x = np.linspace(-np.pi, np.pi, 2000)
    y = np.sin(x)
    a, b, c, d = np.random.default_rng(0).random(4)
    learning_rate = 1e-6

    def loop(epochs: int) -> None:
        nonlocal a, b, c, d
        for _ in range(epochs):
            y_pred = a + b * x + c * x**2 + d * x**3
            if kind == "squared":
                loss = np.square(y_pred - y).sum()
                grad_y_pred = 2 * (y_pred - y)
            elif kind == "l1":
                loss = np.abs(y_pred - y).sum()
                grad_y_pred = np.sign(y_pred - y)
            else:
                r = y_pred - y
                loss = np.where(np.abs(r) < 1.0, 0.5 * r * r, np.abs(r) - 0.5).sum()
                grad_y_pred = np.clip(r, -1.0, 1.0)
            grad_a = grad_y_pred.sum()
            grad_b = (grad_y_pred * x**1).sum()
            grad_c = (grad_y_pred * x**2).sum()
            grad_d = (grad_y_pred * x**3).sum()
            a -= learning_rate * grad_a
            b -= learning_rate * grad_b
            c -= learning_rate * grad_c
            d -= learning_rate * grad_d
            del loss  # the chapter prints it every 20 epochs

    return loop


def chapter_autograd_loop(dtype_name: str) -> Callable[[int], None]:
    """Listing 2: scalar tensors with requires_grad, loss.backward(), update under no_grad."""
    import torch

    dtype = getattr(torch, dtype_name)
    x = torch.linspace(-torch.pi, torch.pi, 2000, dtype=dtype)
    y = torch.sin(x)
    a, b, c, d = (torch.rand((), dtype=dtype, requires_grad=True) for _ in range(4))
    learning_rate = 1e-6

    def loop(epochs: int) -> None:
        for _ in range(epochs):
            y_pred = a + b * x + c * x**2 + d * x**3
            loss = torch.square(y_pred - y).sum()
            loss.backward()
            with torch.no_grad():
                # the chapter's lines: backward() has set .grad (typed Optional)
                a.sub_(learning_rate * a.grad)  # type: ignore[operator]  # a -= lr * a.grad
                b.sub_(learning_rate * b.grad)  # type: ignore[operator]
                c.sub_(learning_rate * c.grad)  # type: ignore[operator]
                d.sub_(learning_rate * d.grad)  # type: ignore[operator]
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None

    return loop


def chapter_optim_loop(dtype_name: str) -> Callable[[int], None]:
    """Listing 3 as printed (its Liner wrapper module and the layer look-ups in the loop):
    Sequential(Linear(3, 1), Flatten(0, 1)), MSELoss(), RMSprop(lr=1e-4)."""
    import torch
    from torch import nn

    dtype = getattr(torch, dtype_name)

    class Liner(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = nn.Sequential(nn.Linear(3, 1, dtype=dtype), nn.Flatten(0, 1))

        def forward(self, data: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = self.model(data)
            return out

    x = torch.linspace(-torch.pi, torch.pi, 2000, dtype=dtype)
    y = torch.sin(x)
    mynn = Liner()
    p = torch.tensor([1, 2, 3])
    inputs = x.unsqueeze(-1).pow(p)
    optimiser = torch.optim.RMSprop(params=mynn.model.parameters(), lr=1e-4)
    loss_fn = torch.nn.MSELoss()

    def loop(epochs: int) -> None:
        for _ in range(epochs):
            y_pre = mynn(inputs)
            loss = loss_fn(y_pre, y)
            layer_liner = mynn.model[0]
            layer_flatten = mynn.model[1]
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            del layer_liner, layer_flatten

    return loop


def side_by_side(core: Rate, bare: Rate, rounds: int = ROUNDS) -> tuple[float, float, float]:
    """Each side's best round, and the median of the rounds' ratios (each round's core rate over
    the bare loop's in the round run right after it: less swayed by one lucky round)."""
    core_rates, bare_rates = [], []
    for _ in range(rounds):
        core_rates.append(core(ROUND_SECONDS))
        bare_rates.append(bare(ROUND_SECONDS))
    ratios = [c / b for c, b in zip(core_rates, bare_rates, strict=True)]
    return max(core_rates), max(bare_rates), statistics.median(ratios)


def cases(paced: bool = False) -> list[tuple[str, Rate, Rate, float]]:
    result: list[tuple[str, Rate, Rate, float]] = []
    for kind, chunk, goal in (("squared", 8192, 50.0), ("l1", 512, 10.0), ("huber", 512, 10.0)):
        config = CHAPTER.with_changes(**{"training.loss": kind})
        result.append(
            (
                f"numpy-manual {kind}/sum",
                core_rate(config, chunk, paced),
                loop_rate(chapter_numpy_loop(kind), 100),
                goal,
            )
        )
    for dtype in ("float32", "float64"):
        autograd = CHAPTER.with_changes(
            **{"training.method": "torch-autograd", "model.dtype": dtype}
        )
        optim = CHAPTER.with_changes(
            **{
                "training.method": "torch-optim",
                "training.lr": 1e-4,
                "training.reduction": "mean",
                "optimizer.name": "rmsprop",
                "model.dtype": dtype,
            }
        )
        result.append(
            (
                f"torch-autograd {dtype}",
                core_rate(autograd, 64, paced),
                loop_rate(chapter_autograd_loop(dtype), 20),
                1.0,
            )
        )
        result.append(
            (
                f"torch-optim rmsprop {dtype}",
                core_rate(optim, 64, paced),
                loop_rate(chapter_optim_loop(dtype), 20),
                1.0,
            )
        )
    numpy_mlp = core_rate(MLP, 64, paced)
    result.append(("mlp numpy-manual", numpy_mlp, loop_rate(numpy_mlp_loop(), 20), 1.0))
    for dtype in ("float32", "float64"):
        autograd = MLP.with_changes(**{"training.method": "torch-autograd", "model.dtype": dtype})
        optim = MLP_OPTIM.with_changes(**{"model.dtype": dtype})
        result.append(
            (
                f"mlp torch-autograd {dtype}",
                core_rate(autograd, 64, paced),
                loop_rate(autograd_mlp_loop(dtype), 20),
                1.0,
            )
        )
        result.append(
            (
                f"mlp torch-optim adam {dtype}",
                core_rate(optim, 64, paced),
                loop_rate(optim_mlp_loop(dtype), 20),
                1.0,
            )
        )
        try:
            function = MLP.with_changes(
                **{"training.method": "torch-function", "model.dtype": dtype}
            )
        except ConfigError:  # an older GradLab, measured for comparison: no such method
            continue
        result.append(
            (
                f"mlp torch-function {dtype}",
                core_rate(function, 64, paced),
                loop_rate(function_mlp_loop(dtype), 20),
                1.0,
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", default="", help="run only the cases whose name contains this (e.g. mlp)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="torch's intra-op threads for the chapter's loops (default: what the core picks "
        "for these sizes, gradlab/core/torch_threads.py; the core always picks its own)",
    )
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, help=f"rounds per side and case ({ROUNDS})"
    )
    parser.add_argument(
        "--paced",
        action="store_true",
        help="size each advance() of the core as the GUI worker does (~3 ms of work per call)",
    )
    args = parser.parse_args()
    from gradlab.core.torch_threads import LARGE_FIT_THREADS, SPLIT_ABOVE, threads_for

    global loop_threads  # the largest case: the network's 2,000 points × its hidden units
    loop_threads = args.threads or threads_for(CHAPTER.data.points * MLP.model.hidden)
    chunks = "as the GUI worker paces them" if args.paced else "fixed"
    print(
        f"torch intra-op threads of the chapter's loops: {loop_threads}; the core's: 1 below "
        f"{SPLIT_ABOVE:,} numbers per tensor, else {LARGE_FIT_THREADS}; "
        f"advance() chunks: {chunks}; load average: {os.getloadavg()}"
    )
    print(
        f"{'case':28} {'core steps/s':>13} {'chapter loop':>13} {'ratio':>9} {'goal':>6}"
        f"  {'verdict':10} {'paired median':>13}"
    )
    for name, core, bare, goal in cases(args.paced):
        if args.only not in name:
            continue
        core_speed, bare_speed, paired = side_by_side(core, bare, args.rounds)
        ratio = core_speed / bare_speed
        verdict = "ok" if ratio >= goal else "BELOW GOAL"
        print(
            f"{name:28} {core_speed:13,.0f} {bare_speed:13,.0f} {ratio:8.2f}x "
            f"{goal:5.1f}x  {verdict:10} {paired:12.2f}x"
        )

    print(f"load average: {os.getloadavg()}")
    if args.only:
        return
    session = TrainingSession(CHAPTER)
    start = time.perf_counter(), time.process_time()
    session.advance(200_000)
    core_wall, core_cpu = time.perf_counter() - start[0], time.process_time() - start[1]
    epochs = 20_000
    loop = chapter_numpy_loop("squared")
    start = time.perf_counter(), time.process_time()
    loop(epochs)
    loop_wall = (time.perf_counter() - start[0]) * 200_000 / epochs
    loop_cpu = (time.process_time() - start[1]) * 200_000 / epochs
    optimum = session.analysis.optimum_loss
    print(
        f"\nchapter's 200,000-epoch NumPy run (squared/sum, lr 1e-6, history recorded):\n"
        f"  core           {core_wall:7.3f} s wall, {core_cpu:7.3f} s CPU; final loss "
        f"{session.current_loss():.9f} (optimum {optimum:.9f})\n"
        f"  chapter's loop {loop_wall:7.1f} s wall, {loop_cpu:7.1f} s CPU "
        f"(timed for {epochs:,} epochs and scaled by 10): "
        f"{loop_cpu / core_cpu:,.0f}x the core's CPU time"
    )


if __name__ == "__main__":
    main()
