"""A whitelist parser for targets written as expressions in x, e.g. ``x**3 - 2*sin(x)``.

Nothing is ever handed to eval/exec: the text is split into tokens, a recursive-descent parser
builds a small tree of the allowed operations only, and the tree is evaluated with NumPy.

Grammar (Python's precedence: ``-x**2`` is ``-(x**2)``, ``2**3**2`` is ``2**9``)::

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("-" | "+") unary | power
    power      := atom ("**" unary)?
    atom       := number | "x" | "pi" | "e" | function "(" expression ")" | "(" expression ")"
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

MAX_LENGTH = 500
MAX_DEPTH = 60  # nesting of brackets, signs and powers; keeps far below Python's recursion limit

FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
VARIABLE = "x"

_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/()])"
)
_HINTS = {
    "^": "for powers write ** (x**2), not ^",
    ",": "each function takes exactly one argument",
    "−": "type the minus sign as -",
    "×": "type multiplication as *",
    "·": "type multiplication as *",
    "²": "for powers write ** (x**2)",
    "³": "for powers write ** (x**3)",
}


class ExpressionError(ValueError):
    """The expression cannot be used; ``position`` is the 0-based index of the offending character.

    The message counts positions from 1, as a person reads them ("at position 7" is the 7th
    character). ``caret()`` shows the text with a ``^`` under that character.
    """

    def __init__(self, message: str, position: int, text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.text = text

    def caret(self) -> str:
        """The expression with a ``^`` under the offending character (for CLI and GUI)."""
        one_line = self.text.translate(_ONE_LINE)  # keeps the caret under its character
        return f"{one_line}\n{' ' * self.position}^"


_ONE_LINE = str.maketrans("\t\r\n", "   ")


# The tree: four kinds of node, evaluated by _evaluate.
@dataclass(frozen=True)
class _Number:
    value: float


@dataclass(frozen=True)
class _Variable:
    pass


@dataclass(frozen=True)
class _Call:
    function: str  # a key of FUNCTIONS, or "neg" for unary minus
    argument: _Node


@dataclass(frozen=True)
class _Binary:
    operator: str  # one of + - * / **
    left: _Node
    right: _Node


_Node = _Number | _Variable | _Call | _Binary


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    position: int


@dataclass(frozen=True)
class Expression:
    """A parsed expression in x; ``evaluate`` applies it to an array of x values."""

    text: str
    _tree: _Node = field(repr=False, compare=False)

    def evaluate(self, x: np.ndarray | float) -> np.ndarray:
        """float64 values of the same shape as x; NaN/inf where undefined (no warnings raised)."""
        xs = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):
            values = _evaluate(self._tree, xs)
        return np.array(np.broadcast_to(values, xs.shape), dtype=np.float64)


def parse_expression(text: str) -> Expression:
    """Parse ``text`` or raise ExpressionError saying what is wrong and where."""
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be text, got {type(text).__name__}", 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is too long ({len(text)} characters, at most {MAX_LENGTH})",
            MAX_LENGTH,
            text,
        )
    parser = _Parser(text, _tokenize(text))
    return Expression(text, parser.parse())


def _tokenize(text: str) -> Iterator[_Token]:
    """Tokens one at a time, so the first error reported is the leftmost one."""
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            hint = _HINTS.get(char)
            message = f"unexpected character {char!r} at position {position + 1}"
            raise ExpressionError(f"{message}; {hint}" if hint else message, position, text)
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            yield _Token(kind, match.group(), position)
        position = match.end()
    yield _Token("end", "", len(text))


class _Parser:
    def __init__(self, text: str, tokens: Iterator[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.token = next(tokens)  # the one token of look-ahead
        self.depth = 0

    def parse(self) -> _Node:
        if self.token.kind == "end":
            raise self.error("the expression is empty; write something in x, e.g. sin(x)")
        tree = self.expression()
        if self.token.kind != "end":
            raise self.unexpected()
        return tree

    def expression(self) -> _Node:
        node = self.term()
        while self.token.text in ("+", "-") and self.token.kind == "op":
            operator = self.advance().text
            node = _Binary(operator, node, self.term())
        return node

    def term(self) -> _Node:
        node = self.unary()
        while self.token.text in ("*", "/") and self.token.kind == "op":
            operator = self.advance().text
            node = _Binary(operator, node, self.unary())
        return node

    def unary(self) -> _Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)")
        if self.token.kind == "op" and self.token.text in ("+", "-"):
            sign = self.advance().text
            operand = self.unary()
            node: _Node = _Call("neg", operand) if sign == "-" else operand
        else:
            node = self.power()
        self.depth -= 1
        return node

    def power(self) -> _Node:
        base = self.atom()
        if self.token.kind == "op" and self.token.text == "**":
            self.advance()
            return _Binary("**", base, self.unary())  # right-associative, like Python
        return base

    def atom(self) -> _Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            value = float(token.text)
            if not math.isfinite(value):
                raise self.error(f"the number {token.text} is too large", token)
            node: _Node = _Number(value)
        elif token.kind == "name":
            node = self.name(token)
        elif token.text == "(":
            self.advance()
            node = self.bracketed(token)
        else:
            raise self.unexpected()
        if self.token.kind in ("number", "name") or self.token.text == "(":
            raise self.error(
                f"missing operator before {self.token.text!r} at position "
                f"{self.token.position + 1}; write * for multiplication (2*x)"
            )
        return node

    def name(self, token: _Token) -> _Node:
        self.advance()
        if token.text == VARIABLE:
            return _Variable()
        if token.text in CONSTANTS:
            return _Number(CONSTANTS[token.text])
        if token.text in FUNCTIONS:
            if self.token.text != "(":
                raise self.error(
                    f"expected '(' after {token.text} at position {self.token.position + 1}; "
                    f"write {token.text}(x)"
                )
            opening = self.advance()
            return _Call(token.text, self.bracketed(opening))
        known = [VARIABLE, *CONSTANTS, *FUNCTIONS]
        close = difflib.get_close_matches(token.text.lower(), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(known)}"
        raise self.error(
            f"unknown name {token.text!r} at position {token.position + 1}; {hint}", token
        )

    def bracketed(self, opening: _Token) -> _Node:
        if self.token.text == ")":
            raise self.error(f"empty brackets at position {opening.position + 1}", opening)
        node = self.expression()
        if self.token.text != ")":
            if self.token.kind == "end":
                raise self.error(
                    f"the '(' at position {opening.position + 1} is never closed", opening
                )
            raise self.unexpected()
        self.advance()
        return node

    def advance(self) -> _Token:
        token = self.token
        if token.kind != "end":
            self.token = next(self.tokens)
        return token

    def unexpected(self) -> ExpressionError:
        token = self.token
        if token.kind == "end":
            return self.error(f"the expression ends too early (at position {token.position + 1})")
        return self.error(f"unexpected {token.text!r} at position {token.position + 1}")

    def error(self, message: str, token: _Token | None = None) -> ExpressionError:
        where = token if token is not None else self.token
        return ExpressionError(message, where.position, self.text)


_BINARY: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.true_divide,
    "**": np.power,
}


def _evaluate(node: _Node, x: np.ndarray) -> np.ndarray:
    if isinstance(node, _Number):
        return np.float64(node.value)  # type: ignore[return-value]  # broadcasts like an array
    if isinstance(node, _Variable):
        return x
    if isinstance(node, _Call):
        argument = _evaluate(node.argument, x)
        return (
            np.negative(argument) if node.function == "neg" else FUNCTIONS[node.function](argument)
        )
    return _BINARY[node.operator](_evaluate(node.left, x), _evaluate(node.right, x))
