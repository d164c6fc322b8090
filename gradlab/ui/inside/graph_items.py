"""The boxes and arrows of the computation graph view, and the words they show.

A ``NodeItem`` is one node of a ComputationGraph (plain data from the worker thread): its torch
name on the first line, then what the current phase lets it show (its value, the gradient that
reached it, a leaf's ``.grad``). ``EdgeItem`` is an arrow from an input up to the node using it.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QCoreApplication, QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem, QGraphicsTextItem

from gradlab.core.graph_data import ComputationGraph, GraphNode, Summary
from gradlab.ui.inside.phase_text import number
from gradlab.ui.palette import colour

NODE_WIDTH = 190.0
LAYER_GAP = 46.0  # vertical room between layers, for the arrows
COLUMN_GAP = 22.0
# a box's fill by its kind: palette roles, so the boxes follow the dark and high-contrast themes
FILL_ROLES = {"op": "graph_op", "leaf": "graph_leaf", "root": "graph_root"}


def tr(text: str) -> str:
    return QCoreApplication.translate("GraphView", text)


def summary_text(summary: Summary | None, limit: int = 3) -> str:
    """A value for one line: ``38.6425`` or ``[2000] −0.3187, −0.3171, …``."""
    if summary is None:
        return "—"
    if summary.scalar is not None and not summary.shape:
        return number(summary.scalar)
    entries = ", ".join(number(v, 4) for v in summary.entries[:limit])
    more = ", …" if summary.size > limit else ""
    shape = "×".join(str(n) for n in summary.shape) or "1"
    return f"[{shape}] {entries}{more}"


ACTIVATION_NAMES = {"tanh": "tanh", "relu": "ReLU", "sigmoid": "sigmoid", "gelu": "GELU"}


def layer_text(layer: tuple[str, int] | None) -> str:
    """Which layer of a network made a node: ``layer 1: linear``, ``layer 1: tanh``."""
    if layer is None:
        return ""
    kind, number = layer
    if kind == "linear":
        return tr("layer {n}: linear (W{n}, b{n})").format(n=number)
    return tr("layer {n}: {activation}").format(n=number, activation=ACTIVATION_NAMES[kind])


def leaf_title(node: GraphNode) -> str:
    """``θ = (a, b, c, d)``, ``bias = a``, or the coefficient's own letter (a network's W1)."""
    letters = node.coefficients
    if node.leaf is None or not letters or (len(letters) == 1 and letters[0] == node.leaf):
        return node.leaf or ""
    inside = ", ".join(letters)
    return f"{node.leaf} = ({inside})" if len(letters) > 1 else f"{node.leaf} = {inside}"


def node_details(graph: ComputationGraph, node: GraphNode, *, reached: bool = True) -> str:
    """What is known about ``node`` (HTML): the hover text and the selection's panel; its
    gradient only once it has ``reached`` the node on screen."""
    rows = [f"<b>{html.escape(node.name)}</b>"]
    if node.is_leaf:
        rows.append(html.escape(tr("leaf: the parameter {name}").format(name=leaf_title(node))))
    if node.id == graph.root:
        rows.append(html.escape(tr("root: the loss, where backward() starts")))
    if node.layer is not None:
        rows.append(html.escape(layer_text(node.layer)))
    if node.formula:
        rows.append(html.escape(node.formula))
    value = tr("value (forward pass): {value}").format(value=_full(node.value))
    rows.append(html.escape(value))
    if node.grad_formula:
        rows.append(html.escape(node.grad_formula))
    arrived = node.grad if reached else None
    grad = tr("gradient flowing in (backward pass): {value}").format(value=_full(arrived))
    rows.append(html.escape(grad))
    if node.after is not None:
        rows.append(html.escape(tr("after the update: {value}").format(value=_full(node.after))))
    if node.backward_code:
        rows.append(html.escape(tr("its backward, written by hand:")))
        rows.append(f"<pre>{html.escape(node.backward_code)}</pre>")
    if node.is_leaf and not graph.by_hand and reached:
        stored = "None" if node.stored_grad is None else _full(node.stored_grad)
        rows.append(html.escape(f".grad = {stored}"))
    return "<br>".join(rows)


def _full(summary: Summary | None) -> str:
    if summary is None:
        return tr("not computed yet")
    shape = tr("shape {shape}").format(shape=tuple(summary.shape))
    entries = ", ".join(number(v) for v in summary.entries)
    more = ", …" if summary.size > len(summary.entries) else ""
    return f"{shape}: {entries}{more}" if summary.shape else entries


class NodeItem(QGraphicsRectItem):
    """One node's box; ``show(...)`` decides which of its lines the phase reveals."""

    def __init__(self, graph: ComputationGraph, node: GraphNode) -> None:
        super().__init__()
        self.graph, self.node = graph, node
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.text = QGraphicsTextItem(self)
        self.text.setTextWidth(NODE_WIDTH - 8)
        self.text.setPos(4, 2)
        font = QFont(self.text.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() - 1))
        self.text.setFont(font)
        self.kind = "root" if node.id == graph.root else "leaf" if node.is_leaf else "op"
        self.show_state(grad=False, changed=False, cleared=False)

    def show_state(self, *, grad: bool, changed: bool, cleared: bool) -> None:
        """Write the box's lines: the gradient only once it has arrived, a leaf's new value
        after the update, and its ``.grad`` (None after zero_grad)."""
        node = self.node
        lines = [f"<b>{html.escape(node.name)}</b>"]
        subtitle = leaf_title(node) if node.is_leaf and node.leaf != node.name else node.formula
        if node.backward_code:
            subtitle = tr("custom Function: backward by hand")
        where = layer_text(node.layer)  # a network's linear part or activation, by layer
        if where and not node.formula:
            subtitle, where = (f"{subtitle} · {where}" if subtitle else where), ""
        if subtitle:
            lines.append(f"<i>{html.escape(subtitle)}</i>")
        if where:  # beside a hand-written formula: on its own line
            lines.append(f"<i>{html.escape(where)}</i>")
        value = node.after if changed and node.after is not None else node.value
        if node.value is not None:
            arrow = "→ " if changed and node.after is not None else ""
            lines.append(html.escape(tr("value {value}").format(value=arrow + summary_text(value))))
        torch_leaf = node.is_leaf and not self.graph.by_hand
        if grad and node.grad is not None and not torch_leaf:  # a leaf's shows as its .grad
            color = colour("graph_grad")
            text = html.escape(tr("grad {value}").format(value=summary_text(node.grad)))
            lines.append(f"<span style='color:{color}'>{text}</span>")
        if torch_leaf and grad:
            stored = "None" if cleared or node.grad is None else summary_text(node.grad)
            color = colour("faint") if stored == "None" else colour("graph_grad")
            lines.append(f"<code style='color:{color}'>.grad = {html.escape(stored)}</code>")
        self.text.setDefaultTextColor(QColor(colour("text")))
        self.text.setHtml("<br>".join(lines))
        height = self.text.boundingRect().height() + 4
        self.setRect(QRectF(0, 0, NODE_WIDTH, height))
        fill = "graph_changed" if changed and node.after is not None else FILL_ROLES[self.kind]
        self.setBrush(QBrush(QColor(colour(fill))))
        pen = QPen(QColor(colour("graph_root_border" if self.kind == "root" else "graph_border")))
        pen.setWidthF(3.0 if self.kind == "root" else 1.2)
        if grad and node.grad is not None and self.kind != "root":
            pen = QPen(QColor(colour("graph_grad")), 2.0)
        self.setPen(pen)
        self.reached = grad
        self.setToolTip(node_details(self.graph, node, reached=grad))


