"""Break opportunities for long unbroken runs of text, so any view lays them out quickly.

Qt's line breaking is quadratic in the length of a word it cannot break: a 300,000-character
word takes tens of seconds to show. Lesson texts pass through ``breakable`` when they are read.
"""

from __future__ import annotations

import re

from gradlab.core.limits import LONGEST_UNBROKEN_RUN


def breakable(text: str) -> str:
    """``text`` with an invisible break opportunity (U+200B) in every run of more than
    LONGEST_UNBROKEN_RUN characters that has none, so that any view lays it out in linear time
    (Qt's line breaking is quadratic in the length of an unbreakable word). Ordinary text,
    Chinese included, comes back unchanged."""
    if len(text) <= LONGEST_UNBROKEN_RUN:
        return text
    return _UNBROKEN.sub(lambda m: _ZWSP.join(_pieces(m.group())), text)


_ZWSP = "\u200b"
# characters after which no line may break: not spaces, not CJK (those break anywhere)
_UNBROKEN = re.compile(
    rf"[^\s\u200b\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
    rf"{{{LONGEST_UNBROKEN_RUN + 1},}}"
)


def _pieces(run: str) -> list[str]:
    return [run[i : i + LONGEST_UNBROKEN_RUN] for i in range(0, len(run), LONGEST_UNBROKEN_RUN)]
