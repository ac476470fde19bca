"""Calculator formulas: a small whitelisted expression language.

Grammar: Python expression syntax (mode "eval") restricted to numbers, names,
``+ - * / **``, unary ``-``/``+``, ``< <= > >= == !=`` (chains such as
``a < b < c`` mean ``a < b and b < c``), ``and``/``or``/``not``,
``x if cond else y`` and calls to ``min``/``max`` (2+ arguments),
``ceil``/``floor``/``round``/``abs`` (1 argument) and ``sum_powers(x, n)`` (the bounded sum
1 + x + x**2 + ... + x**n, added term by term, so it never divides by zero). Precedence is Python's, so
``-2 ** 2`` is -4 and ``**`` groups right. Text must be ASCII; a formula that
spans lines needs parentheses; function names are not variable names; nesting
stops at MAX_DEPTH. Anything else is a FormulaError carrying a message and a
0-based column into the text.

Trees are JSON lists, e.g. ``["add", ["var", "n"], ["num", 2.0]]``; see
``parse_formula``. They are evaluated here and, with identical rules, by
``overrides/assets/javascripts/costhub-formula.js`` in the browser.

Numeric rules (both engines):
- every value is an IEEE-754 double; comparisons, ``and``, ``or`` and ``not``
  give 1.0 or 0.0; ``if`` picks ``then`` when the condition is not 0;
- every sub-expression is evaluated (no short-circuit), so a missing name is
  an error whatever the other values are;
- ``x / 0`` is 0; ``0 ** negative`` is 0; a negative base with a non-integer
  exponent is 0;
- a result beyond the double range becomes +/-1.7976931348623157e308, and
  -0.0 becomes 0.0, after every operation; NaN cannot arise, and a NaN input
  is an error while an infinite input is clamped like a result;
- ``round`` sends halves away from zero (2.5 -> 3, -2.5 -> -3);
- ``sum_powers(x, n)`` adds x**k for k = 0 .. floor(n), at most SUM_TERMS terms; it is 0 when n < 0;
  each term is the previous one times x, and every product and sum is kept finite as above;
- ``**`` with an integer exponent is computed by repeated squaring, so both
  engines give the same bits; with a non-integer exponent each engine uses its
  own ``pow``, which may differ from the other in the last bit.
"""

from __future__ import annotations

import ast
import difflib
import json
import math
import operator
import re
from collections.abc import Callable, Collection, Mapping

Node = list

