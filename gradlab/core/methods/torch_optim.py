"""The chapter's listing 3: an ``nn.Sequential`` model, a loss module, a ``torch.optim`` optimizer.

The listing::

    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    input = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))      # x, x², x³
    optimiser = torch.optim.RMSprop(model.parameters(), lr=1e-4)
    loss_fn = torch.nn.MSELoss()
    y_pre = model(input); loss = loss_fn(y_pre, y)
    optimiser.zero_grad(); loss.backward(); optimiser.step()

The linear layer's bias is coefficient a and its weights are b, c, d, ... They start from the
config's init (not torch's random default). The listing clears the gradients just before
``backward()``; here ``zero_grad()`` is the step's last phase, as in the chapter's six-step loop,
which is the same thing one step earlier. Optimizers run with ``foreach=False``: the plain
per-parameter loop, which is what torch picks on the CPU anyway (so the numbers are the same).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import torch
from torch import nn

from gradlab.core.autograd_graph import AutogradParts
from gradlab.core.config import Config, OptimizerConfig
from gradlab.core.messages import Message
from gradlab.core.methods.base import (
    GRADIENT_DESCENT_RULE,
    Method,
    StepBuffers,
    UpdateDirection,
    initial_coefficients,
)
from gradlab.core.methods.fast_optim import foreach_update
from gradlab.core.methods.torch_mlp_fast import (
    ChunkRecords,
    backward_function,
    loss_function,
    run_in_chunks,
)

# per-coefficient buffers the optimizers keep, by their torch names
OPTIMIZER_STATE_KEYS = ("momentum_buffer", "square_avg", "grad_avg", "exp_avg", "exp_avg_sq", "sum")
# config field -> torch param_group key, for the hyperparameters each optimizer has
_HYPERPARAMETERS = {
    "sgd": ("lr", "momentum", "nesterov", "weight_decay"),
    "rmsprop": ("lr", "alpha", "eps", "momentum", "weight_decay"),
    "adam": ("lr", "beta1", "beta2", "eps", "weight_decay"),
    "adamw": ("lr", "beta1", "beta2", "eps", "weight_decay"),
    "adagrad": ("lr", "eps", "weight_decay"),
}

# the update rule each optimizer applies (per coefficient θ with gradient g)
UPDATE_RULES = {
    "sgd": GRADIENT_DESCENT_RULE,
    "sgd+momentum": "b ← μ·b + g;  θ ← θ − lr · b",
    "sgd+nesterov": "b ← μ·b + g;  θ ← θ − lr · (g + μ·b)",
    "rmsprop": "v ← α·v + (1 − α)·g²;  θ ← θ − lr · g / (√v + ε)",
    "rmsprop+momentum": "v ← α·v + (1 − α)·g²;  b ← μ·b + g / (√v + ε);  θ ← θ − lr · b",
    "adam": "m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  θ ← θ − lr · m̂ / (√v̂ + ε)",
    "adamw": "θ ← θ − lr·λ·θ;  m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  "
    "θ ← θ − lr · m̂ / (√v̂ + ε)",
    "adagrad": "s ← s + g²;  θ ← θ − lr · g / (√s + ε)",
}


def make_optimizer(
    name: str, parameters: Iterable[torch.Tensor], lr: float, settings: OptimizerConfig
) -> torch.optim.Optimizer:
    """The torch optimizer ``name`` with the config's hyperparameters."""
    o = settings
    if name == "sgd":
        return torch.optim.SGD(
            parameters,
            lr=lr,
            momentum=o.momentum,
            nesterov=o.nesterov,
            weight_decay=o.weight_decay,
            foreach=False,
        )
    if name == "rmsprop":
        return torch.optim.RMSprop(
            parameters,
            lr=lr,
            alpha=o.alpha,
            eps=o.eps,
            momentum=o.momentum,
            weight_decay=o.weight_decay,
            foreach=False,
        )
    if name in ("adam", "adamw"):
        kind = torch.optim.Adam if name == "adam" else torch.optim.AdamW
        return kind(
            parameters,
            lr=lr,
            betas=(o.beta1, o.beta2),
            eps=o.eps,
            weight_decay=o.weight_decay,
            foreach=False,
        )
    if name == "adagrad":
        return torch.optim.Adagrad(
            parameters, lr=lr, eps=o.eps, weight_decay=o.weight_decay, foreach=False
        )
    raise ValueError(f"unknown optimizer {name!r}")


