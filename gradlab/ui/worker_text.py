"""What the worker reports, in the student's language."""

from __future__ import annotations


def describe_failure(failure: object) -> str:
    """The worker's failure as a sentence (the worker sends ids and details, not prose)."""
    return str(failure)
