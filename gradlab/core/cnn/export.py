"""Export the pipeline as one standalone training script (needs only NumPy and PyTorch).

The script includes GradLab's own data code verbatim (shapes, split, digits, the safe CIFAR-10
reader) and mirrors CnnSession's loop step for step, so it prints the same numbers.
"""

from __future__ import annotations

import ast
import inspect
import io
import json
import os
import re
import textwrap
import tokenize
import types
from collections.abc import Callable
from pathlib import Path

from gradlab.core.atomic import atomic_write_text
from gradlab.core.cnn import cifar, digits, model, shapes, split
from gradlab.core.cnn.config import CnnConfig
from gradlab.core.cnn.datasets import DEMO_TARGET, DIGITS_FILE, images_as_float, resize_images
from gradlab.core.cnn.validation import validation_chunk
from gradlab.core.code_listing import Say, comment_catalogue
from gradlab.resources import resource_path

_HEADER = '''#!/usr/bin/env python3
"""«cnn.title»

«cnn.process»

«cnn.settings»
{summary}

«cnn.run»
"""

{imports}
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

CONFIG = {config}
VAL_CHUNK = {val_chunk}  # «cnn.val_chunk»

torch.set_num_threads(CONFIG["threads"])  # «cnn.threads»


class DatasetError(ValueError):
    """«cnn.dataset_error»"""

    def __init__(self, message, message_id="invalid", values=None):
        super().__init__(message)
        self.message_id, self.values = message_id, dict(values or {{}})


'''

_DATA = {
    "shapes": """
def load_data():
    images, labels = generate_shapes(CONFIG["n_images"], CONFIG["seed"])
    train, val = stratified_split(labels, CONFIG["val_fraction"], CONFIG["seed"])
    return (torch.from_numpy(images[train]), torch.from_numpy(labels[train]),
            torch.from_numpy(images[val]), torch.from_numpy(labels[val]), SHAPE_CLASSES)
""",
    "digits": """
# «cnn.digits_file»
DIGITS_PATH = {digits_path!r}


def load_data():
    images, labels = read_digits_csv(DIGITS_PATH)
    images = resize_images(images, 32).numpy()
    train, val = stratified_split(labels, CONFIG["val_fraction"], CONFIG["seed"])
    return (torch.from_numpy(images[train]), torch.from_numpy(labels[train]),
            torch.from_numpy(images[val]), torch.from_numpy(labels[val]), DIGIT_CLASSES)
""",
    "cifar10": """
def load_data():
    train_x, train_y, val_x, val_y, names = read_cifar10(CONFIG["data_dir"])
    return (torch.from_numpy(train_x), torch.from_numpy(train_y), torch.from_numpy(val_x),
            torch.from_numpy(val_y), names)
""",
    "demo": """
def load_data():
    ones = torch.ones((1, 3, 32, 32), dtype=torch.float32)  # «cnn.demo_image»
    target = torch.tensor([[{target}]], dtype=torch.float32)  # «cnn.demo_target»
    return ones, target, ones[:0], target[:0], ()
""",
}

