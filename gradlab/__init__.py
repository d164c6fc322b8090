"""GradLab: watch and drive the training of a model."""

import os

# One OpenBLAS thread, set before anything imports NumPy (it reads this when loaded): GradLab's
# NumPy work is small arrays beside a GUI thread on 2-core lab PCs, where a second BLAS thread
# only spins against the GUI. Measured (bench_gui.py --startup-only, three interleaved runs):
# process start -> window shown 0.38-0.52 s -> 0.33-0.38 s, its CPU 0.48-0.61 s -> 0.33-0.37 s;
# NumPy training as fast. A value set by the user is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