class EdgeItem(QGraphicsPathItem):
    """An arrow from an input (lower box) up to the node that uses it (upper box)."""

    def __init__(self, consumer: NodeItem, source: NodeItem) -> None:
        super().__init__()
        self.consumer, self.source = consumer, source
        self.setZValue(-1)
        self.set_flowing(False)

    def set_flowing(self, flowing: bool) -> None:
        """Red and thicker once the gradient has flowed along this edge (down to ``source``)."""
        role = "graph_grad" if flowing else "graph_edge"
        pen = QPen(QColor(colour(role)), 2.2 if flowing else 1.2)
        self.setPen(pen)
        self.setBrush(QBrush(pen.color()))
        self.update_path()

    def update_path(self) -> None:
        top = self.consumer.sceneBoundingRect()
        bottom = self.source.sceneBoundingRect()
        start = QPointF(bottom.center().x(), bottom.top())
        end = QPointF(top.center().x(), top.bottom())
        path = QPainterPath(start)
        path.lineTo(end)
        angle = math.atan2(end.y() - start.y(), end.x() - start.x())
        size = 8.0
        left = QPointF(
            end.x() - size * math.cos(angle - 0.4), end.y() - size * math.sin(angle - 0.4)
        )
        right = QPointF(
            end.x() - size * math.cos(angle + 0.4), end.y() - size * math.sin(angle + 0.4)
        )
        path.addPolygon(QPolygonF([end, left, right, end]))
        self.setPath(path)


def place(items: dict[int, NodeItem], graph: ComputationGraph) -> None:
    """Put the boxes where the layered layout says, each layer below the tallest box above."""
    layers: dict[float, list[int]] = {}
    for node_id, (_x, y) in graph.positions.items():
        layers.setdefault(y, []).append(node_id)
    top = 0.0
    for y in sorted(layers):
        ids = layers[y]
        height = max(items[i].rect().height() for i in ids)
        for i in ids:
            x = graph.positions[i][0] * (NODE_WIDTH + COLUMN_GAP)
            items[i].setPos(x - NODE_WIDTH / 2, top)
        top += height + LAYER_GAP
