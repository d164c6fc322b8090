"""The computation graph view: the step's autograd graph drawn as boxes and arrows.

It is handed ComputationGraphs (plain data read in the worker thread, see
gradlab.core.autograd_graph) and shows what the phase that made them did: the forward pass
builds the graph node by node, the loss marks the root, the backward pass sends the gradients
from the root down to the leaves, the update changes the leaves, zero_grad clears their
``.grad``. Above the graph: the loss as torch prints it, ``tensor(..., grad_fn=<...>)``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QPainter, QTransform
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.graph_data import ComputationGraph
from gradlab.ui.inside.graph_items import EdgeItem, NodeItem, node_details, place
from gradlab.ui.palette import colour

TICK_MS = 260  # one node built, or one node reached by its gradient, per tick


def tr(text: str) -> str:
    return QCoreApplication.translate("GraphView", text)


def phase_caption(graph: ComputationGraph) -> str:
    """Which step the graph belongs to (the read-outs show the last finished one) and what it
    shows now, in one sentence."""
    return tr("Step {step}:").format(step=f"{graph.step:,}") + " " + _what_it_shows(graph)


def _what_it_shows(graph: ComputationGraph) -> str:
    phase = graph.phase
    if graph.by_hand:
        lead = tr("NumPy keeps no graph: this is the chain rule of listing 1, written by hand.")
        more = {
            "backward": tr("grad_y_pred first, then each coefficient's gradient from it."),
            "update": tr("The coefficients change (yellow)."),
            "zero_grad": tr("Nothing to clear: NumPy computes the gradients afresh each step."),
        }.get(phase or "", "")
        return f"{lead} {more}".strip()
    return {
        "forward": tr(
            "Forward pass: each operation adds its node to the graph, from the leaves (the "
            "parameters) up."
        ),
        "loss": tr("The loss is the root of the graph: loss.grad_fn is its node."),
        "backward": tr(
            "loss.backward(): the gradients flow from the root down to the leaves (red)."
        ),
        "update": tr("The update changes the leaves, the parameters (yellow)."),
        "zero_grad": tr("Zero the gradients: each leaf's .grad is None again."),
    }.get(
        phase or "",
        tr("The graph of the latest step (refreshed about once a second while running)."),
    )


class GraphView(QWidget):
    """The loss's torch repr, a caption, the drawn graph and the chosen node's numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graphView")
        self.graph: ComputationGraph | None = None
        self._message: Callable[[], str] = lambda: tr(
            "Step one phase to watch autograd build this step's computation graph."
        )
        self.items: dict[int, NodeItem] = {}
        self.edges: list[EdgeItem] = []
        self.built = 0  # how many nodes (in forward order) are on screen
        self.reached = 0  # how many nodes (in backward order) the gradient has reached
        self._forward: list[int] = []
        self._backward: list[int] = []
        self._grads_flow = False  # the backward phase: the gradients arrive one node per tick
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.repr_label = QLabel(self)
        self.repr_label.setObjectName("graphReprLabel")
        self.repr_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.repr_label.setWordWrap(True)
        self.caption = QLabel(self)
        self.caption.setObjectName("graphCaption")
        self.caption.setWordWrap(True)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.scene = QGraphicsScene(self)
        self.canvas = QGraphicsView(self.scene, self)
        self.canvas.setObjectName("graphCanvas")
        self.canvas.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.canvas.setMinimumHeight(180)
        self.details = QTextBrowser(self)
        self.details.setObjectName("graphDetails")
        self.details.setMaximumHeight(120)
        for widget in (self.repr_label, self.caption, self.canvas):
            layout.addWidget(widget)
        layout.addWidget(self.details)
        layout.setStretchFactor(self.canvas, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.scene.selectionChanged.connect(self._show_details)
        self.clear()

    # ---- what tests and the glue read ----

    @property
    def animating(self) -> bool:
        return self.timer.isActive()

    def node_names(self) -> list[str]:
        """The names of the nodes drawn now (built so far), in the graph's order."""
        return [self.items[i].node.name for i in sorted(self.items) if self.items[i].isVisible()]

    def reached_names(self) -> list[str]:
        """The nodes whose box shows the gradient that reached it."""
        return [self.items[i].node.name for i in self._backward[: self.reached]]

    # ---- showing ----

    def clear(self, message: Callable[[], str] | None = None) -> None:
        """No graph: a sentence instead (``message`` is re-asked on a language change)."""
        if message is not None:
            self._message = message
        self.timer.stop()
        self.graph = None
        self.items, self.edges = {}, []
        self.scene.clear()
        self.repr_label.clear()
        self.caption.setText(self._message())
        self.details.clear()

    def show_graph(self, graph: ComputationGraph, *, animate: bool = True) -> None:
        """Draw ``graph``; with ``animate`` its phase unfolds a node per tick."""
        previous = self.graph
        self.timer.stop()
        self.graph = graph
        self.scene.clear()
        self.items = {node.id: NodeItem(graph, node) for node in graph.nodes}
        for item in self.items.values():
            self.scene.addItem(item)
        self.edges = []
        for consumer, source in graph.edges:
            edge = EdgeItem(self.items[consumer], self.items[source])
            self.scene.addItem(edge)
            self.edges.append(edge)
        self._forward, self._backward = graph.forward_order(), graph.backward_order()
        total = len(graph.nodes)
        phase = graph.phase
        self.built, self.reached = total, 0
        if phase in ("update", "zero_grad", None):
            self.reached = total
        if animate and phase == "forward":
            self.built = 0
        elif animate and phase == "loss":
            same_step = previous is not None and previous.step == graph.step
            self.built = min(len(previous.nodes), total) if same_step and previous else 0
        elif phase == "backward":
            self.reached = 0 if animate else total
        self._grads_flow = phase == "backward"
        self.caption.setText(phase_caption(graph))
        self._refresh()
        if self._pending():
            self.timer.start()

    def set_colours(self) -> None:
        """Redraw the boxes in the theme now on screen (gradlab.ui.themes calls it)."""
        self._refresh()

    def _pending(self) -> bool:
        total = len(self.items)
        return self.built < total or (self._grads_flow and self.reached < total)

    def _tick(self) -> None:
        if self.built < len(self.items):
            self.built += 1
        elif self._grads_flow:
            self.reached += 1
        self._refresh()
        if not self._pending():
            self.timer.stop()

    def _refresh(self) -> None:
        graph = self.graph
        if graph is None:
            return
        built = set(self._forward[: self.built])
        reached = set(self._backward[: self.reached])
        changed = graph.phase in ("update", "zero_grad")
        cleared = graph.grads_cleared is True  # zero_grad left every leaf's .grad None
        for node_id, item in self.items.items():
            item.setVisible(node_id in built)
            item.show_state(grad=node_id in reached, changed=changed, cleared=cleared)
        place(self.items, graph)
        for edge in self.edges:
            edge.setVisible(edge.consumer.isVisible() and edge.source.isVisible())
            edge.set_flowing(edge.source.node.id in reached and edge.consumer.node.id in reached)
        root_shown = graph.root is not None and graph.root in built
        self._show_repr(graph if root_shown else None)
        self._fit()
        self._show_details()

    def _show_repr(self, graph: ComputationGraph | None) -> None:
        if graph is None or not graph.loss_repr:
            self.repr_label.clear()
            return
        color, fill, ink = colour("graph_root_border"), colour("graph_root"), colour("text")
        text = graph.loss_repr if not graph.by_hand else f"loss = {graph.loss_repr}"
        self.repr_label.setText(
            f"<code style='border: 2px solid {color}; background: {fill}; color: {ink}; "
            "padding: 2px;'>"
            f"{_escape(text)}</code>"
        )

    def _fit(self) -> None:
        """Scale the drawing down to fit the dock (never up: the text stays its size)."""
        bounds = self.scene.itemsBoundingRect().adjusted(-8, -8, 8, 8)
        self.scene.setSceneRect(bounds)
        view = self.canvas.viewport().size()
        if bounds.width() <= 0 or bounds.height() <= 0:
            return
        scale = min(1.0, view.width() / bounds.width(), view.height() / bounds.height())
        self.canvas.setTransform(QTransform.fromScale(scale, scale))
        self.canvas.centerOn(bounds.center())

    def _show_details(self) -> None:
        graph = self.graph
        if graph is None:
            self.details.clear()
            return
        chosen = [item for item in self.scene.selectedItems() if isinstance(item, NodeItem)]
        hint = tr("Hover over a node or click it to see its value and its gradient.")
        root = self.items.get(graph.root) if graph.root is not None else None
        if chosen:
            item = chosen[0]
            self.details.setHtml(node_details(graph, item.node, reached=item.reached))
        elif root is not None and root.isVisible():
            # nothing chosen: the root, which the line above the graph names
            text = node_details(graph, root.node, reached=root.reached)
            self.details.setHtml(f"{text}<br><i>{hint}</i>")
        else:
            self.details.setPlainText(hint)

    def select_node(self, node_id: int) -> None:
        """Select one node, as a click does (its numbers appear below the graph)."""
        self.scene.clearSelection()
        self.items[node_id].setSelected(True)

    def retranslate(self) -> None:
        """The same graph, in the new language, without replaying it."""
        if self.graph is None:
            self.clear()
        else:
            self.caption.setText(phase_caption(self.graph))
            self._refresh()

    def resizeEvent(self, event: object) -> None:  # Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
