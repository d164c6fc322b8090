"""How many validation images one unit of work takes (shared by the session and the export)."""

from __future__ import annotations

VAL_CHUNK_MIN, VAL_CHUNK_MAX = 32, 512  # validation images per unit (forward pass only)


def validation_chunk(batch_size: int) -> int:
    """Validation images per unit: a forward pass on 2 batches costs about one training step."""
    return max(VAL_CHUNK_MIN, min(VAL_CHUNK_MAX, 2 * batch_size))
