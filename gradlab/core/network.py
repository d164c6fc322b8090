"""A small network y = f(x) in NumPy: its shape, parameters, activations and forward pass.

The network is ``nn.Sequential(nn.Linear(1, h), act, [nn.Linear(h, h), act, ...],
nn.Linear(h, 1), nn.Flatten(0, 1))``. Its parameters live in one flat float64 vector in
torch's ``model.parameters()`` order: W1 (h×1, row by row), b1 (h), W2, b2, ..., the output
weights (1×h) and the output bias. That vector plays the part the polynomial's coefficients
play (history, snapshots, rewind, run files); ``layer_views`` cuts it into per-layer arrays.

Initialisation ``random`` is torch's default for ``nn.Linear(fan_in, fan_out)``: weights and
biases uniform in ±1/√fan_in (kaiming_uniform with a = √5 gives exactly that bound), drawn
here from the seed's "init" stream so every method starts from the same numbers.

GELU is torch's ``nn.GELU(approximate="tanh")``: NumPy has no erf, and the tanh form is exact
to compute on both sides.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import NamedTuple

import numpy as np

from gradlab.core.config import Config, ModelConfig
from gradlab.core.data import random_generator

GELU_K = math.sqrt(2.0 / math.pi)  # torch's kBeta for the tanh approximation
GELU_C = 0.044715


class Layer(NamedTuple):
    """Where one nn.Linear's weight (out×in) and bias (out) sit in the flat vector."""

    fan_in: int
    fan_out: int
    weight: slice
    bias: slice


@functools.lru_cache(maxsize=64)
def layer_table(model: ModelConfig) -> tuple[Layer, ...]:
    """The linear layers in order: 1→h, h→h (layers − 1 times), h→1."""
    h = model.hidden
    sizes = [1] + [h] * model.layers + [1]
    layers, start = [], 0
    for fan_in, fan_out in itertools.pairwise(sizes):
        weight = slice(start, start + fan_in * fan_out)
        bias = slice(weight.stop, weight.stop + fan_out)
        layers.append(Layer(fan_in, fan_out, weight, bias))
        start = bias.stop
    return tuple(layers)


