"""The CNN lab's own error type for data it cannot use (no torch import)."""

from collections.abc import Mapping


class DatasetError(ValueError):
    """A dataset folder, data file or weights file cannot be used; the message says why.

    ``message_id`` and ``values`` say the same as data, for a sentence in another language
    (gradlab.text.errors); "invalid" when the raiser gives none."""

    def __init__(
        self, message: str, message_id: str = "invalid", values: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.message_id, self.values = message_id, dict(values or {})


class WeightsError(DatasetError):
    """A weights file cannot be saved, read, or does not fit the model."""
