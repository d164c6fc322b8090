"""Run history: every finished, stopped or diverged run kept with its config and full history.

A ``RunRecord`` is an immutable snapshot (read-only NumPy copies), so the GUI can draw earlier
runs as faded curves while a new one trains. ``RunList`` keeps them in order, bounds the memory
they take and tells plain-Python subscribers about changes (the Qt layer adapts that to signals;
the core never imports Qt). The legend labels are made in gradlab.core.run_labels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from gradlab.core.bounded_json import describe
from gradlab.core.config import Config
from gradlab.core.limits import MAX_RUN_ID, MAX_TEXT_CHARS

# the labels moved to run_labels; compare.py, the GUI and tests still import them from here
from gradlab.core.run_labels import method_name as method_name
from gradlab.core.run_labels import run_label as run_label
from gradlab.core.run_labels import short_number as short_number

if TYPE_CHECKING:
    from gradlab.core.session import TrainingSession

RUN_STATUSES = ("finished", "stopped", "diverged")
MAX_RUNS = 50
MAX_RUN_BYTES = 512 * 1024 * 1024  # a cubic's full 200,000-step history is ~17 MB
# a kept run holds at most this many rows (~130 KB for a cubic): per stretch of the run, the
# rows of its lowest and highest loss, so its faded curve looks as the full one would
KEPT_ROWS = 2048


class HistoryRows(Protocol):
    """Anything with a history's arrays: History, HistoryBatch, RunHistory."""

    @property
    def steps(self) -> np.ndarray: ...
    @property
    def loss(self) -> np.ndarray: ...
    @property
    def val_loss(self) -> np.ndarray: ...
    @property
    def coefficients(self) -> np.ndarray: ...
    @property
    def grad_norm(self) -> np.ndarray: ...


