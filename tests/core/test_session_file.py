"""Session files: exact round trips, one-line refusals of bad files, writes that never half-happen,
autosave recovery and CSV export."""

import errno
import io
import json
import os
import zipfile

import numpy as np
import pytest

from gradlab.core import session_file
from gradlab.core.autosave import (
    autosave_needs_recovery,
    autosave_path,
    discard_autosave,
    find_autosave,
    mark_clean_exit,
    write_autosave,
)
from gradlab.core.config import Config
from gradlab.core.history import History
from gradlab.core.run_export import export_history_csv
from gradlab.core.runs import RunHistory, RunList, RunRecord
from gradlab.core.session import TrainingSession
from gradlab.core.session_arrays import SessionFileError
from gradlab.core.session_file import SessionState, load_session, save_session

STEPS = 1000  # enough for validation every other step only
BASE = Config().with_changes(**{"training.steps": STEPS, "data.val_fraction": 0.2})


def trained(config):
    session = TrainingSession(config)
    session.advance(config.training.steps)
    return session


def diverged_with_nan_tail():
    """A diverged run whose history ends in inf and NaN (kept exactly as recorded)."""
    config = BASE.with_changes(**{"training.method": "torch-autograd", "training.lr": 1e-2})
    rows = 6
    loss = np.array([5.0, 50.0, 5e150, 5e300, np.inf, np.nan])
    coefficients = np.array([[0.1, 0.2, 0.3, 0.4]] * 4 + [[np.inf, -np.inf, np.nan, 1.0]] * 2)
    history = RunHistory(
        np.arange(1, rows + 1), loss, np.full(rows, np.nan), coefficients, loss * 2
    )
    return RunRecord(
        id=0, label="", config=config, status="diverged", step_count=6, diverged_at=7,
        final_loss=np.nan, final_coefficients=np.array([0.1, 0.2, 0.3, 0.4]), history=history,
    )  # fmt: skip


@pytest.fixture(scope="module")
def records():
    """Several runs: different degrees, bases, methods; validation NaNs; a diverged one.

    Built once: records are immutable."""
    runs = RunList()
    runs.add(RunRecord.from_session(trained(BASE), base_config=BASE))
    legendre = BASE.with_changes(**{"model.degree": 9, "model.basis": "legendre"})
    runs.add(RunRecord.from_session(trained(legendre), base_config=BASE))
    runs.add(diverged_with_nan_tail())
    adam = BASE.with_changes(
        **{"training.method": "torch-optim", "optimizer.name": "adam", "training.lr": 1e-2}
    )
    empty = RunRecord.create(
        adam, RunHistory.empty(4), status="stopped", step_count=0, final_coefficients=np.ones(4)
    )
    runs.add(empty)
    runs.set_visible(2, False)
    return tuple(runs)


@pytest.fixture
def state(records):
    extra = {"selected_run": 2, "language": "zh", "note": "第一课 ✓", "sizes": [1, 2.5]}
    legendre = BASE.with_changes(**{"model.degree": 9, "model.basis": "legendre"})
    return SessionState(config=legendre, runs=list(records), extra=extra)


def assert_same(loaded, original):
    assert loaded.config == original.config
    assert loaded.extra == original.extra
    assert len(loaded.runs) == len(original.runs)
    for a, b in zip(loaded.runs, original.runs, strict=True):
        for name in ("id", "label", "config", "status", "step_count", "diverged_at", "created",
                     "visible"):  # fmt: skip
            assert getattr(a, name) == getattr(b, name), name
        assert np.array_equal([a.final_loss], [b.final_loss], equal_nan=True)
        assert np.array_equal(a.final_coefficients, b.final_coefficients)
        for name in ("steps", "loss", "val_loss", "coefficients", "grad_norm"):
            x, y = getattr(a.history, name), getattr(b.history, name)
            assert x.dtype == y.dtype and x.shape == y.shape, name
            assert np.array_equal(x, y, equal_nan=True), name


def refusal(path):
    """The one-line message load_session gives for ``path`` (which must be refused)."""
    with pytest.raises(SessionFileError) as info:
        load_session(path)
    message = str(info.value)
    assert message.startswith(os.fspath(path) + ": ")
    assert "\n" not in message
    return message


# ---- round trip ----