def layer_views(model: ModelConfig, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(W, b) per layer as views of ``theta``: W is (fan_out, fan_in), b is (fan_out,)."""
    return [
        (theta[layer.weight].reshape(layer.fan_out, layer.fan_in), theta[layer.bias])
        for layer in layer_table(model)
    ]


def parameter_names(model: ModelConfig) -> tuple[str, ...]:
    """W1[0,0], ..., b1[0], ..., in the flat vector's order (layer 1 is the first hidden)."""
    names: list[str] = []
    for number, layer in enumerate(layer_table(model), start=1):
        names += [f"W{number}[{i},{j}]" for i in range(layer.fan_out) for j in range(layer.fan_in)]
        names += [f"b{number}[{i}]" for i in range(layer.fan_out)]
    return tuple(names)


def layer_names(model: ModelConfig) -> tuple[str, ...]:
    """W1, b1, W2, b2, ...: one name per parameter tensor."""
    count = len(layer_table(model))
    return tuple(name for k in range(1, count + 1) for name in (f"W{k}", f"b{k}"))


class ParameterGroup(NamedTuple):
    """One parameter tensor (W1, b1, ...): its name, shape and place in the flat vector."""

    name: str
    shape: tuple[int, ...]
    values: slice


def parameter_groups(model: ModelConfig) -> tuple[ParameterGroup, ...]:
    """W1 (h×1), b1 (h), W2, b2, ...: what ``model.parameters()`` yields, in its order."""
    groups = []
    for number, layer in enumerate(layer_table(model), start=1):
        groups.append(ParameterGroup(f"W{number}", (layer.fan_out, layer.fan_in), layer.weight))
        groups.append(ParameterGroup(f"b{number}", (layer.fan_out,), layer.bias))
    return tuple(groups)


FIRST_ENTRIES = 3  # entries of each tensor the phase view lists beside its norm


class GroupSummary(NamedTuple):
    """One tensor of a flat vector (parameters, gradients, a step): norm and first entries."""

    name: str
    shape: tuple[int, ...]
    norm: float
    first: np.ndarray


def group_summaries(
    model: ModelConfig, vector: np.ndarray, first: int = FIRST_ENTRIES
) -> list[GroupSummary]:
    """Per tensor W1, b1, ...: the Euclidean norm of its part of ``vector`` and its first
    ``first`` entries (in torch's flattening order), as float64 copies."""
    vector = np.asarray(vector, dtype=np.float64).reshape(-1)
    return [
        GroupSummary(
            group.name,
            group.shape,
            float(np.linalg.norm(vector[group.values])),
            vector[group.values][:first].copy(),
        )
        for group in parameter_groups(model)
    ]


def gradient_rules(model: ModelConfig) -> tuple[str, ...]:
    """Backpropagation per tensor, one formula each in ``parameter_groups``' order: with
    z_k = a_(k−1) W_kᵀ + b_k, a_0 = x and the output z = ŷ,
    ∂L/∂W_k = (∂L/∂z_k)ᵀ a_(k−1) and ∂L/∂b_k = Σ ∂L/∂z_k, where ∂L/∂z_k = (∂L/∂z_(k+1) W_(k+1))
    · act'(z_k) for a hidden layer."""
    out = model.layers + 1
    rules = []
    for k in range(1, out + 1):
        below = "x" if k == 1 else f"a{k - 1}"
        dz = "∂L/∂ŷ" if k == out else f"∂L/∂z{k}"
        above = "∂L/∂ŷ" if k + 1 == out else f"∂L/∂z{k + 1}"
        slope = "" if k == out else f",  {dz} = ({above} · W{k + 1}) ⊙ {model.activation}′(z{k})"
        rules.append(f"∂L/∂W{k} = ({dz})ᵀ {below}{slope}")
        rules.append(f"∂L/∂b{k} = Σ {dz}")
    return tuple(rules)


def initial_parameters(config: Config) -> np.ndarray:
    """The starting flat vector (float64): torch's nn.Linear default scheme from the seed,
    zeros, or the configured values."""
    model = config.model
    if model.init == "zeros":
        return np.zeros(model.parameter_count)
    if model.init == "values":
        return np.array(model.init_values, dtype=np.float64)
    rng = random_generator(config.seed, "init")
    theta = np.empty(model.parameter_count)
    for layer in layer_table(model):
        bound = 1.0 / math.sqrt(layer.fan_in)
        theta[layer.weight] = rng.uniform(-bound, bound, layer.weight.stop - layer.weight.start)
        theta[layer.bias] = rng.uniform(-bound, bound, layer.fan_out)
    return theta


# -- activations and their derivatives (as torch computes them) -------------------------------
def activate(kind: str, z: np.ndarray) -> np.ndarray:
    """act(z) for tanh, relu, sigmoid or gelu (tanh approximation)."""
    if kind == "tanh":
        return np.asarray(np.tanh(z))
    if kind == "relu":
        return np.asarray(np.maximum(z, 0))
    if kind == "sigmoid":
        return np.asarray(1 / (1 + np.exp(-z)))
    if kind == "gelu":
        return np.asarray(0.5 * z * (1 + np.tanh(GELU_K * (z + GELU_C * z * z * z))))
    raise ValueError(f"unknown activation {kind!r}")


def activation_slope(kind: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """act'(z), given z and a = act(z): 1 − a² for tanh, a(1 − a) for sigmoid, ..."""
    if kind == "tanh":
        slope: np.ndarray = a * a
        np.subtract(1, slope, out=slope)  # 1 − a², without a second temporary
        return slope
    if kind == "relu":
        return (z > 0).astype(z.dtype)  # torch: the slope at 0 is 0
    if kind == "sigmoid":
        return np.asarray(a * (1 - a))
    if kind == "gelu":
        inner = np.tanh(GELU_K * (z + GELU_C * z * z * z))
        slope_inner = GELU_K * (1 + 3 * GELU_C * z * z)
        return np.asarray(0.5 * (1 + inner) + 0.5 * z * (1 - inner * inner) * slope_inner)
    raise ValueError(f"unknown activation {kind!r}")


class Forward(NamedTuple):
    """What a forward pass computed: per hidden layer its pre-activations z and activations a
    (each (n, h)), and the predictions (n,)."""

    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]
    predictions: np.ndarray


def with_ones(x: np.ndarray, dtype: np.dtype | type = np.float64) -> np.ndarray:
    """The (n, 2) columns [x, 1]: [x, 1] @ [W1ᵀ; b1] is the first layer in one product."""
    x = np.asarray(x, dtype=dtype).reshape(-1)
    return np.stack([x, np.ones_like(x)], axis=1)


def forward(model: ModelConfig, theta: np.ndarray, x: np.ndarray) -> Forward:
    """The network at the points ``x`` (n,), in ``theta``'s dtype."""
    return forward_from_inputs(model, theta, with_ones(x, theta.dtype))


def forward_from_inputs(model: ModelConfig, theta: np.ndarray, inputs: np.ndarray) -> Forward:
    """The network at the points whose columns [x, 1] are ``inputs`` (n, 2)."""
    views = layer_views(model, theta)
    h = model.hidden
    # W1 (h×1) and b1 (h) are the first 2h numbers of theta: as a (2, h) matrix they are
    # [W1ᵀ; b1], so z1 = x W1ᵀ + b1 = [x, 1] @ [W1ᵀ; b1]
    z = inputs @ theta[: 2 * h].reshape(2, h)
    zs, activations = [z], [activate(model.activation, z)]
    for weight, bias in views[1:-1]:
        z = activations[-1] @ weight.T + bias  # z = a Wᵀ + b, as nn.Linear
        zs.append(z)
        activations.append(activate(model.activation, z))
    weight, bias = views[-1]
    predictions = activations[-1] @ weight[0] + bias[0]  # one output unit, flattened to (n,)
    return Forward(zs, activations, predictions)


def predict(model: ModelConfig, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The network's predictions at ``x`` (float64)."""
    theta = np.asarray(theta, dtype=np.float64)
    return forward(model, theta, x).predictions


def unit_contributions(model: ModelConfig, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(h, n): each last-hidden-layer unit's activation times its output weight; these rows plus
    the output bias sum to the prediction."""
    theta = np.asarray(theta, dtype=np.float64)
    run = forward(model, theta, x)
    output_weight, _ = layer_views(model, theta)[-1]
    return np.asarray((run.activations[-1] * output_weight[0]).T)


def first_layer_kinks(model: ModelConfig, theta: np.ndarray) -> np.ndarray:
    """Where each first-layer unit's w·x + b crosses 0 (x = −b/w; NaN where w = 0)."""
    return first_layer_units(model, theta).centres


class FirstLayerUnits(NamedTuple):
    """The first hidden layer's units as the x axis sees them, one entry per unit."""

    centres: np.ndarray  # x = −b/w, where w·x + b = 0: a tanh's centre, a ReLU's kink (NaN: w = 0)
    slopes: np.ndarray  # w: how steeply the unit switches, and which way (its sign)
    biases: np.ndarray  # b
    outgoing: np.ndarray  # the unit's weight onwards (see first_layer_units)
    signed: bool  # True: ``outgoing`` are the output weights themselves (one hidden layer)


def first_layer_units(model: ModelConfig, theta: np.ndarray) -> FirstLayerUnits:
    """Each first-layer unit's centre x = −b/w, its slope w and bias b, and how much the next
    layer uses it: with one hidden layer its output weight (signed: the unit's part of the fit
    is that weight times its activation); with more, the length of its column of W2 (≥ 0)."""
    views = layer_views(model, np.asarray(theta, dtype=np.float64))
    weight, bias = views[0]
    w = np.array(weight[:, 0])
    with np.errstate(divide="ignore", invalid="ignore"):
        centres = np.where(w != 0, -bias / np.where(w != 0, w, 1.0), np.nan)
    following = views[1][0]  # (fan_out, h): row j of the next layer reads unit j in column j
    signed = model.layers == 1
    outgoing = np.array(following[0]) if signed else np.linalg.norm(following, axis=0)
    return FirstLayerUnits(np.asarray(centres), w, np.array(bias), outgoing, signed)


def layer_norms(model: ModelConfig, values: np.ndarray) -> np.ndarray:
    """The Euclidean norm of each parameter tensor (W1, b1, W2, ...) of rows of ``values``
    (k, p) -> (k, 2 × layers + 2): readable with hundreds of parameters."""
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    columns = []
    for layer in layer_table(model):
        columns.append(np.linalg.norm(values[:, layer.weight], axis=1))
        columns.append(np.linalg.norm(values[:, layer.bias], axis=1))
    return np.stack(columns, axis=1)


def network_formula(model: ModelConfig) -> str:
    """The network written out: ``y = W2·tanh(W1·x + b1) + b2`` (16 units), one nesting per
    hidden layer."""
    inner = "x"
    for k in range(1, model.layers + 1):
        inner = f"{model.activation}(W{k}·{inner} + b{k})"
    out = model.layers + 1
    return (
        f"y = W{out}·{inner} + b{out}  ({model.hidden} × {model.layers}, {model.parameter_count} θ)"
    )
