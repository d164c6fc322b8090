"""The fit: data points, the target curve, the best possible fit (dashed) and the current one."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QWidget

from gradlab.core.data import Dataset
from gradlab.ui.plots.base import (
    OPTIMUM_COLOUR,
    PREDICTION_COLOUR,
    TARGET_COLOUR,
    TRAIN_COLOUR,
    VALIDATION_COLOUR,
    LivePlot,
    drawable,
)

MAX_SCATTER_POINTS = 4000  # a million training points still draw as a few thousand dots


def _thin(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    stride = max(1, int(np.ceil(x.size / MAX_SCATTER_POINTS)))
    return x[::stride], y[::stride]


class FitPlot(LivePlot):
    """y against x: what the polynomial looks like next to the data it learns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("fitPlot", self.tr("Fit"), "x", "y", legend_offset=(6, 6), parent=parent)
        self.points = self.add_curve(
            self.tr("training points"),
            TRAIN_COLOUR,
            symbol="o",
            symbolSize=4,
            symbolPen=None,
            symbolBrush=(31, 95, 191, 90),
        )
        self.validation_points = self.add_curve(
            self.tr("validation points"),
            VALIDATION_COLOUR,
            symbol="o",
            symbolSize=5,
            symbolPen=None,
            symbolBrush=(224, 123, 0, 170),
        )
        self.target = self.add_curve(self.tr("target"), TARGET_COLOUR, 1.2)
        self.optimum = self.add_curve(self.tr("best possible fit"), OPTIMUM_COLOUR, 2, dashed=True)
        self.cache_static(self.points, self.validation_points, self.target, self.optimum)
        self.prediction = self.add_live_curve(self.tr("current fit"), PREDICTION_COLOUR, 2.5)
        self._target_label: str | None = None  # the data's target, named again by retranslate_ui

    def show_problem(
        self, dataset: Dataset, grid: np.ndarray, target: np.ndarray, optimum: np.ndarray | None
    ) -> None:
        """The parts that do not change during a run: points, target and optimum curves."""
        self.set_curve(self.points, *_thin(dataset.x, dataset.y))
        self.set_curve(self.validation_points, *_thin(dataset.x_val, dataset.y_val))
        has_validation = dataset.x_val.size > 0
        self.validation_points.setVisible(has_validation)
        self.show_in_legend(self.validation_points, self.tr("validation points"), has_validation)
        self.set_curve(self.target, grid, target)
        self._target_label = dataset.target_label
        self._name_target()
        if optimum is None:
            self.optimum.setData([], [])
        else:
            self.set_curve(self.optimum, grid, optimum)
        self._frame(np.concatenate([dataset.y, dataset.y_val, target]), grid)

    def retranslate_ui(self) -> None:
        """Name the target curve again in the current language (a language switch)."""
        if self._target_label is not None:
            self._name_target()

    def _name_target(self) -> None:
        self.rename(self.target, self.tr("target: {label}").format(label=self._target_label))

    def show_prediction(self, grid: np.ndarray, values: np.ndarray) -> None:
        self.set_curve(self.prediction, grid, values)

    def clear_prediction(self) -> None:
        self.prediction.setData([], [])

    def _frame(self, ys: np.ndarray, grid: np.ndarray) -> None:
        """Frame the data, not a wild prediction: a diverging fit must not zoom the data away."""
        _, finite = drawable(np.zeros_like(ys), ys)
        if finite.size == 0 or grid.size == 0:
            return
        low, high = float(finite.min()), float(finite.max())
        margin = 0.15 * (high - low) if high > low else 1.0
        self.plotItem.vb.setRange(
            xRange=(float(grid[0]), float(grid[-1])),
            yRange=(low - margin, high + margin),
            padding=0.02,
        )
