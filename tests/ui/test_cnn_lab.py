"""The CNN lab tab: the strip follows the stages, pause/step/resume, confusion-matrix clicks,
weights round trip, and errors shown inline (never a traceback or a modal)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gradlab.core.cnn.config import default_config
from gradlab.ui.cnn.lab import CnnLabWidget
from gradlab.ui.cnn.pipeline_strip import STRIP_STAGES
from gradlab.ui.cnn.settings_model import summary_rows
from gradlab.ui.dialogs import Dialogs

SMALL = {"n_images": 600, "batch_size": 32, "epochs": 1, "threads": 1}
WAIT_MS = 20_000  # the first run of a process imports torch and builds its optimizer machinery


class FakeDialogs(Dialogs):
    """Answers the lab's file dialogs with the paths a test sets; never opens a modal."""

    def __init__(self) -> None:
        super().__init__(None)
        self.save_path: str | None = None
        self.open_path: str | None = None
        self.folder_answer: str | None = None

    def ask_save_file(self, title: str, filters: str, suggested: str) -> str | None:
        return self.save_path

    def ask_open_file(self, title: str, filters: str) -> str | None:
        return self.open_path

    def ask_folder(self, title: str) -> str | None:
        return self.folder_answer


@pytest.fixture
def lab(qtbot):
    widget = CnnLabWidget(dialogs=FakeDialogs())
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.settings.set_config(default_config("shapes", **SMALL), notify=False)
    yield widget
    assert widget.shutdown(timeout_ms=3000), "the CNN training thread did not end in time"


def _finish(qtbot, lab):
    with qtbot.waitSignal(
        lab.state_changed, timeout=WAIT_MS, check_params_cb=lambda s: s == "finished"
    ):
        lab.start()


def _results(qtbot, lab):
    with qtbot.waitSignal(lab.results_ready, timeout=WAIT_MS) as blocker:
        lab.select_stage("results")
    return blocker.args[0]


def test_the_strip_follows_the_stages(qtbot, lab):
    # 5 validation chunks and one unit every 50 ms: the worker's catch-up after a slow unit
    # (at most 0.1 s of units) cannot skip a whole stage of interest
    lab.settings.set_config(default_config("shapes", **{**SMALL, "val_fraction": 0.5}))
    lab.controller.trainer.set_speed(20)
    order = ["data", "model", "loss", "optimizer", "train", "validate", "results"]
    seen: list[str] = []

    def record(batch):
        statuses = lab.strip.statuses()
        here = order.index(batch.stage)
        expected = "done" if batch.status == "finished" else "running"
        assert statuses[batch.stage] == expected, (batch.stage, statuses)
        assert all(statuses[s] == "done" for s in ["download", *order[:here]]), statuses
        assert all(statuses[s] == "waiting" for s in order[here + 1 :]), statuses
        if not seen or seen[-1] != batch.stage:
            seen.append(batch.stage)

    lab.batch_received.connect(record)
    assert set(lab.strip.statuses().values()) == {"waiting"}
    _finish(qtbot, lab)
    assert seen == sorted(seen, key=order.index)  # never backwards
    assert {"train", "validate", "results"} <= set(seen)
    assert set(lab.strip.statuses().values()) == {"done"}
    assert lab.strip.running_stage() is None
    qtbot.mouseClick(lab.strip.boxes["model"], Qt.MouseButton.LeftButton)
    assert lab.stack.currentWidget() is lab.pages["model"]
    assert "Conv2d" in lab.strip.caption.text()
    assert list(lab.strip.boxes) == list(STRIP_STAGES)


def test_pause_step_resume(qtbot, lab):
    lab.settings.set_config(default_config("shapes", **{**SMALL, "epochs": 2}), notify=False)
    with qtbot.waitSignal(lab.step_finished, timeout=WAIT_MS) as first:
        lab.step()  # from nothing: loads the data, prepares, then exactly one batch
    assert first.args == [1] and lab.run_state == "paused"
    assert lab.controller.trainer.session.step_count == 1
    assert lab.strip.status("train") == "current"
    assert [lab.strip.status(s) for s in ("data", "model", "loss", "optimizer")] == ["done"] * 4

    with qtbot.waitSignal(
        lab.state_changed, timeout=WAIT_MS, check_params_cb=lambda s: s == "running"
    ):
        lab.start()
    qtbot.waitUntil(lambda: lab.latest.step_count >= 5, timeout=WAIT_MS)
    with qtbot.waitSignal(
        lab.state_changed, timeout=WAIT_MS, check_params_cb=lambda s: s == "paused"
    ):
        lab.pause()
    before = lab.latest.step_count
    assert lab.controller.trainer.session.step_count == before
    for expected in (before + 1, before + 2):
        with qtbot.waitSignal(lab.step_finished, timeout=WAIT_MS) as stepped:
            lab.step()
        assert stepped.args == [expected]
        assert lab.controller.trainer.session.step_count == expected
    assert lab.actions["start"].text() == "Resume"
    _finish(qtbot, lab)
    assert lab.latest.step_count == 2 * lab.latest.batches_per_epoch


