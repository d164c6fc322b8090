"""In Chinese, every code listing and exported script has Chinese comments and docstrings (code
and identifiers in backticks aside), and the exported program is the English one, unchanged."""

from __future__ import annotations

import ast
import io
import itertools
import json
import re
import tokenize

import pytest

from gradlab.core.code_listing import code_listing
from gradlab.core.config import METHODS, OPTIMIZERS, Config
from gradlab.core.export_script import export_script
from gradlab.text.comments import CATALOGUE, CHINESE, ENGLISH
from tests.script_runner import run_script

# names that stay as they are in a Chinese sentence
NAMES = {
    "GradLab", "NumPy", "PyTorch", "Huber", "Legendre", "Bonnet", "Horner", "SGD", "RMSprop",
    "Adam", "AdamW", "Adagrad", "CNN", "ReLU", "CIFAR", "UCI", "CSV", "MSE", "JSON", "Epoch",
    "Python", "Alpaydin", "Kaynak",
}  # fmt: skip
BACKTICKS = re.compile(r"`[^`]*`")
CODE = re.compile(r"\S*[._()\[\]=<>/\\:0-9^*+|{}-]\S*")  # tokens with code characters
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    """The English words of a comment, once code, backticked identifiers and names are gone."""
    plain = CODE.sub(" ", BACKTICKS.sub(" ", text))
    return [word for word in WORD.findall(plain) if word not in NAMES]


def comments_of(source: str) -> list[str]:
    """Every comment and docstring of a Python source."""
    found = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)):
            doc = ast.get_docstring(node)
            if doc:
                found.append(doc)
    return found


def english_comments(source: str) -> list[str]:
    return [text for text in comments_of(source) if english_words(text)]


def test_the_detector_tells_english_from_code_and_names() -> None:
    assert english_words("# 4. update the coefficients") == ["update", "the", "coefficients"]
    assert english_words("# 梯度置零（本章在 `backward()` 之前做这一步）") == []
    assert english_words("# ∂loss/∂b = Σ grad_y_pred · X[:, 1]") == []
    assert english_words("# 按 RMSprop 的规则改变权重, NumPy") == []
    assert english_comments('"""Doc string."""\nx = 1  # 系数\n') == ["Doc string."]


def test_every_comment_has_both_languages_with_the_same_fields() -> None:
    fields = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
    for key, (english, chinese) in CATALOGUE.items():
        assert english.strip() and chinese.strip(), key
        assert sorted(fields.findall(english)) == sorted(fields.findall(chinese)), key
        assert not english_words(chinese), (key, chinese)


