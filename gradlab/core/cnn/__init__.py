"""The CNN lab's core: the chapter's whole pipeline, headless.

This package file does not import torch, so the GUI can read settings and stage names at
start-up. Import the torch modules (datasets, model, session, export) when they are needed:

    from gradlab.core.cnn.session import CnnSession
"""

from gradlab.core.cnn.config import (
    DATASETS,
    LOSSES,
    OPTIMIZERS,
    STAGE_NAMES_ZH,
    STAGES,
    CnnConfig,
    default_config,
)
from gradlab.core.cnn.errors import DatasetError, WeightsError

__all__ = [
    "DATASETS",
    "LOSSES",
    "OPTIMIZERS",
    "STAGES",
    "STAGE_NAMES_ZH",
    "CnnConfig",
    "DatasetError",
    "WeightsError",
    "default_config",
]
