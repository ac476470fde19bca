from __future__ import annotations

import json
import math

import pytest

from costhub.calculator.formula import FormulaError, evaluate, names_in, parse_formula, to_json

MAX = 1.7976931348623157e308
ENV = {"a": 6.0, "b": 4.0, "videos": 10.0}


# Parse with the test names declared, then evaluate.
def run(text: str, **env: float) -> float:
    values = {**ENV, **env}
    return evaluate(parse_formula(text, known_names=values), values)


# Parse and return the FormulaError raised.
def error_of(text: str) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        parse_formula(text, known_names=ENV)
    return info.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5", 1.5),
        ("a", 6.0),
        ("a + b", 10.0),
        ("a - b", 2.0),
        ("a * b", 24.0),
        ("a / b", 1.5),
        ("a ** 2", 36.0),
        ("2 ** 3 ** 2", 512.0),
        ("-a", -6.0),
        ("+a", 6.0),
        ("-2 ** 2", -4.0),
        ("a + b * 2", 14.0),
        ("(a + b) * 2", 20.0),
        ("a < b", 0.0),
        ("a <= 6", 1.0),
        ("a > b", 1.0),
        ("a >= 7", 0.0),
        ("a == 6", 1.0),
        ("a != 6", 0.0),
        ("1 < b < a", 1.0),
        ("1 < a < b", 0.0),
        ("a > 1 and b > 1", 1.0),
        ("a > 1 and b > 5", 0.0),
        ("a and b", 1.0),
        ("a > 9 or b > 1", 1.0),
        ("a > 9 or b > 9", 0.0),
        ("not a", 0.0),
        ("not 0", 1.0),
        ("a if b > 3 else 0", 6.0),
        ("a if b > 5 else 0", 0.0),
        ("min(a, b, 5)", 4.0),
        ("max(a, b)", 6.0),
        ("ceil(1.2)", 2.0),
        ("floor(-1.2)", -2.0),
        ("round(2.5)", 3.0),
        ("abs(-3)", 3.0),
        ("1_000 * 2", 2000.0),
        ("(a +\n b)", 10.0),
        ("  a + 1  ", 7.0),
        ("ceil(videos / 4) * 0.25", 0.75),
    ],
)
def test_allowed_constructs_evaluate_to_hand_worked_values(text: str, expected: float) -> None:
    result = run(text)
    assert result == expected
    assert type(result) is float


