"""What the CNN lab tells the student in its banner, as data the controller emits and the lab
puts into words (in the interface language, at the moment it is shown).

The texts keep CnnLabWidget as their translation context (they were written there first).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import QCoreApplication

from gradlab.core.messages import Message
from gradlab.text.errors import DATASET_MESSAGES, dataset_text
from gradlab.ui.i18n import current_language


class Say(str, Enum):
    NO_MODEL = "no_model"
    PAUSE_FIRST = "pause_first"
    SAVED = "saved"  # path
    LOADED = "loaded"  # path
    EXPORTED = "exported"  # path
    STOPPED = "stopped"
    FINISHED = "finished"  # accuracy (NaN: none)
    DIVERGED = "diverged"  # n, lr
    DATA_FAILED = "data_failed"  # error
    ERROR = "error"  # message, shown as it is (already a one-line explanation)


# how each notice is shown: banner level, and whether it offers "Show results"
_LOOK: dict[Say, tuple[str, bool]] = {
    Say.NO_MODEL: ("info", False),
    Say.PAUSE_FIRST: ("info", False),
    Say.SAVED: ("info", False),
    Say.LOADED: ("info", False),
    Say.EXPORTED: ("info", False),
    Say.STOPPED: ("info", True),
    Say.FINISHED: ("info", True),
    Say.DIVERGED: ("warning", False),
    Say.DATA_FAILED: ("error", False),
    Say.ERROR: ("error", False),
}


@dataclass(frozen=True)
class Notice:
    say: Say
    values: dict[str, object] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return _LOOK[self.say][0]

    @property
    def offers_results(self) -> bool:
        return _LOOK[self.say][1]


def notice_text(notice: Notice) -> str:
    """The notice as a sentence in the interface language."""
    v = notice.values
    say = notice.say
    if say == Say.NO_MODEL:
        return QCoreApplication.translate(
            "CnnLabWidget", "There is no model yet: press Start first."
        )
    if say == Say.PAUSE_FIRST:
        return QCoreApplication.translate("CnnLabWidget", "Pause first, then load weights.")
    if say == Say.SAVED:
        return QCoreApplication.translate("CnnLabWidget", "Weights saved to {path}.").format(
            path=v["path"]
        )
    if say == Say.LOADED:
        return QCoreApplication.translate(
            "CnnLabWidget", "Weights loaded from {path}; the results below use them."
        ).format(path=v["path"])
    if say == Say.EXPORTED:
        return QCoreApplication.translate(
            "CnnLabWidget", "Script written to {path}: run it with python3."
        ).format(path=v["path"])
    if say == Say.STOPPED:
        return QCoreApplication.translate(
            "CnnLabWidget",
            "Training stopped. Results and Save weights use the model as it is now; "
            "Start begins a new run.",
        )
    if say == Say.FINISHED:
        accuracy = v.get("accuracy", math.nan)
        if isinstance(accuracy, float) and math.isfinite(accuracy):
            return QCoreApplication.translate(
                "CnnLabWidget", "Training finished: validation accuracy {a:.1%}."
            ).format(a=accuracy)
        return QCoreApplication.translate("CnnLabWidget", "Training finished.")
    if say == Say.DIVERGED:
        lr = v["lr"]
        assert isinstance(lr, float)
        return QCoreApplication.translate(
            "CnnLabWidget",
            "The loss became infinite or NaN at batch {n}: the learning rate {lr:g} is too "
            "large for this setup. Try {smaller:g}.",
        ).format(n=v["n"], lr=lr, smaller=lr / 10)
    if say == Say.DATA_FAILED:
        return QCoreApplication.translate("CnnLabWidget", "The data could not be used: {e}").format(
            e=_data_problem(v)
        )
    return str(v["message"])


def _data_problem(values: dict[str, object]) -> str:
    """Why the data could not be used: the core's own (English) words, or in Chinese when the
    core said it as a message id gradlab.text.errors knows."""
    message, language = values.get("message"), current_language()
    if language != "en" and isinstance(message, Message) and message.id in DATASET_MESSAGES:
        return dataset_text(message.id, message.values, language)
    return str(values["error"])


def show_results_text() -> str:
    return QCoreApplication.translate("CnnLabWidget", "Show results")


def results_busy_text() -> str:
    return QCoreApplication.translate(
        "CnnLabWidget", "Pause or let training finish to see the results."
    )


def results_computing_text() -> str:
    return QCoreApplication.translate("CnnLabWidget", "Computing the results…")
