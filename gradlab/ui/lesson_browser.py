"""Lessons on screen: the browser of shipped lessons, the Lesson pane beside the plots, the
"Save as lesson" form, and the locks a lesson puts on the parameter panel.

Lesson files are only ever parsed by gradlab.core.lesson (JSON, validated, never executed).
Texts are shown in the interface language (``localized``), falling back to English.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.config import FIELD_PATHS, GROUPS, Config
from gradlab.core.lesson import Lesson, load_lesson, localized
from gradlab.core.lesson_fields import LessonError
from gradlab.resources import resource_path
from gradlab.ui.config_form import ConfigForm
from gradlab.ui.error_text import error_text
from gradlab.ui.forms import FormField
from gradlab.ui.i18n import current_language
from gradlab.ui.palette import colour

# What "Save as lesson" can lock, as the panel groups a teacher sees, and the paths they mean.
LOCK_CHOICES = (
    ("data", ("data",)),
    ("model", ("model", "seed")),
    ("method", ("training.method",)),
    ("loss", ("training.loss", "training.reduction", "training.huber_delta")),
    ("optimizer", ("optimizer",)),
    ("training", ("training.lr", "training.steps", "training.batch_size")),
)


def shipped_lesson_files() -> list[Path]:
    """The lessons in resources/lessons/, in file-name order (their numbering)."""
    folder = resource_path("lessons")
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def lesson_html(lesson: Lesson, language: str, questions_heading: str) -> str:
    """The lesson's title, explanation and questions as rich text in ``language``."""
    parts = [f"<h2>{html.escape(localized(lesson.title, language))}</h2>"]
    for paragraph in localized(lesson.explanation, language).split("\n\n"):
        if paragraph.strip():
            parts.append(f"<p>{html.escape(paragraph.strip())}</p>")
    if lesson.questions:
        parts.append(f"<h3>{html.escape(questions_heading)}</h3><ol>")
        parts += [f"<li>{html.escape(localized(q, language))}</li>" for q in lesson.questions]
        parts.append("</ol>")
    return "\n".join(parts)


def expand_paths(names: Iterable[str]) -> list[str]:
    """Dotted config paths named by a lesson's ``locked``/``hidden`` (group names expand)."""
    paths: list[str] = []
    for name in names:
        if name in GROUPS:
            paths += [p for p in FIELD_PATHS if p.startswith(f"{name}.")]
        elif name in FIELD_PATHS:
            paths.append(name)
    return list(dict.fromkeys(paths))


