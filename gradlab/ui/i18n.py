"""English and Simplified Chinese, switchable while the app runs.

``language_manager()`` is the app-wide LanguageManager. At its first call it picks the language
(``GRADLAB_LANGUAGE``, else the one chosen before, else the system's), installs the translator
(``resources/translations/gradlab_zh_CN.qm`` plus Qt's own ``qtbase_zh_CN.qm`` for standard
buttons and dialogs) and the Chinese font fallback. ``set_language()`` switches without a
restart: it swaps the translator (Qt then sends every widget ``QEvent.LanguageChange``),
re-translates the static texts already on screen and emits ``language_changed``, on which
widgets re-set their dynamic texts (a ``retranslate_ui()`` method by convention).

Re-translating what is on screen: every text Qt shows came from ``tr()``, so a text that is an
English source string is looked up in the catalogue, and a Chinese text is mapped back to the
source it was translated from (the translator remembers). Formatted texts ("{n} steps/s") do not
match and are left to their widget's ``retranslate_ui()``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QSpinBox,
    QTabBar,
    QTableWidget,
    QToolButton,
    QTreeWidget,
    QWidget,
)

from gradlab.resources import resource_path
from gradlab.ui.fonts import apply_cjk_fallback
from gradlab.ui.settings import Settings

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}  # each in its own language, never translated
CATALOGUE = "gradlab_zh_CN.qm"
QT_CATALOGUE = "qtbase_zh_CN"
LANGUAGE_VARIABLE = "GRADLAB_LANGUAGE"  # forces a language (screenshots, tests)


def normalise_language(code: str | None) -> str:
    """ "zh" for any Chinese locale name ("zh_CN", "zh-Hans"), else "en"."""
    if code and code.replace("-", "_").lower().split("_")[0] == "zh":
        return "zh"
    return "en"


def system_language() -> str:
    """The interface language the system locale asks for: "zh" or "en"."""
    locale = QLocale.system()
    wanted = locale.uiLanguages() or [locale.name()]
    return normalise_language(wanted[0])


def catalogue_path() -> str:
    """Where the compiled Chinese catalogue is shipped."""
    return str(resource_path("translations", CATALOGUE))


# ---- the translator ---------------------------------------------------------------------------


class GradLabTranslator(QTranslator):
    """GradLab's catalogue, then Qt's own, with two PySide6-specific repairs.

    PySide6's ``self.tr()`` passes the *runtime* class name as the context, while lupdate files a
    string under the class that wrote it: a title set in ``LivePlot.__init__`` is asked for as
    "LossPlot". A lookup that misses therefore tries the class's Python base classes too.

    It stays installed in English as well (``active`` False: it translates nothing), so it hears
    every ``tr()`` call: each source is remembered with the contexts that asked for it, and each
    translation handed out with its source. That is what lets ``retranslate_tree`` switch texts
    already on screen exactly, in both directions.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalogue = QTranslator(self)
        self._qt = QTranslator(self)
        self._asked: dict[str, list[str]] = {}  # source -> contexts it was asked in
        self._sources: dict[str, dict[str, str]] = {}  # translation -> {context: source}
        self._bases: dict[str, tuple[str, ...]] = {}
        self.loaded = False
        self.active = False  # True while the interface is in Chinese

    def load_catalogues(self) -> bool:
        """Load the Chinese catalogues; False when GradLab's own is missing or unreadable."""
        self.loaded = self._catalogue.load(catalogue_path())
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        self._qt.load(QT_CATALOGUE, qt_folder)  # optional: only Qt's standard buttons
        return self.loaded

    def isEmpty(self) -> bool:  # Qt's name; never empty, or Qt would skip the LanguageChange
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        asked = self._asked.setdefault(source, [])
        if context not in asked:
            asked.append(context)
        if not self.active:
            return None  # None, not "": Qt then shows the source text
        text = self.lookup(context, source, disambiguation, n)
        if not text:
            return None
        self.remember(context, source, text)
        return text

    def remember(self, context: str, source: str, text: str) -> None:
        """Note that ``text`` on screen is ``source`` translated in ``context``."""
        if text != source:
            self._sources.setdefault(text, {}).setdefault(context, source)

    def contexts_of(self, source: str) -> list[str]:
        """The contexts ``source`` has been asked for in so far."""
        return list(self._asked.get(source, ()))

    def lookup(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        """The translation of ``source`` in ``context`` (or a base class's), or "".

        Last comes the empty context, where lupdate files strings it finds outside a class.
        """
        for name in (context, *self._base_contexts(context), ""):
            text = self._catalogue.translate(name, source, disambiguation, n)
            if text:
                return text
        return self._qt.translate(context, source, disambiguation, n) or ""

    def source_of(self, text: str, contexts: Iterable[str] = ()) -> str | None:
        """The English source a translation handed out was made from, if it was; where two
        sources share a translation ("Step", "Steps"), the one asked for in ``contexts``."""
        by_context = self._sources.get(text)
        if not by_context:
            return None
        return next((by_context[c] for c in contexts if c in by_context), None) or next(
            iter(by_context.values())
        )

    def _base_contexts(self, context: str) -> tuple[str, ...]:
        if context not in self._bases:
            self._bases[context] = tuple(
                name
                for cls in _python_qobject_classes().get(context, ())
                for name in class_contexts(cls)[1:]
            )
        return self._bases[context]


def class_contexts(cls: type) -> list[str]:
    """Translation contexts of a class: its own name, then its Python base classes' names."""
    return [
        base.__name__
        for base in cls.__mro__
        if not base.__module__.startswith(("PySide6", "shiboken6", "builtins"))
    ]


def _python_qobject_classes() -> dict[str, list[type]]:
    found: dict[str, list[type]] = {}
    pending = [QObject]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            found.setdefault(sub.__name__, []).append(sub)
    return found


# ---- the manager ------------------------------------------------------------------------------


class LanguageManager(QObject):
    """Owns the translator; ``set_language("zh"|"en")`` switches the running app."""

    language_changed = Signal(str)  # "en" or "zh", after the translator and texts switched

    def __init__(self, app: QCoreApplication, language: str | None = None) -> None:
        super().__init__(app)
        self.app = app
        self.translator = GradLabTranslator(self)
        app.installTranslator(self.translator)  # for good: it listens in English too
        self._language = "en"
        self._switch(initial_language() if language is None else normalise_language(language))

    @property
    def language(self) -> str:
        """The interface language now: "en" or "zh"."""
        return self._language

    def set_language(self, language: str, *, remember: bool = True) -> bool:
        """Switch every window to ``language`` now; remembered for the next start.

        False (nothing changes) when the Chinese catalogue cannot be loaded.
        """
        language = normalise_language(language)
        old = self._language
        if language != old and not self._switch(language):
            return False
        if remember:
            Settings().set_language(language)
        if language == old:
            return True
        for widget in QApplication.topLevelWidgets():
            # hidden windows are closed or not built yet: their own LanguageChange handling
            # (or the next build) covers them, and a closed plot may be half torn down
            if shiboken6.isValid(widget) and widget.isVisible():
                retranslate_tree(widget, self.translator, old, language)
        self.language_changed.emit(language)
        return True

    def retranslate(self, root: QObject, from_language: str = "en") -> None:
        """Bring ``root``'s texts from ``from_language`` to the current one (a window built
        before the translator was installed); widgets then get ``language_changed``."""
        if from_language != self._language:
            retranslate_tree(root, self.translator, from_language, self._language)
            self.language_changed.emit(self._language)

    def _switch(self, language: str) -> bool:
        if language == "zh" and not (self.translator.loaded or self.translator.load_catalogues()):
            return False
        self._language = language  # first: widgets ask for it while handling LanguageChange
        if isinstance(self.app, QGuiApplication):
            apply_cjk_fallback(self.app, language)
        self.translator.active = language == "zh"
        # what installing a translator would do: every window gets QEvent.LanguageChange
        QCoreApplication.sendEvent(self.app, QEvent(QEvent.Type.LanguageChange))
        return True


_manager: LanguageManager | None = None


def initial_language() -> str:
    """The lab administrator's locked language, else GRADLAB_LANGUAGE, else the language chosen
    before, else the system's."""
    settings = Settings()
    locked = locked_language(settings)
    if locked:
        return locked
    forced = os.environ.get(LANGUAGE_VARIABLE)
    if forced:
        return normalise_language(forced)
    return normalise_language(settings.language() or system_language())


def locked_language(settings: Settings | None = None) -> str | None:
    """The language the lab administrator locked, or None. Locked with no value, it is the
    system's."""
    settings = settings or Settings()
    if not settings.is_locked("language"):
        return None
    return normalise_language(settings.language() or system_language())


def language_manager() -> LanguageManager:
    """The app's LanguageManager, created (and the translator installed) at the first call.

    Call it right after creating the QApplication and before building windows, so they are
    built in the right language from the start.
    """
    global _manager
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before language_manager()")
    if _manager is None or _manager.app is not app:
        _manager = LanguageManager(app)
    return _manager


def current_language() -> str:
    """ "en" or "zh"; "en" before any manager exists."""
    return _manager.language if _manager is not None else "en"


# ---- re-translating texts already on screen ---------------------------------------------------


def retranslate_tree(root: QObject, translator: GradLabTranslator, old: str, new: str) -> int:
    """Switch the static texts of ``root`` and its children from ``old`` to ``new``; returns
    how many texts changed."""
    if old == new:
        return 0
    objects = [root, *root.findChildren(QObject)]
    everywhere = list(dict.fromkeys(c for o in objects for c in class_contexts(type(o))))
    holders = _holders(objects)

    def owner_contexts(obj: QObject | None) -> list[str]:
        """Where a text of ``obj`` most likely came from: whoever keeps ``obj`` in an
        attribute (RunControls.step_action), its own class, then the same for its parents."""
        names: list[str] = []
        while obj is not None:
            names += holders.get(id(obj), []) + class_contexts(type(obj))
            obj = obj.parent()
        return names

    def switch(text: str, owner: QObject) -> str | None:
        if not text or not any(ch.isalpha() for ch in text):
            return None
        if new == "en":
            return translator.source_of(text, [*owner_contexts(owner), *everywhere])
        contexts = dict.fromkeys(
            [*owner_contexts(owner), *translator.contexts_of(text), *everywhere]
        )
        for context in contexts:
            found = translator.lookup(context, text)
            if found:
                translator.remember(context, text, found)  # for switching back
                return found
        return None

    changed = 0
    for obj in objects:
        try:
            for getter, setter in _text_properties(obj):
                text = getter()
                translated = switch(text, obj)
                if translated is not None and translated != text:
                    setter(translated)
                    changed += 1
        except RuntimeError:  # a closed window's parts, already deleted on the C++ side
            continue
    return changed


def _holders(objects: list[QObject]) -> dict[int, list[str]]:
    """id(object) -> contexts of the objects that keep it in an attribute (or a list or dict
    attribute): the class that created a widget usually keeps it, even when Qt parents it
    elsewhere (an action parented to the window)."""
    held: dict[int, list[str]] = {}
    for holder in objects:
        try:  # the Python attributes of a QObject on screen (Qt's own objects may have none)
            attributes = vars(holder)
        except TypeError:
            continue
        if not attributes:
            continue
        names = class_contexts(type(holder))
        for value in attributes.values():
            if isinstance(value, dict):
                items = list(value.values())
            elif isinstance(value, (list, tuple)):
                items = list(value)
            else:
                items = [value]
            for item in items:
                if isinstance(item, QObject):
                    held.setdefault(id(item), []).extend(names)
    return held


Property = tuple[Callable[[], str], Callable[[str], None]]


def _text_properties(obj: QObject) -> Iterable[Property]:
    """(getter, setter) of each user-visible text of ``obj``."""
    if isinstance(obj, QAction):
        yield obj.text, obj.setText
        yield obj.statusTip, obj.setStatusTip
        if obj.toolTip() != obj.text().replace("&", ""):  # an explicit tooltip, not the text
            yield obj.toolTip, obj.setToolTip
        return
    if not isinstance(obj, QWidget):
        yield from _plot_properties(obj)
        return
    yield obj.windowTitle, obj.setWindowTitle
    yield obj.toolTip, obj.setToolTip
    yield obj.statusTip, obj.setStatusTip
    yield obj.whatsThis, obj.setWhatsThis
    if isinstance(obj, QLabel):
        yield obj.text, obj.setText
    elif isinstance(obj, QToolButton) and obj.defaultAction() is not None:
        return  # it shows its action's texts, which are switched with the action
    elif isinstance(obj, QAbstractButton):
        yield obj.text, obj.setText
    elif isinstance(obj, QGroupBox):
        yield obj.title, obj.setTitle
    elif isinstance(obj, QMenu):
        yield obj.title, obj.setTitle
    elif isinstance(obj, QLineEdit):
        yield obj.placeholderText, obj.setPlaceholderText
    elif isinstance(obj, QSpinBox):
        yield obj.specialValueText, obj.setSpecialValueText
        yield obj.suffix, obj.setSuffix
        yield obj.prefix, obj.setPrefix
    elif isinstance(obj, QComboBox) and not obj.isEditable():  # an editable one lists input
        for i in range(obj.count()):  # (the target's names: "step" is code, never 步)
            yield _indexed(obj.itemText, obj.setItemText, i)
    elif isinstance(obj, QTabBar):
        for i in range(obj.count()):
            yield _indexed(obj.tabText, obj.setTabText, i)
            yield _indexed(obj.tabToolTip, obj.setTabToolTip, i)
    elif isinstance(obj, QTableWidget):
        for i in range(obj.columnCount()):
            item = obj.horizontalHeaderItem(i)
            if item is not None:
                yield item.text, item.setText
    elif isinstance(obj, QTreeWidget):
        header = obj.headerItem()
        for i in range(header.columnCount()):
            yield _indexed(header.text, header.setText, i)
    yield from _plot_properties(obj)


def _indexed(get: Callable[[int], str], put: Callable[[int, str], None], index: int) -> Property:
    """The text at ``index`` of a list-like widget (a combo box's items, a tab bar's tabs)."""
    return (lambda: get(index)), (lambda text: put(index, text))


def _item_text(item: Any) -> Property:
    """A pyqtgraph LabelItem's text (None until one is set)."""
    return (lambda: item.text or ""), (lambda text: item.setText(text))


def _plot_properties(obj: QObject) -> Iterable[Property]:
    """Titles, axis labels and legend entries of a pyqtgraph plot (drawn, not widgets)."""
    pg = sys.modules.get("pyqtgraph")  # only if the app uses it; never imported from here
    if pg is None or not isinstance(obj, pg.PlotWidget):
        return
    item = obj.getPlotItem()
    yield _item_text(item.titleLabel)
    for side in ("left", "bottom", "right", "top"):
        yield _axis_label(item.getAxis(side))
    legend = item.legend
    for _sample, label in legend.items if legend is not None else []:
        yield _item_text(label)


def _axis_label(axis: Any) -> Property:
    """A pyqtgraph AxisItem's label (None until one is set)."""
    return (lambda: axis.labelText or ""), (lambda text: axis.setLabel(text=text))