MAX_DEPTH = 100
SUM_TERMS = 1000
_MAX = 1.7976931348623157e308
_FUNCTIONS = {"min": 2, "max": 2, "ceil": 1, "floor": 1, "round": 1, "abs": 1, "sum_powers": 2}
_VARIADIC = {"min", "max"}
_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_COMPARE = {ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge", ast.Eq: "eq", ast.NotEq: "ne"}
_BAD_OPERATORS = {
    ast.BitXor: "'^' is not a power operator here; use ** (for example x ** 2)",
    ast.BitAnd: "'&' is not allowed; use 'and'",
    ast.BitOr: "'|' is not allowed; use 'or'",
    ast.FloorDiv: "'//' is not allowed; use floor(a / b)",
    ast.Mod: "'%' is not allowed; use a - b * floor(a / b)",
    ast.MatMult: "'@' is not allowed",
    ast.LShift: "'<<' is not allowed",
    ast.RShift: "'>>' is not allowed",
    ast.Is: "'is' is not allowed; use ==",
    ast.IsNot: "'is not' is not allowed; use !=",
    ast.In: "'in' is not allowed",
    ast.NotIn: "'not in' is not allowed",
}
_BAD_NODES = {
    ast.Subscript: "subscripts ('[...]') are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed; did you put a comma in a number?",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
}
_ALLOWED_CHARS = re.compile(r"[\t\n\r\x20-\x7e]*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class FormulaError(ValueError):
    # A formula problem: what is wrong and where (0-based offset in the text).
    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


# Parse formula text into a JSON-able tree; names must be in known_names when given.
def parse_formula(text: str, known_names: Collection[str] | None = None) -> Node:
    bad = _ALLOWED_CHARS.match(text).end()
    if bad < len(text):
        raise FormulaError(f"unexpected character {text[bad]!r}; formulas are plain ASCII", bad)
    lead = len(text) - len(text.lstrip())
    try:
        tree = ast.parse(text[lead:], mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"syntax error: {exc.msg}", _syntax_column(text, lead, exc)) from None
    except (RecursionError, MemoryError):
        raise FormulaError("formula is nested too deeply", lead) from None
    names = None if known_names is None else frozenset(known_names)
    return _Builder(text, lead, names).build(tree.body, 0)


# Column of a SyntaxError; errors at the end of input report offset 0 or less.
def _syntax_column(text: str, lead: int, exc: SyntaxError) -> int:
    if not exc.lineno or not exc.offset or exc.offset < 1:
        return len(text)
    return min(_offset(text, lead, exc.lineno, exc.offset - 1), len(text))


# Absolute offset in text of a (1-based line, 0-based column) position in text[lead:].
def _offset(text: str, lead: int, line: int, col: int) -> int:
    starts = [lead] + [m.end() for m in _LINE_BREAK.finditer(text, lead)]
    return starts[min(line, len(starts)) - 1] + col


class _Builder:
    # Turns a whitelisted Python AST into a formula tree.
    def __init__(self, text: str, lead: int, names: frozenset[str] | None) -> None:
        self.text = text
        self.lead = lead
        self.names = names

    # Start offset of an AST node in the full text.
    def start(self, node: ast.AST) -> int:
        return _offset(self.text, self.lead, node.lineno, node.col_offset)

    # Offset of the operator token that follows the node `left`.
    def operator_at(self, left: ast.expr) -> int:
        text = self.text
        i = _offset(text, self.lead, left.end_lineno, left.end_col_offset)
        while i < len(text) and text[i] in " \t\r\n)\\#":
            if text[i] == "#":
                found = _LINE_BREAK.search(text, i)
                i = found.start() if found else len(text)
            else:
                i += 1
        return i

    # Convert one AST node, refusing anything outside the grammar.
    def build(self, node: ast.AST, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise FormulaError(f"formula is nested more than {MAX_DEPTH} levels deep", self.start(node))
        d = depth + 1
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            op = _BINARY.get(type(node.op))
            if op is None:
                raise FormulaError(_BAD_OPERATORS[type(node.op)], self.operator_at(node.left))
            return [op, self.build(node.left, d), self.build(node.right, d)]
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, d)
        if isinstance(node, ast.BoolOp):
            self.check_chain(node, depth + len(node.values) - 1)
            op = "and" if isinstance(node.op, ast.And) else "or"
            tree = self.build(node.values[0], d)
            for value in node.values[1:]:
                tree = [op, tree, self.build(value, d)]
            return tree
        if isinstance(node, ast.Compare):
            self.check_chain(node, depth + len(node.ops))
            return self.compare(node, d)
        if isinstance(node, ast.IfExp):
            return ["if", self.build(node.test, d), self.build(node.body, d), self.build(node.orelse, d)]
        if isinstance(node, ast.Call):
            return self.call(node, d)
        if isinstance(node, ast.Attribute):
            raise FormulaError(f"attribute access ('.{node.attr}') is not allowed", self.start(node))
        message = _BAD_NODES.get(type(node), f"{type(node).__name__} is not allowed")
        raise FormulaError(message, self.start(node))

    # A chain (a and b and ...; a < b < ...) becomes one nested level per link: refuse it past MAX_DEPTH.
    def check_chain(self, node: ast.AST, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise FormulaError(f"formula is nested more than {MAX_DEPTH} levels deep (too long a chain of "
                               f"'and', 'or' or comparisons)", self.start(node))

    # A numeric literal; booleans, None, strings and complex numbers are refused.
    def number(self, node: ast.Constant) -> Node:
        value = node.value
        if isinstance(value, bool) or value is None:
            raise FormulaError(f"'{value}' is not allowed; use 1 or 0", self.start(node))
        if isinstance(value, str):
            raise FormulaError("text strings are not allowed; formulas work on numbers", self.start(node))
        if not isinstance(value, (int, float)):
            raise FormulaError(f"{type(value).__name__} literals are not allowed", self.start(node))
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isinf(number):
            raise FormulaError("number is too large", self.start(node))
        return ["num", number]

    # A variable, checked against the declared names.
    def name(self, node: ast.Name) -> Node:
        if node.id in _FUNCTIONS:
            raise FormulaError(f"'{node.id}' is a function; call it like {node.id}(...)", self.start(node))
        if self.names is not None and node.id not in self.names:
            hint = _did_you_mean(node.id, self.names)
            known = ", ".join(sorted(self.names)) or "none"
            raise FormulaError(f"unknown name '{node.id}'{hint}; declared names: {known}", self.start(node))
        return ["var", node.id]

    # Unary minus, plus (dropped) and not.
    def unary(self, node: ast.UnaryOp, depth: int) -> Node:
        if isinstance(node.op, ast.Invert):
            raise FormulaError("'~' is not allowed", self.start(node))
        operand = self.build(node.operand, depth)
        if isinstance(node.op, ast.UAdd):
            return operand
        return ["neg" if isinstance(node.op, ast.USub) else "not", operand]

    # Comparisons; a chain becomes an 'and' of its links.
    def compare(self, node: ast.Compare, depth: int) -> Node:
        left, tree = node.left, None
        for op, right in zip(node.ops, node.comparators, strict=True):
            name = _COMPARE.get(type(op))
            if name is None:
                raise FormulaError(_BAD_OPERATORS[type(op)], self.operator_at(left))
            link = [name, self.build(left, depth), self.build(right, depth)]
            tree = link if tree is None else ["and", tree, link]
            left = right
        return tree

    # A call to one of the allowed functions with the right number of arguments.
    def call(self, node: ast.Call, depth: int) -> Node:
        func = node.func
        if isinstance(func, ast.Attribute):
            raise FormulaError(f"attribute access ('.{func.attr}') is not allowed", self.start(func))
        if not isinstance(func, ast.Name):
            raise FormulaError("only min, max, ceil, floor, round, abs and sum_powers can be called", self.start(func))
        if func.id not in _FUNCTIONS:
            hint = _did_you_mean(func.id, _FUNCTIONS)
            raise FormulaError(
                f"unknown function '{func.id}'{hint}; allowed: {', '.join(sorted(_FUNCTIONS))}",
                self.start(func),
            )
        for keyword in node.keywords:
            what = f"'{keyword.arg}='" if keyword.arg else "'**' unpacking"
            raise FormulaError(f"keyword arguments are not allowed ({what})", self.start(keyword))
        args = [self.build(arg, depth) for arg in node.args]
        want = _FUNCTIONS[func.id]
        if func.id in _VARIADIC and len(args) < want:
            raise FormulaError(
                f"{func.id}() needs at least {want} arguments, got {len(args)}", self.start(func)
            )
        if func.id not in _VARIADIC and len(args) != want:
            plural = "argument" if want == 1 else "arguments"
            raise FormulaError(f"{func.id}() takes exactly {want} {plural}, got {len(args)}", self.start(func))
        return ["call", func.id, args]


# " (did you mean 'x'?)" for the closest candidate, else "".
def _did_you_mean(word: str, candidates: Collection[str]) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


# Variable names a tree reads.
def names_in(node: Node) -> set[str]:
    if node[0] == "var":
        return {node[1]}
    if node[0] == "num":
        return set()
    children = node[2] if node[0] == "call" else node[1:]
    return set().union(*(names_in(child) for child in children))


# Compact, deterministic JSON for a tree.
def to_json(node: Node) -> str:
    return json.dumps(node, separators=(",", ":"), allow_nan=False)


# Evaluate a tree with the numeric rules in the module comment.
def evaluate(node: Node, env: Mapping[str, float]) -> float:
    return _eval(node, env)


# Keep a result finite and free of -0.0.
def _fin(x: float) -> float:
    if x == 0:
        return 0.0
    if math.isinf(x):
        return math.copysign(_MAX, x)
    return x


# x / 0 is 0.
def _div(a: float, b: float) -> float:
    return 0.0 if b == 0 else a / b


# a ** n for a whole n >= 0 by repeated squaring: only + * rounding, same bits in JS.
def _ipow(a: float, n: float) -> float:
    result = 1.0
    while n > 0:
        if n % 2 == 1:
            result *= a
        n //= 2
        if n > 0:
            a *= a
    return result


# Power with the calculator's rules for zero, negative bases and overflow.
def _pow(a: float, b: float) -> float:
    if a == 0 and b < 0:
        return 0.0
    if b.is_integer():
        result = _ipow(a, abs(b))
        if b >= 0:
            return result
        return math.copysign(math.inf, result) if result == 0 else 1.0 / result
    if a < 0:
        return 0.0
    try:
        return a**b
    except OverflowError:
        return math.inf


# Round halves away from zero; exact for every double.
def _round(x: float) -> float:
    whole = float(math.trunc(x))
    if abs(x - whole) >= 0.5:
        return whole + math.copysign(1.0, x)
    return whole


# A variable's value: a finite number, or infinity clamped.
def _lookup(name: str, env: Mapping[str, float]) -> float:
    try:
        value = env[name]
    except KeyError:
        raise FormulaError(f"no value for '{name}'") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormulaError(f"value of '{name}' is not a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf if value > 0 else -math.inf
    if math.isnan(number):
        raise FormulaError(f"value of '{name}' is not a number")
    return _fin(number)


_BINARY_OPS: dict[str, Callable[[float, float], float]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": _div,
    "pow": _pow,
    "lt": lambda a, b: float(a < b),
    "le": lambda a, b: float(a <= b),
    "gt": lambda a, b: float(a > b),
    "ge": lambda a, b: float(a >= b),
    "eq": lambda a, b: float(a == b),
    "ne": lambda a, b: float(a != b),
    "and": lambda a, b: float(a != 0 and b != 0),
    "or": lambda a, b: float(a != 0 or b != 0),
}
_CALLS: dict[str, Callable[[list[float]], float]] = {
    "min": min,
    "max": max,
    "ceil": lambda args: float(math.ceil(args[0])),
    "floor": lambda args: float(math.floor(args[0])),
    "round": lambda args: _round(args[0]),
    "abs": lambda args: abs(args[0]),
    "sum_powers": lambda args: _sum_powers(args[0], args[1]),
}


# 1 + x + x**2 + ... + x**n term by term (n floored, at most SUM_TERMS terms, 0 when n < 0).
def _sum_powers(x: float, n: float) -> float:
    total, term = 0.0, 1.0
    for _ in range(int(min(math.floor(n), SUM_TERMS - 1)) + 1 if n >= 0 else 0):
        total = _fin(total + term)
        term = _fin(term * x)
    return total


# Recursive evaluator; every operation's result goes through _fin.
def _eval(node: Node, env: Mapping[str, float]) -> float:
    op = node[0]
    if op == "num":
        return _fin(float(node[1]))
    if op == "var":
        return _lookup(node[1], env)
    if op in _BINARY_OPS:
        return _fin(_BINARY_OPS[op](_eval(node[1], env), _eval(node[2], env)))
    if op == "neg":
        return _fin(-_eval(node[1], env))
    if op == "not":
        return float(_eval(node[1], env) == 0)
    if op == "if":
        cond, then, other = (_eval(child, env) for child in node[1:])
        return then if cond != 0 else other
    if op == "call" and node[1] in _CALLS:
        return _fin(_CALLS[node[1]]([_eval(arg, env) for arg in node[2]]))
    raise FormulaError(f"unknown formula node {op!r}")