class LessonView(QTextBrowser):
    """The Lesson pane: the current lesson's explanation and questions (or how to open one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonView")
        self.setOpenExternalLinks(False)
        self.setMinimumWidth(240)
        self.lesson: Lesson | None = None
        self.retranslate_ui()

    def show_lesson(self, lesson: Lesson | None) -> None:
        self.lesson = lesson
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        if self.lesson is None:
            self.setHtml(
                "<p>"
                + html.escape(
                    self.tr(
                        "No lesson is open. File → Lessons… lists the lessons that come with "
                        "GradLab; a teacher can save the current setup with File → Save as "
                        "lesson…"
                    )
                )
                + "</p>"
            )
        else:
            self.setHtml(lesson_html(self.lesson, current_language(), self.tr("Questions")))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class LessonBrowser(QDialog):
    """File → Lessons…: the shipped lessons by title, with a preview; ``lesson_chosen(path)``."""

    lesson_chosen = Signal(object)  # Path of the lesson to open

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonBrowser")
        self.resize(820, 520)
        self.entries: list[tuple[Path, Lesson | None, str]] = []  # path, lesson, error
        for path in shipped_lesson_files():
            try:
                self.entries.append((path, load_lesson(path), ""))
            except LessonError as error:  # listed, marked, never opened
                self.entries.append((path, None, error_text(error)))
        self.lesson_list = QListWidget(self)
        self.lesson_list.setObjectName("lessonList")
        self.lesson_list.setWordWrap(True)  # a long title takes two lines, never "…in NumP"
        self.lesson_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.lesson_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.lesson_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("lessonPreview")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.lesson_list)
        splitter.addWidget(self.preview)
        splitter.setSizes([300, 520])
        self.buttons = QDialogButtonBox(self)
        self.open_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setObjectName("openLessonButton")
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.open_current)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.lesson_list.currentRowChanged.connect(self._show_preview)
        self.lesson_list.itemActivated.connect(lambda _item: self.open_current())
        self.retranslate_ui()
        if self.entries:
            self.lesson_list.setCurrentRow(0)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Lessons"))
        self.open_button.setText(self.tr("Open lesson"))
        self.close_button.setText(self.tr("Close"))
        row = max(self.lesson_list.currentRow(), 0)
        self.lesson_list.clear()
        language = current_language()
        for path, lesson, _error in self.entries:
            title = localized(lesson.title, language) if lesson else path.name
            item = QListWidgetItem(title or path.stem)
            item.setToolTip(title or path.stem)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            if lesson is None:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.lesson_list.addItem(item)
        if self.entries:
            self.lesson_list.setCurrentRow(min(row, len(self.entries) - 1))

    def _show_preview(self, row: int) -> None:
        if not 0 <= row < len(self.entries):
            self.preview.clear()
            return
        _path, lesson, error = self.entries[row]
        self.open_button.setEnabled(lesson is not None)
        if lesson is None:
            message = self.tr("This lesson file cannot be used: {error}").format(error=error)
            error_colour = colour("error_text")
            self.preview.setHtml(f"<p style='color:{error_colour}'>{html.escape(message)}</p>")
        else:
            self.preview.setHtml(lesson_html(lesson, current_language(), self.tr("Questions")))

    def titles(self) -> list[str]:
        return [self.lesson_list.item(i).text() for i in range(self.lesson_list.count())]

    def open_current(self) -> None:
        """Open the selected lesson (the Open button, Return, a double click)."""
        row = self.lesson_list.currentRow()
        if 0 <= row < len(self.entries) and self.entries[row][1] is not None:
            self.lesson_chosen.emit(self.entries[row][0])
            self.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class SaveLessonDialog(QDialog):
    """The texts of a lesson being saved, in both languages, prefilled; and what to lock."""

    def __init__(self, lesson: Lesson, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveLessonDialog")
        self.base = lesson
        self.title_en, self.title_zh = QLineEdit(self), QLineEdit(self)
        self.explanation_en, self.explanation_zh = QPlainTextEdit(self), QPlainTextEdit(self)
        self.questions_en, self.questions_zh = QPlainTextEdit(self), QPlainTextEdit(self)
        self.title_en.setText(lesson.title.get("en", ""))
        self.title_zh.setText(lesson.title.get("zh", ""))
        self.explanation_en.setPlainText(lesson.explanation.get("en", ""))
        self.explanation_zh.setPlainText(lesson.explanation.get("zh", ""))
        self.questions_en.setPlainText("\n".join(q.get("en", "") for q in lesson.questions))
        self.questions_zh.setPlainText("\n".join(q.get("zh", "") for q in lesson.questions))
        self.labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        self.english_label, self.chinese_label = QLabel(self), QLabel(self)
        grid.addWidget(self.english_label, 0, 1)
        grid.addWidget(self.chinese_label, 0, 2)
        rows = (
            ("title", self.title_en, self.title_zh),
            ("explanation", self.explanation_en, self.explanation_zh),
            ("questions", self.questions_en, self.questions_zh),
        )
        for row, (key, english, chinese) in enumerate(rows, start=1):
            self.labels[key] = QLabel(self)
            grid.addWidget(self.labels[key], row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(english, row, 1)
            grid.addWidget(chinese, row, 2)
        locked = set(expand_paths(lesson.locked))
        self.lock_box = QGroupBox(self)
        lock_layout = QHBoxLayout(self.lock_box)
        self.lock_checks: dict[str, QCheckBox] = {}
        for key, names in LOCK_CHOICES:
            check = QCheckBox(self.lock_box)
            check.setChecked(bool(expand_paths(names)) and set(expand_paths(names)) <= locked)
            self.lock_checks[key] = check
            lock_layout.addWidget(check)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(grid)
        layout.addWidget(self.lock_box)
        layout.addWidget(buttons)
        self.resize(760, 520)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Save as lesson"))
        self.hint.setText(
            self.tr(
                "The lesson keeps the current settings. Students see the title, the "
                "explanation and the questions (one per line) in their language."
            )
        )
        self.english_label.setText("English")
        self.chinese_label.setText("中文")
        self.labels["title"].setText(self.tr("Title"))
        self.labels["explanation"].setText(self.tr("Explanation"))
        self.labels["questions"].setText(self.tr("Questions"))
        self.lock_box.setTitle(self.tr("Students may not change"))
        names = {
            "data": self.tr("Data"), "model": self.tr("Model"), "method": self.tr("Method"),
            "loss": self.tr("Loss"), "optimizer": self.tr("Optimizer"),
            "training": self.tr("Learning rate, steps, batch"),
        }  # fmt: skip
        for key, check in self.lock_checks.items():
            check.setText(names[key])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def lesson(self, config: Config) -> Lesson:
        """The lesson to save: ``config`` plus the texts and locks entered here."""

        def texts(english: str, chinese: str) -> dict[str, str]:
            pairs = {"en": english.strip(), "zh": chinese.strip()}
            return {key: value for key, value in pairs.items() if value}

        english_questions = self.questions_en.toPlainText().splitlines()
        chinese_questions = self.questions_zh.toPlainText().splitlines()
        count = max(len(english_questions), len(chinese_questions))
        questions = tuple(
            q
            for i in range(count)
            if (
                q := texts(
                    english_questions[i] if i < len(english_questions) else "",
                    chinese_questions[i] if i < len(chinese_questions) else "",
                )
            )
        )
        chosen = [name for key, names in LOCK_CHOICES if self.lock_checks[key].isChecked()
                  for name in names]  # fmt: skip
        others = [n for n in self.base.locked if not set(expand_paths([n])) & _choice_paths()]
        return Lesson(
            config=config,
            title=texts(self.title_en.text(), self.title_zh.text()),
            explanation=texts(self.explanation_en.toPlainText(), self.explanation_zh.toPlainText()),
            questions=questions,
            locked=tuple(dict.fromkeys([*others, *chosen])),
            hidden=self.base.hidden,
            compare_optimizers=self.base.compare_optimizers,
        )


def _choice_paths() -> set[str]:
    return {p for _key, names in LOCK_CHOICES for p in expand_paths(names)}


class LockTarget(Protocol):
    """What PanelLocks locks and hides fields of (``FormLocks`` for the parameter panel)."""

    @property
    def fields(self) -> Mapping[str, object]: ...

    def set_locked(self, paths: list[str]) -> None: ...

    def set_hidden(self, paths: list[str]) -> None: ...


class PanelLocks:
    """Applies a lesson's ``locked`` (disabled) and ``hidden`` settings, named as groups or
    dotted paths, to a LockTarget's fields."""

    def __init__(self, target: LockTarget) -> None:
        self.target = target
        self.locked: list[str] = []
        self.hidden: list[str] = []

    def apply(self, locked: Iterable[str], hidden: Iterable[str]) -> None:
        fields = self.target.fields
        self.locked = [p for p in expand_paths(locked) if p in fields]
        self.hidden = [p for p in expand_paths(hidden) if p in fields]
        self.target.set_locked(self.locked)
        self.target.set_hidden(self.hidden)

    def clear(self) -> None:
        """Unlock and show everything again (closing the lesson, or before the next one)."""
        self.apply([], [])

    def retranslate_ui(self) -> None:
        """Locked fields carry a note in their tooltip; say it in the new language."""
        self.target.set_locked(self.locked)


