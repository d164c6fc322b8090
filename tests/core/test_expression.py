"""The whitelist expression parser: precedence, errors that point at the problem, and safety."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradlab.core.expression import MAX_DEPTH, MAX_LENGTH, ExpressionError, parse_expression

X = np.linspace(-3.0, 3.0, 12)  # even count: no exact zero, so 1/x is finite


def ev(text, x=X):
    return parse_expression(text).evaluate(x)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-x**2", -(X**2)),
        ("2**3**2", np.full_like(X, 2.0**9)),
        ("2**-1", np.full_like(X, 0.5)),
        ("-2**2", np.full_like(X, -4.0)),
        ("(-2)**2", np.full_like(X, 4.0)),
        ("1 - x - 2", 1 - X - 2),
        ("8 / x / 2", 8 / X / 2),
        ("1 + 2*x**3", 1 + 2 * X**3),
        ("x*-3", X * -3),
        ("+x - -x", X + X),
        ("2*x**2/4", 2 * X**2 / 4),
        ("sin(x)**2 + cos(x)**2", np.sin(X) ** 2 + np.cos(X) ** 2),
        ("-sin(x)", -np.sin(X)),
        ("tanh(x) * abs(x) - tan(x/4)", np.tanh(X) * np.abs(X) - np.tan(X / 4)),
        ("exp(-x**2/2)", np.exp(-(X**2) / 2)),
        ("sqrt(abs(x)) + log(1 + x*x)", np.sqrt(np.abs(X)) + np.log(1 + X * X)),
        ("pi*e", np.full_like(X, math.pi * math.e)),
        ("1e-3*x + .5 + 2.", 1e-3 * X + 0.5 + 2.0),
        ("3E2", np.full_like(X, 300.0)),
        ("  x\t+\n1 ", X + 1),
    ],
)
def test_precedence_and_values(text, expected):
    np.testing.assert_allclose(ev(text), expected, rtol=1e-15, atol=0)


def test_result_is_float64_with_the_shape_of_x():
    out = ev("2", np.zeros((2, 3)))
    assert out.shape == (2, 3)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, 2.0)
    assert ev("x", 1.5).shape == ()


def test_undefined_values_are_nan_or_inf_without_warnings():
    out = ev("log(x) + 1/x + sqrt(x) + x**0.5", np.array([-1.0, 0.0, 4.0]))
    assert np.isnan(out[0])
    assert not np.isfinite(out[1])
    assert out[2] == pytest.approx(math.log(4) + 0.25 + 2 + 2)


def test_text_is_kept():
    assert parse_expression("x + 1").text == "x + 1"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("sin(x))", "unexpected ')' at position 7", 6),
        ("x^2", "unexpected character '^' at position 2; for powers write ** (x**2), not ^", 1),
        ("2x", "missing operator before 'x' at position 2; write * for multiplication (2*x)", 1),
        ("x (x)", "missing operator before '(' at position 3", 2),
        ("sinn(x)", "unknown name 'sinn' at position 1; did you mean 'sin'?", 0),
        ("X + 1", "unknown name 'X' at position 1; did you mean 'x'?", 0),
        ("qqq", "unknown name 'qqq' at position 1; allowed: x, pi, e, sin, cos", 0),
        ("sin x", "expected '(' after sin at position 5; write sin(x)", 4),
        ("(x + 1", "the '(' at position 1 is never closed", 0),
        ("x +", "the expression ends too early (at position 4)", 3),
        ("", "the expression is empty", 0),
        ("   ", "the expression is empty", 3),
        ("sin()", "empty brackets at position 4", 3),
        ("sin(x, 2)", "unexpected character ',' at position 6; each function takes exactly", 5),
        ("x * * 2", "unexpected '*' at position 5", 4),
        ("1e999", "the number 1e999 is too large", 0),
        ("x − 1", "unexpected character '−' at position 3; type the minus sign as -", 2),
        ("__import__('os')", "unknown name '__import__' at position 1", 0),
        ("x.real", "unexpected character '.' at position 2", 1),
    ],
)
def test_errors_say_what_and_where(text, message, position):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert str(info.value).startswith(message)
    assert info.value.position == position
    assert info.value.text == text


def test_caret_points_at_the_position():
    with pytest.raises(ExpressionError) as info:
        parse_expression("sin(x))")
    assert info.value.caret() == "sin(x))\n      ^"


def test_caret_stays_on_one_line():
    with pytest.raises(ExpressionError) as info:
        parse_expression("x +\n\t)")
    assert info.value.caret() == "x +  )\n     ^"


def test_too_long():
    with pytest.raises(ExpressionError, match=f"at most {MAX_LENGTH}"):
        parse_expression("x+" * MAX_LENGTH + "x")


@pytest.mark.parametrize("text", ["(" * 200 + "x" + ")" * 200, "-" * 300 + "x", "x**" * 100 + "x"])
def test_deep_nesting_is_an_error_not_a_recursion_error(text):
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression(text)


def test_moderate_nesting_is_fine():
    depth = MAX_DEPTH // 2
    assert ev("(" * depth + "x" + ")" * depth, 2.0) == 2.0


def test_long_flat_sums_evaluate():
    text = "+".join(["x"] * 200)
    np.testing.assert_allclose(ev(text), 200 * X)


def test_not_text_is_an_error():
    with pytest.raises(ExpressionError, match="must be text"):
        parse_expression(3)  # type: ignore[arg-type]


GRAMMAR_ALPHABET = "x0123456789.eE+-*/()^ ,_'" + "sincotaexplgqrbhp"
TOKENS = [
    "x",
    "1",
    "2.5",
    "1e-3",
    "+",
    "-",
    "*",
    "/",
    "**",
    "(",
    ")",
    "sin",
    "exp",
    "log",
    "sqrt",
    "pi",
    "e",
    " ",
    "^",
    "abs",
    "tanh",
    "__import__",
    "'os'",
    ".",
]


def _parse_and_evaluate(text):
    try:
        expression = parse_expression(text)
    except ExpressionError as error:
        assert 0 <= error.position <= len(text)
        shown, caret = error.caret().rsplit("\n", 1)
        assert len(shown) == len(text)
        assert caret == " " * error.position + "^"
        return
    out = expression.evaluate(X)
    assert out.shape == X.shape
    assert out.dtype == np.float64


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_random_text_parses_or_raises_expression_error(text):
    _parse_and_evaluate(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=GRAMMAR_ALPHABET, max_size=40))
def test_random_grammar_characters_parse_or_raise_expression_error(text):
    _parse_and_evaluate(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_random_token_sequences_parse_or_raise_expression_error(text):
    _parse_and_evaluate(text)


def test_nothing_is_executed(monkeypatch):
    import builtins

    def forbidden(*args, **kwargs):
        raise AssertionError("the parser must never call eval/exec/__import__ on input")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    for text in [
        "__import__('os').system('true')",
        "exec('1')",
        "eval('x')",
        "(lambda: 1)()",
        "x.__class__",
        "open('f')",
    ]:
        with pytest.raises(ExpressionError):
            parse_expression(text)
