"""Entry script of the frozen app: the `gradlab` command (no arguments opens the window)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not start another window
    from gradlab.cli import main

    sys.exit(main())
