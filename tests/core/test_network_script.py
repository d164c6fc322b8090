"""A network's code listing and exported script: one per method, with the run's real values,
comments in English and Chinese, and a script that repeats GradLab's own trajectory."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from gradlab.cli import main
from gradlab.core.code_listing import code_listing
from gradlab.core.config import ACTIVATIONS, METHODS, Config
from gradlab.core.export_script import export_script
from gradlab.core.methods.base import PHASES
from gradlab.core.session import TrainingSession
from gradlab.text.comments import CHINESE, ENGLISH
from tests.core.test_chinese_listings import _program, english_comments
from tests.script_runner import run_script

NETWORK = Config().with_changes(
    **{"model.kind": "mlp", "model.hidden": 5, "data.points": 300, "training.steps": 10}
)


def _network(**changes: object) -> Config:
    return NETWORK.with_changes(**changes)


# ---- the listings ------------------------------------------------------------------------------


WITH_LISTINGS = list(itertools.product(METHODS, (1, 2, 3)))


@pytest.mark.parametrize(("method", "layers"), WITH_LISTINGS)
def test_every_phase_has_lines_and_the_layers_are_written_out(method: str, layers: int) -> None:
    config = _network(**{"training.method": method, "model.layers": layers})
    listing = code_listing(config)
    assert all(listing.phase_lines[phase] for phase in PHASES), listing.phase_lines
    text = listing.text
    assert "a + b * X" not in text and "Polynomial" not in text  # not the polynomial's
    if method == "torch-optim":
        linears = [line for line in listing.lines if line.startswith("    nn.Linear(")]
        assert len(linears) == layers + 1 and text.count("nn.Tanh()") == layers
        assert "nn.Flatten(0, 1)" in text
    else:
        # z = a Wᵀ + b per hidden layer, then the linear output
        assert all(f"z{k} = " in text for k in range(1, layers + 1))
        assert f"z{layers + 1} = " not in text
    if method == "numpy-manual":  # backpropagation by hand, from the output back
        backward = [listing.lines[i].strip() for i in listing.phase_lines["backward"]]
        order = [line.split(" = ")[0] for line in backward if line.startswith("grad_")]
        assert order[:3] == ["grad_y_pred", f"grad_W{layers + 1}", f"grad_b{layers + 1}"]
        assert order[-2:] == ["grad_W1", "grad_b1"]
        assert "loss.backward()" not in text
    else:
        lines = listing.phase_lines["backward"]
        assert any(listing.lines[i].strip() == "loss.backward()" for i in lines)


def test_the_listing_shows_the_runs_values() -> None:
    config = _network(
        **{
            "training.method": "torch-optim",
            "model.hidden": 7,
            "model.layers": 2,
            "model.activation": "gelu",
            "model.dtype": "float32",
            "training.lr": 0.0125,
            "training.batch_size": 40,
            "optimizer.name": "rmsprop",
            "seed": 11,
        }
    )
    text = code_listing(config).text
    for part in (
        "seed = 11",
        "learning_rate = 0.0125",
        "batch_size = 40",
        "nn.Linear(1, 7, dtype=torch.float32)",
        "nn.Linear(7, 7, dtype=torch.float32)",
        "nn.Linear(7, 1, dtype=torch.float32)",
        'nn.GELU(approximate="tanh")',
        "torch.optim.RMSprop(",
        "rng.uniform(-0.3779644730092272, 0.3779644730092272, (7, 7))",  # ±1/√7
    ):
        assert part in text, part
    numpy = code_listing(config.with_changes(**{"training.method": "numpy-manual"})).text
    assert "x32 = x[:, None].astype(np.float32)" in numpy and "def gelu_slope(z):" in numpy
    relu = config.with_changes(**{"model.activation": "relu", "model.init": "zeros"})
    text = code_listing(relu.with_changes(**{"training.method": "numpy-manual"})).text
    assert "np.maximum(z1, 0)" in text and "grad_a2 * (z2 > 0)" in text
    assert "np.zeros((7, 7)),  # W2" in text and "rng.uniform" not in text


def _phase_text(config: Config, phase: str) -> list[str]:
    listing = code_listing(config)
    return [listing.lines[i].strip() for i in listing.phase_lines[phase]]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_torch_function_writes_its_functions_with_their_backward_in_the_backward_phase(
    activation: str,
) -> None:
    config = _network(
        **{"training.method": "torch-function", "model.layers": 2, "model.activation": activation}
    )
    name = {"tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid", "gelu": "GELU"}[activation]
    text = code_listing(config).text
    assert "class Linear(torch.autograd.Function):" in text
    assert f"class {name}(torch.autograd.Function):" in text
    assert text.count("(torch.autograd.Function):") == 2  # the configured activation's only
    forward = _phase_text(config, "forward")
    assert forward[:3] == ["def forward(ctx, a, W, b):", forward[1], "return a @ W.T + b"]
    assert "z2 = Linear.apply(a1, W2, b2)  # (n, 5)" in forward
    assert f"a2 = {name}.apply(z2)" in forward
    assert forward[-1].startswith("y_pred = Linear.apply(a2, W3, b3).flatten()")
    backward = _phase_text(config, "backward")
    assert backward[0] == "def backward(ctx, grad_z):"
    assert "grad_a = grad_z @ W if ctx.needs_input_grad[0] else None" in backward
    assert "grad_W = grad_z.T @ a  # ∂loss/∂W = (∂loss/∂z)ᵀ a" in backward
    assert "return grad_a, grad_W, grad_b" in backward
    assert backward.count("def backward(ctx, grad_a):") == 1  # the activation's
    assert backward[-1] == "loss.backward()"  # which runs the backwards above
    slope = {
        "tanh": "(1 - a * a)",
        "relu": "(z > 0).to(z.dtype)",
        "sigmoid": "(a * (1 - a))",
        "gelu": "(0.5 * (1 + inner) + 0.5 * z * (1 - inner * inner) * slope_inner)",
    }[activation]
    assert f"return grad_a * {slope}" in backward
    # the update and zero_grad are torch-autograd's
    autograd = config.with_changes(**{"training.method": "torch-autograd"})
    for phase in ("update", "zero_grad"):
        assert _phase_text(config, phase) == _phase_text(autograd, phase)


def test_torch_functions_flipped_sign_is_in_the_linear_backward() -> None:
    config = _network(**{"training.method": "torch-function", "training.flip_backward_sign": True})
    backward = _phase_text(config, "backward")
    assert "grad_b = -grad_z.sum(0)  # a deliberate bug: wrong sign" in backward
    assert "grad_b = grad_z.sum(0)  # ∂loss/∂b = Σₙ ∂loss/∂z" not in backward
    correct = _phase_text(config.with_changes(**{"training.flip_backward_sign": False}), "backward")
    assert "grad_b = grad_z.sum(0)  # ∂loss/∂b = Σₙ ∂loss/∂z" in correct


def test_every_method_has_a_network_listing_and_script() -> None:
    """No method is refused: each gets its own loop, never another method's."""
    texts = {}
    for method in METHODS:
        config = _network(**{"training.method": method})
        texts[method] = code_listing(config).text
        assert "RESULT_JSON" in export_script(config)
    assert len(set(texts.values())) == len(METHODS)