def test_tree_shape_is_the_documented_list_form() -> None:
    assert parse_formula("a + 2 * b") == ["add", ["var", "a"], ["mul", ["num", 2.0], ["var", "b"]]]
    assert parse_formula("x if c else -y") == ["if", ["var", "c"], ["var", "x"], ["neg", ["var", "y"]]]
    assert parse_formula("not a or b") == ["or", ["not", ["var", "a"]], ["var", "b"]]
    assert parse_formula("min(a, 1)") == ["call", "min", [["var", "a"], ["num", 1.0]]]
    assert parse_formula("round(a)") == ["call", "round", [["var", "a"]]]
    assert parse_formula("a < b <= c") == [
        "and",
        ["lt", ["var", "a"], ["var", "b"]],
        ["le", ["var", "b"], ["var", "c"]],
    ]
    assert parse_formula("a and b and c") == ["and", ["and", ["var", "a"], ["var", "b"]], ["var", "c"]]


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("a.real", 0, "attribute access ('.real')"),
        ("a + math.ceil(b)", 4, "attribute access ('.ceil')"),
        ("sqrt(a)", 0, "unknown function 'sqrt'"),
        ("a + mn(a, b)", 4, "did you mean 'min'?"),
        ("(1)(2)", 1, "only min, max"),
        ("a[0]", 0, "subscripts"),
        ("a + 'x'", 4, "text strings"),
        ("b'x'", 0, "bytes"),
        ("f'{a}'", 0, "f-strings"),
        ("lambda: 1", 0, "lambda"),
        ("[a for a in b]", 0, "comprehensions"),
        ("(b := 2)", 1, "':='"),
        ("vidoes * 2", 0, "unknown name 'vidoes' (did you mean 'videos'?)"),
        ("a * zzz", 4, "declared names: a, b, videos"),
        ("a ^ 2", 2, "use **"),
        ("(a) ^ (b)", 4, "use **"),
        ("  a ^ b", 4, "use **"),
        ("a // b", 2, "floor(a / b)"),
        ("a % b", 2, "'%'"),
        ("a & b", 2, "use 'and'"),
        ("a | b", 2, "use 'or'"),
        ("a is b", 2, "'is'"),
        ("a not in b", 2, "'not in'"),
        ("~a", 0, "'~'"),
        ("round(a, ndigits=2)", 9, "keyword arguments are not allowed ('ndigits=')"),
        ("min(a, **b)", 7, "'**' unpacking"),
        ("min(*a)", 4, "'*' unpacking"),
        ("round(a, 2)", 0, "round() takes exactly 1 argument, got 2"),
        ("abs()", 0, "abs() takes exactly 1 argument, got 0"),
        ("a + min(a)", 4, "min() needs at least 2 arguments, got 1"),
        ("min + 1", 0, "'min' is a function"),
        ("True", 0, "'True' is not allowed"),
        ("a * None", 4, "'None' is not allowed"),
        ("1j", 0, "complex"),
        ("1e400", 0, "too large"),
        ("a, b", 0, "tuples"),
        ("a +", 3, "syntax error"),
        ("(a", 0, "'(' was never closed"),
        ("a b", 2, "syntax error"),
        ("", 0, "syntax error"),
        ("(a +\n b.c)", 6, "attribute access"),
        ("a * é", 4, "unexpected character 'é'"),
        ("a\x00", 1, "unexpected character"),
        ("-" * 101 + "a", 101, "nested more than 100 levels"),
    ],
)
def test_rejected_constructs_name_the_problem_and_column(text: str, column: int, fragment: str) -> None:
    error = error_of(text)
    assert fragment in error.message
    assert error.column == column
    assert str(error) == error.message


def test_formula_error_is_a_value_error() -> None:
    assert isinstance(error_of("a ^ b"), ValueError)


def test_any_name_is_accepted_without_a_declaration() -> None:
    assert parse_formula("anything * other") == ["mul", ["var", "anything"], ["var", "other"]]


def test_no_declared_names_says_so() -> None:
    with pytest.raises(FormulaError, match="declared names: none"):
        parse_formula("a", known_names=[])


def test_huge_formulas_are_refused_without_a_traceback() -> None:
    with pytest.raises(FormulaError, match="nested"):
        parse_formula("1+" * 100_000 + "1")


def test_division_by_zero_is_zero() -> None:
    assert run("a / b", b=0.0) == 0.0
    assert run("-a / 0") == 0.0


def test_zero_to_a_negative_power_is_zero() -> None:
    assert run("0 ** -1") == 0.0
    assert run("0 ** -0.5") == 0.0
    assert run("0 ** 0") == 1.0


def test_negative_base_with_fractional_exponent_is_zero() -> None:
    assert run("(-8) ** (1/3)") == 0.0
    assert run("(-8) ** 3") == -512.0
    assert run("(-2) ** -1") == -0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a * a", MAX),
        ("-a * a", -MAX),
        ("a * 1e8 + a * 1e8", MAX),
        ("10 ** 400", MAX),
        ("(-10) ** 401", -MAX),
        ("2 ** 1e308", MAX),
        ("a ** 1.5", MAX),
        ("1 / 1e-320", MAX),
        ("(1e-200) ** -2", MAX),
        ("(-1e-200) ** -3", -MAX),
        ("(1e-200) ** 2", 0.0),
    ],
)
def test_overflow_is_clamped_to_the_largest_double(text: str, expected: float) -> None:
    assert run(text, a=1e300) == expected


