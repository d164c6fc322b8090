"""Command line entry points (placeholder until the CLI lands)."""

import sys


def main(argv: list[str] | None = None) -> int:
    return 0


def main_gui() -> int:
    return main([])


if __name__ == "__main__":
    sys.exit(main())
