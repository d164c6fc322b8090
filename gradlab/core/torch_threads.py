"""How many threads torch's kernels use for one fit: set by the session, in the thread it trains in.

Measured on a 2-core PC (stop 30, README "Speed"): as soon as a second thread of the process keeps
an OpenMP team of its own (a CNN session's worker, or a headless run on the GUI thread), GNU
OpenMP stops spinning and wakes its threads through the kernel for every parallel region. The
chapter's fit (2,000 points × 4 coefficients) then ran at ~3,500 steps/s with two threads against
~17,000 with one: each matrix product split in two waits ~0.2 ms for the second thread, far more
than the product itself takes. One thread is as fast when nothing else runs (17,700 against
15,400 steps/s), so small fits never split.

Large fits split over all cores but one, as the CNN does, and never more than torch's own count:
the window keeps a core. On a 2-core PC that is one thread. With the window up and another
program busy on one core, a network of 32 units ran 1,371-1,429 steps/s on one thread and
166-202 on two (Adam); on a quiet PC two threads were faster (1,336-1,607 against 989-1,243;
64 units 622-720 against 328-350), a price paid for never being seven times slower.

``torch.set_num_threads`` acts on the calling thread's OpenMP and MKL counts and is the default
for threads that first use torch later, so each session sets it for itself: one run's choice
never depends on the run before it.
"""

from __future__ import annotations

import torch

from gradlab.core.cnn.config import default_threads

# torch's own choice when first imported (one per physical core, or OMP_NUM_THREADS)
TORCH_DEFAULT = torch.get_num_threads()
LARGE_FIT_THREADS = min(TORCH_DEFAULT, default_threads())  # all cores but one
# torch's own grain size: below it, torch runs an elementwise kernel in one thread by itself
SPLIT_ABOVE = 32_768


def threads_for(elements: int) -> int:
    """Threads for a fit whose largest tensor holds ``elements`` numbers (points × width)."""
    return 1 if elements < SPLIT_ABOVE else LARGE_FIT_THREADS


def use_threads_for(elements: int) -> int:
    """Set the calling thread's count for a fit of that size; returns it."""
    return use_threads(threads_for(elements))


def use_threads(threads: int) -> int:
    """Set the calling thread's count (every torch session goes through here, so that
    TORCH_DEFAULT is read before anyone changes it); returns it."""
    torch.set_num_threads(threads)
    return threads