def test_inputs_are_checked_and_clamped() -> None:
    tree = parse_formula("a")
    assert evaluate(tree, {"a": math.inf}) == MAX
    assert evaluate(tree, {"a": -(10**400)}) == -MAX
    assert evaluate(tree, {"a": 3}) == 3.0
    for bad in (math.nan, "3", True, None):
        with pytest.raises(FormulaError, match="'a' is not a number"):
            evaluate(tree, {"a": bad})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.5, 3.0),
        (-2.5, -3.0),
        (0.5, 1.0),
        (1.5, 2.0),
        (-0.5, -1.0),
        (-1.5, -2.0),
        (0.49999999999999994, 0.0),
        (-0.49999999999999994, 0.0),
        (2.4999999999999996, 2.0),
        (4503599627370497.0, 4503599627370497.0),
        (1e300, 1e300),
    ],
)
def test_round_sends_halves_away_from_zero(value: float, expected: float) -> None:
    assert run("round(a)", a=value) == expected


@pytest.mark.parametrize("text", ["-a", "a * -1", "ceil(-0.5)", "round(-0.3)", "a", "-a / 7"])
def test_negative_zero_never_comes_out(text: str) -> None:
    result = evaluate(parse_formula(text), {"a": -0.0 if text == "a" else 0.0})
    assert result == 0.0
    assert math.copysign(1.0, result) == 1.0


def test_every_branch_is_evaluated_so_missing_names_always_fail() -> None:
    for text in ("0 and missing", "1 or missing", "a if 1 else missing"):
        with pytest.raises(FormulaError, match="no value for 'missing'"):
            evaluate(parse_formula(text), {"a": 1.0})


def test_unknown_nodes_are_refused() -> None:
    with pytest.raises(FormulaError, match="unknown formula node 'mod'"):
        evaluate(["mod", ["num", 1.0], ["num", 2.0]], {})
    with pytest.raises(FormulaError, match="unknown formula node 'call'"):
        evaluate(["call", "sqrt", [["num", 4.0]]], {})


def test_names_in_lists_every_variable_read() -> None:
    tree = parse_formula("min(a, b) + c * 2 if d else round(a)")
    assert names_in(tree) == {"a", "b", "c", "d"}
    assert names_in(parse_formula("1 + 2")) == set()


def test_to_json_is_compact_and_round_trips() -> None:
    tree = parse_formula("a + 1 if b else -0.25")
    text = to_json(tree)
    assert text == '["if",["var","b"],["add",["var","a"],["num",1.0]],["neg",["num",0.25]]]'
    assert json.loads(text) == tree


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sum_powers(0.05, 2)", 1 + 0.05 + 0.0025),
        ("sum_powers(1, 2)", 3.0),  # no 0/0 at x = 1, unlike (1 - x ** 3) / (1 - x)
        ("sum_powers(0, 0)", 1.0),
        ("sum_powers(0.5, 0)", 1.0),
        ("sum_powers(2, 3.9)", 1 + 2 + 4 + 8),  # n is floored
        ("sum_powers(3, -1)", 0.0),  # an empty sum
        ("sum_powers(-1, 3)", 0.0),  # 1 - 1 + 1 - 1
        ("sum_powers(1, 1e9)", 1000.0),  # at most 1000 terms
    ],
)
def test_sum_powers_adds_the_terms_one_by_one(text: str, expected: float) -> None:
    assert evaluate(parse_formula(text), {}) == pytest.approx(expected, rel=1e-15)


def test_sum_powers_stays_finite_when_terms_overflow() -> None:
    assert evaluate(parse_formula("sum_powers(1e300, 5)"), {}) == MAX
    assert math.isfinite(evaluate(parse_formula("sum_powers(-1e300, 5)"), {}))
    with pytest.raises(FormulaError, match=r"sum_powers\(\) takes exactly 2 arguments, got 1"):
        parse_formula("sum_powers(a)")