def test_round_trip_is_exact(tmp_path, state):
    path = tmp_path / "lab.gradlab"
    save_session(path, state)
    loaded = load_session(path)
    assert_same(loaded, state)
    assert np.isnan(loaded.runs[0].history.val_loss).any()  # validation rows only some steps
    assert np.isnan(loaded.runs[2].history.loss[-1]) and np.isinf(loaded.runs[2].history.loss[-2])
    assert not loaded.runs[1].visible
    save_session(path, loaded)  # and again: nothing drifts
    assert_same(load_session(path), state)


def test_the_file_is_a_zip_of_json_and_npy_only(tmp_path, state):
    path = tmp_path / "lab.gradlab"
    save_session(path, state)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        for name in names[1:]:
            assert name.endswith(".npy")
            array = np.load(io.BytesIO(archive.read(name)), allow_pickle=False)
            assert not array.dtype.hasobject
    assert names[0] == "manifest.json"
    assert (manifest["format"], manifest["kind"]) == (1, "gradlab-session")
    assert manifest["runs"][2]["arrays"]["loss"] == "runs/3/loss.npy"
    assert manifest["runs"][2]["final_loss"] == "nan"


def test_saved_runs_go_back_into_a_run_list(tmp_path, state):
    save_session(tmp_path / "s.gradlab", state)
    runs = RunList()
    runs.replace_all(load_session(tmp_path / "s.gradlab").runs)
    assert [r.id for r in runs] == [1, 2, 3, 4]
    assert runs.add(state.runs[0]).id == 5


def test_empty_session_round_trip(tmp_path):
    save_session(tmp_path / "s.gradlab", SessionState())
    loaded = load_session(tmp_path / "s.gradlab")
    assert loaded.config == Config() and loaded.runs == [] and loaded.extra == {}


# ---- refusing bad files ----


def test_truncated_files_are_refused(tmp_path, state):
    good = tmp_path / "good.gradlab"
    save_session(good, state)
    data = good.read_bytes()
    cut = tmp_path / "cut.gradlab"
    for size in (1, 3, 4, 30, 100, len(data) // 3, len(data) // 2, len(data) - 100,
                 len(data) - 22, len(data) - 1):  # fmt: skip
        cut.write_bytes(data[:size])
        message = refusal(cut)
        assert "damaged or incomplete" in message or "not a ZIP" in message, message


def test_empty_random_and_missing_files_are_refused(tmp_path):
    empty = tmp_path / "empty.gradlab"
    empty.write_bytes(b"")
    assert "the file is empty" in refusal(empty)
    noise = tmp_path / "noise.gradlab"
    noise.write_bytes(np.random.default_rng(0).bytes(5000))
    assert "not a GradLab session file (not a ZIP archive)" in refusal(noise)
    noise.write_bytes(b"PK\x03\x04" + np.random.default_rng(1).bytes(5000))
    assert "damaged or incomplete" in refusal(noise)
    assert "no such file" in refusal(tmp_path / "missing.gradlab")
    assert "is a folder" in refusal(tmp_path)


def test_flipped_bytes_never_escape_as_another_exception(tmp_path, state):
    good = tmp_path / "good.gradlab"
    save_session(good, state)
    data = bytearray(good.read_bytes())
    bad = tmp_path / "bad.gradlab"
    for position in np.random.default_rng(2).integers(0, len(data), 60).tolist():
        flipped = bytearray(data)
        flipped[position] ^= 0x5A
        bad.write_bytes(bytes(flipped))
        try:
            load_session(bad)  # a flip in an unused header byte may go unnoticed; fine
        except SessionFileError as error:
            assert "\n" not in str(error)


