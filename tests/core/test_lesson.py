"""Lesson and config files: round trips, one-line errors, and writes that never half-happen."""

import json
import os

import pytest

from gradlab.core import lesson as lesson_module
from gradlab.core.config import Config
from gradlab.core.lesson import (
    MAX_FILE_BYTES,
    Lesson,
    atomic_write_bytes,
    atomic_write_text,
    config_from_dict,
    config_to_dict,
    config_to_json,
    lesson_to_json,
    load_lesson,
    localized,
    parse_lesson,
    save_config,
    save_lesson,
)
from gradlab.core.lesson_fields import LessonError

FULL = Lesson(
    config=Config().with_changes(
        **{
            "training.method": "torch-optim",
            "training.lr": 1e-3,
            "model.init": "values",
            "model.init_values": (0.0, 1.0, 0.0, -0.1),
            "data.target": "x**2 - 1",
            "seed": 7,
        }
    ),
    title={"en": "Optimizers race", "zh": "优化器比赛"},
    explanation={"en": "Watch them.", "zh": "看它们。"},
    questions=({"en": "Which wins?", "zh": "哪个赢？"},),
    locked=("training.method",),
    hidden=("optimizer",),
    compare_optimizers=("sgd", "rmsprop", "adam"),
)


def document(**parts):
    return json.dumps({"format": 1, "kind": "gradlab-lesson", **parts})


def error_of(text):
    with pytest.raises(LessonError) as info:
        parse_lesson(text, source="l.json")
    return info.value


# ---- round trips ----


def test_config_dict_round_trip():
    config = FULL.config
    data = config_to_dict(config)
    assert data["model"]["init_values"] == [0.0, 1.0, 0.0, -0.1]
    assert set(data) == {"data", "model", "training", "optimizer", "seed"}
    assert config_from_dict(json.loads(json.dumps(data))) == config


def test_lesson_json_round_trip_is_exact():
    text = lesson_to_json(FULL)
    assert "优化器比赛" in text  # readable UTF-8, not \u escapes
    assert parse_lesson(text) == FULL
    assert lesson_to_json(parse_lesson(text)) == text


def test_default_x_range_survives_json_exactly():
    back = config_from_dict(json.loads(json.dumps(config_to_dict(Config()))))
    assert back == Config()


def test_file_round_trip(tmp_path):
    path = tmp_path / "lesson.json"
    save_lesson(path, FULL)
    assert load_lesson(path) == FULL
    assert load_lesson(str(path)) == FULL


def test_bare_config_file(tmp_path):
    path = tmp_path / "c.json"
    save_config(path, FULL.config)
    loaded = load_lesson(path)
    assert loaded.config == FULL.config
    assert loaded.title == {}
    assert json.loads(config_to_json(FULL.config))["kind"] == "gradlab-config"


def test_minimal_files_take_the_defaults():
    assert parse_lesson('{"format": 1, "kind": "gradlab-config"}').config == Config()
    lesson = parse_lesson(document(config={"training": {"lr": 1}}))
    assert lesson.config.training.lr == 1.0
    assert isinstance(lesson.config.training.lr, float)


def test_plain_string_texts_are_english():
    lesson = parse_lesson(document(title="Hi", questions=["Why?"]))
    assert lesson.title == {"en": "Hi"}
    assert lesson.questions == ({"en": "Why?"},)


def test_integral_floats_are_accepted_for_integers():
    assert config_from_dict({"data": {"points": 2000.0}}).data.points == 2000


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + config_to_json(Config()).encode())
    assert load_lesson(path).config == Config()


def test_localized():
    assert localized({"en": "a", "zh": "b"}, "zh") == "b"
    assert localized({"en": "a"}, "zh") == "a"
    assert localized({"fr": "c"}, "zh") == "c"
    assert localized({}, "zh") == ""


# ---- config errors ----


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        (
            {"training": {"learning_rate": 1}},
            "unknown key 'training.learning_rate' — did you mean 'training.lr'?",
            None,
        ),
        ({"lr": 1}, "unknown key 'lr' — did you mean 'training.lr'?", None),
        (
            {"training": {"lr": -1}},
            "training.lr: learning rate must be > 0 and finite, got -1",
            "training.lr",
        ),
        ({"training": {"lr": "fast"}}, 'training.lr must be a number, got "fast"', "training.lr"),
        (
            {"training": {"steps": 1.5}},
            "training.steps must be a whole number, got 1.5",
            "training.steps",
        ),
        (
            {"training": {"steps": True}},
            "training.steps must be a whole number, got true",
            "training.steps",
        ),
        (
            {"optimizer": {"nesterov": 1}},
            "optimizer.nesterov must be true or false, got 1",
            "optimizer.nesterov",
        ),
        ({"data": {"target": 3}}, "data.target must be text, got 3", "data.target"),
        (
            {"model": {"init_values": [1, "a"]}},
            'model.init_values must be a number, got "a"',
            "model.init_values",
        ),
        (
            {"model": {"init_values": 3}},
            "model.init_values must be a list of numbers, got 3",
            "model.init_values",
        ),
        ({"model": [1]}, "model must be a JSON object, got [1]", "model"),
        ({"seed": "x"}, 'seed must be a whole number, got "x"', "seed"),
        ([1, 2], "config must be a JSON object, got [1, 2]", None),
    ],
)
def test_config_errors_name_the_field(data, message, field):
    with pytest.raises(LessonError) as info:
        config_from_dict(data)
    assert str(info.value) == message
    assert info.value.field == field