def test_step_after_stop_begins_a_new_run_of_one_batch(qtbot, lab):
    lab.settings.set_config(default_config("shapes", **{**SMALL, "epochs": 2}), notify=False)
    with qtbot.waitSignal(
        lab.state_changed, timeout=WAIT_MS, check_params_cb=lambda s: s == "running"
    ):
        lab.start()
    qtbot.waitUntil(lambda: lab.latest is not None and lab.latest.step_count >= 3, timeout=WAIT_MS)
    lab.stop()
    assert lab.run_state == "stopped" and lab.actions["step"].isEnabled()
    assert not lab.actions["stop"].isEnabled() and not lab.actions["pause"].isEnabled()
    old = lab.controller.trainer.session
    with qtbot.waitSignal(lab.step_finished, timeout=WAIT_MS) as stepped:
        lab.step()
    assert stepped.args == [1] and lab.run_state == "paused"
    assert lab.controller.trainer.session is not old


def test_step_across_an_epoch_end_validates_then_trains_one_batch(qtbot, lab):
    lab.settings.set_config(default_config("shapes", **{**SMALL, "epochs": 2}), notify=False)
    with qtbot.waitSignal(lab.step_finished, timeout=WAIT_MS):
        lab.step()
    per_epoch = lab.latest.batches_per_epoch
    lab.controller.trainer.step(per_epoch - 1)  # the worker's own unit steps: to the epoch's end
    qtbot.waitUntil(lambda: lab.latest.step_count == per_epoch, timeout=WAIT_MS)
    with qtbot.waitSignal(lab.step_finished, timeout=WAIT_MS) as stepped:
        lab.step()
    assert stepped.args == [per_epoch + 1]
    assert lab.training_plots.epochs.size == 1  # epoch 1 was validated on the way
    assert lab.strip.status("validate") == "done"


def test_confusion_cells_show_their_images(qtbot, lab):
    _finish(qtbot, lab)
    snapshot = _results(qtbot, lab)
    results = snapshot.results
    assert snapshot.pictures is not None and len(snapshot.pictures) == len(results.true_labels)
    t, p = np.unravel_index(int(results.confusion.argmax()), results.confusion.shape)
    shown = lab.select_confusion_cell(int(t), int(p))
    np.testing.assert_array_equal(shown, results.cell_indices(int(t), int(p)))
    np.testing.assert_array_equal(lab.results_view.shown_indices, shown)
    assert len(lab.results_view.grid.pictures) == min(len(shown), 96)

    view = lab.results_view.confusion  # a real click on another cell with images
    lab.results_view.show()
    t2, p2 = next(
        (int(a), int(b))
        for a, b in zip(*np.nonzero(results.confusion), strict=True)
        if (a, b) != (t, p)
    )
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.cell_rect(t2, p2).center())
    np.testing.assert_array_equal(lab.results_view.shown_indices, results.cell_indices(t2, p2))
    assert view.selected == (t2, p2)

    with qtbot.waitSignal(lab.results_view.image_chosen, timeout=2000):
        qtbot.mouseClick(
            lab.results_view.grid,
            Qt.MouseButton.LeftButton,
            pos=lab.results_view.grid.cell_rect(0).center(),
        )
    qtbot.waitUntil(
        lambda: (
            lab.results_view._feature_maps is not None
            and lab.results_view._feature_maps.index == lab.results_view.shown_indices[0]
        ),
        timeout=WAIT_MS,
    )


def test_weights_round_trip_and_a_corrupt_file(qtbot, lab, tmp_path):
    _finish(qtbot, lab)
    trained = _results(qtbot, lab).results
    path = tmp_path / "weights.pt"
    lab.dialogs.save_path = str(path)
    with qtbot.waitSignal(lab.job_done, timeout=WAIT_MS, check_params_cb=lambda k: k == "saved"):
        lab.save_weights()
    assert path.stat().st_size > 100_000 and "saved" in lab.banner.text

    lab.reset()  # a fresh, untrained model with the same settings takes the weights
    assert lab.run_state == "ready" and lab.controller.trainer.worker is None
    lab.dialogs.open_path = str(path)
    with qtbot.waitSignal(lab.results_ready, timeout=WAIT_MS) as loaded:
        lab.load_weights()
    np.testing.assert_array_equal(loaded.args[0].results.predictions, trained.predictions)
    assert lab.banner.level == "info" and "loaded" in lab.banner.text

    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"this is not a weights file")
    lab.dialogs.open_path = str(broken)
    with qtbot.waitSignal(lab.job_done, timeout=WAIT_MS, check_params_cb=lambda k: k == "error"):
        lab.load_weights()
    assert lab.banner.isVisibleTo(lab) and lab.banner.level == "error"
    assert "not a weights file" in lab.banner.text and "Traceback" not in lab.banner.text