def _grid() -> list[Config]:
    configs = []
    losses = ("squared", "l1", "huber")
    grid = itertools.product(METHODS, ACTIVATIONS, losses, (0, 32))
    for n, (method, activation, loss, batch) in enumerate(grid):
        changes = {
            "training.method": method,
            "model.activation": activation,
            "training.loss": loss,
            "training.batch_size": batch,
            "model.layers": 1 + n % 3,
            "training.reduction": ("sum", "mean")[n % 2],
            "model.dtype": ("float64", "float32")[n // 2 % 2],
            "model.init": ("random", "zeros", "values")[n % 3],
            "data.val_fraction": (0.0, 0.2)[n // 4 % 2],
            "optimizer.name": ("sgd", "adam", "rmsprop", "adamw", "adagrad")[n % 5],
        }
        layers = int(changes["model.layers"])  # type: ignore[call-overload]
        count = 2 * 5 + (layers - 1) * 30 + 6
        changes["model.init_values"] = tuple(0.01 * k for k in range(count))
        configs.append(_network(**changes))
    return configs


def _grid_id(config: Config) -> str:
    return f"{config.training.method}-{config.model.activation}"


@pytest.mark.parametrize("config", _grid(), ids=_grid_id)
def test_every_network_listing_and_script_reads_in_chinese(config: Config) -> None:
    listing = code_listing(config, CHINESE)
    assert not english_comments(listing.text), english_comments(listing.text)
    assert code_listing(config, ENGLISH).phase_lines == listing.phase_lines
    chinese, english = export_script(config, CHINESE), export_script(config, ENGLISH)
    assert not english_comments(chinese), english_comments(chinese)
    assert english_comments(english)
    assert _program(chinese) == _program(english)


# ---- the scripts repeat GradLab's run ----------------------------------------------------------


def _run(config: Config, tmp_path: Path) -> tuple[list[float], dict]:
    script = tmp_path / "network_run.py"
    script.write_text(export_script(config), encoding="utf-8")
    done = run_script(script, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    printed = [float(line.split()[1]) for line in lines if line[:1].isdigit()]
    result = json.loads(next(ln for ln in lines if ln.startswith("RESULT_JSON "))[12:])
    return printed, result


@pytest.mark.slow
@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="numpy-manual-tanh"),
        pytest.param(
            {
                "model.layers": 3,
                "model.activation": "gelu",
                "training.batch_size": 32,
                "training.loss": "huber",
                "training.reduction": "mean",
                "training.lr": 0.1,
                "data.val_fraction": 0.2,
                "data.noise": 0.1,
                "seed": 4,
            },
            id="numpy-manual-gelu-3-layers-batches",
        ),
        pytest.param(
            {"training.method": "torch-autograd", "model.layers": 2, "model.activation": "relu"},
            id="torch-autograd-relu-2-layers",
        ),
        pytest.param(
            {
                "training.method": "torch-autograd",
                "model.activation": "sigmoid",
                "training.loss": "l1",
                "training.batch_size": 50,
                "data.val_fraction": 0.2,
            },
            id="torch-autograd-sigmoid-l1-batches",
        ),
        pytest.param(
            {
                "training.method": "torch-optim",
                "optimizer.name": "adam",
                "training.lr": 0.01,
                "model.layers": 2,
                "training.batch_size": 64,
                "training.reduction": "mean",
                "data.val_fraction": 0.2,
            },
            id="torch-optim-adam-2-layers-batches",
        ),
        pytest.param(
            {
                "training.method": "torch-optim",
                "optimizer.name": "sgd",
                "optimizer.momentum": 0.9,
                "model.activation": "gelu",
            },
            id="torch-optim-sgd-momentum-gelu",
        ),
        pytest.param(
            {"training.method": "torch-function", "model.layers": 2},
            id="torch-function-tanh-2-layers",
        ),
        pytest.param(
            {
                "training.method": "torch-function",
                "model.layers": 3,
                "model.activation": "gelu",
                "training.batch_size": 32,
                "training.loss": "huber",
                "training.reduction": "mean",
                "training.lr": 0.1,
                "data.val_fraction": 0.2,
                "data.noise": 0.1,
                "seed": 4,
            },
            id="torch-function-gelu-3-layers-batches",
        ),
        pytest.param(
            {
                "training.method": "torch-function",
                "model.activation": "relu",
                "training.loss": "l1",
                "training.flip_backward_sign": True,
                "training.lr": 0.01,
            },
            id="torch-function-relu-l1-flipped-sign",
        ),
        pytest.param(
            {
                "training.method": "torch-function",
                "model.activation": "sigmoid",
                "model.init": "zeros",
                "training.batch_size": 50,
                "training.lr": 0.01,
            },
            id="torch-function-sigmoid-zeros-batches",
        ),
    ],
)
def test_the_script_prints_gradlabs_losses(changes: dict, tmp_path: Path) -> None:
    config = _network(**{"training.lr": 1e-3, **changes})
    printed, result = _run(config, tmp_path)
    session = TrainingSession(config)
    session.advance(config.training.steps)
    losses = np.asarray(session.history.loss)
    assert len(printed) == config.training.steps == len(losses)  # 10 steps: every one printed
    np.testing.assert_allclose(printed, losses, rtol=1e-9, atol=0)
    np.testing.assert_allclose(result["parameters"], session.coefficients, rtol=1e-9, atol=1e-12)
    assert result["loss"] == pytest.approx(session.current_loss(), rel=1e-9)
    if config.data.val_fraction:
        assert result["val_loss"] == pytest.approx(session.validation_loss(), rel=1e-9)
    assert result["steps"] == 10 and not result["diverged"]


