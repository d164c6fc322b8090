"""GradLab: watch and drive the training of a model."""

__version__ = "0.1.0"
