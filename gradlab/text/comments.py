"""The comments of the code listings and exported scripts, in the language the caller picks.

The code generators (gradlab.core.code_listing, gradlab.core.export_script,
gradlab.core.cnn.export) write code and name each comment by an id; ``Comments(language)``
turns an id and its values into the comment's text. The window passes its interface language,
the command line ``--language`` or the locale's.

Adding a listing's comments: add ``"id": ("English", "中文")`` entries to the catalogue of its
module (listing_comments, network_comments, script_comments, cnn_comments), and write
``say("id", name=value)`` in the generator. Identifiers inside a Chinese comment go in
backticks; the tests render every listing in Chinese and name any comment with an English word
left.
"""

from __future__ import annotations

from gradlab.text.cnn_comments import CNN_COMMENTS
from gradlab.text.listing_comments import LISTING_COMMENTS
from gradlab.text.network_comments import NETWORK_COMMENTS
from gradlab.text.script_comments import SCRIPT_COMMENTS

CATALOGUE: dict[str, tuple[str, str]] = {
    **LISTING_COMMENTS,
    **NETWORK_COMMENTS,
    **SCRIPT_COMMENTS,
    **CNN_COMMENTS,
}
_COLUMN = {"en": 0, "zh": 1}


class Comments:
    """``say(id, **values)``: comment ``id`` in one language, its ``{name}`` fields filled in."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in _COLUMN else "en"
        self._column = _COLUMN[self.language]

    def __call__(self, key: str, **values: object) -> str:
        return CATALOGUE[key][self._column].format(**values)


ENGLISH = Comments("en")
CHINESE = Comments("zh")
