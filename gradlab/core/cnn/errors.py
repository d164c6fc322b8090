"""The CNN lab's own error type for data it cannot use (no torch import)."""


class DatasetError(ValueError):
    """A dataset folder, data file or weights file cannot be used; the message says why."""


class WeightsError(DatasetError):
    """A weights file cannot be saved, read, or does not fit the model."""
