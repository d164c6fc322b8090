"""The small network with torch: explicit weight tensors and autograd, or nn.Sequential + optim.

torch-autograd, one hidden layer shown::

    W1 = torch.tensor(..., requires_grad=True); b1 = ...; W2 = ...; b2 = ...
    y_pred = (torch.tanh(x @ W1.T + b1) @ W2.T + b2).flatten()
    loss = torch.square(y_pred - y).sum()
    loss.backward()
    with torch.no_grad():
        for p in (W1, b1, W2, b2):
            p -= learning_rate * p.grad
    W1.grad = None; ...

torch-optim::

    model = nn.Sequential(nn.Linear(1, h), nn.Tanh(), nn.Linear(h, 1), nn.Flatten(0, 1))
    y_pred = model(x.unsqueeze(-1)); loss = loss_fn(y_pred, y)
    loss.backward(); optimizer.step(); optimizer.zero_grad()

Both start from the same flat vector as the NumPy method (gradlab.core.network), written into
the tensors in ``model.parameters()`` order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional

from gradlab.core.autograd_graph import AutogradParts
from gradlab.core.config import Config, ModelConfig
from gradlab.core.messages import Message
from gradlab.core.methods.base import Method, StepBuffers
from gradlab.core.methods.fast_optim import foreach_update
from gradlab.core.methods.torch_autograd import TorchAutograd
from gradlab.core.methods.torch_mlp_fast import (
    ChunkRecords,
    VectorGradients,
    backward_function,
    leaves_in_one_vector,
    loss_function,
    run_in_chunks,
)
from gradlab.core.methods.torch_optim import (
    OPTIMIZER_STATE_KEYS,
    TorchOptim,
    make_loss_module,
    make_optimizer,
)
from gradlab.core.network import (
    Forward,
    initial_parameters,
    layer_names,
    layer_table,
)

_ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "tanh": torch.tanh,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "gelu": lambda z: functional.gelu(z, approximate="tanh"),
}


def activation_module(kind: str) -> nn.Module:
    """nn.Tanh(), nn.ReLU(), nn.Sigmoid() or nn.GELU(approximate="tanh")."""
    if kind == "gelu":
        return nn.GELU(approximate="tanh")
    modules: dict[str, type[nn.Module]] = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}
    return modules[kind]()


def make_sequential(model: ModelConfig, dtype: torch.dtype) -> nn.Sequential:
    """nn.Sequential(nn.Linear(1, h), act, ..., nn.Linear(h, 1), nn.Flatten(0, 1))."""
    modules: list[nn.Module] = []
    for layer in layer_table(model)[:-1]:
        modules += [nn.Linear(layer.fan_in, layer.fan_out, dtype=dtype)]
        modules += [activation_module(model.activation)]
    modules += [nn.Linear(model.hidden, 1, dtype=dtype), nn.Flatten(0, 1)]
    with torch.random.fork_rng(devices=[]):  # the seed's init replaces torch's draw
        return nn.Sequential(*modules)


class _FlatParameters:
    """Reads and writes a list of tensors as one flat float64 vector (torch's order)."""

    def __init__(self, tensors: Sequence[torch.Tensor]) -> None:
        self.tensors = list(tensors)
        self._views = [t.detach().numpy().reshape(-1) for t in tensors]  # share memory

    def read(self) -> np.ndarray:
        return np.concatenate(self._views, dtype=np.float64)

    def write(self, values: np.ndarray) -> None:
        start = 0
        with torch.no_grad():
            for tensor in self.tensors:
                part = values[start : start + tensor.numel()].reshape(tensor.shape)
                tensor.copy_(torch.as_tensor(part, dtype=torch.float64))
                start += tensor.numel()

    def gradients(self) -> np.ndarray:
        grads = [t.grad for t in self.tensors]
        assert all(g is not None for g in grads)
        parts = [g.detach().numpy().reshape(-1) for g in grads]  # type: ignore[union-attr]
        return np.concatenate(parts, dtype=np.float64)


def _network_parts(
    model: ModelConfig, tensors: Sequence[torch.Tensor], loss: object, y_pred: object
) -> AutogradParts:
    """The graph's hooks for a network: each W and b leaf named W1, b1, ... with the indices
    of its numbers in the flat parameter vector."""
    spans = [part for layer in layer_table(model) for part in (layer.weight, layer.bias)]
    parameters = tuple(
        (tensor, name, tuple(range(span.start, span.stop)))
        for tensor, name, span in zip(tensors, layer_names(model), spans, strict=True)
    )
    return AutogradParts(loss, y_pred, parameters)


def _to_numpy(tensors: list[torch.Tensor]) -> list[np.ndarray]:
    return [t.detach().numpy().astype(np.float64) for t in tensors]


class TorchAutogradMlp(TorchAutograd):
    """Explicit W and b tensors, ``loss.backward()``, ``p -= lr * p.grad`` under no_grad."""

    name = "torch-autograd"

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        Method.__init__(self, features, targets, config)
        t = config.training
        self.dtype = getattr(torch, config.model.dtype)
        self._model = config.model
        self._activation = _ACTIVATIONS[config.model.activation]
        self._all_x = torch.from_numpy(np.array(features, dtype=np.float64)).to(self.dtype)
        self._all_y = torch.from_numpy(np.array(targets, dtype=np.float64)).to(self.dtype)
        self._x, self._y = self._all_x, self._all_y
        self._loss_kind, self._reduction, self._delta = t.loss, t.reduction, t.huber_delta
        # W1, b1, W2, b2, ...: the leaf tensors autograd differentiates the loss by (views of
        # one vector, so that the whole-step path updates them all in one operation)
        self._vector, self.parameters = leaves_in_one_vector(
            [
                shape
                for layer in layer_table(config.model)
                for shape in ((layer.fan_out, layer.fan_in), (layer.fan_out,))
            ],
            self.dtype,
        )
        self._vector_gradients = VectorGradients(self.parameters)  # for whole steps
        self._flat = _FlatParameters(self.parameters)
        self._flat.write(initial_parameters(config))
        self._theta = self._flat.read()
        self._y_pred: torch.Tensor | None = None
        self._loss_tensor: torch.Tensor | None = None
        self._layers: list[tuple[torch.Tensor, torch.Tensor]] = []

    def forward(self) -> None:
        if self.batch_indices is None:
            self._x, self._y = self._all_x, self._all_y
        else:
            index = torch.from_numpy(self.batch_indices)
            self._x, self._y = self._all_x[index], self._all_y[index]
        self._layers = []
        self._y_pred = self._network(self._x, self._layers)

    def _network(
        self, x: torch.Tensor, layers: list[tuple[torch.Tensor, torch.Tensor]] | None
    ) -> torch.Tensor:
        """ŷ (n,) for x as one column; each hidden layer's (z, a) goes to ``layers`` if given."""
        a, parameters = x, self.parameters
        last = len(parameters) - 2
        for k in range(0, last, 2):
            z = a @ parameters[k].T + parameters[k + 1]  # z = a Wᵀ + b, (n, h)
            a = self._activation(z)
            if layers is not None:
                layers.append((z, a))
        return (a @ parameters[last].T + parameters[last + 1]).flatten()  # linear output, (n,)

    def _whole_step_network(
        self, x: torch.Tensor, layers: list[tuple[torch.Tensor, torch.Tensor]] | None
    ) -> torch.Tensor:
        """ŷ for the whole-step path: the forward phase's own computation."""
        return self._network(x, layers)

    def backward(self) -> np.ndarray:
        assert self._loss_tensor is not None
        self._loss_tensor.backward()  # fills W1.grad, b1.grad, ...
        self.gradients = self._flat.gradients()
        return self.gradients

    def update(self) -> None:
        self.coefficients_before = self._theta
        with torch.no_grad():  # the update must not become part of the graph
            for parameter in self.parameters:
                assert parameter.grad is not None
                parameter -= self.learning_rate * parameter.grad
        self._theta = self._flat.read()
        self.coefficients_after = self._theta

    def zero_grad(self) -> None:
        for parameter in self.parameters:
            parameter.grad = None

    def _run_accelerated(self, n: int, out: StepBuffers, first_row: int) -> int:
        """The loop of the phases with nothing per step but torch calls (torch_mlp_fast)."""
        return run_in_chunks(self, n, out, first_row, self._fast_chunk)

    def _fast_chunk(self, count: int, out: StepBuffers, row: int) -> int:
        """``count`` whole steps, each as forward, compute_loss, backward, update and zero_grad
        compute it, into rows ``row``...; how many of them were finite.

        The parameters are views of one vector (``self._vector``) and, for the chunk, their
        ``.grad`` are views of another, which backward adds into: ``p -= lr * p.grad`` for all
        of them is then one multiplication and one subtraction, and a step's record one copy."""
        batches, lr, first_step, before = (
            self._batches,
            self.learning_rate,
            self.step_count,
            self._theta,
        )
        records, backward = ChunkRecords(self.parameters, count), backward_function(self.dtype)
        x, y, y_pred, loss = self._all_x, self._all_y, None, None
        layers: list[tuple[torch.Tensor, torch.Tensor]] | None = None
        with self._vector_gradients as gradients:
            values = self._vector
            for i in range(count):
                if batches is not None:
                    index = torch.from_numpy(batches.indices(first_step + i))
                    x, y = self._all_x[index], self._all_y[index]
                gradients.fill_(-0.0)  # p.grad = None: backward's sum starts from nothing
                layers = [] if i == count - 1 else None  # the phase values are the last step's
                y_pred = self._whole_step_network(x, layers)
                loss = self._loss_of(y_pred, y)
                backward(loss)  # loss.backward()
                values.sub_(torch.mul(gradients, lr))  # p -= learning_rate * p.grad, every p
                records.keep_vectors(loss, gradients, values)
        self.step_count = first_step + count
        finite = records.write(self, out, row, before)
        if finite == count:
            self._theta = self.coefficients_after  # type: ignore[assignment]
            self._x, self._y, self._y_pred, self._loss_tensor = x, y, y_pred, loss
            self._layers = layers or []
            if batches is not None:
                self.batch_indices = batches.indices(self.step_count - 1)
        return finite

    def zero_grad_cleared(self) -> Message:
        return Message("zero_grad.grad_none", {"letters": ", ".join(layer_names(self._model))})

    def gradients_cleared(self) -> bool:
        return all(parameter.grad is None for parameter in self.parameters)

    def autograd_parts(self) -> AutogradParts:
        return _network_parts(self._model, self.parameters, self._loss_tensor, self._y_pred)

    def layer_values(self) -> Forward | None:
        """This step's per-layer pre-activations and activations (None before forward)."""
        if self._y_pred is None:
            return None
        zs = _to_numpy([z for z, _ in self._layers])
        activations = _to_numpy([a for _, a in self._layers])
        return Forward(zs, activations, self._y_pred.detach().numpy().astype(np.float64))

    def _set_parameters(self, values: np.ndarray) -> None:
        self._flat.write(np.asarray(values, dtype=np.float64))
        self._theta = self._flat.read()

    def _clear_phase_values(self) -> None:
        super()._clear_phase_values()
        self._layers = []


class TorchOptimMlp(TorchOptim):
    """``model(x)`` for nn.Sequential(Linear, act, ..., Linear, Flatten), ``loss_fn``,
    ``loss.backward()``, ``optimizer.step()``, ``optimizer.zero_grad()``."""

    name = "torch-optim"

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        Method.__init__(self, features, targets, config)
        t = config.training
        self.dtype = getattr(torch, config.model.dtype)
        self._model = config.model
        # the input: x as one column (n, 1)
        self._all_inputs = torch.from_numpy(np.array(features, dtype=np.float64)).to(self.dtype)
        self._all_y = torch.from_numpy(np.array(targets, dtype=np.float64)).to(self.dtype)
        self._inputs, self._y = self._all_inputs, self._all_y
        self.model = make_sequential(config.model, self.dtype)
        self.loss_fn = make_loss_module(t.loss, t.reduction, t.huber_delta)
        self._parameters = list(self.model.parameters())
        self._bias = self._parameters[0]  # any parameter: they all share the step count
        self._flat = _FlatParameters(self._parameters)
        self._theta: np.ndarray = np.empty(0)
        self._set_parameters(initial_parameters(config))
        self._optimizer_name = config.optimizer.name
        self.optimizer = make_optimizer(
            self._optimizer_name, self._parameters, t.lr, config.optimizer
        )
        self._y_pred: torch.Tensor | None = None
        self._loss_tensor: torch.Tensor | None = None

    def forward(self) -> None:
        if self.batch_indices is None:
            self._inputs, self._y = self._all_inputs, self._all_y
        else:
            index = torch.from_numpy(self.batch_indices)
            self._inputs, self._y = self._all_inputs[index], self._all_y[index]
        self._y_pred = self.model(self._inputs)

    def _run_accelerated(self, n: int, out: StepBuffers, first_row: int) -> int:
        """The loop of the phases with nothing per step but torch calls (torch_mlp_fast)."""
        return run_in_chunks(self, n, out, first_row, self._fast_chunk)

    def _fast_chunk(self, count: int, out: StepBuffers, row: int) -> int:
        """``count`` whole steps into rows ``row``...; how many of them were finite.

        model(inputs) is Linear, act, ..., Linear, Flatten(0, 1): here the same functions
        without the modules' call machinery (no hooks are registered on them)."""
        optimizer, loss_fn, batches = self.optimizer, loss_function(self.loss_fn), self._batches
        parameters, act, linear = (
            self._parameters,
            _ACTIVATIONS[self._model.activation],
            functional.linear,
        )
        first_step, before = self.step_count, self._theta
        pairs = list(zip(parameters[::2], parameters[1::2], strict=True))
        hidden, (w_out, b_out) = pairs[:-1], pairs[-1]
        records, backward = ChunkRecords(parameters, count), backward_function(self.dtype)
        inputs, y, y_pred, loss = self._all_inputs, self._all_y, None, None
        update = foreach_update(optimizer)  # optimizer.step(), one call per line for all
        for i in range(count):
            if batches is not None:
                index = torch.from_numpy(batches.indices(first_step + i))
                inputs, y = self._all_inputs[index], self._all_y[index]
            a = inputs
            for weight, bias in hidden:
                a = act(linear(a, weight, bias))
            y_pred = linear(a, w_out, b_out).flatten(0, 1)
            loss = loss_fn(y_pred, y)
            backward(loss)  # loss.backward()
            gradients: list[torch.Tensor] = [p.grad for p in parameters]  # type: ignore[misc]
            if update is None:  # an optimizer step fast_optim does not make (or its first)
                optimizer.step()
                update = foreach_update(optimizer)
            else:
                update(gradients)  # optimizer.step()
            records.keep(loss, gradients)
            for parameter in parameters:  # optimizer.zero_grad(), without its profiler scope
                parameter.grad = None
        self.step_count = first_step + count
        finite = records.write(self, out, row, before)
        if finite == count:
            self._theta = self.coefficients_after  # type: ignore[assignment]
            self._inputs, self._y, self._y_pred, self._loss_tensor = inputs, y, y_pred, loss
            if batches is not None:
                self.batch_indices = batches.indices(self.step_count - 1)
        return finite

    def backward(self) -> np.ndarray:
        assert self._loss_tensor is not None
        self._loss_tensor.backward()  # fills every layer's weight.grad and bias.grad
        self.gradients = self._flat.gradients()
        return self.gradients

    def update(self) -> None:
        self.coefficients_before = self._theta
        self.optimizer.step()
        self._theta = self._flat.read()
        self.coefficients_after = self._theta

    def zero_grad_cleared(self) -> Message:
        return Message("zero_grad.optimizer", {"letters": ", ".join(layer_names(self._model))})

    def autograd_parts(self) -> AutogradParts:
        return _network_parts(self._model, self._parameters, self._loss_tensor, self._y_pred)

    def layer_values(self) -> Forward | None:
        """This step's per-layer values, from the model's own layers on this step's inputs."""
        if self._y_pred is None:
            return None
        zs, activations = [], []
        with torch.no_grad():
            a = self._inputs
            modules = list(self.model)
            for linear, act in zip(modules[0:-2:2], modules[1:-2:2], strict=True):
                z = linear(a)
                a = act(z)
                zs.append(z)
                activations.append(a)
        return Forward(
            _to_numpy(zs), _to_numpy(activations), self._y_pred.detach().numpy().astype(np.float64)
        )

    def optimizer_state(self) -> dict[str, np.ndarray]:
        """The optimizer's per-parameter buffers as flat float64 vectors (torch's order)."""
        states = [self.optimizer.state.get(p, {}) for p in self._parameters]
        result: dict[str, np.ndarray] = {}
        for key in OPTIMIZER_STATE_KEYS:
            if all(key in state for state in states):
                parts = [state[key].detach().reshape(-1) for state in states]
                result[key] = torch.cat(parts).numpy().astype(np.float64)
        return result

    def _set_parameters(self, values: np.ndarray) -> None:
        self._flat.write(np.asarray(values, dtype=np.float64))
        self._theta = self._flat.read()

    def _read_coefficients(self) -> np.ndarray:
        return self._flat.read()