@pytest.mark.slow
def test_a_float32_script_follows_to_float32_precision(tmp_path: Path) -> None:
    config = _network(**{"model.dtype": "float32", "model.activation": "sigmoid"})
    for method in METHODS:
        printed, result = _run(config.with_changes(**{"training.method": method}), tmp_path)
        session = TrainingSession(config.with_changes(**{"training.method": method}))
        session.advance(10)
        np.testing.assert_allclose(printed, session.history.loss, rtol=1e-6)
        np.testing.assert_allclose(result["parameters"], session.coefficients, rtol=1e-6)


@pytest.mark.slow
def test_a_diverging_script_stops_where_gradlab_stops(tmp_path: Path) -> None:
    config = _network(**{"training.lr": 5.0, "training.steps": 40})
    session = TrainingSession(config)
    session.advance(config.training.steps)
    assert session.status == "diverged"
    _, result = _run(config, tmp_path)
    assert result["diverged"] and result["diverged_at"] == session.diverged_at
    assert result["steps"] == session.step_count
    np.testing.assert_allclose(result["parameters"], session.coefficients, rtol=1e-9)


@pytest.mark.slow
def test_the_command_line_exports_a_networks_script_in_chinese(tmp_path: Path, capsys) -> None:
    script = tmp_path / "net.py"
    args = ["fit", "--model", "mlp", "--hidden", "3", "--layers", "2", "--steps", "4"]
    assert main([*args, "--export-script", str(script), "--language", "zh", "--json"]) == 0
    text = script.read_text(encoding="utf-8")
    assert "模型：神经网络，2 个隐藏层，每层 3 个 `tanh` 单元" in text
    assert "grad_W3 = grad_y_pred[None, :] @ a2" in text and not english_comments(text)
    parameters = json.loads(capsys.readouterr().out)["parameters"]
    assert len(parameters) == (3 + 3) + (9 + 3) + (3 + 1)  # W1, b1, W2, b2, W3, b3
