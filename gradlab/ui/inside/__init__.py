"""See inside training: phase stepping with the code beside it, the loss landscape,
stability, run history and comparisons. ``install_inside_training(window)`` adds it all."""

from gradlab.ui.inside.install import InsideTraining, install_inside_training

__all__ = ["InsideTraining", "install_inside_training"]
