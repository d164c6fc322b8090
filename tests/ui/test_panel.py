"""ParameterPanel: one config()/set_config() pair, the core's validation marked at the field."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from gradlab.core.config import FIELD_PATHS, Config, ConfigError
from gradlab.model.rules import needs_new_run
from gradlab.ui.parameter_panel import ParameterPanel
from gradlab.ui.widgets import format_number, parse_float, parse_int


@pytest.fixture
def panel(qtbot):
    widget = ParameterPanel()
    qtbot.addWidget(widget)
    return widget


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    """Replace the text the way a student does, then press Return (commits the edit)."""
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_defaults_are_the_chapters_config(panel):
    assert panel.config() == Config()
    assert panel.field_widget("training.lr").text() == "1e-6"
    assert panel.field_widget("data.x_min").text() == "-pi"


def test_every_config_value_has_a_field_with_a_tooltip(panel):
    assert set(panel.fields) == set(FIELD_PATHS)
    for path in FIELD_PATHS:
        tip = panel.field_widget(path).toolTip()
        assert len(tip) > 20 and tip.endswith("."), path


def test_set_config_then_config_round_trips(panel):
    config = Config().with_changes(
        **{
            "data.target": "x**3 - 2*x",
            "data.x_min": -2.0,
            "data.x_max": 1.7,
            "data.points": 1234,
            "data.noise": 0.05,
            "data.val_fraction": 0.125,
            "model.degree": 5,
            "model.basis": "legendre",
            "model.init": "values",
            "model.init_values": (1.0, 2.5, -3e-7, 4.0, 0.1, -math.pi),
            "model.dtype": "float32",
            "training.method": "torch-optim",
            "training.loss": "huber",
            "training.reduction": "mean",
            "training.huber_delta": 0.3,
            "training.lr": 1.2345e-4,
            "training.steps": 123_456,
            "training.batch_size": 64,
            "optimizer.name": "sgd",
            "optimizer.momentum": 0.9,
            "optimizer.nesterov": True,
            "optimizer.weight_decay": 1e-3,
            "optimizer.alpha": 0.95,
            "optimizer.beta1": 0.8,
            "optimizer.beta2": 0.99,
            "optimizer.eps": 1e-7,
            "seed": 4_000_000_000,
        }
    )
    panel.set_config(config)
    assert panel.is_valid() and panel.config() == config
    panel.set_config(Config())
    assert panel.config() == Config()


def test_set_config_emits_config_changed_once(panel, qtbot):
    config = Config().with_changes(**{"training.lr": 1e-5})
    with qtbot.waitSignal(panel.config_changed, timeout=1000) as blocker:
        panel.set_config(config)
    assert blocker.args == [config]


def test_typing_commits_once_on_return_not_per_keystroke(panel, qtbot):
    seen = []
    panel.config_changed.connect(seen.append)
    type_into(qtbot, panel.field_widget("training.lr"), "1e-5")
    assert [c.training.lr for c in seen] == [1e-5]


@pytest.mark.parametrize(
    ("text", "message"),
    [("abc", "learning rate must be a number"), ("-1", "learning rate must be > 0")],
)
def test_a_bad_learning_rate_is_marked_at_the_field(panel, qtbot, text, message):
    edit = panel.field_widget("training.lr")
    with qtbot.waitSignal(panel.validity_changed, timeout=1000) as blocker:
        type_into(qtbot, edit, text)
    assert blocker.args == [False]
    assert not panel.is_valid()
    assert message in panel.error_for("training.lr")
    assert "border" in edit.styleSheet()
    label = panel.fields["training.lr"].box.message_label
    assert label.isVisibleTo(panel) and message in label.text()
    assert message in edit.toolTip()
    with pytest.raises(ConfigError) as error:
        panel.config()
    assert error.value.field == "training.lr"
    type_into(qtbot, edit, "2e-6")
    assert panel.is_valid() and panel.error_for("training.lr") is None
    assert edit.styleSheet() == "" and not label.isVisibleTo(panel)


def test_a_bad_expression_shows_where_it_is_wrong(panel, qtbot):
    panel.target_combo.setCurrentText("sin(x")
    message = panel.error_for("data.target")
    assert "position 4" in message and "never closed" in message
    label_text = panel.fields["data.target"].box.message_label.text()
    assert "sin(x\n   ^" in label_text  # the caret under the unclosed bracket
    panel.target_combo.setCurrentText("sin(x) + x**2")
    assert panel.is_valid() and panel.config().data.target == "sin(x) + x**2"


def test_several_bad_fields_are_marked_at_once(panel, qtbot):
    type_into(qtbot, panel.field_widget("training.lr"), "abc")
    type_into(qtbot, panel.field_widget("data.noise"), "-1")
    assert set(panel.errors()) == {"training.lr", "data.noise"}
    assert "noise must be >= 0" in panel.error_for("data.noise")


def test_a_cross_field_error_names_the_field_the_core_names(panel, qtbot):
    type_into(qtbot, panel.field_widget("data.x_max"), "-5")
    assert "x max must be greater than x min" in panel.error_for("data.x_max")


def test_optimizer_settings_show_only_for_torch_optim_and_the_chosen_optimizer(panel):
    assert not panel.optimizer_group.isVisibleTo(panel)
    method = panel.method_combo
    method.setCurrentIndex(method.findData("torch-optim"))
    assert panel.optimizer_group.isVisibleTo(panel)
    assert "torch.optim" in panel.method_explanation.text()
    optimizer = panel.field_widget("optimizer.name")
    optimizer.setCurrentIndex(optimizer.findData("adam"))
    visible = {p for p in panel.fields if panel.field_widget(p).isVisibleTo(panel)}
    assert {"optimizer.beta1", "optimizer.beta2", "optimizer.eps"} <= visible
    assert "optimizer.momentum" not in visible and "optimizer.alpha" not in visible


def test_hidden_fields_do_not_block_the_config(panel, qtbot):
    method = panel.method_combo
    method.setCurrentIndex(method.findData("torch-optim"))
    type_into(qtbot, panel.field_widget("optimizer.eps"), "nope")
    assert not panel.is_valid()
    method.setCurrentIndex(method.findData("numpy-manual"))
    assert panel.is_valid()


def test_data_errors_found_outside_the_form_block_it(panel):
    panel.set_external_error("data.target", "log(x) is not finite at x = -3.142")
    assert not panel.is_valid() and "not finite" in panel.error_for("data.target")
    panel.set_external_error("data.target", None)
    assert panel.is_valid()


@pytest.mark.parametrize(
    "value", [1e-6, 0.5, -math.pi, math.pi / 2, 2 * math.pi, 123456.789, 1 / 3, 1e300, 0.0]
)
def test_numbers_print_short_and_read_back_exactly(value):
    assert parse_float(format_number(value), "x") == value


def test_number_fields_read_what_students_type():
    assert parse_float(" 1E-6 ", "lr") == 1e-6
    assert parse_float("-π", "x") == -math.pi
    assert parse_int("2e5", "steps") == 200_000
    assert parse_int("200_000", "steps") == 200_000
    for bad in ("nan", "inf", "1e400", ""):
        with pytest.raises(ValueError, match="lr"):
            parse_float(bad, "lr")
    with pytest.raises(ValueError, match="whole number"):
        parse_int("2.5", "steps")


def test_which_changes_need_a_new_run():
    base = Config()
    assert not needs_new_run(base, base.with_changes(**{"training.lr": 1e-5}))
    assert not needs_new_run(base, base.with_changes(**{"training.steps": 10}))
    assert not needs_new_run(base, base.with_changes(**{"optimizer.momentum": 0.5}))
    assert needs_new_run(base, base.with_changes(**{"model.degree": 4}))
    assert needs_new_run(base, base.with_changes(**{"training.method": "torch-optim"}))
    assert needs_new_run(base, base.with_changes(**{"optimizer.name": "adam"}))
    assert needs_new_run(base, base.with_changes(**{"seed": 1}))