def test_invalid_cifar_folders_are_reported_inline(qtbot, lab, tmp_path):
    settings = lab.settings
    settings.dataset_combo.setCurrentIndex(settings.dataset_combo.findData("cifar10"))
    assert "needs a data folder" in settings.error_for("data_dir")
    assert not lab.actions["start"].isEnabled()
    settings.folder_edit.setText(str(tmp_path))  # exists, but holds no batches
    assert "incomplete" in settings.error_for("data_dir")
    assert settings.field_widget("data_dir").toolTip() == settings.error_for("data_dir")
    assert not lab.actions["start"].isEnabled() and not lab.actions["step"].isEnabled()

    for name in ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                 "data_batch_5", "test_batch", "batches.meta"):  # fmt: skip
        (tmp_path / name).write_bytes(b"garbage, not a CIFAR-10 batch")
    lab.dialogs.folder_answer = str(tmp_path)
    qtbot.mouseClick(settings.folder_button, Qt.MouseButton.LeftButton)  # chosen again
    assert settings.error_for("data_dir") is None and lab.actions["start"].isEnabled()
    with qtbot.waitSignal(
        lab.state_changed, timeout=WAIT_MS, check_params_cb=lambda s: s == "failed"
    ):
        lab.start()
    assert lab.banner.level == "error" and "data_batch_1" in lab.banner.text
    assert lab.strip.status("data") == "failed"
    assert lab.actions["start"].isEnabled()  # fix the folder and start again


def test_settings_mark_core_errors_and_lock_during_a_run(qtbot, lab):
    settings = lab.settings
    settings.field_widget("n_images").setText("605")
    assert "multiple of 10" in settings.error_for("n_images")
    assert not lab.actions["start"].isEnabled()
    settings.field_widget("n_images").setText("600")
    settings.field_widget("lr").setText("0")
    assert "learning rate" in settings.error_for("lr")
    settings.field_widget("lr").setText("1e-3")
    assert settings.is_valid() and lab.actions["start"].isEnabled()
    settings.dataset_combo.setCurrentIndex(settings.dataset_combo.findData("demo"))
    config = settings.config()
    assert (config.optimizer, config.lr, config.loss, config.epochs) == (
        "rmsprop",
        1e-4,
        "mse",
        100,
    )


def test_summary_table_matches_the_core_model():
    import torch  # noqa: F401  (the core's summary runs the model)

    from gradlab.core.cnn.model import build_cnn, summary

    assert sum(row[3] for row in summary_rows("shapes", False)) == 145_578
    for dataset, channels in (("shapes", 3), ("digits", 1)):
        for relu in (False, True):
            core = summary(build_cnn(channels, 32, relu), (channels, 32, 32))
            ours = summary_rows(dataset, relu)
            assert [(r[0], r[1], r[2], r[3]) for r in ours] == [
                (r.name, r.kind, r.output_shape, r.parameters) for r in core.rows
            ]


def test_export_script_writes_a_standalone_script(qtbot, lab, tmp_path):
    path = tmp_path / "pipeline.py"
    lab.dialogs.save_path = str(path)
    with qtbot.waitSignal(lab.job_done, timeout=WAIT_MS, check_params_cb=lambda k: k == "exported"):
        lab.export_script()  # no session yet: one is built (paused) to write it
    text = path.read_text(encoding="utf-8")
    compile(text, str(path), "exec")  # valid Python (not run: it would train)
    assert "optimizer.step()" in text and "600" in text
    assert lab.run_state == "ready" and "Script written" in lab.banner.text


def _load_samples(qtbot, lab):
    with qtbot.waitSignal(lab.samples_ready, timeout=WAIT_MS) as blocker:
        lab.load_data()
    return blocker.args[0]


def test_the_samples_show_every_class_with_whole_captions(qtbot, lab):
    samples = _load_samples(qtbot, lab)
    preview = lab.settings.preview
    assert len(samples.labels) == 40
    assert len(set(samples.labels)) == 10  # a mix, not the first 40 of a sorted split
    assert len(preview.pictures) == 40
    for label in samples.labels:
        assert preview.shown_caption(label) == label  # "vertical stripes", not "vertical str…"
    assert "the classes in turn" in lab.settings.preview_info.text()


