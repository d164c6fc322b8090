"""CnnSession: stages, drain(), chunking, learning, the demo, results, weights, export."""

import math
import os
import pickle
import re
import time

import numpy as np
import pytest
import torch

from gradlab.core.cnn import WeightsError, default_config
from gradlab.core.cnn.session import CnnSession
from gradlab.core.config import ConfigError
from tests.script_runner import run_script

TINY = {"n_images": 200, "batch_size": 32, "epochs": 2, "threads": 1}


def _run(config, chunk=10**6):
    session = CnnSession(config)
    while not session.done:
        session.advance(chunk)
    return session


def test_stages_units_and_drain_fields():
    threads = torch.get_num_threads()
    torch.set_num_threads(2)  # the suite runs torch on one thread (tests/conftest.py)
    try:
        session = CnnSession(default_config("shapes", **TINY))
        assert torch.get_num_threads() == 1  # the session set its own
    finally:
        torch.set_num_threads(threads)
    assert (session.status, session.stage, session.total_steps) == ("ready", "data", 10)
    stages = []
    rows = []
    while not session.done:
        assert session.advance(1) == 1
        batch = session.drain()
        stages.append(batch.stage)
        rows.append(batch)
    assert stages[:4] == ["model", "loss", "optimizer", "train"]
    assert stages.count("validate") == 2 and stages[-1] == "results"
    merged_steps = np.concatenate([b.steps for b in rows])
    assert merged_steps.tolist() == list(range(1, 11))
    last = rows[-1]
    assert (last.status, last.step_count, last.total_steps) == ("finished", 10, 10)
    assert (last.epoch, last.batch_in_epoch, last.batches_per_epoch) == (2, 5, 5)
    assert last.eta_s == 0.0 and last.images_per_s > 0 and last.stage_progress == 1.0
    epochs = session.history()
    assert epochs.epochs.tolist() == [1, 2]
    assert np.all(np.isfinite(epochs.val_loss)) and np.all(epochs.val_accuracy >= 0)
    assert np.all((epochs.accuracy >= 0) & (epochs.accuracy <= 1))
    assert session.drain().steps.size == 0  # nothing new


def test_numbers_do_not_depend_on_chunking():
    one = _run(default_config("shapes", **TINY), chunk=1).history()
    all_at_once = _run(default_config("shapes", **TINY)).history()
    for name in ("loss", "accuracy", "epoch_train_loss", "val_loss", "val_accuracy"):
        assert np.array_equal(getattr(one, name), getattr(all_at_once, name)), name


def test_short_training_run_beats_chance_and_units_stay_short():
    config = default_config("shapes", n_images=2000, batch_size=32, epochs=3, threads=1)
    session = CnnSession(config)
    longest = 0.0
    while not session.done:
        stage, start = session.stage, time.perf_counter()
        session.advance(1)
        if stage in ("train", "validate"):  # the first optimizer imports torch._dynamo (~1.5 s)
            longest = max(longest, time.perf_counter() - start)
    accuracy = session.history().val_accuracy
    print(
        f"shapes 1600/400 images, 3 epochs: validation accuracy {accuracy.round(3).tolist()}, "
        f"longest train/validate advance(1) {longest:.3f} s"
    )
    assert accuracy[-1] >= 0.5  # chance is 0.1; about 0.8 measured
    assert longest < 1.0  # about 0.1 s measured; generous for a busy shared machine
    results = session.results()
    assert results.confusion.sum() == 400 and results.confusion.shape == (10, 10)
    assert results.confusion.sum(axis=1).tolist() == [40] * 10
    assert math.isclose(results.accuracy, accuracy[-1])
    assert np.allclose(results.per_class_accuracy, np.diag(results.confusion) / 40)
    cell = results.cell_indices(0, 0)
    assert len(cell) == results.confusion[0, 0]
    assert np.all(results.true_labels[cell] == 0) and not results.mistakes[cell].any()
    assert results.mistakes.sum() == 400 - np.trace(results.confusion)
    assert results.epoch == 3 and np.all((results.confidence > 0) & (results.confidence <= 1))


def test_demo_reproduces_the_chapters_falling_loss():
    session = _run(default_config("demo", threads=1))
    loss = session.history().epoch_train_loss
    print(f"demo loss: first {loss[:4].round(4).tolist()} ... last {loss[-3:].round(4).tolist()}")
    assert len(loss) == 100 and session.step_count == 100
    assert 37.0 < loss[0] < 40.0  # the chapter prints 38.6425
    assert loss[0] > loss[1] > loss[2]
    assert loss[-10:].mean() < 0.5 and loss.min() < 0.1  # the chapter ends near 0.1
    assert np.all(np.isnan(session.history().val_loss))
    assert session.results().confusion.sum() == 0  # no classes, no validation images


