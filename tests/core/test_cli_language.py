"""The command line answers in the locale's language (or --language's): Chinese under a Chinese
locale, English otherwise; still one line on stderr and exit status 2."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from gradlab.core.config import Config, ConfigError
from gradlab.text.errors import FIELDS_ZH, MESSAGES_ZH, error_text
from gradlab.text.file_errors import FILE_MESSAGES_ZH
from gradlab.text.language import environment_language
from tests.script_runner import run_module

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
LOCALE_NAMES = ("GRADLAB_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _gradlab(*args: str, **locale: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_NAMES}
    return run_module("gradlab", *args, cwd=ROOT, env={**env, **locale}, timeout=120)


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize(
    "locale",
    [
        {"LANG": "zh_CN.UTF-8"},
        {"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"},
        {"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"},
        {"LANG": "zh_TW.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"},
    ],
    ids=["LANG", "LC_ALL", "LANGUAGE", "LC_MESSAGES"],
)
def test_a_chinese_locale_gets_a_chinese_line(locale) -> None:
    line = _one_line_error(_gradlab("fit", "--lr", "-1", **locale))
    assert line == "gradlab fit：错误：学习率必须 > 0 且 <= 1000，而不是 -1"


@pytest.mark.parametrize(
    "locale",
    [{}, {"LANG": "en_US.UTF-8"}, {"LANG": "C"}, {"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}],
    ids=["unset", "en_US", "C", "LC_ALL-C"],
)
def test_any_other_locale_gets_the_english_line(locale) -> None:
    line = _one_line_error(_gradlab("fit", "--lr", "-1", **locale))
    assert line == "gradlab fit: error: learning rate must be > 0 and finite, got -1"


def test_the_language_option_outranks_the_locale() -> None:
    english = _one_line_error(_gradlab("fit", "--lr", "-1", "--language", "en", LANG="zh_CN"))
    assert english.startswith("gradlab fit: error: learning rate")
    chinese = _one_line_error(_gradlab("fit", "--language=zh", "--lr", "-1", LANG="en_US"))
    assert chinese.startswith("gradlab fit：错误：学习率")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("fit", "--lr", "abc"), "参数 --lr：--lr 需要一个数字，而不是 'abc'"),
        (("fit", "--method", "foo"), "无效的选项 'foo'"),
        (("fit", "--x-range", "3"), "--x-range 需要 LO,HI"),
        (("fit", "--target", "x+"), "目标函数 'x+' 无法解析（第 3 个字符处）"),
        (("fit", "--csv", "/no/such/folder/h.csv"), "没有文件夹 '/no/such/folder'"),
        (("fit", "--steps", "0"), "步数必须 >= 1"),
        (("cnn", "--epochs", "0"), "轮次（Epoch）数必须 >= 1"),
        (("cnn", "--dataset", "cifar10", "--data-dir", "/no/cifar"), "文件夹“/no/cifar”不存在"),
    ],
)
def test_other_bad_input_answers_in_chinese_too(args, expected) -> None:
    line = _one_line_error(_gradlab(*args, LANG="zh_CN.UTF-8"))
    assert expected in line, line
    assert line.startswith(f"gradlab {args[0]}：错误：")


def test_export_script_comments_follow_the_language(tmp_path) -> None:
    for locale, option in (({"LANG": "zh_CN.UTF-8"}, ()), ({}, ("--language", "zh"))):
        script = tmp_path / "run.py"
        done = _gradlab("fit", "--steps", "3", "--export-script", str(script), *option, **locale)
        assert done.returncode == 0, done.stderr
        assert "# 4. 更新参数" in script.read_text(encoding="utf-8")
    done = _gradlab("fit", "--steps", "3", "--export-script", str(script), LANG="en_US.UTF-8")
    assert "# 4. update the coefficients" in script.read_text(encoding="utf-8")


def test_environment_language_follows_posix_precedence() -> None:
    assert environment_language({}) == "en"
    assert environment_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert environment_language({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}) == "en"
    assert environment_language({"LC_ALL": "", "LANG": "zh_SG"}) == "zh"
    assert environment_language({"LANGUAGE": "en:zh_CN", "LC_ALL": "zh_CN"}) == "en"
    assert environment_language({"GRADLAB_LANGUAGE": "zh", "LANG": "en_US"}) == "zh"


def test_every_message_id_the_core_raises_has_a_chinese_sentence() -> None:
    sources = (ROOT / "gradlab" / "core").rglob("*.py")
    raised = {m for p in sources for m in re.findall(r'message_id="(\w+)"', p.read_text("utf-8"))}
    assert raised, "the search found no message ids"
    # a lesson's or session's bad setting is worded from its cause, the ConfigError
    known = set(MESSAGES_ZH) | set(FILE_MESSAGES_ZH) | {"lesson_config", "session_config"}
    assert raised - {"out_of_range", "not_a_number"} <= known, raised - known


def test_every_field_has_a_chinese_name() -> None:
    from gradlab.core.cnn.config import CnnConfig
    from gradlab.core.config import FIELD_PATHS

    assert set(FIELD_PATHS) - set(FIELDS_ZH) <= {"optimizer.eps"} or not (
        set(FIELD_PATHS) - set(FIELDS_ZH)
    ), set(FIELD_PATHS) - set(FIELDS_ZH)
    assert set(CnnConfig().to_dict()) <= set(FIELDS_ZH), set(CnnConfig().to_dict()) - set(FIELDS_ZH)


@pytest.mark.parametrize(
    "changes",
    [
        {"training.lr": -1.0},
        {"training.steps": 0},
        {"training.method": "bogus"},
        {"optimizer.nesterov": True, "optimizer.momentum": 0.0},
        {"data.x_min": 1.0, "data.x_max": 0.0},
        {"model.init": "values", "model.init_values": (1.0,)},
        {"data.target": "   "},
    ],
)
def test_config_errors_read_in_chinese_and_keep_the_english_message(changes) -> None:
    with pytest.raises(ConfigError) as caught:
        Config().with_changes(**changes)
    chinese = error_text(caught.value, "zh")
    assert CHINESE.search(chinese) and not re.search(r"\b(must|got|and)\b", chinese), chinese
    assert error_text(caught.value, "en") == str(caught.value)
