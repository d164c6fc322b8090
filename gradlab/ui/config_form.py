"""The polynomial lab's form: fields bound to dotted Config paths (``ConfigForm``, which the
parameter panel fills), on the form framework of gradlab.ui.forms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.config import Config
from gradlab.ui.forms import FieldTable, FormField, Schema

GROUP_TITLE = "gradlabGroupTitle"  # a group's translated title, numbered as it is shown


def config_value(config: Config, path: str) -> Any:
    """The value at a dotted path: ``config_value(c, "training.lr")``, ``"seed"``."""
    group, _, name = path.partition(".")
    return getattr(getattr(config, group), name) if name else getattr(config, group)


class ConfigSchema(Schema[Config]):
    """The polynomial lab's Config, by dotted path."""

    def __init__(self, paths: Callable[[], list[str]]) -> None:
        self._paths = paths

    def default(self) -> Config:
        return Config()

    def values(self, config: Config) -> dict[str, Any]:
        return {path: config_value(config, path) for path in self._paths()}

    def build(self, values: dict[str, Any]) -> Config:
        return Config().with_changes(**values)


class ConfigForm(QScrollArea):
    """A scrollable form of fields bound to dotted Config paths (a ``FieldTable``).

    Subclasses add fields with ``group`` and the builders and may override
    ``update_visibility``. Texts given to the builders are English sources marked with
    ``self.tr_noop`` (lupdate files them under the subclass's name, the table's context).
    """

    config_changed = Signal(object)  # a valid Config, after a committed edit or set_config()
    validity_changed = Signal(bool)  # the form became valid / invalid (live)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.floor_width = 0  # a subclass's least width in pixels
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table: FieldTable[Config] = FieldTable(
            ConfigSchema(lambda: list(self.table.fields)), type(self).__name__, self
        )
        self.table.before_validate = self.update_visibility
        self.table.config_changed.connect(self.config_changed)
        self.table.validity_changed.connect(self.validity_changed)
        self.fields = self.table.fields
        self._groups: list[QGroupBox] = []
        self.body = QWidget(self)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(6, 6, 6, 6)
        self.setWidget(self.body)
        self.body.installEventFilter(self)  # its rows' widths change with language and zoom

    # ---- the table's API, on the form ----

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if watched is self.body and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the dock asks minimumSizeHint again
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # Qt's name
        """As wide as the form's widest row needs (whole combo items at any zoom) plus the
        vertical scroll bar: the dock never squeezes the fields under its edge."""
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        width = content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        width = max(hint.width(), width + 2 * self.frameWidth(), self.floor_width)
        return QSize(width, hint.height())

    def config(self) -> Config:
        """The form as a Config; raises ConfigError (first bad field) while anything is invalid."""
        return self.table.config()

    def set_config(self, config: Config, *, notify: bool = True) -> None:
        """Show ``config`` in the form; emits ``config_changed`` once unless ``notify`` is False."""
        self.table.set_config(config, notify=notify)

    def is_valid(self) -> bool:
        return self.table.is_valid()

    def errors(self) -> dict[str, str]:
        return self.table.errors()

    def error_for(self, path: str) -> str | None:
        return self.table.error_for(path)

    def field_widget(self, path: str) -> QWidget:
        return self.table.field_widget(path)

    def set_external_error(self, path: str, message: str | None) -> None:
        """Mark a field with an error found outside the form (e.g. the target is not finite on
        the chosen x range, which only building the dataset reveals); None clears it."""
        self.table.set_external_error(path, message)

    def revalidate(self) -> None:
        self.table.revalidate()

    def translated(self, source: str) -> str:
        """A text marked with ``tr_noop`` in the interface language."""
        return self.table.translated(source)

    def show_text(self, setter: Callable[[str], None], source: str) -> None:
        self.table.show_text(setter, source)

    def add_field(self, form: QFormLayout, *args: Any, **kwargs: Any) -> FormField:
        return self.table.add_field(form, *args, **kwargs)

    def number(self, form: QFormLayout, *args: Any, **kwargs: Any) -> FormField:
        return self.table.number(form, *args, **kwargs)

    def combo(self, form: QFormLayout, *args: Any, **kwargs: Any) -> QComboBox:
        return self.table.combo(form, *args, **kwargs)

    def spin(self, form: QFormLayout, *args: Any, **kwargs: Any) -> QSpinBox:
        return self.table.spin(form, *args, **kwargs)

    @staticmethod
    def tr_noop(source: str) -> str:
        """Marks an English text for translation (lupdate files it under the calling class) and
        returns it unchanged, for the builders, which show it translated."""
        return source

    def retranslate_ui(self) -> None:
        """Show every text in the current language (after a language switch)."""
        self.table.retranslate_ui()

    def group(self, title: str) -> QFormLayout:
        """A titled group box with a form layout, appended to the panel."""
        group = QGroupBox(self.body)
        self._groups.append(group)
        self.show_text(lambda text: self._set_group_title(group, text), title)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.body_layout.addWidget(group)
        return form

    def _set_group_title(self, group: QGroupBox, text: str) -> None:
        group.setProperty(GROUP_TITLE, text)
        self.renumber_groups()

    def renumber_groups(self) -> None:
        """Number the shown groups 1, 2, 3, ... (a hidden group leaves no gap)."""
        shown = [g for g in self._groups if not g.isHidden()]
        for n, group in enumerate(shown, start=1):
            title = str(group.property(GROUP_TITLE) or "")
            number, dot, rest = title.partition(" · ")
            group.setTitle(f"{n} · {rest}" if dot and number.isdigit() else title)

    def update_visibility(self) -> None:
        """Show only the rows that matter now (each field's ``relevant``)."""
        self.table.update_visibility()
        self.renumber_groups()
