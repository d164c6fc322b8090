"""CnnSession: the chapter's whole pipeline as small units of work (the Steppable protocol).

data → model → loss → optimizer → train ⇄ validate → results. One unit is one chunk of data
loading, one preparation stage, one training batch or one validation chunk, so a single
advance(1) stays short (about a batch's time) and a worker thread can pause or stop between
units. Numbers do not depend on how the units are grouped into advance() calls.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from gradlab.core.cnn import weights
from gradlab.core.cnn.config import CnnConfig
from gradlab.core.cnn.datasets import (
    CnnData,
    DatasetBuilder,
    class_names,
    images_as_float,
    input_shape,
)
from gradlab.core.cnn.errors import DatasetError
from gradlab.core.cnn.export import write_training_script
from gradlab.core.cnn.model import N_OUTPUTS, build_seeded_cnn
from gradlab.core.cnn.results import CnnBatch, CnnResults, make_results
from gradlab.core.cnn.validation import validation_chunk
from gradlab.core.code_listing import Say
from gradlab.core.messages import Message
from gradlab.core.torch_threads import use_threads


def _estimated_train_size(config: CnnConfig) -> int:
    """Training images before the data is loaded (exact for shapes); total_steps uses it."""
    per_class = config.n_images // 10
    sizes = {
        "shapes": config.n_images - 10 * round(per_class * config.val_fraction),
        "digits": round(1797 * (1 - config.val_fraction)),
        "cifar10": 50_000,
        "demo": 1,
    }
    return max(1, sizes[config.dataset])


class CnnSession:
    """Runs one CnnConfig: advance(n) does up to n units, drain() reports them."""

    def __init__(self, config: CnnConfig) -> None:
        self.config = config
        use_threads(config.threads)  # in the worker thread that trains
        self._builder: DatasetBuilder | None = DatasetBuilder(config)  # checks folders now
        self.data: CnnData | None = None
        self._model: torch.nn.Sequential | None = None
        self.optimizer: torch.optim.Optimizer | None = None
        self.stage = "data"
        self.status = "ready"
        self.error: str | None = None
        self.error_message: Message | None = None  # the same as an id and values
        self.step_count = 0
        self.batches_per_epoch = math.ceil(_estimated_train_size(config) / config.batch_size)
        self.val_chunk = validation_chunk(config.batch_size)
        self.train_seconds = 0.0  # time spent in training batches, for the overall images/s
        self.images_trained = 0
        self._epoch = 0  # 0-based epoch in progress
        self._batch = 0  # batches done in it
        self._perm = torch.zeros(0, dtype=torch.int64)
        self._epoch_sums = [0.0, 0, 0]  # loss × images, right answers, images
        self._val_sums = [0.0, 0]  # loss summed over images, right answers
        self._val_pos = 0
        self._val_pred: np.ndarray = np.zeros(0, dtype=np.int64)
        self._val_conf: np.ndarray = np.zeros(0, dtype=np.float32)
        self._results: CnnResults | None = None
        self._batch_rows: list[tuple[int, float, float]] = []
        self._epoch_rows: list[tuple[int, float, float, float, float]] = []
        self._drained = [0, 0]  # batch rows, epoch rows already handed out
        self._sec_per_image = math.nan  # moving average of training time per image
        self._val_sec_per_image = math.nan

    # --- the Steppable protocol -------------------------------------------------------------

    @property
    def total_steps(self) -> int:
        return self.config.epochs * self.batches_per_epoch

    @property
    def done(self) -> bool:
        return self.status in ("finished", "diverged", "failed")

    def advance(self, n: int) -> int:
        """Run up to n units; returns how many ran. A data problem ends the run as "failed"
        with the message in .error (a worker thread never sees an exception for it)."""
        ran = 0
        while ran < n and not self.done:
            self.status = "running"
            try:
                self._run_unit()
            except DatasetError as exc:
                self.status, self.error = "failed", str(exc)
                self.error_message = Message(exc.message_id, _plain(exc.values))
            ran += 1
        return ran

    def drain(self) -> CnnBatch:
        """The rows recorded since the last drain, and where the run stands now."""
        batch = self._rows_since(*self._drained)
        self._drained = [len(self._batch_rows), len(self._epoch_rows)]
        return batch

    def history(self) -> CnnBatch:
        """Every row so far (like a drain from the start), without moving drain()'s place."""
        return self._rows_since(0, 0)

    def prepare(self) -> None:
        """Load the data and build model, loss and optimizer now; raises DatasetError."""
        while self.stage in ("data", "model", "loss", "optimizer") and not self.done:
            self.status = "running"
            self._run_unit()

    # --- units --------------------------------------------------------------------------------

    def _run_unit(self) -> None:
        if self.stage == "data":
            assert self._builder is not None
            if self._builder.step():
                self.data = self._builder.result
                self._builder = None
                assert self.data is not None
                self.batches_per_epoch = math.ceil(self.data.n_train / self.config.batch_size)
                self.stage = "model"
        elif self.stage == "model":
            self.model.train()  # building it is the work of this stage
            self.stage = "loss"
        elif self.stage == "loss":
            self.stage = "optimizer"  # the loss is a plain function: see _loss()
        elif self.stage == "optimizer":
            self.optimizer = self._make_optimizer()
            self._start_epoch()
            self.stage = "train"
        elif self.stage == "train":
            self._train_batch()
        elif self.stage == "validate":
            self._validate_chunk()

    @property
    def model(self) -> torch.nn.Sequential:
        """The CNN; built (seeded) on first use, so it exists before its stage runs too."""
        if self._model is None:
            c, h, _ = input_shape(self.config)
            self._model = build_seeded_cnn(c, h, self.config.relu, self.config.seed)
        return self._model

    def _make_optimizer(self) -> torch.optim.Optimizer:
        c, params = self.config, self.model.parameters()
        if c.optimizer == "sgd":
            return torch.optim.SGD(
                params, lr=c.lr, momentum=c.momentum, weight_decay=c.weight_decay
            )
        if c.optimizer == "rmsprop":
            return torch.optim.RMSprop(
                params, lr=c.lr, alpha=c.alpha, momentum=c.momentum, weight_decay=c.weight_decay
            )
        return torch.optim.Adam(params, lr=c.lr, betas=c.betas, weight_decay=c.weight_decay)

    def _loss(
        self, output: torch.Tensor, target: torch.Tensor, reduction: str = "mean"
    ) -> torch.Tensor:
        if self.config.loss_function == "cross-entropy":
            return F.cross_entropy(output, target, reduction=reduction)
        if target.dtype == torch.int64:  # mse on classes: compare with one-hot rows
            target = F.one_hot(target, output.shape[1]).to(output.dtype)
        return F.mse_loss(output, target, reduction=reduction)

    def _start_epoch(self) -> None:
        assert self.data is not None
        rng = np.random.default_rng([self.config.seed, 1, self._epoch])
        self._perm = torch.from_numpy(rng.permutation(self.data.n_train))
        self._batch = 0
        self._epoch_sums = [0.0, 0, 0]

    def _train_batch(self) -> None:
        assert self.data is not None and self.optimizer is not None
        start = time.perf_counter()
        size = self.config.batch_size
        index = self._perm[self._batch * size : (self._batch + 1) * size]
        x = images_as_float(self.data.train_images[index])
        y = self.data.train_targets[index]
        self.model.train()
        output = self.model(x)
        loss = self._loss(output, y)
        value = loss.item()
        if not math.isfinite(value):  # keep the last finite weights: no update from this batch
            self.status = "diverged"
            self._batch_rows.append((self.step_count + 1, value, math.nan))
            return
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        n = len(index)
        right = int((output.argmax(1) == y).sum()) if self.data.is_classification else 0
        self.step_count += 1
        self._batch += 1
        self._results = None
        self._batch_rows.append(
            (self.step_count, value, right / n if self.data.is_classification else math.nan)
        )
        self._epoch_sums = [
            self._epoch_sums[0] + value * n,
            self._epoch_sums[1] + right,
            self._epoch_sums[2] + n,
        ]
        seconds = time.perf_counter() - start
        self.train_seconds += seconds
        self.images_trained += n
        self._sec_per_image = _average(self._sec_per_image, seconds / n)
        if self._batch == self.batches_per_epoch:
            if self.data.n_val > 0:
                self._val_sums, self._val_pos = [0.0, 0], 0
                self._val_pred = np.zeros(self.data.n_val, dtype=np.int64)
                self._val_conf = np.zeros(self.data.n_val, dtype=np.float32)
                self.stage = "validate"
            else:
                self._end_epoch(math.nan, math.nan)

    def _validate_chunk(self) -> None:
        assert self.data is not None
        start = time.perf_counter()
        stop = min(self._val_pos + self.val_chunk, self.data.n_val)
        loss_sum, right, predicted, confidence = self._predict_range(self._val_pos, stop)
        self._val_pred[self._val_pos : stop] = predicted
        self._val_conf[self._val_pos : stop] = confidence
        self._val_sums = [self._val_sums[0] + loss_sum, self._val_sums[1] + right]
        n = stop - self._val_pos
        self._val_sec_per_image = _average(
            self._val_sec_per_image, (time.perf_counter() - start) / n
        )
        self._val_pos = stop
        if stop == self.data.n_val:
            # mse averages over every output number, cross-entropy over images
            per_value = self.data.n_val * (N_OUTPUTS if self.config.loss_function == "mse" else 1)
            self._results = make_results(
                self.data.val_targets.numpy(),
                self._val_pred,
                self._val_conf,
                self.data.class_names,
                self.data.class_names_zh,
                self._epoch + 1,
            )
            self._end_epoch(self._val_sums[0] / per_value, self._val_sums[1] / self.data.n_val)

    def _predict_range(self, start: int, stop: int) -> tuple[float, int, np.ndarray, np.ndarray]:
        """Forward pass on validation images [start, stop): summed loss, right answers,
        predicted classes and their softmax confidence."""
        assert self.data is not None
        self.model.eval()
        with torch.inference_mode():
            output = self.model(images_as_float(self.data.val_images[start:stop]))
            target = self.data.val_targets[start:stop]
            loss_sum = self._loss(output, target, reduction="sum").item()
            confidence, predicted = torch.softmax(output, dim=1).max(dim=1)
            right = int((predicted == target).sum())
            return loss_sum, right, predicted.numpy().copy(), confidence.numpy().copy()

    def _end_epoch(self, val_loss: float, val_accuracy: float) -> None:
        loss_x_images, right, seen = self._epoch_sums
        train_accuracy = right / seen if self.config.is_classification else math.nan
        self._epoch_rows.append(
            (self._epoch + 1, loss_x_images / seen, train_accuracy, val_loss, val_accuracy)
        )
        if self._epoch + 1 == self.config.epochs:
            self.stage, self.status = "results", "finished"
        else:
            self._epoch += 1
            self._start_epoch()
            self.stage = "train"

    # --- reporting --------------------------------------------------------------------------

    def _rows_since(self, batch_start: int, epoch_start: int) -> CnnBatch:
        b = self._batch_rows[batch_start:]
        e = self._epoch_rows[epoch_start:]

        def column(rows: Sequence[tuple[float, ...]], i: int, dtype: type) -> np.ndarray:
            return np.array([r[i] for r in rows], dtype=dtype)

        return CnnBatch(
            column(b, 0, np.int64),
            column(b, 1, np.float64),
            column(b, 2, np.float64),
            column(e, 0, np.int64),
            column(e, 1, np.float64),
            column(e, 2, np.float64),
            column(e, 3, np.float64),
            column(e, 4, np.float64),
            epoch=self._epoch + 1,
            batch_in_epoch=self._batch,
            batches_per_epoch=self.batches_per_epoch,
            step_count=self.step_count,
            total_steps=self.total_steps,
            stage=self.stage,
            stage_progress=self._progress(),
            status=self.status,
            images_per_s=1.0 / self._sec_per_image,
            eta_s=self._eta(),
            error=self.error,
            error_message=self.error_message,
        )

    def _progress(self) -> float:
        if self.stage == "data" and self._builder is not None:
            return self._builder.units_done / self._builder.total_units
        if self.stage == "validate" and self.data is not None and self.data.n_val:
            return self._val_pos / self.data.n_val
        return 1.0 if self.stage == "results" else 0.0

    def _eta(self) -> float:
        if self.done:
            return 0.0
        n_train = self.data.n_train if self.data else _estimated_train_size(self.config)
        n_val = self.data.n_val if self.data else 0
        left_train = n_train * self.config.epochs - min(
            n_train * self.config.epochs, self.step_count * self.config.batch_size
        )
        left_val = n_val * (self.config.epochs - self._epoch) - self._val_pos * (
            self.stage == "validate"
        )
        val_rate = self._val_sec_per_image
        if math.isnan(val_rate):
            val_rate = self._sec_per_image / 3  # a forward pass is about a third of a step
        return left_train * self._sec_per_image + max(0, left_val) * val_rate

    # --- results, weights, export -----------------------------------------------------------

    def results(self) -> CnnResults:
        """Confusion matrix, accuracies and predictions on the validation set. Uses the last
        validation pass if nothing changed since; otherwise predicts now (blocking: call it
        when paused or finished). Empty for the demo and without a validation set."""
        if self._results is not None:
            return self._results
        if self.data is None:
            self.prepare()
        assert self.data is not None
        if not self.data.is_classification or self.data.n_val == 0:
            names = self.data.class_names
            empty = np.zeros(0, dtype=np.int64)
            return make_results(
                empty, empty, empty, names, self.data.class_names_zh, self.epochs_done
            )
        parts = [
            self._predict_range(start, min(start + self.val_chunk, self.data.n_val))
            for start in range(0, self.data.n_val, self.val_chunk)
        ]
        self._results = make_results(
            self.data.val_targets.numpy(),
            np.concatenate([p[2] for p in parts]),
            np.concatenate([p[3] for p in parts]),
            self.data.class_names,
            self.data.class_names_zh,
            self.epochs_done,
        )
        return self._results

    @property
    def epochs_done(self) -> int:
        return len(self._epoch_rows)

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.data.class_names if self.data else class_names(self.config)

    def set_learning_rate(self, lr: float) -> None:
        """Change the learning rate from the next batch on (validated like the config)."""
        self.config = self.config.with_changes(lr=lr)
        if self.optimizer is not None:
            for group in self.optimizer.param_groups:
                group["lr"] = lr

    def save_weights(self, path: str | os.PathLike[str]) -> None:
        """The model's state_dict via torch.save, written atomically (temp file + replace)."""
        weights.save_weights(self.model, path)

    def load_weights(self, path: str | os.PathLike[str]) -> None:
        """Weights saved by save_weights (torch.load with weights_only=True). A missing,
        corrupt or non-matching file raises WeightsError and leaves the model unchanged."""
        weights.load_weights(self.model, path)
        self._results = None  # the predictions must be made again

    def export_script(self, path: str | os.PathLike[str], say: Say | None = None) -> None:
        """Write a standalone Python script that reproduces this pipeline, its comments from
        ``say`` (English when None)."""
        write_training_script(self.config, path, say)


def _plain(values: dict[str, object]) -> dict[str, float | str]:
    """A message's values as numbers and text only (they cross to the GUI thread)."""
    return {k: v if isinstance(v, (int, float)) else str(v) for k, v in values.items()}


def _average(old: float, new: float) -> float:
    """Exponential moving average that starts from the first value."""
    return new if math.isnan(old) else 0.9 * old + 0.1 * new
