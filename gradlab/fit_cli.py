"""`gradlab fit`: train the polynomial headless, as the chapter's listings do, but fast."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from typing import Any, TextIO

import numpy as np

from gradlab.core.config import (
    ACTIVATIONS,
    BASES,
    DTYPES,
    LOSSES,
    METHODS,
    MODEL_KINDS,
    OPTIMIZERS,
    REDUCTIONS,
    Config,
    ConfigError,
)
from gradlab.fit_report import print_human, summary
from gradlab.text import cli as words

_PROG = "gradlab fit"


class UsageError(ValueError):
    """A command-line value that cannot be turned into a config."""


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Register `fit` on the top-level parser's subcommands."""
    p = commands.add_parser(
        "fit",
        help="train the polynomial (or a small network) headless",
        description="Fit the target (sin(x) by default) with a polynomial (or, with --model mlp, "
        "a small network) by gradient descent. "
        "Defaults are the chapter's listing 1; flags override a --lesson file.",
        epilog="Examples: gradlab fit --steps 20000 | "
        "gradlab fit --method torch-optim --optimizer adam --lr 1e-2 --reduction mean --json | "
        "gradlab fit --target 'exp(-x**2)' --x-range=-2,2 --degree 4 | "
        "gradlab fit --model mlp --hidden 16 --activation tanh --method torch-optim "
        "--optimizer adam --lr 1e-2 --steps 3000 --reduction mean",
    )
    p.add_argument("--lesson", metavar="FILE", help="start from a lesson or config file")
    p.add_argument("--method", choices=METHODS)
    p.add_argument("--optimizer", choices=OPTIMIZERS, help="torch-optim only")
    p.add_argument("--momentum", type=_number("--momentum"))
    p.add_argument("--nesterov", action="store_true", default=None)
    p.add_argument("--weight-decay", type=_number("--weight-decay"))
    p.add_argument("--lr", type=_number("--lr"), help="learning rate, e.g. 1e-6")
    p.add_argument("--steps", type=_integer("--steps"), help="number of steps (epochs)")
    p.add_argument("--loss", choices=LOSSES)
    p.add_argument("--reduction", choices=REDUCTIONS)
    p.add_argument("--model", choices=MODEL_KINDS, help="polynomial (default) or mlp")
    p.add_argument("--hidden", type=_integer("--hidden"), help="mlp: units per hidden layer")
    p.add_argument("--layers", type=_integer("--layers"), help="mlp: hidden layers (1-3)")
    p.add_argument("--activation", choices=ACTIVATIONS, help="mlp: of the hidden units")
    p.add_argument("--degree", type=_integer("--degree"))
    p.add_argument("--basis", choices=BASES)
    p.add_argument("--init", metavar="{random,zeros,V0,V1,...}", help="or comma-separated values")
    p.add_argument("--seed", type=_integer("--seed"))
    p.add_argument("--dtype", choices=DTYPES)
    p.add_argument("--target", metavar="EXPR", help="a named target or an expression in x")
    p.add_argument("--x-range", metavar="LO,HI", help="e.g. --x-range=-pi,pi")
    p.add_argument("--points", type=_integer("--points"))
    p.add_argument("--noise", type=_number("--noise"))
    p.add_argument("--val-fraction", type=_number("--val-fraction"))
    p.add_argument("--batch-size", type=_integer("--batch-size"), help="0 = full batch")
    p.add_argument(
        "--flip-backward-sign",
        action="store_true",
        default=None,
        help="torch-function only: its hand-written backward returns -dloss/db (a lesson's bug)",
    )
    p.add_argument("--csv", metavar="FILE", help="write the per-step history as CSV")
    p.add_argument("--save-lesson", metavar="FILE", help="save the config as a lesson file")
    p.add_argument(
        "--export-script",
        metavar="FILE",
        help="write a standalone Python script that reproduces this run exactly",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object with the results")
    words.add_language_option(p)
    return p


def _number(flag: str) -> Any:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            message = words.say("{flag} needs a number, got {text}", flag=flag, text=repr(text))
            raise argparse.ArgumentTypeError(message) from None
        return value

    return parse


def _integer(flag: str) -> Any:
    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            message = words.say(
                "{flag} needs a whole number, got {text}", flag=flag, text=repr(text)
            )
            raise argparse.ArgumentTypeError(message) from None

    return parse


def _constant(text: str, flag: str) -> float:
    """A number or a constant expression such as `-pi` or `2*pi`."""
    from gradlab.core.expression import ExpressionError, parse_expression

    try:
        value = float(parse_expression(text.strip()).evaluate(np.zeros(1))[0])
    except ExpressionError as exc:
        problem = words.error_text(exc)
        raise UsageError(words.say("{flag}: {problem}", flag=flag, problem=problem)) from None
    if not math.isfinite(value):
        raise UsageError(
            words.say("{flag}: {text} is not a finite number", flag=flag, text=repr(text))
        )
    return value


def _check_file_names(args: argparse.Namespace) -> None:
    """Refuse empty names and outputs that cannot be written, before any training."""
    from gradlab.core.atomic import output_problem

    if args.lesson is not None and not args.lesson.strip():
        raise UsageError(words.say("--lesson: empty file name"))
    for flag in ("csv", "save_lesson", "export_script"):
        name = getattr(args, flag)
        if name is not None:
            problem = output_problem(name)
            if problem:
                option = "--" + flag.replace("_", "-")
                problem = words.problem_text(problem)
                raise UsageError(
                    words.say("{flag}: {problem}", flag=option, problem=problem)
                    if not name.strip()
                    else words.say(
                        "{option}: cannot write {name}: {problem}",
                        option=option,
                        name=repr(name),
                        problem=problem,
                    )
                )


def _config_from_args(args: argparse.Namespace) -> Config:
    if args.lesson:
        from gradlab.core.lesson import load_lesson

        config = load_lesson(args.lesson).config
    else:
        config = Config()
    changes: dict[str, Any] = {}
    simple = {
        "method": "training.method",
        "loss": "training.loss",
        "reduction": "training.reduction",
        "lr": "training.lr",
        "steps": "training.steps",
        "batch_size": "training.batch_size",
        "flip_backward_sign": "training.flip_backward_sign",
        "optimizer": "optimizer.name",
        "momentum": "optimizer.momentum",
        "nesterov": "optimizer.nesterov",
        "weight_decay": "optimizer.weight_decay",
        "degree": "model.degree",
        "model": "model.kind",
        "hidden": "model.hidden",
        "layers": "model.layers",
        "activation": "model.activation",
        "basis": "model.basis",
        "dtype": "model.dtype",
        "seed": "seed",
        "target": "data.target",
        "points": "data.points",
        "noise": "data.noise",
        "val_fraction": "data.val_fraction",
    }
    for attr, path in simple.items():
        value = getattr(args, attr)
        if value is not None:
            changes[path] = value
    if args.x_range is not None:
        parts = args.x_range.split(",")
        if len(parts) != 2:
            raise UsageError(
                words.say(
                    "--x-range needs LO,HI such as -pi,pi, got {text}", text=repr(args.x_range)
                )
            )
        changes["data.x_min"] = _constant(parts[0], "--x-range")
        changes["data.x_max"] = _constant(parts[1], "--x-range")
    if args.init is not None:
        if args.init in ("random", "zeros"):
            changes["model.init"] = args.init
        else:
            values = tuple(_constant(v, "--init") for v in args.init.split(","))
            changes["model.init"] = "values"
            changes["model.init_values"] = values
    return config.with_changes(**changes)


def run(args: argparse.Namespace) -> int:
    """Run `gradlab fit`; bad input is one line on stderr and exit status 2."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        # overflow is expected in a diverging run and reported as such, never as a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from gradlab.core.expression import ExpressionError
    from gradlab.core.lesson_fields import LessonError

    try:
        _check_file_names(args)
        config = _config_from_args(args)
        from gradlab.core.session import TrainingSession

        session = TrainingSession(config)
    except (ConfigError, ExpressionError, LessonError, UsageError, OSError) as exc:
        return _error(words.error_text(exc))
    if args.save_lesson:
        try:
            _save_lesson(args.save_lesson, config)
        except (OSError, LessonError) as exc:
            reason = words.error_text(exc)
            return _error(
                words.say("cannot save {path}: {reason}", path=args.save_lesson, reason=reason)
            )
    if args.export_script:
        from gradlab.core.export_script import export_script
        from gradlab.core.lesson import atomic_write_text
        from gradlab.text.comments import Comments

        try:
            script = export_script(config, Comments(words.language()))
            atomic_write_text(args.export_script, script)
        except ConfigError as exc:  # e.g. a network method without a script
            return _error(words.error_text(exc))
        except OSError as exc:
            reason = words.reason_text(exc)
            return _error(
                words.say("cannot write {path}: {reason}", path=args.export_script, reason=reason)
            )
    started = time.perf_counter()
    show_progress = not args.json and sys.stderr.isatty()
    _train(session, sys.stderr if show_progress else None)
    elapsed = time.perf_counter() - started
    if args.csv:
        try:
            session.history.to_csv(args.csv, config.coefficient_names)
        except OSError as exc:
            reason = words.reason_text(exc)
            return _error(words.say("cannot write {path}: {reason}", path=args.csv, reason=reason))
    if args.json:
        print(json.dumps(summary(session, elapsed)))
    else:
        print_human(session, elapsed)
    return 0


def _error(message: str) -> int:
    """Bad input: one line on stderr in the user's language; exit status 2."""
    line = words.say("{prog}: error: {message}", prog=_PROG, message=message)
    print(" ".join(line.split()), file=sys.stderr)
    return 2


def _save_lesson(path: str, config: Config) -> None:
    from gradlab.core.lesson import Lesson, save_lesson

    title = {"en": "Saved from gradlab fit", "zh": "由 gradlab fit 保存"}
    save_lesson(path, Lesson(title=title, explanation={"en": "", "zh": ""}, config=config))


def _train(session: Any, progress: TextIO | None) -> None:
    """Advance to the end; draw a progress bar on a terminal, at most ~10 times a second."""
    last_draw = 0.0
    while not session.done:
        session.advance(max(1, min(50_000, session.total_steps // 100)))
        now = time.perf_counter()
        if progress is not None and (now - last_draw > 0.1 or session.done):
            last_draw = now
            frac = session.step_count / session.total_steps
            bar = "#" * int(30 * frac)
            progress.write(f"\r[{bar:<30}] {session.step_count}/{session.total_steps}")
            progress.flush()
    if progress is not None:
        progress.write("\n")
