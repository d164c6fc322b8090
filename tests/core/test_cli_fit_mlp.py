"""`gradlab fit --model mlp`: the acceptance command, honest analysis, lessons carry it."""

from __future__ import annotations

import json
import math

import pytest

from gradlab.cli import main
from gradlab.core.lesson import load_lesson

torch = pytest.importorskip("torch")

ACCEPTANCE = [
    "--model", "mlp", "--hidden", "16", "--activation", "tanh", "--method", "torch-optim",
    "--optimizer", "adam", "--lr", "1e-2", "--steps", "3000",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _one_torch_thread() -> object:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["fit", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_sixteen_tanh_units_fit_sin_below_1e_3(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, *ACCEPTANCE)
    assert result["steps"] == 3000 and not result["diverged"]
    assert result["mean_loss"] < 1e-3  # sin(x) on [-π, π], 2000 points
    assert result["loss"] == pytest.approx(2000 * result["mean_loss"], rel=1e-9)  # summed
    assert len(result["parameters"]) == 49 == len(result["parameter_names"])
    # nothing that was not computed: no optimum, no global stable rate, a local one
    assert result["optimum"] is None and result["max_stable_lr"] is None
    assert result["local_max_stable_lr"] == pytest.approx(
        2 / result["local_hessian_max_eigenvalue"]
    )


def test_human_output_says_there_is_no_closed_form_optimum(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["--model", "mlp", "--hidden", "3", "--steps", "50", "--lr", "1e-3"]
    assert main(["fit", *args]) == 0
    out = capsys.readouterr().out
    assert "3 tanh units, 10 parameters; no closed-form optimum exists" in out
    assert "local curvature" in out and "near here" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hidden", "65"], "hidden units must be >= 1 and <= 64, got 65"),
        (["--layers", "0"], "hidden layers must be >= 1 and <= 3, got 0"),
        (["--activation", "elu"], "invalid choice: 'elu'"),
    ],
)
def test_bad_network_flags_are_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) if "invalid choice" in message else _nothing():
        status = main(["fit", "--model", "mlp", *args])
        assert status == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_lesson_files_carry_the_network(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path) + "/net.json"  # type: ignore[operator]
    args = ["--model", "mlp", "--hidden", "5", "--layers", "2", "--activation", "relu"]
    assert main(["fit", *args, "--steps", "10", "--lr", "1e-3", "--save-lesson", path]) == 0
    capsys.readouterr()
    model = load_lesson(path).config.model
    assert (model.kind, model.hidden, model.layers, model.activation) == ("mlp", 5, 2, "relu")
    result = run_json(capsys, "--lesson", path, "--steps", "10")
    assert len(result["parameters"]) == model.parameter_count == 5 * 2 + 30 + 6
    assert math.isfinite(result["loss"])
