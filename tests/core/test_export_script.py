"""Exported scripts run standalone and reproduce `gradlab fit --json` exactly (float64)."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradlab.cli import main
from gradlab.core.config import Config, ConfigError
from gradlab.core.export_script import export_script, expression_numpy_code
from gradlab.core.expression import ExpressionError, parse_expression
from gradlab.core.lesson import save_config
from gradlab.core.session import TrainingSession
from tests.script_runner import run_script

STEPS = {"training.steps": 300}


def _run_script(config: Config, tmp_path: Path) -> tuple[dict, str]:
    script = tmp_path / "exported_run.py"
    script.write_text(export_script(config), encoding="utf-8")
    done = run_script(script, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("RESULT_JSON "))
    return json.loads(line.removeprefix("RESULT_JSON ")), done.stdout


def _run_cli(config: Config, tmp_path: Path) -> dict:
    """`gradlab fit --lesson run.json --json`, run in this process: the script is what runs on
    its own here (a second Python with torch would cost ~3 s of CPU for the same numbers;
    tests/core/test_cli_fit.py runs `python -m gradlab` itself)."""
    lesson = tmp_path / "run.json"
    save_config(lesson, config)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["fit", "--lesson", str(lesson), "--json"]) == 0
    return json.loads(out.getvalue())


def _assert_same(result: dict, expected: dict, rtol: float = 1e-9) -> None:
    got, want = np.array(result["coefficients"]), np.array(expected["coefficients"])
    # relative to the coefficients' scale: a coefficient that should be ~0 is rounding noise
    assert np.max(np.abs(got - want)) <= rtol * np.max(np.abs(want)), (got, want)
    assert result["steps"] == expected["steps"]
    assert result["diverged_at"] == expected["diverged_at"]
    if expected["loss"] is None:
        assert result["loss"] is None
    else:
        assert result["loss"] == pytest.approx(expected["loss"], rel=rtol)


@pytest.mark.slow
@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="numpy-manual"),
        pytest.param(
            {
                "training.method": "torch-autograd",
                "model.basis": "legendre",
                "model.degree": 5,
                "training.lr": 1e-4,
            },
            id="torch-autograd-legendre",
        ),
        pytest.param(
            {
                "training.method": "torch-optim",
                "optimizer.name": "adam",
                "training.lr": 1e-2,
                "training.reduction": "mean",
                "training.batch_size": 64,
                "data.noise": 0.1,
                "data.val_fraction": 0.2,
                "seed": 7,
            },
            id="torch-optim-adam-minibatch-noise-validation",
        ),
        pytest.param(
            {
                "data.target": "x**3 - 2*sin(x) + 1/(2 + cos(x)) - -x**2 + 2**-x",
                "data.x_min": -1.0,
                "data.x_max": 2.0,
                "training.lr": 1e-5,
                "model.init": "zeros",
            },
            id="numpy-custom-target",
        ),
        pytest.param({"training.method": "torch-function"}, id="torch-function"),
        pytest.param(
            {
                "training.method": "torch-function",
                "training.flip_backward_sign": True,
                "training.loss": "huber",
                "training.reduction": "mean",
                "training.lr": 1e-3,
                "training.batch_size": 100,
                "model.basis": "legendre",
            },
            id="torch-function-flipped-huber-minibatch-legendre",
        ),
    ],
)
def test_exported_script_reproduces_gradlab_fit(changes, tmp_path):
    config = Config().with_changes(**STEPS, **changes)
    result, stdout = _run_script(config, tmp_path)
    _assert_same(result, _run_cli(config, tmp_path))
    assert "y_pred = " in stdout
    if config.data.val_fraction > 0:
        session = TrainingSession(config)
        session.advance(config.training.steps)
        assert result["val_loss"] == pytest.approx(session.validation_loss(), rel=1e-9)


def test_diverged_run_stops_where_gradlab_stops(tmp_path):
    config = Config().with_changes(**{"training.steps": 2000, "training.lr": 4e-6})
    result, stdout = _run_script(config, tmp_path)
    expected = _run_cli(config, tmp_path)
    assert expected["diverged"] and result["diverged"]
    _assert_same(result, expected)
    assert f"diverged at step {expected['diverged_at']}" in stdout


@pytest.mark.parametrize(
    "changes",
    [
        {
            "training.batch_size": 100,
            "data.noise": 0.1,
            "data.val_fraction": 0.2,
            "seed": 3,
            "training.lr": 1e-5,
            "training.loss": "l1",
            "training.reduction": "mean",
        },
        {
            "training.method": "torch-autograd",
            "training.loss": "huber",
            "training.huber_delta": 0.5,
            "data.target": "noisy-sine",
            "training.lr": 1e-5,
            "training.batch_size": 333,
        },
        {
            "training.method": "torch-optim",
            "optimizer.name": "sgd",
            "optimizer.momentum": 0.9,
            "optimizer.nesterov": True,
            "optimizer.weight_decay": 0.01,
            "model.init": "values",
            "model.init_values": (1.0, -2.0, 0.5, 0.25),
            "model.dtype": "float32",
            "data.target": "step",
        },
    ],
    ids=["numpy-l1-mean-batches", "autograd-huber-noisy-sine", "sgd-nesterov-float32"],
)
def test_more_settings_match_the_session(changes, tmp_path):
    config = Config().with_changes(**STEPS, **changes)
    result, _ = _run_script(config, tmp_path)
    session = TrainingSession(config)
    session.advance(config.training.steps)
    expected = {
        "coefficients": session.coefficients.tolist(),
        "steps": session.step_count,
        "diverged_at": session.diverged_at,
        "loss": session.current_loss(),
    }
    _assert_same(result, expected)


def test_legendre_script_also_prints_the_power_form(tmp_path):
    from gradlab.core.features import format_polynomial, to_power_coefficients

    config = Config().with_changes(**STEPS, **{"model.basis": "legendre", "training.lr": 1e-4})
    result, stdout = _run_script(config, tmp_path)
    power = to_power_coefficients(np.array(result["coefficients"]), "legendre", -math.pi, math.pi)
    lines = stdout.splitlines()
    assert any("P1(t)" in line for line in lines)
    printed = next(ln for ln in lines if ln.startswith("y_pred = ") and "P1" not in ln)
    numbers = [float(t.split("*")[0]) for t in printed.removeprefix("y_pred = ").split(" + ")]
    np.testing.assert_allclose(numbers, power, rtol=1e-12, atol=1e-15)
    assert format_polynomial(power, style="chapter").count("+") == printed.count("+")


def test_script_imports_only_numpy_and_torch():
    for method, allowed in (
        ("numpy-manual", {"json", "numpy"}),
        ("torch-autograd", {"json", "numpy", "torch"}),
        ("torch-optim", {"json", "numpy", "torch"}),
        ("torch-function", {"json", "numpy", "torch"}),
    ):
        config = Config().with_changes(**{"training.method": method})
        tree = ast.parse(export_script(config))
        roots = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                roots.add((node.module or "").split(".")[0])
        assert roots == allowed, method


def test_hyperparameters_are_filled_in():
    config = Config().with_changes(
        **{
            "training.method": "torch-optim",
            "optimizer.name": "adam",
            "training.lr": 0.003,
            "optimizer.beta2": 0.99,
            "training.steps": 1234,
            "training.loss": "huber",
            "training.huber_delta": 0.25,
        }
    )
    script = export_script(config)
    for text in (
        "learning_rate = 0.003",
        "steps = 1234",
        "torch.optim.Adam(",
        "betas=(0.9, 0.99)",
        'nn.HuberLoss(reduction="sum", delta=0.25)',
    ):
        assert text in script


def test_every_named_target_has_code():
    from gradlab.core.config import NAMED_TARGETS
    from gradlab.core.export_script import target_numpy_code

    for name in NAMED_TARGETS:
        assert "np." in target_numpy_code(name)
    assert "np.full(x.shape, 2)" in export_script(Config().with_changes(**{"data.target": "2"}))


def test_user_text_never_reaches_the_script():
    # spacing and spelling of what was typed do not survive: the code comes from the tree
    config = Config().with_changes(**{"data.target": "  sin( x )*2 +x*pi"})
    script = export_script(config)
    assert "sin( x )" not in script
    assert "np.sin(x) * 2 + x * np.pi" in script
    with pytest.raises(ConfigError, match="target"):
        export_script(Config().with_changes(**{"data.target": 'x"""; import os; os.system("")'}))


