"""The `gradlab` command: the window by default, `fit` and `cnn` headless, and lab utilities."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import NoReturn

from gradlab import __version__
from gradlab.text import cli as words
from gradlab.text.language import FORCED, chosen_language, normalise_language

# Taken at import, which is as early as the entry point allows; the self-test measures from it.
_PROCESS_T0 = time.perf_counter()


class _Parser(argparse.ArgumentParser):
    """Bad input is one clear line on stderr and exit status 2, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        text = words.say(
            "{prog}: error: {message} (see '{prog} --help')",
            prog=self.prog,
            message=words.argparse_text(message),
        )
        self.exit(2, text + "\n")


def language_option(args: list[str]) -> str | None:
    """The value of ``--language`` anywhere in ``args``, before they are parsed."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--language="):
            return arg.partition("=")[2]
        if arg == "--language" and index + 1 < len(args):
            return args[index + 1]
    return None


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gradlab",
        description="GradLab: watch and drive the training of a model. "
        "With no command, opens the lab window.",
    )
    parser.add_argument("--version", action="version", version=f"gradlab {__version__}")
    words.add_language_option(parser)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this machine: open the window (offscreen if there is no display), "
        "train each method briefly, print a report; exit 0 if all is well",
    )
    parser.add_argument(
        "--install-desktop",
        action="store_true",
        help="add GradLab to this user's application menu and desktop (double-click launch)",
    )
    parser.add_argument(
        "--uninstall-desktop", action="store_true", help="remove what --install-desktop added"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from gradlab import cnn_cli, fit_cli

    for module in (fit_cli, cnn_cli):
        module.add_parser(commands).set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `gradlab` console script and `python -m gradlab`."""
    args_list = sys.argv[1:] if argv is None else argv
    if not args_list:
        return _run_gui([])
    option = language_option(args_list)
    words.set_language(chosen_language(option))
    parser = _build_parser()
    args = parser.parse_args(args_list)
    if option:  # the window and the self-test read it as GRADLAB_LANGUAGE (not remembered)
        os.environ[FORCED] = normalise_language(option)
    if args.self_test:
        from gradlab.app import run_self_test

        return run_self_test(t0=_PROCESS_T0)
    if args.install_desktop or args.uninstall_desktop:
        return _desktop(install=args.install_desktop)
    if args.command is None:
        return _run_gui([])
    try:
        result: int = args.run(args)
    except KeyboardInterrupt:
        print(words.say("{prog}: interrupted", prog=f"gradlab {args.command}"), file=sys.stderr)
        return 130
    return result


def main_gui() -> int:
    """Entry point of the `gradlab-gui` launcher (no console window on Windows)."""
    return _run_gui(sys.argv[1:])


def _run_gui(argv: list[str]) -> int:
    from gradlab.app import run_app

    return run_app([sys.argv[0], *argv])


def _desktop(*, install: bool) -> int:
    from gradlab.desktop import install_desktop, uninstall_desktop

    try:
        paths = install_desktop() if install else uninstall_desktop()
    except OSError as exc:
        print(f"gradlab: error: {exc}", file=sys.stderr)
        return 2
    verb = "installed" if install else "removed"
    for path in paths or []:
        print(f"{verb} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
