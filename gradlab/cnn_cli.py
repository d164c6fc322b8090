"""`gradlab cnn`: the chapter's CNN pipeline from the command line.

The lead wires it into gradlab/cli.py with add_parser(subparsers) and run(args). torch is
imported only when the command runs, so the GUI's start-up does not pay for it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Any, NoReturn

from gradlab.core.cnn.config import DATASETS, LOSS_CHOICES, OPTIMIZERS, default_config
from gradlab.core.cnn.errors import DatasetError
from gradlab.core.config import ConfigError
from gradlab.text import cli as words

PROG = "gradlab cnn"
EXIT_BAD_INPUT = 2
EXIT_DIVERGED = 1

# config field -> command-line option, so errors name what the user typed
OPTIONS = {
    "dataset": "--dataset",
    "data_dir": "--data-dir",
    "n_images": "--images",
    "val_fraction": "--val-fraction",
    "batch_size": "--batch-size",
    "epochs": "--epochs",
    "optimizer": "--optimizer",
    "lr": "--lr",
    "momentum": "--momentum",
    "weight_decay": "--weight-decay",
    "loss": "--loss",
    "relu": "--relu",
    "seed": "--seed",
    "threads": "--threads",
}


def _one_line_error(message: str) -> NoReturn:
    """argparse's error without the usage block: one clear line, exit status 2."""
    _bad_input(words.argparse_text(message))
    raise SystemExit(EXIT_BAD_INPUT)


