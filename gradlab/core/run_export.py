"""Exporting one run for other programs: its history as a CSV table that spreadsheets open.

A failure is one SessionFileError line naming the file, as for session files.
"""

from __future__ import annotations

import os

from gradlab.core.history import History
from gradlab.core.runs import RunRecord
from gradlab.core.session_arrays import SessionFileError
from gradlab.core.worded_error import file_error


def export_history_csv(path: str | os.PathLike[str], record: RunRecord) -> None:
    """Write the run's history as ``step,loss,val_loss,a,b,...,grad_norm`` (atomically).

    Uses History.to_csv so a run exports exactly like a live session's history.
    """
    rows = record.history
    history = History(rows.coefficients.shape[1], row_cap=max(len(rows), 4))
    history.append_block(rows.steps, rows.loss, rows.val_loss, rows.coefficients, rows.grad_norm)
    try:
        history.to_csv(path, record.config.coefficient_names)
    except OSError as error:
        raise file_error(SessionFileError, "write", error).named(os.fspath(path)) from error
