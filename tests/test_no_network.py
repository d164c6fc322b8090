"""Nothing GradLab does at run time touches the network (classroom PCs are often offline).

Every test here runs with socket connections made to fail: a connect, a name lookup or a
datagram raises OSError and is recorded, and each test then checks that nothing was attempted
(an attempt swallowed by an ``except OSError`` would otherwise go unnoticed).
"""

from __future__ import annotations

import csv
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradlab.cli import main
from gradlab.core.autosave import find_autosave, write_autosave
from gradlab.core.cnn import default_config
from gradlab.core.cnn.session import CnnSession
from gradlab.core.config import METHODS, OPTIMIZERS, Config
from gradlab.core.export_script import export_script
from gradlab.core.lesson import load_lesson, save_config
from gradlab.core.run_export import export_history_csv
from gradlab.core.runs import RunRecord
from gradlab.core.session import TrainingSession
from gradlab.core.session_file import SessionState, load_session, save_session


class NetworkAttempt(OSError):
    """Raised instead of reaching the network."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every way out fail; yields the list of attempts (empty when all is well)."""
    attempts: list[str] = []

    def refuse(what: str):  # type: ignore[no-untyped-def]
        def blocked(*args, **kwargs):  # type: ignore[no-untyped-def]
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise NetworkAttempt(f"network access in an offline test: {what}")

        return blocked

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield attempts


def test_the_guard_itself_blocks_and_records(no_network: list[str]) -> None:
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.org", 80), timeout=1)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkAttempt):
        sock.connect(("127.0.0.1", 9))
    assert len(no_network) == 2


def _fit_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["fit", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("method", [m for m in METHODS if m != "torch-optim"])
def test_each_method_headless(
    method: str, no_network: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    result = _fit_json(capsys, "--method", method, "--steps", "300", "--reduction", "mean")
    assert result["steps"] == 300 and not result["diverged"]
    assert no_network == []


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_torch_optim_with_every_optimizer(
    optimizer: str, no_network: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    result = _fit_json(
        capsys,
        *("--method", "torch-optim", "--optimizer", optimizer, "--lr", "1e-3"),
        *("--steps", "100", "--reduction", "mean"),
    )
    assert result["steps"] == 100 and not result["diverged"]
    assert no_network == []


def test_cnn_session_trains_saves_and_exports(no_network: list[str], tmp_path: Path) -> None:
    config = default_config("shapes", n_images=200, batch_size=32, epochs=1, threads=1)
    session = CnnSession(config)
    while not session.done:
        session.advance(10**6)
    assert session.status == "finished"
    session.save_weights(tmp_path / "shapes.pt")
    session.load_weights(tmp_path / "shapes.pt")
    session.export_script(tmp_path / "train_cnn.py")
    assert (tmp_path / "shapes.pt").stat().st_size > 0
    assert "def main" in (tmp_path / "train_cnn.py").read_text(encoding="utf-8")
    assert no_network == []


def test_cnn_command_on_the_shipped_digits(
    no_network: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weights = tmp_path / "digits.pt"
    args = ["cnn", "--dataset", "digits", "--epochs", "1", "--threads", "1", "--json"]
    assert main([*args, "--save-weights", str(weights)]) == 0
    assert json.loads(capsys.readouterr().out)["dataset"] == "digits"
    assert weights.stat().st_size > 0
    assert no_network == []


def test_every_core_export(
    no_network: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = Config().with_changes(**{"training.steps": 200, "data.val_fraction": 0.2})
    session = TrainingSession(config)
    session.advance(200)
    record = RunRecord.from_session(session)

    export_history_csv(tmp_path / "history.csv", record)
    with open(tmp_path / "history.csv", newline="", encoding="utf-8") as file:
        assert len(list(csv.reader(file))) == 201  # a header and one row per step

    script = export_script(config)
    compile(script, "fit_script.py", "exec")  # compiled to check the syntax, never run
    save_config(tmp_path / "setup.json", config)
    assert load_lesson(tmp_path / "setup.json").config == config

    state = SessionState(config=config, runs=[record], extra={"selected_run": 0})
    save_session(tmp_path / "session.gradlab", state)
    assert load_session(tmp_path / "session.gradlab").runs[0].step_count == 200
    write_autosave(tmp_path / "data", state)
    assert find_autosave(tmp_path / "data") is not None

    assert main(["fit", "--steps", "50", "--csv", str(tmp_path / "cli.csv")]) == 0
    capsys.readouterr()
    assert (tmp_path / "cli.csv").stat().st_size > 0
    assert no_network == []