_LOOP = '''

def loss_fn(output, target, reduction="mean"):
    if LOSS == "cross-entropy":
        return F.cross_entropy(output, target, reduction=reduction)
    if target.dtype == torch.int64:  # «cnn.one_hot»
        target = F.one_hot(target, output.shape[1]).to(output.dtype)
    return F.mse_loss(output, target, reduction=reduction)


def make_optimizer(model):
    c, params = CONFIG, model.parameters()
    if c["optimizer"] == "sgd":
        return torch.optim.SGD(params, lr=c["lr"], momentum=c["momentum"],
                               weight_decay=c["weight_decay"])
    if c["optimizer"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"], alpha=c["alpha"],
                                   momentum=c["momentum"], weight_decay=c["weight_decay"])
    return torch.optim.Adam(params, lr=c["lr"], betas=tuple(c["betas"]),
                            weight_decay=c["weight_decay"])


def validate(model, val_x, val_y):
    """«cnn.validate»"""
    model.eval()
    loss_sum, right, predictions = 0.0, 0, []
    with torch.inference_mode():
        for start in range(0, len(val_x), VAL_CHUNK):
            output = model(images_as_float(val_x[start : start + VAL_CHUNK]))
            target = val_y[start : start + VAL_CHUNK]
            loss_sum += loss_fn(output, target, reduction="sum").item()
            predicted = output.argmax(dim=1)
            right += int((predicted == target).sum())
            predictions.append(predicted)
    return loss_sum, right, torch.cat(predictions) if predictions else None


def main():
    parser = argparse.ArgumentParser(description="GradLab's exported CNN training run")
    parser.add_argument("--save-weights", metavar="FILE", help="save the trained state_dict")
    args = parser.parse_args()

    # «cnn.step1»
    train_x, train_y, val_x, val_y, class_names = load_data()
    classify = train_y.dtype == torch.int64
    print(f"data: {len(train_x)} training and {len(val_x)} validation images")
    # «cnn.step2»
    torch.manual_seed(CONFIG["seed"])
    model = build_cnn(train_x.shape[1], train_x.shape[-1], CONFIG["relu"])
    print(model)
    # «cnn.step34»
    optimizer = make_optimizer(model)
    batch_size, n_train = CONFIG["batch_size"], len(train_x)
    per_value = 10 if LOSS == "mse" else 1  # «cnn.per_value»
    # «cnn.step56»
    for epoch in range(CONFIG["epochs"]):
        order = torch.from_numpy(np.random.default_rng([CONFIG["seed"], 1, epoch])
                                 .permutation(n_train))
        loss_x_images, right, seen = 0.0, 0, 0
        model.train()
        for start in range(0, n_train, batch_size):
            index = order[start : start + batch_size]
            x, y = images_as_float(train_x[index]), train_y[index]
            output = model(x)
            loss = loss_fn(output, y)
            value = loss.item()
            if not math.isfinite(value):
                raise SystemExit(f"the loss diverged ({value}): try a smaller learning rate")
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_x_images += value * len(index)
            right += int((output.argmax(1) == y).sum()) if classify else 0
            seen += len(index)
        line = f"epoch {epoch + 1}/{CONFIG['epochs']}: train loss {loss_x_images / seen:.6f}"
        if classify:
            line += f", accuracy {right / seen:.4f}"
        if len(val_x):
            val_loss, val_right, predictions = validate(model, val_x, val_y)
            line += (f"; validation loss {val_loss / (len(val_x) * per_value):.6f}, "
                     f"accuracy {val_right / len(val_x):.4f}")
        print(line)
    # «cnn.step7»
    if classify and len(val_x):
        k = len(class_names)
        confusion = np.bincount(val_y.numpy() * k + predictions.numpy(), minlength=k * k)
        confusion = confusion.reshape(k, k)
        print("confusion matrix (rows true, columns predicted):")
        print(confusion)
        for i, name in enumerate(class_names):
            total = confusion[i].sum()
            print(f"  {name:>20}: {confusion[i, i] / total if total else float('nan'):.3f}")
    if not classify:
        print("final output:", model(train_x[:1]).detach().numpy().round(4))
    if args.save_weights:
        torch.save(model.state_dict(), args.save_weights)
        print("weights saved to", args.save_weights)


if __name__ == "__main__":
    main()
'''


def _module_code(module: types.ModuleType, say: Say) -> str:
    """A module's source, its docstring turned into a comment, without GradLab-only lines.

    In another language than English, its English comments and docstrings give way to a
    summary of the module in that language (``cnn.module.<name>``)."""
    source = inspect.getsource(module)
    tree = ast.parse(source)
    first = tree.body[0]
    lines = source.splitlines()
    path = f"{module.__name__.replace('.', '/')}.py"
    intro = [f"# {say('cnn.from', path=path)}"]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        doc = str(first.value.value).strip().splitlines()
        if _english(say):
            intro += [f"# {line}".rstrip() for line in doc]
        lines = lines[first.end_lineno or 0 :]
    if not _english(say):
        intro.append(f"# {say('cnn.module.' + module.__name__.rpartition('.')[2])}")
        lines = _without_comments("\n".join(lines)).splitlines()
    kept = [line for line in lines if not _is_import(line) and not line.endswith("# gradlab-only")]
    text = "\n".join(intro + kept).rstrip()
    return re.sub(r"\n{4,}", "\n\n\n", text) + "\n\n\n"  # at most two blank lines


def _english(say: Say) -> bool:
    return getattr(say, "language", "en") == "en"


def _function_code(function: Callable[..., object], say: Say) -> str:
    """A function's source; in another language than English, a comment in it instead of its
    English comments and docstring."""
    source = inspect.getsource(function)
    if _english(say):
        return source
    return f"# {say('cnn.function.' + function.__name__)}\n" + _without_comments(source)


