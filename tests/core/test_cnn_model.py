"""The chapter's CNN: shapes, the 145,578 parameters, summary, filters and feature maps."""

import numpy as np
import pytest
import torch
from torch import nn

from gradlab.core.cnn.model import (
    build_cnn,
    build_seeded_cnn,
    feature_maps,
    first_layer_filters,
    flattened_size,
    summary,
)


def test_chapter_model_layers_and_parameter_count():
    model = build_cnn(3, 32)
    table = summary(model, (3, 32, 32))
    assert table.total_parameters == 145_578
    rows = {r.name: r for r in table.rows}
    assert [r.name for r in table.rows] == [
        "conv1",
        "pool1",
        "conv2",
        "pool2",
        "conv3",
        "pool3",
        "flatten",
        "fc1",
        "fc2",
    ]
    assert rows["conv1"].output_shape == (32, 32, 32) and rows["conv1"].parameters == 2432
    assert rows["pool3"].output_shape == (64, 4, 4)
    assert rows["flatten"].output_shape == (1024,)
    assert rows["fc1"].parameters == 1024 * 64 + 64
    assert rows["fc2"].output_shape == (10,)
    conv = model.conv1
    assert isinstance(conv, nn.Conv2d)
    assert (conv.kernel_size, conv.stride, conv.padding) == ((5, 5), (1, 1), (2, 2))
    assert model(torch.zeros(4, 3, 32, 32)).shape == (4, 10)


def test_relu_channels_and_size_follow_the_data():
    model = build_cnn(1, 32, relu=True)
    names = [name for name, _ in model.named_children()]
    assert names.count("relu1") == 1 and "relu4" in names and len(names) == 13
    assert summary(model, (1, 32, 32)).total_parameters == 145_578 - 2 * 25 * 32
    assert flattened_size(64) == 64 * 8 * 8
    assert build_cnn(3, 64)(torch.zeros(2, 3, 64, 64)).shape == (2, 10)
    with pytest.raises(ValueError, match="too small"):
        flattened_size(4)


def test_seeded_init_is_reproducible_and_leaves_global_rng_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a = build_seeded_cnn(3, 32, relu=False, seed=5)
    after = torch.rand(1)
    b = build_seeded_cnn(3, 32, relu=True, seed=5)  # ReLU has no parameters: same init
    assert torch.equal(before, after)
    for (ka, va), (kb, vb) in zip(a.state_dict().items(), b.state_dict().items(), strict=True):
        assert ka == kb and torch.equal(va, vb)


def test_filters_and_feature_maps():
    model = build_cnn(3, 32, relu=True)
    filters = first_layer_filters(model)
    assert filters.shape == (32, 5, 5, 3) and filters.dtype == np.float32
    assert filters.min() >= 0 and filters.max() <= 1
    maps = feature_maps(model, torch.rand(3, 32, 32))
    assert [(name, m.shape) for name, m in maps] == [
        ("conv1", (32, 32, 32)),
        ("conv2", (32, 16, 16)),
        ("conv3", (64, 8, 8)),
    ]
    assert all(m.min() >= 0 for _, m in maps)  # taken after the ReLU
    plain = feature_maps(build_cnn(1, 32), np.zeros((1, 32, 32), dtype=np.float32))
    assert [m.shape for _, m in plain] == [(32, 32, 32), (32, 16, 16), (64, 8, 8)]