def test_divergence_keeps_the_last_finite_weights():
    session = _run(default_config("shapes", **{**TINY, "optimizer": "sgd", "lr": 5.0}))
    assert session.status == "diverged" and session.done
    assert all(torch.isfinite(p).all() for p in session.model.parameters())
    assert not math.isfinite(session.history().loss[-1])


def test_learning_rate_can_change_midway():
    session = CnnSession(default_config("shapes", **TINY))
    session.advance(6)
    session.set_learning_rate(1e-4)
    assert session.optimizer.param_groups[0]["lr"] == 1e-4 and session.config.lr == 1e-4
    with pytest.raises(ConfigError, match="learning rate"):
        session.set_learning_rate(-1.0)


def test_save_and_load_weights(tmp_path):
    trained = _run(default_config("shapes", **TINY))
    path = tmp_path / "weights.pt"
    trained.save_weights(path)
    assert os.listdir(tmp_path) == ["weights.pt"]  # the temp file was renamed, not left
    fresh = CnnSession(default_config("shapes", **TINY))
    fresh.load_weights(path)
    assert np.array_equal(fresh.results().predictions, trained.results().predictions)
    relu = CnnSession(default_config("shapes", **{**TINY, "relu": True}))
    relu.load_weights(path)  # named layers: the same weights fit with or without ReLU


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "does not exist"),
        (b"not a weights file", "not a weights file"),
        ("truncated", "not a weights file"),
        ("digits", "conv1.weight has shape (32, 1, 5, 5) in the file"),
        ("evil", "not a weights file"),
        ("list", "does not hold a model's weights"),
    ],
)
def test_bad_weights_files_raise_clear_errors(tmp_path, content, words):
    session = CnnSession(default_config("shapes", **TINY))
    path = tmp_path / "w.pt"
    marker = tmp_path / "ran"
    if content == "truncated":
        session.save_weights(path)
        path.write_bytes(path.read_bytes()[:500])
    elif content == "digits":
        CnnSession(default_config("digits", threads=1)).save_weights(path)
    elif content == "evil":
        path.write_bytes(pickle.dumps(_Evil(marker)))
    elif content == "list":
        torch.save([torch.zeros(2)], path)
    elif content is not None:
        path.write_bytes(content)
    before = {k: v.clone() for k, v in session.model.state_dict().items()}
    with pytest.raises(WeightsError, match=re.escape(words)):
        session.load_weights(path)
    assert not marker.exists()
    assert all(torch.equal(before[k], v) for k, v in session.model.state_dict().items())


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_save_to_a_missing_folder_is_a_clear_error(tmp_path):
    session = CnnSession(default_config("shapes", **TINY))
    with pytest.raises(WeightsError, match="cannot save weights"):
        session.save_weights(tmp_path / "no" / "w.pt")


@pytest.mark.parametrize("dataset", ["shapes", "demo"])
def test_exported_script_reproduces_the_run(tmp_path, dataset):
    config = default_config(dataset, **(TINY if dataset == "shapes" else {"epochs": 5}))
    session = _run(config)
    script = tmp_path / "train_cnn.py"
    session.export_script(script)
    out = run_script(
        script,
        "--save-weights",
        str(tmp_path / "w.pt"),
        warnings=("error",),
        check=True,
        cwd=tmp_path,
        timeout=120,
    ).stdout
    h = session.history()
    losses = [float(v) for v in re.findall(r"train loss ([\d.]+)", out)]
    assert losses == pytest.approx(h.epoch_train_loss.tolist(), abs=2e-6)
    if dataset == "shapes":
        lines = re.findall(r"accuracy ([\d.]+); validation loss ([\d.]+), accuracy ([\d.]+)", out)
        assert len(lines) == 2
        for i, (acc, val_loss, val_acc) in enumerate(lines):
            assert float(acc) == pytest.approx(h.epoch_train_accuracy[i], abs=1e-4)
            assert float(val_loss) == pytest.approx(h.val_loss[i], abs=2e-6)
            assert float(val_acc) == pytest.approx(h.val_accuracy[i], abs=1e-4)
    fresh = CnnSession(config)
    fresh.load_weights(tmp_path / "w.pt")  # the script's weights load into the app
    for key, value in session.model.state_dict().items():
        assert torch.equal(fresh.model.state_dict()[key], value), key