def make_loss_module(kind: str, reduction: str, delta: float) -> nn.Module:
    """MSELoss / L1Loss / HuberLoss; the chapter's squared+sum is MSELoss(reduction="sum")."""
    if kind == "squared":
        return nn.MSELoss(reduction=reduction)
    if kind == "l1":
        return nn.L1Loss(reduction=reduction)
    return nn.HuberLoss(reduction=reduction, delta=delta)


class TorchOptim(Method):
    """``model(input)``, ``loss_fn(y_pred, y)``, ``loss.backward()``, ``optimizer.step()``,
    ``optimizer.zero_grad()``."""

    name = "torch-optim"

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        super().__init__(features, targets, config)
        t, degree = config.training, config.model.degree
        self.dtype = getattr(torch, config.model.dtype)
        # the listing's `input`: x, x², x³, ... per point (the constant column is the bias)
        self._all_inputs = torch.from_numpy(np.ascontiguousarray(features[:, 1:])).to(self.dtype)
        self._all_y = torch.from_numpy(np.array(targets, dtype=np.float64)).to(self.dtype)
        self._inputs, self._y = self._all_inputs, self._all_y
        with torch.random.fork_rng(devices=[]):  # Linear's default init must not use up
            # torch's global random numbers; the config's init replaces it anyway
            self.model = nn.Sequential(nn.Linear(degree, 1, dtype=self.dtype), nn.Flatten(0, 1))
        self.linear: nn.Linear = self.model[0]  # type: ignore[assignment]
        self.loss_fn = make_loss_module(t.loss, t.reduction, t.huber_delta)
        self._bias, self._weight = self.linear.bias, self.linear.weight  # a and (b, c, d, ...)
        # NumPy views of the parameters' memory: reading the coefficients costs no torch call
        self._bias_view = self._bias.detach().numpy()
        self._weight_view = self._weight.detach().numpy()[0]
        self._theta: np.ndarray = np.empty(0)
        self._set_parameters(initial_coefficients(config))
        self._optimizer_name = config.optimizer.name
        self.optimizer = make_optimizer(
            self._optimizer_name, self.model.parameters(), t.lr, config.optimizer
        )
        self._y_pred: torch.Tensor | None = None
        self._loss_tensor: torch.Tensor | None = None

    # -- whole steps at once -------------------------------------------------------------------
    def _run_accelerated(self, n: int, out: StepBuffers, first_row: int) -> int:
        """The listing's loop with nothing per step but torch calls (torch_mlp_fast)."""
        if [type(layer) for layer in self.model] != [nn.Linear, nn.Flatten]:
            return 0  # another model
        return run_in_chunks(self, n, out, first_row, self._fast_chunk)

    def _fast_chunk(self, count: int, out: StepBuffers, row: int) -> int:
        """``count`` whole steps into rows ``row``...; how many of them were finite."""
        optimizer, loss_fn, batches = self.optimizer, loss_function(self.loss_fn), self._batches
        inputs, y, first_step, before = self._all_inputs, self._all_y, self.step_count, self._theta
        bias, weight, linear = self._bias, self._weight, torch.nn.functional.linear
        records, backward = ChunkRecords((bias, weight), count), backward_function(self.dtype)
        update = foreach_update(optimizer)  # optimizer.step(), one call per line for both
        y_pred = loss = None
        for i in range(count):
            if batches is not None:
                index = torch.from_numpy(batches.indices(first_step + i))
                inputs, y = self._all_inputs[index], self._all_y[index]
            # model(inputs) is Linear then Flatten(0, 1): the same two calls without the
            # modules' call machinery (no hooks are registered on them)
            y_pred = linear(inputs, weight, bias).flatten(0, 1)
            loss = loss_fn(y_pred, y)
            backward(loss)  # loss.backward()
            bias_grad, weight_grad = bias.grad, weight.grad
            if update is None:  # an optimizer step fast_optim does not make (or its first)
                optimizer.step()
                update = foreach_update(optimizer)
            else:  # optimizer.step(); its parameters are model.parameters(): weight, bias
                update([weight_grad, bias_grad])  # type: ignore[list-item]
            records.keep(loss, (bias_grad, weight_grad))  # type: ignore[arg-type]
            bias.grad = weight.grad = None  # optimizer.zero_grad()
        self.step_count = first_step + count
        finite = records.write(self, out, row, before)
        if finite == count:  # the phase values are the last step's, as after the phases
            self._theta = self.coefficients_after  # type: ignore[assignment]
            self._y_pred, self._loss_tensor = y_pred, loss
            if batches is not None:
                self.batch_indices = batches.indices(self.step_count - 1)
        return finite

    # -- the phases --------------------------------------------------------------------------
    def forward(self) -> None:
        if self.batch_indices is None:
            self._inputs, self._y = self._all_inputs, self._all_y
        else:
            index = torch.from_numpy(self.batch_indices)
            self._inputs, self._y = self._all_inputs[index], self._all_y[index]
        self._y_pred = self.model(self._inputs)  # bias + weights · (x, x², x³, ...)

    def compute_loss(self) -> float:
        self._loss_tensor = self.loss_fn(self._y_pred, self._y)
        self.loss = self._loss_tensor.item()
        return self.loss

    def backward(self) -> np.ndarray:
        assert self._loss_tensor is not None
        self._loss_tensor.backward()  # fills bias.grad and weight.grad
        bias, weight = self._bias.grad, self._weight.grad
        assert bias is not None and weight is not None
        self.gradients = np.array(bias.tolist() + weight.tolist()[0])  # ∂loss/∂a, ∂loss/∂b, ...
        return self.gradients

    def update(self) -> None:
        self.coefficients_before = self._theta
        self.optimizer.step()  # the optimizer's rule (RMSprop, Adam, ...) changes the weights
        self._theta = np.array(self._bias_view.tolist() + self._weight_view.tolist())
        self.coefficients_after = self._theta

    def zero_grad(self) -> None:
        self.optimizer.zero_grad()

    def autograd_parts(self) -> AutogradParts:
        weights = tuple(range(1, self.num_coefficients))
        parameters = ((self._bias, "bias", (0,)), (self._weight, "weight", weights))
        return AutogradParts(self._loss_tensor, self._y_pred, parameters)

    @property
    def predictions(self) -> np.ndarray | None:
        if self._y_pred is None:
            return None
        return self._y_pred.detach().numpy().astype(np.float64)

    @property
    def coefficients(self) -> np.ndarray:
        return self._theta.copy()

    # -- what the phase view shows -----------------------------------------------------------
    @property
    def gradients_computed_by(self) -> Message:
        return Message("backward.autograd")

    def zero_grad_cleared(self) -> Message:
        return Message("zero_grad.optimizer", {"letters": ", ".join(self.config.coefficient_names)})

    def gradients_cleared(self) -> bool:
        return all(parameter.grad is None for parameter in self.model.parameters())

    def update_rule(self) -> str:
        """The rule of the optimizer with its current hyperparameters (momentum may change)."""
        name = self.optimizer_name
        momentum = float(self.optimizer.param_groups[0].get("momentum", 0.0))
        if name == "sgd" and momentum > 0:
            nesterov = bool(self.optimizer.param_groups[0].get("nesterov", False))
            return UPDATE_RULES["sgd+nesterov" if nesterov else "sgd+momentum"]
        if name == "rmsprop" and momentum > 0:
            return UPDATE_RULES["rmsprop+momentum"]
        return UPDATE_RULES[name]

    @property
    def optimizer_name(self) -> str:
        return self._optimizer_name

    # -- the optimizer -----------------------------------------------------------------------
    def optimizer_state(self) -> dict[str, np.ndarray]:
        """What the optimizer keeps per coefficient (a, b, c, ...), e.g. RMSprop's
        ``square_avg`` or Adam's ``exp_avg``/``exp_avg_sq``; float64 arrays of length p."""
        bias_state = self.optimizer.state.get(self._bias, {})
        weight_state = self.optimizer.state.get(self._weight, {})
        result: dict[str, np.ndarray] = {}
        for key in OPTIMIZER_STATE_KEYS:
            if key in bias_state and key in weight_state:
                values = (bias_state[key].detach(), weight_state[key].detach().reshape(-1))
                result[key] = torch.cat(values).numpy().astype(np.float64)
        return result

    def update_direction(self) -> UpdateDirection | None:
        """The last ``optimizer.step()`` as −lr × u, from the optimizer's own state after it and
        the rule torch applies (bias correction and weight decay included)."""
        before, gradients = self.coefficients_before, self.gradients
        if before is None or gradients is None or self.coefficients_after is None:
            return None
        group = self.optimizer.param_groups[0]
        lr, decay = float(group["lr"]), float(group.get("weight_decay", 0.0))
        state = self.optimizer_state()
        name = self._optimizer_name
        coupled = decay > 0 and name != "adamw"  # L2 weight decay: torch adds λ·θ to g
        g = gradients + decay * before if coupled else np.array(gradients)
        gs = "(g + λ·θ)" if coupled else "g"
        eps = float(group.get("eps", 0.0))
        momentum = float(group.get("momentum", 0.0))
        parts: dict[str, object] = {"decay": decay}
        if name == "sgd":
            if momentum == 0:
                return UpdateDirection("gd", gs, g, lr, parts)
            b = state["momentum_buffer"]
            if group.get("nesterov"):
                u = g + momentum * b
                parts["mu"] = momentum
                return UpdateDirection("sgd_nesterov", f"{gs} + μ·b", u, lr, parts)
            parts["mu"] = momentum
            return UpdateDirection("sgd_momentum", "b", b, lr, parts)
        if name == "rmsprop":
            root = np.sqrt(state["square_avg"]) + eps
            if momentum > 0:
                b = state["momentum_buffer"]
                parts.update(denominator=root, mu=momentum)
                return UpdateDirection("rmsprop_momentum", "b", b, lr, parts)
            parts["denominator"] = root
            return UpdateDirection("rmsprop", f"{gs} / (√v + ε)", g / root, lr, parts)
        t = self._optimizer_step_count()
        if name == "adagrad":
            root = np.sqrt(state["sum"]) + eps
            parts.update(denominator=root, t=t)
            return UpdateDirection("adagrad", f"{gs} / (√s + ε)", g / root, lr, parts)
        beta1, beta2 = (float(b) for b in group["betas"])
        m_hat = state["exp_avg"] / (1.0 - beta1**t)
        root = np.sqrt(state["exp_avg_sq"]) / np.sqrt(1.0 - beta2**t) + eps
        parts.update(m_hat=m_hat, denominator=root, t=t)
        if name == "adamw":
            u = decay * before + m_hat / root
            return UpdateDirection("adamw", "λ·θ + m̂ / (√v̂ + ε)", u, lr, parts)
        return UpdateDirection("adam", "m̂ / (√v̂ + ε)", m_hat / root, lr, parts)

    def _optimizer_step_count(self) -> int:
        """How many steps the optimizer has taken (its bias corrections use it)."""
        step = self.optimizer.state.get(self._bias, {}).get("step", 0)
        return int(step.item() if isinstance(step, torch.Tensor) else step)

    def set_hyperparameters(self, **values: float) -> None:
        """Change the optimizer's hyperparameters (config names: lr, momentum, nesterov,
        weight_decay, alpha, beta1, beta2, eps) from the next step on; names this optimizer
        does not have are ignored."""
        allowed = set(_HYPERPARAMETERS["sgd"]) | {"alpha", "beta1", "beta2", "eps"}
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise ValueError(f"unknown optimizer hyperparameters: {', '.join(unknown)}")
        if "lr" in values:
            super().set_hyperparameters(lr=values["lr"])
        own = _HYPERPARAMETERS[self._optimizer_name]
        for group in self.optimizer.param_groups:
            for name, value in values.items():
                if name not in own:
                    continue
                if name == "beta1":
                    group["betas"] = (float(value), group["betas"][1])
                elif name == "beta2":
                    group["betas"] = (group["betas"][0], float(value))
                elif name == "nesterov":
                    group["nesterov"] = bool(value)
                else:
                    group[name] = float(value)

    # -- state -------------------------------------------------------------------------------
    def _set_parameters(self, values: np.ndarray) -> None:
        with torch.no_grad():
            self._bias.copy_(torch.as_tensor(values[:1], dtype=torch.float64))
            self._weight.copy_(torch.as_tensor(values[None, 1:], dtype=torch.float64))
        self._theta = self._read_coefficients()

    def _read_coefficients(self) -> np.ndarray:
        return np.array(self._bias_view.tolist() + self._weight_view.tolist())  # float64

    def _snapshot_state(self) -> dict[str, Any]:
        state = self.optimizer.state_dict()["state"]
        return {"optimizer": _clone_state(state)}

    def _restore_state(self, state: dict[str, Any]) -> None:
        current = self.optimizer.state_dict()
        # keep today's hyperparameters (param_groups); bring back the per-parameter buffers
        self.optimizer.load_state_dict(
            {"state": _clone_state(state["optimizer"]), "param_groups": current["param_groups"]}
        )

    def _clear_phase_values(self) -> None:
        super()._clear_phase_values()
        self._y_pred = None
        self._loss_tensor = None


def _clone_state(state: dict[Any, dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    """A deep copy of an optimizer's per-parameter state (tensors cloned, no pickling)."""
    return {
        index: {
            key: value.detach().clone() if isinstance(value, torch.Tensor) else value
            for key, value in buffers.items()
        }
        for index, buffers in state.items()
    }
