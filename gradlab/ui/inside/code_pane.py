"""The selected method's training loop as code, coloured like an editor, with the lines of the
current phase highlighted (the listing and its phase → lines map come from the core:
gradlab.core.code_listing, so what a student reads is what an exported script runs)."""

from __future__ import annotations

import keyword
import re

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from gradlab.core.code_listing import Listing, code_listing
from gradlab.core.config import Config
from gradlab.text.comments import Comments
from gradlab.ui.i18n import current_language
from gradlab.ui.palette import colour
from gradlab.ui.zoom import set_font_ratio

_BUILTINS = ("range", "len", "print", "abs", "sum", "min", "max", "divmod", "float", "int")
# (pattern, palette role, bold) for code outside strings and comments
_RULES: tuple[tuple[str, str, bool], ...] = (
    (r"\b(?:" + "|".join(keyword.kwlist) + r")\b", "code_keyword", True),
    (r"\b(?:" + "|".join(_BUILTINS) + r")\b", "code_builtin", False),
    (r"\b(?:np|torch|nn)\b", "code_module", False),
    (r"\b(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\b", "code_number", False),
)


def _format(role: str, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    form = QTextCharFormat()
    form.setForeground(QColor(colour(role)))
    if bold:
        form.setFontWeight(QFont.Weight.DemiBold)
    form.setFontItalic(italic)
    return form


def split_line(text: str) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) spans of the line's string literals, and where its comment starts
    (len(text) when it has none): a '#' inside a string is not a comment."""
    strings: list[tuple[int, int]] = []
    quote, start = "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                strings.append((start, index + 1))
                quote = ""
        elif char in "\"'":
            quote, start = char, index
        elif char == "#":
            return strings, index
    if quote:
        strings.append((start, len(text)))
    return strings, len(text)


class PythonHighlighter(QSyntaxHighlighter):
    """Keywords, builtins, modules, numbers, strings and comments, one line at a time."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.set_colours()

    def set_colours(self) -> None:
        """Take the current theme's colours (and highlight again with them)."""
        self._rules = [
            (re.compile(pattern), _format(role, bold=bold)) for pattern, role, bold in _RULES
        ]
        self._string = _format("code_string")
        self._comment = _format("code_comment", italic=True)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # Qt's name
        strings, comment = split_line(text)
        code = text[:comment]
        for pattern, form in self._rules:
            for match in pattern.finditer(code):
                self.setFormat(match.start(), match.end() - match.start(), form)
        for start, end in strings:
            self.setFormat(start, end - start, self._string)
        if comment < len(text):
            self.setFormat(comment, len(text) - comment, self._comment)


class CodePane(QPlainTextEdit):
    """Read-only listing of ``config``'s method; ``highlight_phase`` marks that phase's lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codePane")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        set_font_ratio(self, 0.95, fixed_pitch=True)
        self.highlighter = PythonHighlighter(self.document())
        self.listing: Listing | None = None
        self.config: Config | None = None
        self.language = ""  # of the comments shown
        self.phase: str | None = None
        self.set_colours()

    def set_colours(self) -> None:
        """The current theme's background, text and syntax colours (after a theme switch)."""
        self.setStyleSheet(
            f"QPlainTextEdit {{ background: {colour('code_background')};"
            f" color: {colour('code_text')}; }}"
        )
        self.highlighter.set_colours()
        self.highlight_phase(self.phase)

    def set_config(self, config: Config) -> None:
        """Show ``config``'s listing (hyperparameters filled in, comments in the interface's
        language); keeps the phase highlight."""
        language = current_language()
        if config == self.config and language == self.language:
            return
        listing = code_listing(config, Comments(language))
        self.config, self.language = config, language
        if self.listing is None or listing.lines != self.listing.lines:
            scroll = self.verticalScrollBar().value()
            self.listing = listing
            self.setPlainText(listing.text.rstrip("\n"))
            self.verticalScrollBar().setValue(scroll)
        self.highlight_phase(self.phase)

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and self.config is not None:
            self.set_config(self.config)  # the comments follow the interface's language

    def highlight_phase(self, phase: str | None) -> None:
        """Mark the lines that carry out ``phase`` (None: no highlight) and scroll to them."""
        self.phase = phase
        lines = self.highlighted_lines()
        selections = []
        for number in lines:
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(QColor(colour("code_phase")))
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            cursor = QTextCursor(self.document().findBlockByNumber(number))
            selection.cursor = cursor
            selections.append(selection)
        self.setExtraSelections(selections)
        if lines:
            # show the last line first, then the first: the whole phase is in view when it fits
            for number in (lines[-1], lines[0]):
                self.setTextCursor(QTextCursor(self.document().findBlockByNumber(number)))
                self.ensureCursorVisible()

    def highlighted_lines(self) -> list[int]:
        """0-based numbers of the highlighted lines (the current phase's, from the core)."""
        if self.listing is None or self.phase is None:
            return []
        return list(self.listing.phase_lines.get(self.phase, []))

    def line_text(self, number: int) -> str:
        return self.document().findBlockByNumber(number).text()