def rewrite(source, target, *, manifest=None, members=None, drop=()):
    """Copy a session archive, changing its manifest and members."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name not in drop}
    document = json.loads(parts["manifest.json"])
    if manifest:
        manifest(document)
    parts["manifest.json"] = json.dumps(document).encode()
    parts.update(members or {})
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def npy(array, allow_pickle=False):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


TRIPPED = []


def trip():
    TRIPPED.append(True)


class Tripwire:
    """Records it was unpickled: proves the loader never unpickles."""

    def __reduce__(self):
        return (trip, ())


def set_run(index, key, value):
    def change(document):
        document["runs"][index][key] = value

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"manifest": lambda d: d.update(kind="gradlab-lesson")}, '"kind" is "gradlab-lesson"'),
        ({"manifest": lambda d: d.update(format=2)}, "newer GradLab (format 2)"),
        ({"manifest": lambda d: d.update(format="1")}, '"format" must be a version number'),
        ({"manifest": lambda d: d["config"]["training"].update(lr=-1)}, "config: training.lr"),
        ({"manifest": lambda d: d["config"].update(colour="red")}, "unknown key 'colour'"),
        ({"manifest": set_run(0, "status", "paused")}, "run 1 (\"numpy-manual lr=1e-6\"): status"),
        ({"manifest": set_run(1, "id", 1)}, "two runs have the same id"),
        ({"manifest": set_run(0, "visible", "yes")}, "visible must be true or false"),
        ({"manifest": set_run(0, "final_loss", "lots")}, "final_loss must be a number"),
        ({"manifest": lambda d: d["runs"][0].pop("arrays")}, "run 1 is missing arrays"),
        ({"manifest": lambda d: d.update(extra=[1])}, '"extra" must be a JSON object'),
        ({"drop": ("runs/1/loss.npy",)}, 'loss: missing part "runs/1/loss.npy"'),
        ({"members": {"runs/1/loss.npy": npy(np.zeros(3))}}, "loss must be a list of"),
        ({"members": {"runs/1/coefficients.npy": npy(np.zeros((STEPS, 3)))}}, "coefficients"),
        ({"members": {"runs/1/steps.npy": npy(np.zeros(STEPS))}}, "steps must be whole numbers"),
        ({"members": {"runs/1/loss.npy": npy(np.array(["a"] * STEPS))}}, "expected numbers"),
        ({"members": {"runs/1/loss.npy": npy(np.zeros(STEPS, bool))}}, "expected numbers"),
        ({"members": {"runs/1/final_coefficients.npy": npy(np.array([0, np.nan, 0, 0]))}},
         "final coefficients must be finite"),
        ({"members": {"runs/1/loss.npy": b"not an array at all"}}, "is not a NumPy array"),
        ({"members": {"runs/1/loss.npy": npy(np.zeros(STEPS))[:-8]}}, "shorter than its shape"),
        ({"members": {"manifest.json": b"{"}}, "manifest.json is not valid JSON"),
        ({"members": {"manifest.json": b'{"kind": "gradlab-session", "format": NaN}'}},
         "contains NaN"),
    ],
)  # fmt: skip
def test_damaged_contents_are_refused_with_a_clear_message(tmp_path, state, change, expected):
    good = tmp_path / "good.gradlab"
    save_session(good, state)
    bad = rewrite(good, tmp_path / "bad.gradlab", **change)
    message = refusal(bad)
    assert expected in message, message


def test_pickled_arrays_are_refused_without_unpickling(tmp_path, state):
    good = tmp_path / "good.gradlab"
    save_session(good, state)
    objects = np.array([Tripwire()] * STEPS, dtype=object)
    pickled = {"runs/1/loss.npy": npy(objects, allow_pickle=True)}
    message = refusal(rewrite(good, tmp_path / "bad.gradlab", members=pickled))
    assert "holds Python objects; GradLab never loads pickled data" in message
    import pickle

    raw = {"runs/1/loss.npy": pickle.dumps(Tripwire())}
    assert "is not a NumPy array" in refusal(rewrite(good, tmp_path / "raw.gradlab", members=raw))
    assert TRIPPED == []


def test_foreign_zips_are_refused(tmp_path):
    foreign = tmp_path / "photos.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "a ZIP archive but not a GradLab session (no manifest.json)" in refusal(foreign)
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("manifest.json", '{"name": "some other app"}')
    assert "not a GradLab session" in refusal(foreign)


def test_zip_bomb_limits(tmp_path, state, monkeypatch):
    path = tmp_path / "s.gradlab"
    save_session(path, state)
    monkeypatch.setattr(session_file, "MAX_TOTAL_BYTES", 1000)
    assert "contents are too large" in refusal(path)
    monkeypatch.setattr(session_file, "MAX_MEMBERS", 5)
    assert "too many parts" in refusal(path)


# ---- writes that never half-happen ----


def test_a_failure_mid_write_leaves_the_previous_file_intact(tmp_path, state, monkeypatch):
    path = tmp_path / "lab.gradlab"
    save_session(path, state)
    before = path.read_bytes()
    calls = []
    real = session_file._write_array

    def crash_on_the_fifth(zf, member, array):
        calls.append(member)
        if len(calls) == 5:
            raise RuntimeError("simulated crash")
        real(zf, member, array)

    monkeypatch.setattr(session_file, "_write_array", crash_on_the_fifth)
    with pytest.raises(RuntimeError, match="simulated crash"):
        save_session(path, SessionState(config=Config(), runs=state.runs[:2]))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["lab.gradlab"]  # no temporary file left behind
    assert_same(load_session(path), state)


class FullDisk:
    """A file whose disk fills up after ``room`` bytes."""

    def __init__(self, file, room):
        self._file, self._room = file, room

    def write(self, data):
        self._room -= len(data)
        if self._room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._file.write(data)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


@pytest.mark.parametrize("room", [0, 200, 5000])
def test_a_full_disk_leaves_the_previous_file_intact(tmp_path, state, monkeypatch, room):
    path = tmp_path / "lab.gradlab"
    save_session(path, state)
    before = path.read_bytes()
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        session_file.os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k), room)
    )
    with pytest.raises(SessionFileError, match="cannot write the file") as info:
        save_session(path, state)
    assert str(info.value) == f"{path}: cannot write the file ({os.strerror(errno.ENOSPC)})"
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["lab.gradlab"]


def test_a_failing_fsync_leaves_the_previous_file_intact(tmp_path, state, monkeypatch):
    path = tmp_path / "lab.gradlab"
    save_session(path, state)
    before = path.read_bytes()

    def no_space(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(session_file.os, "fsync", no_space)
    with pytest.raises(SessionFileError, match="cannot write the file"):
        save_session(path, state)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["lab.gradlab"]


def test_unsaveable_state_is_refused_before_touching_the_disk(tmp_path, state):
    path = tmp_path / "lab.gradlab"
    save_session(path, state)
    before = path.read_bytes()
    for extra in ({"x": {1, 2}}, {"x": float("nan")}):
        with pytest.raises(SessionFileError, match="extra UI state is not plain JSON data"):
            save_session(path, SessionState(config=Config(), extra=extra))
    for extra in ({1: "int key"}, {"x": (1, 2)}):
        with pytest.raises(SessionFileError, match="must use text keys, lists and plain values"):
            save_session(path, SessionState(extra=extra))
    twins = [state.runs[0], state.runs[0]]
    with pytest.raises(SessionFileError, match="run ids must be unique"):
        save_session(path, SessionState(runs=twins))
    assert path.read_bytes() == before
    with pytest.raises(SessionFileError, match="cannot write the file"):
        save_session(tmp_path / "no" / "such" / "folder.gradlab", state)


# ---- autosave ----


def test_autosave_lifecycle(tmp_path, state):
    data_dir = tmp_path / "data"
    assert find_autosave(data_dir) is None and not autosave_needs_recovery(data_dir)
    discard_autosave(data_dir)  # nothing there: fine
    path = write_autosave(data_dir, state)
    assert path == autosave_path(data_dir) and path.is_file()
    # the app crashed here (no clean exit): the next start offers it back
    assert autosave_needs_recovery(data_dir) and find_autosave(data_dir) == path
    assert_same(load_session(find_autosave(data_dir)), state)
    assert mark_clean_exit(data_dir) is True
    assert find_autosave(data_dir) is None
    write_autosave(data_dir, state)  # a new session autosaves: unclean until it exits
    assert find_autosave(data_dir) == path
    (data_dir / ".autosave.gradlab.x1.tmp").write_bytes(b"left by a killed save")
    discard_autosave(data_dir)
    assert find_autosave(data_dir) is None and os.listdir(data_dir) == []


def test_autosave_problems_are_reported_not_raised_at_exit(tmp_path, state):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert mark_clean_exit(not_a_folder) is False
    with pytest.raises(SessionFileError, match="cannot use the folder for autosave"):
        write_autosave(not_a_folder, state)


# ---- CSV export ----


def test_export_history_csv_matches_a_live_history(tmp_path, state):
    record = state.runs[2]  # diverged, with inf and NaN
    export_history_csv(tmp_path / "run.csv", record)
    lines = (tmp_path / "run.csv").read_text().splitlines()
    assert lines[0] == "step,loss,val_loss,a,b,c,d,grad_norm"
    assert len(lines) == 1 + len(record.history)
    assert lines[-1] == "6,nan,nan,inf,-inf,nan,1.0,nan"
    history = History(4)
    h = record.history
    history.append_block(h.steps, h.loss, h.val_loss, h.coefficients, h.grad_norm)
    history.to_csv(tmp_path / "live.csv", "abcd")
    assert (tmp_path / "live.csv").read_text() == (tmp_path / "run.csv").read_text()
    with pytest.raises(SessionFileError, match="cannot write the file"):
        export_history_csv(tmp_path / "missing" / "run.csv", record)
