"""Which points each mini-batch step uses: a pure function of the seed and the step count.

Epoch e's order is ``np.random.default_rng([seed, 3, e]).permutation(n)`` (3 is the "batches"
stream of gradlab.core.data), so a snapshot only needs the step count to continue identically.
"""

from __future__ import annotations

import numpy as np

from gradlab.core.data import RANDOM_STREAMS

BATCH_STREAM = RANDOM_STREAMS.index("batches")


class BatchSchedule:
    """Which points step t uses: batch t mod b of epoch t // b, b = ceil(n / batch_size)."""

    def __init__(self, num_points: int, batch_size: int, seed: int) -> None:
        self.num_points = num_points
        self.batch_size = batch_size
        self.seed = seed
        self.batches_per_epoch = -(-num_points // batch_size)
        self._epoch = -1
        self._order = np.arange(num_points)

    def indices(self, step_count: int) -> np.ndarray:
        epoch, batch = divmod(step_count, self.batches_per_epoch)
        if epoch != self._epoch:
            rng = np.random.default_rng([self.seed, BATCH_STREAM, epoch])
            self._order = rng.permutation(self.num_points)
            self._epoch = epoch
        start = batch * self.batch_size
        return self._order[start : start + self.batch_size]