def _frozen(values: Any, dtype: type) -> np.ndarray:
    """A read-only copy in ``dtype`` (copied so later writes to the source never show here)."""
    array: np.ndarray = np.array(values, dtype=dtype, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class RunHistory:
    """One row per recorded step: step number, loss, validation loss (NaN when not measured),
    coefficients after the update (k, degree + 1) and gradient norm. Read-only arrays.

    Non-finite values (a diverging tail) are kept exactly as they were recorded.
    """

    steps: np.ndarray
    loss: np.ndarray
    val_loss: np.ndarray
    coefficients: np.ndarray
    grad_norm: np.ndarray

    def __post_init__(self) -> None:
        for name in HISTORY_ARRAYS:
            whole = name == "steps"
            values = np.asarray(getattr(self, name))
            if values.dtype.kind not in ("iu" if whole else "iuf"):
                what = "whole numbers" if whole else "numbers"
                raise ValueError(f"history {name} must be {what}, got {values.dtype} values")
            object.__setattr__(self, name, _frozen(values, np.int64 if whole else np.float64))
        if self.steps.ndim != 1:
            raise ValueError(f"history steps must be a list, got shape {self.steps.shape}")
        rows = self.steps.size
        for name in ("loss", "val_loss", "grad_norm"):
            shape = getattr(self, name).shape
            if shape != (rows,):
                raise ValueError(f"history {name} must be a list of {rows} values, got {shape}")
        if self.coefficients.ndim != 2 or self.coefficients.shape[0] != rows:
            raise ValueError(
                f"history coefficients must be a ({rows}, n) table, got {self.coefficients.shape}"
            )
        if rows and (self.steps[0] < 0 or np.any(np.diff(self.steps) <= 0)):
            raise ValueError("history step numbers must be >= 0 and increasing")

    @classmethod
    def copy_of(cls, history: HistoryRows) -> RunHistory:
        """Copies of the arrays of anything that has them: History, HistoryBatch, RunHistory."""
        return cls(history.steps, history.loss, history.val_loss, history.coefficients,
                   history.grad_norm)  # fmt: skip

    @classmethod
    def empty(cls, num_coefficients: int) -> RunHistory:
        none = np.zeros(0)
        return cls(np.zeros(0, np.int64), none, none, np.zeros((0, num_coefficients)), none)

    def __len__(self) -> int:
        return int(self.steps.size)

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in HISTORY_ARRAYS)

    def thinned(self, max_rows: int = KEPT_ROWS) -> RunHistory:
        """At most ``max_rows`` of these rows (itself when it has no more): in each of
        ``max_rows // 4`` equal stretches, the first and last row and those of the lowest and
        highest finite loss. A min/max curve of the loss drawn from them is that of all rows."""
        rows = len(self)
        if rows <= max_rows:
            return self
        edges = np.linspace(0, rows, max(max_rows // 4, 1) + 1).astype(np.int64)
        finite = np.isfinite(self.loss)
        low = np.where(finite, self.loss, np.inf)
        high = np.where(finite, self.loss, -np.inf)
        starts, ends = edges[:-1], edges[1:]
        stretch = np.repeat(np.arange(starts.size), ends - starts)  # each row's stretch
        keep = np.concatenate(
            [
                starts,
                ends - 1,
                _first_where(low == np.minimum.reduceat(low, starts)[stretch], stretch),
                _first_where(high == np.maximum.reduceat(high, starts)[stretch], stretch),
            ]
        )
        keep = np.unique(keep)
        return RunHistory(self.steps[keep], self.loss[keep], self.val_loss[keep],
                          self.coefficients[keep], self.grad_norm[keep])  # fmt: skip


def _first_where(hit: np.ndarray, stretch: np.ndarray) -> np.ndarray:
    """In each stretch, the first row where ``hit`` holds (each stretch has one: its own
    minimum or maximum), as ``argmin``/``argmax`` pick it; in one pass, not a loop per stretch
    (a run ends in the GUI thread: 200,000 rows took 2.1 ms with that loop, 1.4 ms so)."""
    rows = np.flatnonzero(hit)
    _stretches, first = np.unique(stretch[rows], return_index=True)
    return rows[first]


HISTORY_ARRAYS = ("steps", "loss", "val_loss", "coefficients", "grad_norm")


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True, eq=False)
class RunRecord:
    """One finished, stopped or diverged run: what it was (config) and what happened (history).

    Immutable: ``RunList.add`` and ``RunList.set_visible`` store changed copies
    (``dataclasses.replace``). ``final_loss`` is the last recorded loss (that of the last step's
    forward pass, as the chapter prints it; NaN when nothing was recorded).
    """

    id: int
    label: str
    config: Config
    status: str  # one of RUN_STATUSES
    step_count: int  # steps done
    diverged_at: int | None  # the step whose loss or coefficients went non-finite
    final_loss: float
    final_coefficients: np.ndarray  # the last finite coefficients, constant term first
    history: RunHistory
    created: str = field(default_factory=_now)  # ISO 8601 with the local time offset
    visible: bool = True  # drawn as a faded curve

    def __post_init__(self) -> None:
        _require(isinstance(self.config, Config), f"config must be a Config, got {self.config!r}")
        _require(
            _whole(self.id) and 0 <= self.id <= MAX_RUN_ID,
            f"run id must be a whole number from 0 to {MAX_RUN_ID}, got {_short(self.id)}",
        )
        _require(isinstance(self.label, str), f"label must be text, got {_short(self.label)}")
        _require(
            len(self.label) <= MAX_TEXT_CHARS,
            f"label is {len(self.label):,} characters long; the limit is {MAX_TEXT_CHARS:,}",
        )
        _require(
            self.status in RUN_STATUSES,
            f"status must be one of {', '.join(RUN_STATUSES)}, got {self.status!r}",
        )
        _require(
            _whole(self.step_count) and 0 <= self.step_count <= MAX_RUN_ID,
            f"step count must be a whole number from 0 to {MAX_RUN_ID}, got "
            f"{_short(self.step_count)}",
        )
        _require(
            (self.status == "diverged") == (self.diverged_at is not None),
            f"a {self.status} run cannot have diverged_at={self.diverged_at!r}",
        )
        _require(
            self.diverged_at is None
            or (_whole(self.diverged_at) and 0 <= self.diverged_at <= MAX_RUN_ID),
            f"diverged_at must be a whole number from 0 to {MAX_RUN_ID}, got "
            f"{_short(self.diverged_at)}",
        )
        _require(isinstance(self.history, RunHistory), "history must be a RunHistory")
        _require(
            isinstance(self.created, str) and len(self.created) <= 100,
            f"created must be a time stamp, got {_short(self.created)}",
        )
        _require(
            isinstance(self.visible, bool), f"visible must be true or false, got {self.visible!r}"
        )
        object.__setattr__(self, "final_loss", float(self.final_loss))
        coefficients = _frozen(self.final_coefficients, np.float64)
        object.__setattr__(self, "final_coefficients", coefficients)
        n = self.config.model.parameter_count
        what = f"degree {n - 1}" if self.config.model.kind == "polynomial" else "this network"
        _require(
            coefficients.shape == (n,),
            f"final coefficients must be {n} numbers for {what}, got shape {coefficients.shape}",
        )
        # the session keeps the last finite coefficients when it diverges
        _require(bool(np.all(np.isfinite(coefficients))), "final coefficients must be finite")
        _require(
            self.history.coefficients.shape[1] == n,
            f"history must have {n} coefficients per row, got {self.history.coefficients.shape[1]}",
        )

    @classmethod
    def create(
        cls,
        config: Config,
        history: HistoryRows,
        *,
        status: str,
        step_count: int,
        final_coefficients: np.ndarray,
        diverged_at: int | None = None,
        run_id: int = 0,
        base_config: Config | None = None,
        label: str | None = None,
    ) -> RunRecord:
        """A record from a history (copied) and the run's end state; the label names what
        differs from ``base_config`` unless given."""
        copied = RunHistory.copy_of(history)
        final_loss = float(copied.loss[-1]) if len(copied) else math.nan
        return cls(
            id=run_id,
            label=run_label(config, base_config) if label is None else label,
            config=config,
            status=status,
            step_count=step_count,
            diverged_at=diverged_at,
            final_loss=final_loss,
            final_coefficients=final_coefficients,
            history=copied,
        )

    @classmethod
    def from_session(
        cls, session: TrainingSession, run_id: int = 0, base_config: Config | None = None
    ) -> RunRecord:
        """Snapshot a TrainingSession: its config, history (NumPy copies) and end state.

        Call it where the session is not advancing (in the worker via ``submit``, or after the
        worker stopped). A session that is neither finished nor diverged is "stopped".
        """
        status = session.status if session.status in ("finished", "diverged") else "stopped"
        final = np.asarray(session.coefficients, dtype=np.float64)
        if not np.all(np.isfinite(final)):  # not expected (the session keeps the last finite
            # state), but a run is never lost for it: take the last finite recorded row
            rows = session.history.coefficients
            finite = np.flatnonzero(np.all(np.isfinite(rows), axis=1))
            final = rows[finite[-1]] if finite.size else np.zeros_like(final)
        return cls.create(
            session.config,
            session.history,
            status=status,
            step_count=int(session.step_count),
            final_coefficients=final,
            diverged_at=session.diverged_at if status == "diverged" else None,
            run_id=run_id,
            base_config=base_config,
        )

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return self.history.nbytes + self.final_coefficients.nbytes

    def thinned(self, max_rows: int = KEPT_ROWS) -> RunRecord:
        """This run with at most ``max_rows`` history rows (itself when it has no more)."""
        history = self.history.thinned(max_rows)
        return self if history is self.history else replace(self, history=history)


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _short(value: object) -> str:
    """A bounded rendering of a bad value for the message (never 30 MB of label)."""
    return describe(value)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_run_ids(records: list[RunRecord] | tuple[RunRecord, ...]) -> list[int]:
    """The ids of ``records`` if a RunList can take them all (unique, and leaving a next id);
    otherwise ValueError saying why."""
    ids = [record.id for record in records]
    if len(set(ids)) != len(ids):
        raise ValueError("run ids must be unique")
    if any(not 0 <= run_id < MAX_RUN_ID for run_id in ids):
        raise ValueError(f"run ids must be whole numbers from 0 to {MAX_RUN_ID - 1:,}")
    return ids


# ---- the run list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RunListChange:
    """What changed: kind is "added", "removed", "visibility", "cleared" or "replaced".

    ``evicted`` is True when runs were removed to stay within the memory bound (the GUI may
    want to say so).
    """

    kind: str
    ids: tuple[int, ...] = ()
    evicted: bool = False


RunListCallback = Callable[[RunListChange], None]


class RunList:
    """The kept runs, oldest first, with ids that are never reused.

    Bounded: each run keeps at most ``kept_rows`` history rows (``RunRecord.thinned``: what its
    faded curve draws; the full rows of the run on screen go to a session file); beyond
    ``max_runs`` runs or ``max_bytes`` of arrays, the oldest hidden runs go first, then the
    oldest visible ones; the newest run is always kept.
    """

    def __init__(
        self, max_runs: int = MAX_RUNS, max_bytes: int = MAX_RUN_BYTES, kept_rows: int = KEPT_ROWS
    ) -> None:
        if max_runs < 1 or max_bytes < 1 or kept_rows < 4:
            raise ValueError("a run list must be allowed at least one run, one byte and 4 rows")
        self.max_runs = max_runs
        self.max_bytes = max_bytes
        self.kept_rows = kept_rows
        self._runs: dict[int, RunRecord] = {}  # insertion order is the run order
        self._next_id = 1
        self._callbacks: list[RunListCallback] = []

    # -- read -----------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[RunRecord]:
        return iter(tuple(self._runs.values()))

    def __len__(self) -> int:
        return len(self._runs)

    def __contains__(self, run_id: object) -> bool:
        return run_id in self._runs

    def get(self, run_id: int) -> RunRecord:
        """The run with this id; KeyError naming it if there is none."""
        try:
            return self._runs[run_id]
        except KeyError:
            raise KeyError(f"no run with id {run_id}") from None

    @property
    def nbytes(self) -> int:
        return sum(record.nbytes for record in self._runs.values())

    # -- change ---------------------------------------------------------------------------------
    def add(self, record: RunRecord) -> RunRecord:
        """Store a copy of ``record`` (thinned) under the next id and return that copy."""
        stored = replace(record.thinned(self.kept_rows), id=self._next_id)
        self._next_id += 1
        self._runs[stored.id] = stored
        evicted = self._evict()
        changes = [RunListChange("added", (stored.id,))]
        if evicted:
            changes.append(RunListChange("removed", evicted, evicted=True))
        self._emit(*changes)
        return stored

    def remove(self, run_id: int) -> RunRecord:
        """Forget one run and return it."""
        record = self.get(run_id)
        del self._runs[run_id]
        self._emit(RunListChange("removed", (run_id,)))
        return record

    def set_visible(self, run_id: int, visible: bool) -> None:
        """Show or hide a run's faded curves (no notification when nothing changes)."""
        record = self.get(run_id)
        if record.visible != bool(visible):
            self._runs[run_id] = replace(record, visible=bool(visible))
            self._emit(RunListChange("visibility", (run_id,)))

    def clear(self) -> None:
        """Forget every run (ids keep counting up, so an old id never names a new run)."""
        ids = tuple(self._runs)
        self._runs.clear()
        self._emit(RunListChange("cleared", ids))

    def replace_all(self, records: list[RunRecord] | tuple[RunRecord, ...]) -> None:
        """Take ``records`` (thinned), ids included (opening a saved session; not evicted).

        Raises ValueError, changing nothing, when ``check_run_ids`` refuses them."""
        ids = check_run_ids(records)
        self._runs = {record.id: record.thinned(self.kept_rows) for record in records}
        self._next_id = max([self._next_id - 1, *ids]) + 1
        self._emit(RunListChange("replaced", tuple(ids)))

    # -- observers ------------------------------------------------------------------------------
    def subscribe(self, callback: RunListCallback) -> Callable[[], None]:
        """Call ``callback(change)`` after every change; returns a function that unsubscribes."""
        self._callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return unsubscribe

    def _emit(self, *changes: RunListChange) -> None:
        # every subscriber hears of every change even if one fails; the first error is raised
        # afterwards so it is not silently lost
        errors: list[Exception] = []
        for change in changes:
            for callback in list(self._callbacks):
                try:
                    callback(change)
                except Exception as error:
                    errors.append(error)
        if errors:
            raise errors[0]

    def _evict(self) -> tuple[int, ...]:
        evicted: list[int] = []
        total = self.nbytes
        while len(self._runs) > 1 and (len(self._runs) > self.max_runs or total > self.max_bytes):
            newest = next(reversed(self._runs))
            candidates = [i for i, r in self._runs.items() if not r.visible and i != newest]
            victim = candidates[0] if candidates else next(iter(self._runs))
            total -= self._runs.pop(victim).nbytes
            evicted.append(victim)
        return tuple(evicted)
