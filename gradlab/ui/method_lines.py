"""The one line under the method choice: what the chosen method does, for the model chosen."""

from __future__ import annotations

from PySide6.QtCore import QObject


class MethodLines(QObject):
    """The sentences, translated when asked for (the panel asks again after a language switch)."""

    def text(self, method: str, network: bool) -> str:
        """One line on what a method does, shown under the method choice (for the model on
        screen: a network's parameters are not a polynomial's coefficients)."""
        if network:
            return {
                "numpy-manual": self.tr(
                    "Backpropagation written out layer by layer in NumPy, then "
                    "parameter −= lr × gradient."
                ),
                "torch-autograd": self.tr(
                    "Weight tensors for each layer: loss.backward() computes every gradient."
                ),
                "torch-optim": self.tr(
                    "An nn.Sequential of nn.Linear layers and activations, a loss module and "
                    "torch.optim: optimizer.step() does the update."
                ),
                "torch-function": self.tr(
                    "Custom torch.autograd.Functions for each layer and activation: "
                    "loss.backward() calls the backwards written by hand."
                ),
            }.get(method, "")
        return {
            "numpy-manual": self.tr(
                "The chain rule written out by hand in NumPy, then coefficient −= lr × gradient."
            ),
            "torch-autograd": self.tr(
                "The same loop on torch tensors: loss.backward() computes the gradients for you."
            ),
            "torch-optim": self.tr(
                "An nn.Linear model, a loss module and torch.optim: "
                "optimizer.step() does the update."
            ),
            "torch-function": self.tr(
                "Listing 2's loop around a custom torch.autograd.Function: loss.backward() "
                "calls a backward you write by hand."
            ),
        }.get(method, "")
