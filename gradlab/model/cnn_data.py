"""Whether a CIFAR-10 folder can be used, as data (a problem and its values), not prose: the UI
words it in the interface language. The same checks as the core's ``find_cifar_folder``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum

from gradlab.core.cnn.cifar import CIFAR_FILES, CIFAR_SUBFOLDER

__all__ = ["FolderProblem", "FolderTrouble", "cifar_folder_problem"]


class FolderTrouble(str, Enum):
    NOT_A_FOLDER = "not_a_folder"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class FolderProblem:
    trouble: FolderTrouble
    folder: str
    missing: tuple[str, ...] = ()
    binary_version: bool = False  # the folder holds the binary CIFAR-10, not the python one


def cifar_folder_problem(folder: str) -> FolderProblem | None:
    """What is wrong with ``folder`` as the CIFAR-10 python version, or None if it looks right
    (it, or its cifar-10-batches-py subfolder, holds every batch file)."""
    if not os.path.isdir(folder):
        return FolderProblem(FolderTrouble.NOT_A_FOLDER, folder)
    inner = os.path.join(folder, CIFAR_SUBFOLDER)
    if os.path.isdir(inner) and not os.path.exists(os.path.join(folder, "batches.meta")):
        folder = inner
    missing = tuple(n for n in CIFAR_FILES if not os.path.isfile(os.path.join(folder, n)))
    if not missing:
        return None
    try:
        binary = any(n.endswith(".bin") for n in os.listdir(folder))
    except OSError:
        binary = False
    return FolderProblem(FolderTrouble.INCOMPLETE, folder, missing, binary)
