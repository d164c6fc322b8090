"""The chapter's CNN, its summary table, and pictures of what it learned.

3 × [Conv2d(k=5, stride 1, padding 2) + MaxPool2d(2)] with in→32→32→64 channels, Flatten,
Linear(flat, 64), Linear(64, 10). The chapter has no activation between layers; relu=True
puts a ReLU after each convolution and after the first Linear. Layers are named (conv1,
pool1, ..., fc2) so saved weights read well and fit with or without ReLU.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

CONV_CHANNELS = (32, 32, 64)
HIDDEN = 64
N_OUTPUTS = 10
KERNEL, STRIDE, PADDING, POOL = 5, 1, 2, 2


def flattened_size(image_size: int) -> int:
    """Numbers per image after the three conv + pool blocks (1024 for the chapter's 32×32)."""
    side = image_size
    for _ in CONV_CHANNELS:
        side = (side + 2 * PADDING - KERNEL) // STRIDE + 1  # convolution keeps the size
        side //= POOL
    if side < 1:
        raise ValueError(f"images of {image_size}×{image_size} are too small for 3 poolings")
    return CONV_CHANNELS[-1] * side * side


def build_cnn(in_channels: int, image_size: int, relu: bool = False) -> nn.Sequential:
    """The chapter's CNN for in_channels × image_size × image_size input."""
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    channels = in_channels
    for i, out in enumerate(CONV_CHANNELS, start=1):
        layers[f"conv{i}"] = nn.Conv2d(channels, out, KERNEL, STRIDE, PADDING)
        if relu:
            layers[f"relu{i}"] = nn.ReLU()
        layers[f"pool{i}"] = nn.MaxPool2d(POOL)
        channels = out
    layers["flatten"] = nn.Flatten()
    layers["fc1"] = nn.Linear(flattened_size(image_size), HIDDEN)
    if relu:
        layers["relu4"] = nn.ReLU()
    layers["fc2"] = nn.Linear(HIDDEN, N_OUTPUTS)
    return nn.Sequential(layers)


def build_seeded_cnn(in_channels: int, image_size: int, relu: bool, seed: int) -> nn.Sequential:
    """build_cnn with torch's default initialisation drawn from seed, leaving the global
    random state as it was."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build_cnn(in_channels, image_size, relu)


@dataclass(frozen=True)
class LayerRow:
    """One line of the summary table."""

    name: str  # e.g. "conv1"
    kind: str  # e.g. "Conv2d"
    output_shape: tuple[int, ...]  # per image, without the batch dimension
    parameters: int


@dataclass(frozen=True)
class ModelSummary:
    rows: tuple[LayerRow, ...]
    total_parameters: int  # 145,578 for the chapter's 3×32×32 model


def summary(model: nn.Sequential, input_shape: tuple[int, ...]) -> ModelSummary:
    """Layer, output shape and parameter count of each layer, for one (c, h, w) input."""
    rows = []
    x = torch.zeros((1, *input_shape))
    with torch.no_grad():
        for name, layer in model.named_children():
            x = layer(x)
            count = sum(p.numel() for p in layer.parameters())
            rows.append(LayerRow(name, type(layer).__name__, tuple(x.shape[1:]), count))
    return ModelSummary(tuple(rows), sum(p.numel() for p in model.parameters()))


def first_layer_filters(model: nn.Sequential) -> np.ndarray:
    """The first convolution's kernels as pictures: (32, 5, 5, channels) float32 in 0..1,
    each stretched to its own range so its pattern is visible."""
    conv = next(m for m in model.modules() if isinstance(m, nn.Conv2d))
    weight = conv.weight.detach().cpu().numpy().transpose(0, 2, 3, 1)
    low = weight.min(axis=(1, 2, 3), keepdims=True)
    span = weight.max(axis=(1, 2, 3), keepdims=True) - low
    pictures: np.ndarray = ((weight - low) / np.where(span > 0, span, 1.0)).astype(np.float32)
    return pictures


def feature_maps(
    model: nn.Sequential, image: torch.Tensor | np.ndarray
) -> list[tuple[str, np.ndarray]]:
    """What each convolution (with its ReLU, if any) outputs for one (c, h, w) float image:
    [("conv1", (32, 32, 32) array), ("conv2", (32, 16, 16)), ("conv3", (64, 8, 8))]."""
    x = torch.as_tensor(image, dtype=torch.float32)[None]
    maps = []
    names = list(dict(model.named_children()))
    with torch.no_grad():
        for i, (name, layer) in enumerate(model.named_children()):
            x = layer(x)
            follows = names[i + 1] if i + 1 < len(names) else ""
            if name.startswith("conv") and not follows.startswith("relu"):
                maps.append((name, x[0].numpy().copy()))
            elif name.startswith("relu") and names[i - 1].startswith("conv"):
                maps.append((names[i - 1], x[0].numpy().copy()))
            if name == "flatten":
                break
    return maps