# ---- the expression code generator -----------------------------------------------------------

_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Call,
    ast.Name,
    ast.Attribute,
    ast.Constant,
    ast.Load,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
    ast.USub,
)


def _evaluate_generated(code: str, x: np.ndarray) -> np.ndarray:
    tree = ast.parse(code, mode="eval")
    for node in ast.walk(tree):
        assert isinstance(node, _ALLOWED_NODES), ast.dump(node)
        if isinstance(node, ast.Name):
            assert node.id in ("x", "np")
        if isinstance(node, ast.Attribute):
            assert isinstance(node.value, ast.Name) and node.value.id == "np"
    namespace = {"__builtins__": {}, "np": np, "x": x}
    with np.errstate(all="ignore"):
        value = eval(compile(tree, "<generated>", "eval"), namespace)  # checked above
    return np.array(np.broadcast_to(value, x.shape), dtype=np.float64)


_atoms = st.sampled_from(["x", "pi", "e", "2", "0.5", "3", "1e-3", "0", "10", "0.0", "1e300"])


def _combine(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}"
        ),
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
            lambda t: f"({t[0]}){t[1]}({t[2]})"
        ),
        children.map(lambda c: f"-{c}"),
        st.tuples(
            st.sampled_from(["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh"]), children
        ).map(lambda t: f"{t[0]}({t[1]})"),
    )


@settings(max_examples=500, deadline=None)
@given(st.recursive(_atoms, _combine, max_leaves=8))
def test_generated_code_computes_what_gradlab_computes(text):
    try:
        expression = parse_expression(text)
    except ExpressionError:
        return
    x = np.linspace(-3.0, 3.0, 13)
    generated = _evaluate_generated(expression_numpy_code(expression), x)
    np.testing.assert_array_equal(generated, expression.evaluate(x))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("x**2 - 1", "x**2 - 1"),
        ("-x**2", "-x**2"),
        ("(-x)**2", "(-x) ** 2"),
        ("2**3**2", "np.power(2.0, np.power(3.0, 2))"),
        ("(2**3)**2 + x", "np.power(np.power(2.0, 3), 2) + x"),
        ("x**0.5**2", "x ** np.power(0.5, 2)"),
        ("2**-2*x", "np.power(2.0, -2) * x"),
        ("1/0", "np.float64(1) / 0.0"),
        ("x - (x - 1)", "x - (x - 1)"),
        ("x / (2 * x)", "x / (2 * x)"),
        ("--x", "-(-x)"),
        ("2**-x", "2**-x"),
        ("(x+1)**-(x)", "(x + 1) ** -x"),
        ("1/0*x", "np.float64(1) / 0.0 * x"),
        ("x/-0", "x / -0.0"),
        ("abs(-2)**-1*x", "np.power(np.abs(-2.0), -1) * x"),
        ("sin(pi*x)/e", "np.sin(np.pi * x) / np.e"),
    ],
)
def test_generated_code_is_readable(text, code):
    assert expression_numpy_code(parse_expression(text)) == code