def _configs(**fixed: object) -> list[Config]:
    """Every method × optimizer × loss × reduction × batch mode (dtype, basis and data vary)."""
    configs = []
    grid = itertools.product(METHODS, OPTIMIZERS, ("squared", "l1", "huber"), (0, 32))
    for n, (method, optimizer, loss, batch) in enumerate(grid):
        if method != "torch-optim" and optimizer != OPTIMIZERS[0]:
            continue  # the optimizer only shows in torch-optim's listing
        changes = {
            "training.method": method,
            "optimizer.name": optimizer,
            "training.loss": loss,
            "training.batch_size": batch,
            "training.reduction": ("sum", "mean")[n % 2],
            "model.dtype": ("float64", "float32")[n // 2 % 2],
            "model.basis": ("power", "legendre")[n // 3 % 2],
            "model.init": ("random", "zeros", "values")[n % 3],
            "model.init_values": (0.5, -0.25, 1.0, 2.0),
            "data.val_fraction": (0.0, 0.2)[n // 4 % 2],
            "data.noise": (0.0, 0.1)[n // 5 % 2],
            "data.target": ("noisy-sine", "sin", "exp(-x**2)")[n % 3],
            "training.steps": 200,
        }
        configs.append(Config().with_changes(**{**changes, **fixed}))
    return configs


CONFIGS = _configs()


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: _config_id(c))
def test_every_listing_and_script_reads_in_chinese(config: Config) -> None:
    listing = code_listing(config, CHINESE)
    assert not english_comments(listing.text), english_comments(listing.text)
    script = export_script(config, CHINESE)
    assert not english_comments(script), english_comments(script)
    # the English listing maps the same lines to the same phases
    assert code_listing(config, ENGLISH).phase_lines == listing.phase_lines


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: _config_id(c))
def test_the_chinese_script_is_the_english_program(config: Config) -> None:
    """Only comments, docstrings and the text printed on divergence differ."""
    chinese, english = export_script(config, CHINESE), export_script(config, ENGLISH)
    assert _program(chinese) == _program(english)
    assert english_comments(english)  # the check above compared scripts that differ


def _program(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                del body[0]  # the docstring (a body of a docstring alone does not occur)
        if isinstance(node, ast.JoinedStr):
            node.values = [v for v in node.values if not isinstance(v, ast.Constant)]
    return ast.dump(tree)


def _config_id(config: Config) -> str:
    t = config.training
    return f"{t.method}-{config.optimizer.name}-{t.loss}-batch{t.batch_size}"


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS)
def test_chinese_scripts_run_and_print_the_english_scripts_numbers(method, tmp_path) -> None:
    config = Config().with_changes(
        **{
            "training.method": method,
            "training.batch_size": 32,
            "training.steps": 300,
            "data.val_fraction": 0.2,
            "optimizer.name": "adam",
            "training.lr": 1e-3 if method == "torch-optim" else 1e-6,
        }
    )
    results = []
    for say in (CHINESE, ENGLISH):
        script = tmp_path / f"{say.language}.py"
        script.write_text(export_script(config, say), encoding="utf-8")
        done = run_script(script, timeout=120)
        assert done.returncode == 0, done.stderr
        line = next(ln for ln in done.stdout.splitlines() if ln.startswith("RESULT_JSON "))
        results.append(json.loads(line.removeprefix("RESULT_JSON ")))
    assert results[0] == results[1]
    assert results[0]["steps"] == 300 and results[0]["loss"] is not None


# ---- the CNN lab's script ----------------------------------------------------------------------

CNN_CASES = [
    (dataset, optimizer, loss)
    for dataset in ("shapes", "digits", "cifar10", "demo")
    for optimizer in ("sgd", "rmsprop", "adam")
    for loss in ("auto", "cross-entropy", "mse")
    if not (dataset == "demo" and loss == "cross-entropy")
]


def _cnn_config(dataset: str, optimizer: str, loss: str, **changes: object):
    from gradlab.core.cnn.config import default_config

    folder = {"data_dir": "/nowhere/cifar"} if dataset == "cifar10" else {}
    return default_config(dataset, optimizer=optimizer, loss=loss, **folder, **changes)


@pytest.mark.parametrize(("dataset", "optimizer", "loss"), CNN_CASES)
def test_the_cnn_script_reads_in_chinese_and_is_the_same_program(dataset, optimizer, loss):
    from gradlab.core.cnn.export import script_text

    config = _cnn_config(dataset, optimizer, loss)
    chinese, english = script_text(config, say=CHINESE), script_text(config, say=ENGLISH)
    assert not english_comments(chinese), english_comments(chinese)
    assert english_comments(english)
    assert _program(chinese) == _program(english)


@pytest.mark.slow
def test_the_chinese_cnn_script_runs_and_prints_the_english_scripts_numbers(tmp_path):
    from gradlab.core.cnn.export import write_training_script

    config = _cnn_config("shapes", "adam", "auto", n_images=200, epochs=1, batch_size=50)
    outputs = []
    for say in (CHINESE, ENGLISH):
        script = tmp_path / f"cnn_{say.language}.py"
        write_training_script(config, script, say)
        done = run_script(script, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert "epoch 1/1: train loss" in outputs[0]
