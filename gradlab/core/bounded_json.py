"""JSON read within budgets, and values described for error messages in bounded time.

``json.loads`` recurses once per nesting level (a deep enough file raises RecursionError, or
parses and then overflows whatever walks it) and turns any run of digits into an int (Python
refuses more than 4,300 digits with a bare ValueError). ``loads`` checks both before and while
parsing; every refusal is a JsonBudgetError whose message names the limit and the value.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np

from gradlab.core.limits import MAX_INT_DIGITS, MAX_JSON_DEPTH

# a JSON string literal, unrolled so a long string is one fast scan
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_CHUNK = 1 << 20


class JsonBudgetError(ValueError):
    """The JSON text is beyond a limit; the message is one line naming the limit and the value."""


def nesting_depth(text: str) -> int:
    """How deeply the text's brackets nest, strings skipped (linear time, bounded memory)."""
    outside = _STRING.sub("", text).encode("utf-8", "replace")
    deepest = depth = 0
    for start in range(0, len(outside), _CHUNK):
        codes = np.frombuffer(outside, np.uint8, min(_CHUNK, len(outside) - start), start)
        steps = (codes == 0x5B).astype(np.int32) + (codes == 0x7B)
        steps -= (codes == 0x5D).astype(np.int32) + (codes == 0x7D)
        if steps.size:
            running = np.cumsum(steps) + depth
            deepest = max(deepest, int(running.max()))
            depth = int(running[-1])
    return deepest


def loads(text: str, *, max_depth: int = MAX_JSON_DEPTH, parse_constant: Any = None) -> Any:
    """``json.loads`` with at most ``max_depth`` nested levels and ``MAX_INT_DIGITS`` digits.

    Raises JsonBudgetError for a budget, json.JSONDecodeError for text that is not JSON, and
    whatever ``parse_constant`` raises (for NaN and Infinity).
    """
    depth = nesting_depth(text)
    if depth > max_depth:
        raise JsonBudgetError(
            f"the JSON is nested too deeply ({depth:,} levels; the limit is {max_depth})"
        )
    return json.loads(text, parse_int=_parse_int, parse_constant=parse_constant)


def _parse_int(digits: str) -> int:
    count = len(digits.lstrip("-"))
    if count > MAX_INT_DIGITS:
        raise JsonBudgetError(
            f"a whole number of {count:,} digits is too large "
            f"(the limit is {MAX_INT_DIGITS} digits)"
        )
    return int(digits)


def describe(value: object, limit: int = 40) -> str:
    """A short JSON-like rendering for messages: ``[1, 2]``, ``"abc..."``; never recursive.

    Containers show their scalar items and ``[...]``/``{...}`` for nested ones; huge numbers
    show their size instead of their digits; the result is at most ``limit`` characters.
    """
    if isinstance(value, list | tuple):
        inner = ", ".join(_scalar(item, limit) for item in value[: limit // 2])
        text = f"[{inner}{', ...' if len(value) > limit // 2 else ''}]"
    elif isinstance(value, dict):
        items = list(value.items())[: limit // 4]
        inner = ", ".join(f"{_scalar(k, limit)}: {_scalar(v, limit)}" for k, v in items)
        text = f"{{{inner}{', ...' if len(value) > limit // 4 else ''}}}"
    else:
        text = _scalar(value, limit)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _scalar(value: object, limit: int) -> str:
    if isinstance(value, list | tuple):
        return "[...]" if value else "[]"
    if isinstance(value, dict):
        return "{...}" if value else "{}"
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        if value.bit_length() > 64:
            digits = math.floor(value.bit_length() * math.log10(2)) + 1
            return f"<a whole number of about {digits} digits>"
        return str(value)
    if isinstance(value, float):
        return json.dumps(value) if math.isfinite(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value[: limit + 1], ensure_ascii=False)
    return type(value).__name__