def test_the_batch_plots_span_the_run_and_the_tab_fits_a_classroom_screen(qtbot, lab):
    lab.resize(1280, 720)
    assert lab.minimumSizeHint().width() <= 1280 - 40  # docks' and window's margins
    _finish(qtbot, lab)
    total = lab.latest.total_steps
    lab.training_plots.dirty = True
    lab.training_plots.redraw()
    for plot in (lab.training_plots.loss_plot, lab.training_plots.accuracy_plot):
        low, high = plot.plotItem.vb.viewRange()[0]
        assert low == pytest.approx(-0.04 * total) and high == pytest.approx(1.04 * total)


@pytest.fixture
def chinese(qapp):
    from gradlab.ui.i18n import language_manager

    manager = language_manager()
    assert manager.set_language("zh", remember=False)
    yield manager
    manager.set_language("en", remember=False)


def test_class_names_and_folder_errors_in_chinese(qtbot, lab, chinese, tmp_path):
    from gradlab.core.cnn.shapes import SHAPE_NAMES_ZH

    lab.retranslate_ui()
    lab.resize(1280, 720)
    assert lab.minimumSizeHint().width() <= 1280 - 40
    chinese_names = set(SHAPE_NAMES_ZH.values())
    samples = _load_samples(qtbot, lab)
    preview = lab.settings.preview
    shown = {lines[0][0] for lines in preview.captions}
    assert shown == set(samples.labels_zh) and shown <= chinese_names and len(shown) == 10
    assert all(preview.shown_caption(label) == label for label in shown)
    _finish(qtbot, lab)
    view = _results(qtbot, lab).results and lab.results_view
    assert set(view.confusion.names) == chinese_names
    assert set(view.class_accuracy.names) == chinese_names
    assert {lines[0][0] for lines in view.grid.captions} <= chinese_names
    t, p = np.unravel_index(int(view.snapshot.results.confusion.argmax()), (10, 10))
    lab.select_confusion_cell(int(t), int(p))
    assert view.confusion.names[t] in view.grid_title.text()

    lab.reset()
    settings = lab.settings
    settings.dataset_combo.setCurrentIndex(settings.dataset_combo.findData("cifar10"))
    assert "CIFAR-10" in settings.error_for("data_dir") and "needs" not in settings.error_for(
        "data_dir"
    )
    settings.folder_edit.setText(str(tmp_path))
    message = settings.error_for("data_dir")
    assert "data_batch_1" in message and "incomplete" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)  # in Chinese


def test_image_captions_grow_with_the_font_and_stay_whole(qtbot):
    """Zoomed (a larger font), each caption line is as tall as the font's lines, so two lines
    never overlap, and a long class name still fits its cell."""
    from PySide6.QtGui import QFont, QFontMetrics

    from gradlab.ui.cnn.image_grid import ImageGrid

    grid = ImageGrid("testGrid", caption_lines=2)
    qtbot.addWidget(grid)
    pictures = np.zeros((3, 16, 16, 3), dtype=np.uint8)
    captions = [[("vertical stripes", "mistake"), ("(horizontal stripes)", "mistake")]] * 3
    grid.set_images(pictures, captions)
    small_height = grid.cell_size()[1]
    font = QFont(grid.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    grid.setFont(font)
    spacing = QFontMetrics(grid.caption_font()).lineSpacing()
    assert grid.line_height() == spacing
    assert grid.cell_size()[1] >= 16 * grid.scale + 2 * spacing
    assert grid.cell_size()[1] > small_height
    assert grid.shown_caption("(horizontal stripes)") == "(horizontal stripes)"


def test_the_training_plots_fit_the_tab_after_the_results_were_shown(qtbot):
    """In the window the tab scrolls (for narrow screens); the results' image grids grow with
    their width, and that height must stay on the results page: the training page's plots,
    x axis included, fit a 1280×720 screen without scrolling."""
    from PySide6.QtWidgets import QScrollArea

    area = QScrollArea()
    area.setWidgetResizable(True)
    lab = CnnLabWidget(dialogs=FakeDialogs())
    lab.settings.set_config(default_config("shapes", **SMALL), notify=False)
    area.setWidget(lab)
    qtbot.addWidget(area)
    area.resize(1280, 648)  # the tab's viewport at 1280×720, under the menu, tab bar and status
    area.show()
    try:
        _load_samples(qtbot, lab)
        _finish(qtbot, lab)
        _results(qtbot, lab)
        lab.select_stage("train")
        qtbot.waitUntil(lambda: lab.training_plots.loss_plot.isVisible())
        assert lab.height() <= area.viewport().height()
        plot = lab.training_plots.loss_plot
        bottom = plot.mapTo(area.viewport(), plot.rect().bottomLeft()).y()
        assert bottom <= area.viewport().height()
    finally:
        assert lab.shutdown(timeout_ms=3000)
