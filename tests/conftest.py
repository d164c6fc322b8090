"""Shared test set-up: Qt must never look for a display (see ../shared/ENV-NOTES.md)."""

import gc
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One torch (OpenMP) thread per process, before anything imports torch: the suite runs in two
# workers on two cores, and a second intra-op thread per worker only spins against the other
# worker (about 15 % more CPU time for the torch tests, no faster). Subprocesses inherit it.
os.environ.setdefault("OMP_NUM_THREADS", "1")

# Tests never read or write the user's real settings, data folder (autosave) or language.
_SANDBOX = tempfile.mkdtemp(prefix="gradlab-tests-")
os.environ["GRADLAB_DATA_DIR"] = os.path.join(_SANDBOX, "data")
os.environ["GRADLAB_LANGUAGE"] = "en"
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")
# nor a lab administrator's system-wide file (Qt reads /etc/xdg/GradLab/GradLab.ini otherwise)
os.environ["XDG_CONFIG_DIRS"] = os.path.join(_SANDBOX, "system")


def pytest_configure(config: object) -> None:
    """Redirect QSettings (INI everywhere) into the sandbox before any window reads it."""
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # the core tests run without Qt installed
        return
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, os.path.join(_SANDBOX, "config")
    )


def pytest_collection_modifyitems(config: object, items: list[pytest.Item]) -> None:
    """Tests marked slow (tens of seconds each) first, in their usual order, then the rest.

    With two workers, a slow test drawn last keeps one core busy while the other has nothing
    left to take; drawn first, the short tests fill in around it.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # a stable sort


def pytest_runtest_setup(item: object) -> None:
    """Hide everything alive before a test (modules, torch, Qt wrappers) from the collector.

    The UI tests collect a closed window's objects in the GUI thread at teardown; a full
    collection over torch's and Qt's objects takes 0.3-1.8 s here, and only what the test
    itself made can be garbage.
    """
    gc.freeze()


@pytest.fixture(autouse=True)
def _english_after_each_test() -> object:
    """An in-process `gradlab ... --language zh` sets GRADLAB_LANGUAGE for the window it may
    open (as it must); the next test in this worker, and the subprocesses it starts, must not
    inherit it (a CLI test then read Chinese where it expected English)."""
    yield
    os.environ["GRADLAB_LANGUAGE"] = "en"
    from gradlab.text import cli as words  # no Qt: the core tests run without it

    words.set_language("en")


def pytest_unconfigure(config: object) -> None:
    shutil.rmtree(_SANDBOX, ignore_errors=True)