class FormLocks:
    """Locks and hides fields of a ConfigForm: a locked field is disabled (its tooltip says
    why), a hidden one is made not ``relevant``, so the form itself keeps its row hidden."""

    def __init__(self, form: ConfigForm, note: Callable[[], str]) -> None:
        self.form = form
        self.note = note  # "Locked by the lesson", in the current language
        self._locked: list[str] = []
        self._relevant: dict[str, Callable[[], bool]] = {}

    @property
    def fields(self) -> Mapping[str, FormField]:
        return self.form.fields

    def set_locked(self, paths: list[str]) -> None:
        fields = self.form.fields
        for path in self._locked:
            fields[path].box.field.setEnabled(True)
            fields[path].box.field.setToolTip(fields[path].box.tooltip)
        for path in paths:
            widget = fields[path].box.field
            widget.setEnabled(False)
            widget.setToolTip(f"{fields[path].box.tooltip}\n{self.note()}")
        self._locked = list(paths)

    def set_hidden(self, paths: list[str]) -> None:
        if not paths and not self._relevant:
            return
        fields = self.form.fields
        for path, relevant in self._relevant.items():
            fields[path].relevant = relevant
        self._relevant = {path: fields[path].relevant for path in paths}
        for path in paths:
            fields[path].relevant = _never
        self.form.revalidate()  # re-runs update_visibility, which reads each field's relevant()


def _never() -> bool:
    return False
