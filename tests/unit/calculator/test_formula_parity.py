from __future__ import annotations

import json
import math
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from costhub.calculator.formula import FormulaError, Node, evaluate, names_in, parse_formula

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "overrides" / "assets" / "javascripts" / "costhub-formula.js"
RUNNER = ROOT / "tests" / "js" / "run_formula.js"
SEED = 20240611
RANDOM_TREES = 3000
MAX = 1.7976931348623157e308
NAMES = ("a", "b", "c", "d", "e")
SPECIAL = (
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, 0.1, 1 / 3, 12.0,
    1e-300, -1e-300, 5e-324, 1e300, -1e300, MAX, -MAX, 1e15, 4503599627370497.0,
    0.49999999999999994,
)  # fmt: skip
BINARY = ("add", "sub", "mul", "div", "pow", "lt", "le", "gt", "ge", "eq", "ne", "and", "or")
FORMULAS = (
    "ceil(a / 1000) * b + c ** 2",
    "max(a - b, 0) * 0.04 if c > 1 else round(d * 1.5)",
    "min(a, b, c) / max(d, e) - abs(a - e)",
    "(1 + a / 100) ** 12 * b",
    "floor(a * 60) / 60 * b if 0 < a <= 1e6 else 0",
    "not (a == b) or c != d and e >= 0",
    "round(a / 3) + round(-b / 3)",
    "c ** 0.5 + d ** (1 / 3) - (-e) ** 3",
    "sum_powers(a, b) * c + sum_powers(d / 1000, 12)",
)


# A random double: special values, small integers, ordinary and extreme magnitudes.
def number(rng: random.Random) -> float:
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(SPECIAL)
    if kind < 0.6:
        return float(rng.randint(-12, 12))
    if kind < 0.85:
        return rng.uniform(-1000, 1000)
    return rng.choice((1.0, -1.0)) * 10 ** rng.uniform(-320, 308)


# A random tree over every node kind; integer_powers gives pow whole-number exponents.
def tree(rng: random.Random, depth: int, integer_powers: bool = False) -> Node:
    if depth == 0 or rng.random() < 0.2:
        return ["var", rng.choice(NAMES)] if rng.random() < 0.6 else ["num", number(rng)]

    def sub() -> Node:
        return tree(rng, depth - 1, integer_powers)

    kind = rng.random()
    if kind < 0.55:
        op = rng.choice(BINARY)
        if op == "pow" and integer_powers:
            return [op, sub(), ["num", float(rng.randint(-40, 40))]]
        return [op, sub(), sub()]
    if kind < 0.65:
        return [rng.choice(("neg", "not")), sub()]
    if kind < 0.75:
        return ["if", sub(), sub(), sub()]
    if kind < 0.8:
        return ["call", rng.choice(("min", "max")), [sub() for _ in range(rng.randint(2, 4))]]
    if kind < 0.85:
        return ["call", "sum_powers", [sub(), ["num", float(rng.randint(-2, 12))] if integer_powers else sub()]]
    return ["call", rng.choice(("ceil", "floor", "round", "abs")), [sub()]]


# True when every pow in the tree has a whole-number literal exponent.
def only_integer_powers(node: Node) -> bool:
    if node[0] == "pow" and not (node[2][0] == "num" and float(node[2][1]).is_integer()):
        return False
    if node[0] in ("num", "var"):
        return True
    children = node[2] if node[0] == "call" else node[1:]
    return all(only_integer_powers(child) for child in children)


# Every parity case: random trees, integer-power trees, real formulas, missing names.
def build_cases() -> list[dict[str, Any]]:
    rng = random.Random(SEED)

    def env() -> dict[str, float]:
        return {name: number(rng) for name in NAMES}

    trees = [tree(rng, rng.randint(1, 6)) for _ in range(RANDOM_TREES)]
    trees += [tree(rng, rng.randint(1, 6), integer_powers=True) for _ in range(1500)]
    trees += [parse_formula(text, NAMES) for text in FORMULAS for _ in range(25)]
    cases = [{"node": node, "env": env()} for node in trees]
    for node in trees[:100]:
        values = env()
        for name in sorted(names_in(node))[:1]:
            del values[name]
        cases.append({"node": node, "env": values})
    return cases


# Python's answer for one case, shaped like the JS runner's.
def python_result(case: dict[str, Any]) -> float | dict[str, str]:
    try:
        return evaluate(case["node"], case["env"])
    except FormulaError as error:
        return {"error": error.message}


@pytest.fixture(scope="module")
def results(node_binary: str, shipped_scripts: Path) -> list[tuple[dict[str, Any], Any, Any]]:
    cases = build_cases()
    job = json.dumps({"cases": cases, "repeat": 0}, allow_nan=False)
    done = subprocess.run(
        [node_binary, str(RUNNER), str(shipped_scripts)], input=job, capture_output=True, text=True, check=True, timeout=300
    )
    js = [float(v) if isinstance(v, (int, float)) else v for v in json.loads(done.stdout)["results"]]
    return [(case, python_result(case), answer) for case, answer in zip(cases, js, strict=True)]


# Both errors, or both finite, non-negative-zero numbers within 1e-9 relative.
def agree(py: Any, js: Any) -> bool:
    if isinstance(py, dict) or isinstance(js, dict):
        return isinstance(py, dict) and isinstance(js, dict)
    if not isinstance(js, float) or not math.isfinite(py) or not math.isfinite(js):
        return False
    if math.copysign(1.0, py) != math.copysign(1.0, js) and py == 0:
        return False
    return py == js or math.isclose(py, js, rel_tol=1e-9, abs_tol=0.0)


def test_engines_agree_on_thousands_of_random_trees(results: list) -> None:
    assert len(results) >= 2000
    failures = [(case, py, js) for case, py, js in results if not agree(py, js)]
    assert failures == [], f"{len(failures)} disagreements, first: {failures[:3]}"


def test_missing_names_fail_in_both_engines(results: list) -> None:
    errors = [(py, js) for _, py, js in results if isinstance(py, dict)]
    assert len(errors) >= 50
    assert all(isinstance(js, dict) and "no value for" in js["error"] for _, js in errors)


def test_engines_agree_bit_for_bit_without_fractional_powers(results: list) -> None:
    exact = [(case, py, js) for case, py, js in results if only_integer_powers(case["node"])]
    with_powers = [item for item in exact if '"pow"' in json.dumps(item[0]["node"])]
    assert len(exact) >= 2000 and len(with_powers) >= 300
    mismatches = [item for item in exact if item[1] != item[2]]
    assert mismatches == [], f"{len(mismatches)} inexact, first: {mismatches[:3]}"


def test_results_cover_the_edge_rules(results: list) -> None:
    values = [py for _, py, _ in results if not isinstance(py, dict)]
    assert MAX in values and -MAX in values and 0.0 in values
    assert all(math.isfinite(value) for value in values)


def test_browser_build_exports_a_global(node_binary: str, shipped_scripts: Path) -> None:
    script = (
        "const vm = require('vm'), fs = require('fs'); const box = { window: {} };"
        "vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), box);"
        "process.stdout.write(String(box.window.CostHubFormula.evaluate("
        "['add', ['num', 1], ['var', 'x']], { x: 2 })));"
    )
    done = subprocess.run(
        [node_binary, "-e", script, str(shipped_scripts / ENGINE.name)], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "3"


def test_shipped_engine_has_no_dynamic_code() -> None:
    source = ENGINE.read_text(encoding="utf-8")
    for forbidden in ("eval(", "Function(", "import(", "setTimeout("):
        assert forbidden not in source