def _without_comments(source: str) -> str:
    """``source`` without its comments and docstrings (the code is unchanged)."""
    lines = source.splitlines()
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.update(range(body[0].lineno, (body[0].end_lineno or 0) + 1))
    cuts: dict[int, int] = {}  # line number -> where its comment starts
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and not token.string.endswith("# gradlab-only"):
            cuts[token.start[0]] = token.start[1]
    kept = []
    for number, line in enumerate(lines, start=1):
        if number in docstrings:
            continue
        code = line[: cuts[number]].rstrip() if number in cuts else line
        if code or number not in cuts:
            kept.append(code)
    return "\n".join(kept) + "\n"


def _is_import(line: str) -> bool:
    return line.startswith(("import ", "from "))


def _stdlib_imports(modules: list[types.ModuleType]) -> str:
    """The script's `import x` lines: its own plus those of the included modules."""
    names = {"argparse", "math"}
    for module in modules:
        for line in inspect.getsource(module).splitlines():
            if line.startswith("import ") and "numpy" not in line:
                names.add(line.split()[1])
    return "\n".join(f"import {name}" for name in sorted(names))


def _config_literal(values: dict[str, object]) -> str:
    """The settings as a Python dict literal, one per line."""
    rows = "".join(f"    {json.dumps(k)}: {_literal(v)},\n" for k, v in values.items())
    return "{\n" + rows + "}"


def _literal(value: object) -> str:
    return json.dumps(value) if isinstance(value, str) else repr(value)


def script_text(config: CnnConfig, name: str = "train_cnn.py", say: Say | None = None) -> str:
    """The standalone script's text for this config, its comments from ``say`` (English when
    None)."""
    say = comment_catalogue(say)
    values = config.to_dict()
    values["loss"] = config.loss_function
    summary = textwrap.fill(
        ", ".join(f"{k}={v}" for k, v in values.items() if k != "data_dir" or v),
        width=92,
        initial_indent="    ",
        subsequent_indent="    ",
    )
    sources: list[types.ModuleType] = {
        "shapes": [shapes, split],
        "digits": [digits, split],
        "cifar10": [cifar],
        "demo": [],
    }[config.dataset]
    parts = [
        _HEADER.format(
            summary=summary,
            name=Path(name).name,
            imports=_stdlib_imports(sources),
            config=_config_literal(values),
            val_chunk=validation_chunk(config.batch_size),
        ),
        f'LOSS = "{config.loss_function}"\n\n\n',
        _rule(say("cnn.part1")) + "\n\n",
        _function_code(images_as_float, say) + "\n\n",
    ]
    parts += [_module_code(m, say) for m in sources]
    if config.dataset == "digits":
        parts.append(_function_code(resize_images, say) + "\n")
    parts.append(
        _DATA[config.dataset].format(
            digits_path=str(resource_path(*DIGITS_FILE)),
            target=", ".join(f"{v:g}." for v in DEMO_TARGET),
        )
    )
    parts += [
        "\n" + _rule(say("cnn.part2")),
        f"CONV_CHANNELS = {model.CONV_CHANNELS}\n",
        f"HIDDEN, N_OUTPUTS = {model.HIDDEN}, {model.N_OUTPUTS}\n",
        f"KERNEL, STRIDE, PADDING, POOL = {model.KERNEL}, {model.STRIDE}, {model.PADDING}, "
        f"{model.POOL}\n\n\n",
        _function_code(model.flattened_size, say) + "\n\n",
        _function_code(model.build_cnn, say),
        "\n\n" + _rule(say("cnn.part3")).rstrip("\n"),
        _LOOP,
    ]
    script = Path(name).name
    return _MARKER.sub(lambda m: say(m.group(1), name=script), "".join(parts))


_MARKER = re.compile(r"«([\w.]+)»")  # a comment of the templates above, by its id


def _rule(title: str) -> str:
    """``# ---- title -----`` to column 80 (a CJK character takes two columns)."""
    width = len(title) + sum(1 for ch in title if ord(ch) > 0x2E80)
    return f"# ---- {title} {'-' * max(3, 80 - 8 - width)}\n"


def write_training_script(
    config: CnnConfig, path: str | os.PathLike[str], say: Say | None = None
) -> None:
    """Write script_text(config) to path atomically (gradlab.core.atomic)."""
    target = Path(path)
    try:
        atomic_write_text(target, script_text(config, target.name, say))
    except OSError as exc:
        raise OSError(f"cannot write the script to {target}: {exc.strerror or exc}") from None