def add_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add the `cnn` command to an argparse subparsers object and return its parser."""
    p = subparsers.add_parser(
        "cnn",
        help="train the chapter's CNN without the window",
        description="Run the chapter's whole pipeline: data, model, loss, optimizer, train, "
        "validate, results. Unset options take the dataset's recommended values "
        "(the demo: the chapter's RMSprop, lr 1e-4, mse, 100 epochs).",
    )
    p.add_argument("--dataset", choices=DATASETS, default="shapes")
    p.add_argument("--data-dir", metavar="DIR", help="CIFAR-10 python-version folder")
    p.add_argument("--epochs", type=int, metavar="N")
    p.add_argument("--batch-size", type=int, metavar="B")
    p.add_argument("--optimizer", choices=OPTIMIZERS)
    p.add_argument("--lr", type=float, metavar="LR", help="learning rate")
    p.add_argument("--momentum", type=float, metavar="M", help="sgd and rmsprop")
    p.add_argument("--weight-decay", type=float, metavar="W")
    p.add_argument("--loss", choices=LOSS_CHOICES)
    p.add_argument(
        "--relu",
        action="store_true",
        default=None,
        help="a ReLU after each convolution and the first Linear (not the chapter's)",
    )
    p.add_argument("--images", type=int, metavar="N", help="shapes: how many images")
    p.add_argument("--val-fraction", type=float, metavar="F")
    p.add_argument("--seed", type=int, metavar="S")
    p.add_argument("--threads", type=int, metavar="T", help="torch threads")
    p.add_argument("--load-weights", metavar="FILE", help="start from saved weights")
    p.add_argument("--save-weights", metavar="FILE", help="save the trained weights")
    p.add_argument("--export-script", metavar="FILE", help="write a standalone training script")
    p.add_argument("--json", action="store_true", help="print one JSON object at the end")
    words.add_language_option(p)
    p.error = _one_line_error  # type: ignore[method-assign]
    return p


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    names = {"data_dir": "data_dir", "n_images": "images"}
    values = {field: getattr(args, names.get(field, field), None) for field in OPTIONS}
    values.pop("dataset")
    return {k: v for k, v in values.items() if v is not None}


def _bad_input(message: str) -> int:
    line = words.say("{prog}: error: {message}", prog=PROG, message=message)
    print(" ".join(line.split()), file=sys.stderr)
    return EXIT_BAD_INPUT


def _number(value: float) -> float | None:
    """JSON has no NaN: missing numbers become null."""
    return None if math.isnan(value) else value


def _file_name_problem(args: argparse.Namespace) -> str | None:
    """Empty names and outputs that cannot be written, found before any training."""
    from gradlab.core.atomic import input_problem, output_problem

    for flag in ("data_dir", "load_weights"):
        name = getattr(args, flag, None)
        if name is not None and not name.strip():
            option = f"--{flag.replace('_', '-')}"
            return words.say("{flag}: {problem}", flag=option, problem=words.say("empty file name"))
    if args.load_weights is not None:
        problem = input_problem(args.load_weights)
        if problem:
            return f"--load-weights: {args.load_weights!r}: {words.problem_text(problem)}"
    for flag in ("save_weights", "export_script"):
        name = getattr(args, flag)
        if name is not None:
            problem = output_problem(name)
            if problem:
                option, problem = f"--{flag.replace('_', '-')}", words.problem_text(problem)
                if not name.strip():
                    return words.say("{flag}: {problem}", flag=option, problem=problem)
                return words.say(
                    "{option}: cannot write {name}: {problem}",
                    option=option,
                    name=repr(name),
                    problem=problem,
                )
    return None


def run(args: argparse.Namespace) -> int:
    """Run `gradlab cnn`; returns the exit status (2 for bad input, 1 if training diverged)."""
    started = time.perf_counter()
    problem = _file_name_problem(args)
    if problem:
        return _bad_input(problem)
    try:
        config = default_config(args.dataset, **_changes(args))
    except ConfigError as exc:
        option = OPTIONS.get(exc.field, exc.field)
        return _bad_input(f"{option}: {words.error_text(exc)}")
    if config.dataset == "cifar10":  # a missing or incomplete folder is said before torch loads
        from gradlab.core.cnn.cifar import find_cifar_folder

        try:
            find_cifar_folder(config.data_dir)
        except DatasetError as exc:
            return _bad_input(words.error_text(exc))
    from gradlab.core.cnn.model import summary
    from gradlab.core.cnn.session import CnnSession

    prepare_start = time.perf_counter()
    try:
        session = CnnSession(config)
        if args.load_weights is not None:
            session.load_weights(args.load_weights)
        session.prepare()
    except DatasetError as exc:
        return _bad_input(words.error_text(exc))
    data, model = session.data, session.model
    assert data is not None and model is not None
    prepared = time.perf_counter()
    say = (lambda text: None) if args.json else print
    params = summary(model, (data.in_channels, data.image_size, data.image_size)).total_parameters
    relu = " with ReLU" if config.relu else ""
    say(
        f"{PROG}: {config.dataset}: {data.n_train} training and {data.n_val} validation "
        f"images ({prepared - prepare_start:.1f} s); the chapter's CNN{relu}, "
        f"{params:,} parameters; {config.optimizer} lr {config.lr:g}, "
        f"{config.loss_function} loss, batch {config.batch_size}, {config.threads} thread(s)"
    )
    try:
        while not session.done:
            session.advance(8)
            _print_epochs(say, session.drain(), config.epochs)
    except KeyboardInterrupt:
        print(words.say("{prog}: interrupted", prog=PROG), file=sys.stderr)
        return 130
    if session.status == "failed":
        return _bad_input(session.error or "the data could not be used")

    written = []
    try:
        if args.save_weights is not None:
            session.save_weights(args.save_weights)
            written.append(f"weights saved to {args.save_weights}")
        if args.export_script is not None:
            from gradlab.text.comments import Comments

            session.export_script(args.export_script, Comments(words.language()))
            written.append(f"script written to {args.export_script}")
    except (DatasetError, OSError) as exc:
        return _bad_input(words.error_text(exc))

    report = _report(session, params, time.perf_counter() - started, prepared - prepare_start)
    if args.json:
        print(json.dumps(report))
    else:
        last = report["val_accuracy"][-1] if report["val_accuracy"] else None
        result = (
            f"validation accuracy {last:.1%}"
            if last is not None
            else (f"final loss {report['train_loss'][-1]:.4f}")
        )
        print(
            f"{PROG}: {session.status} in {report['elapsed_s']:.1f} s, "
            f"{report['images_per_s']:.0f} images/s: {result}"
        )
        for line in written:
            print(f"{PROG}: {line}")
    return EXIT_DIVERGED if session.status == "diverged" else 0


def _print_epochs(say: Any, batch: Any, epochs: int) -> None:
    for i, epoch in enumerate(batch.epochs):
        line = f"epoch {epoch}/{epochs}: train loss {batch.epoch_train_loss[i]:.6f}"
        if not math.isnan(batch.epoch_train_accuracy[i]):
            line += f", accuracy {batch.epoch_train_accuracy[i]:.1%}"
        if not math.isnan(batch.val_accuracy[i]):  # NaN accuracy: no validation set
            line += (
                f" | validation loss {batch.val_loss[i]:.6f}, accuracy {batch.val_accuracy[i]:.1%}"
            )
        say(line + f" | {batch.images_per_s:.0f} images/s")
    if batch.status == "diverged":
        say(
            f"{PROG}: the loss diverged at batch {batch.step_count + 1}: "
            "try a smaller learning rate"
        )


def _report(
    session: Any, parameters: int, elapsed: float, prepare_seconds: float
) -> dict[str, Any]:
    """The --json object."""
    h = session.history()
    report: dict[str, Any] = {
        "dataset": session.config.dataset,
        "status": session.status,
        "epochs": len(h.epochs),
        "train_loss": [float(v) for v in h.epoch_train_loss],
        "train_accuracy": [_number(float(v)) for v in h.epoch_train_accuracy],
        "val_loss": [_number(float(v)) for v in h.val_loss],
        "val_accuracy": [_number(float(v)) for v in h.val_accuracy],
        "batches": int(session.step_count),
        "images_per_s": session.images_trained / session.train_seconds
        if session.train_seconds
        else None,
        "train_s": session.train_seconds,
        "prepare_s": prepare_seconds,  # loading the data and building the model
        "elapsed_s": elapsed,
        "parameters": parameters,
        "config": session.config.to_dict(),
    }
    if session.config.dataset == "demo":
        report["batch_loss"] = [float(v) for v in h.loss]  # the chapter prints each period's
    elif session.data.n_val:
        results = session.results()
        report["per_class_accuracy"] = {
            name: _number(float(a))
            for name, a in zip(results.class_names, results.per_class_accuracy, strict=True)
        }
        report["confusion_matrix"] = results.confusion.tolist()
    return report