# ---- file errors: one line, the file name first ----


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": 1,',
            "l.json: not valid JSON: Expecting property name enclosed in double "
            "quotes at line 1, column 14",
        ),
        (
            '{"format": 1,\n "kind": }',
            "l.json: not valid JSON: Expecting value at line 2, column 10",
        ),
        ("", "l.json: not valid JSON: Expecting value at line 1, column 1"),
        ("[1]", "l.json: a lesson file must be a JSON object, got [1]"),
        ('"hello"', 'l.json: a lesson file must be a JSON object, got "hello"'),
        ('{"kind": "gradlab-lesson"}', 'l.json: missing "format": 1'),
        (
            '{"format": 2, "kind": "gradlab-lesson"}',
            "l.json: format version 2 is not supported (this GradLab reads version 1)",
        ),
        ('{"format": true, "kind": "gradlab-lesson"}', "l.json: format version true is not"),
        (
            '{"format": 1, "kind": "photo"}',
            'l.json: "kind" must be "gradlab-lesson" or "gradlab-config", got "photo"',
        ),
        ('{"format": 1}', 'l.json: "kind" must be "gradlab-lesson" or "gradlab-config", got null'),
        (
            '{"format": 1, "kind": "gradlab-config", "config": {"seed": NaN}}',
            "l.json: NaN is not allowed in a lesson file; write a finite number",
        ),
        (
            '{"format": 1, "kind": "gradlab-config", "config": {"training": {"lr": -Infinity}}}',
            "l.json: -Infinity is not allowed",
        ),
        (document(titel="x"), "l.json: unknown key 'titel' — did you mean 'title'?"),
        (
            '{"format": 1, "kind": "gradlab-config", "title": "x"}',
            "l.json: 'title' belongs in a gradlab-lesson file, not a gradlab-config file",
        ),
        (document(training={}), "l.json: unknown key 'training' — settings go inside \"config\""),
        (
            document(locked=["training.rate"]),
            "l.json: locked: unknown setting 'training.rate' — did you mean 'training.lr'?",
        ),
        (document(hidden="optimizer"), 'l.json: hidden must be a list, got "optimizer"'),
        (document(hidden=[3]), "l.json: hidden must be a list of names, got 3"),
        (
            document(compare_optimizers=["adam", "lion"]),
            "l.json: compare_optimizers: optimizer must be one of sgd, rmsprop, adam, adamw, "
            "adagrad, got 'lion'",
        ),
        (document(title={"en": 3}), "l.json: title must be text or an object like"),
        (document(questions=[["a"]]), "l.json: questions[0] must be text or an object like"),
        (
            document(config={"training": {"lr": 0}}),
            "l.json: training.lr: learning rate must be > 0 and finite, got 0",
        ),
        ("[" * 100_000 + "]" * 100_000, "l.json: not a lesson file: the JSON is nested too deeply"),
    ],
)
def test_file_errors_are_one_line(text, message):
    error = error_of(text)
    assert str(error).startswith(message)
    assert "\n" not in str(error)


def test_config_error_keeps_the_field():
    error = error_of(document(config={"data": {"points": 1}}))
    assert error.field == "data.points"


def test_locked_and_hidden_accept_groups_and_paths():
    lesson = parse_lesson(document(locked=["data", "seed", "optimizer.beta1"], hidden=["model"]))
    assert lesson.locked == ("data", "seed", "optimizer.beta1")


def test_lesson_constructor_validates():
    with pytest.raises(LessonError, match="hidden: unknown setting 'optimiser'"):
        Lesson(hidden=("optimiser",))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(LessonError, match=r"nope\.json: no such file$"):
        load_lesson(tmp_path / "nope.json")
    with pytest.raises(LessonError, match="is a folder"):
        load_lesson(tmp_path)


def test_truncated_file_names_the_file(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(lesson_to_json(FULL)[:100], encoding="utf-8")
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert str(info.value).startswith(f"{path}: not valid JSON: ")
    assert "line" in str(info.value)


def test_binary_file(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    with pytest.raises(LessonError, match=r"image\.png: not UTF-8 text"):
        load_lesson(path)


def test_too_large_file(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(LessonError, match="too large"):
        load_lesson(path)


def test_unwritable_target_is_a_lesson_error(tmp_path):
    with pytest.raises(LessonError, match="cannot write the file"):
        save_lesson(tmp_path / "missing-folder" / "x.json", FULL)


# ---- atomic writes ----


def test_atomic_write_creates_and_replaces(tmp_path):
    path = tmp_path / "out.txt"
    atomic_write_text(path, "first")
    atomic_write_text(path, "second ✓")
    assert path.read_text(encoding="utf-8") == "second ✓"
    atomic_write_bytes(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert os.listdir(tmp_path) == ["out.txt"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_atomic_write_keeps_the_old_mode(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    path.chmod(0o600)
    atomic_write_text(path, "new")
    assert path.stat().st_mode & 0o777 == 0o600


def test_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "lesson.json"
    path.write_text("old contents")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lesson_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_text(path, "new contents")
    assert path.read_text() == "old contents"
    assert os.listdir(tmp_path) == ["lesson.json"]
    with pytest.raises(LessonError, match=r"lesson\.json: cannot write the file \(No space left"):
        save_lesson(path, FULL)
    assert path.read_text() == "old contents"


def test_failed_write_midway_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "lesson.json"
    path.write_text("old contents")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(lesson_module.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        atomic_write_bytes(path, b"new contents" * 1000)
    assert path.read_text() == "old contents"
    assert os.listdir(tmp_path) == ["lesson.json"]


def test_interrupt_midway_also_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / "lesson.json"

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(lesson_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(path, "x")
    assert os.listdir(tmp_path) == []


def test_atomic_write_through_a_symlink_replaces_the_target(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
