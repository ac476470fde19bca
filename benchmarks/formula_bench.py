"""Print formula engine throughput: parsing and evaluation in Python, evaluation in node."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

from costhub.calculator.formula import Node, evaluate, parse_formula

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "tests" / "js" / "run_formula.js"
FORMULAS = (
    "ceil(seconds / 60) * per_minute",
    "images * price_per_image * (1 - discount / 100)",
    "max(videos * seconds * per_second - credit, 0)",
    "round(minutes * per_minute * 100) / 100 if minutes > free_minutes else 0",
    "min(images, quota) * price_per_image + max(images - quota, 0) * overage",
    "(1 + growth / 100) ** months * videos * seconds * per_second",
)
ENV = {
    "seconds": 95.0, "per_minute": 0.06, "images": 1200.0, "price_per_image": 0.04,
    "discount": 15.0, "videos": 40.0, "per_second": 0.5, "credit": 25.0, "minutes": 300.0,
    "free_minutes": 60.0, "quota": 1000.0, "overage": 0.05, "growth": 8.0, "months": 12.0,
}  # fmt: skip


# Evaluations per second of the Python engine over the sample trees.
def python_rate(trees: list[Node], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for tree in trees:
            evaluate(tree, ENV)
    return rounds * len(trees) / (time.perf_counter() - started)


# Parses per second of the sample formulas.
def parse_rate(rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for text in FORMULAS:
            parse_formula(text, ENV)
    return rounds * len(FORMULAS) / (time.perf_counter() - started)


# Seconds node needs for `rounds` passes over the sample trees (after one warm-up pass).
def node_seconds(trees: list[Node], rounds: int) -> float:
    job = json.dumps({"cases": [{"node": tree, "env": ENV} for tree in trees], "repeat": rounds})
    done = subprocess.run(["node", str(RUNNER)], input=job, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["seconds"]


# Print every figure.
def main() -> None:
    trees = [parse_formula(text, ENV) for text in FORMULAS]
    rounds = 20_000
    print(f"python parse:    {parse_rate(2_000):>12,.0f} formulas/s")
    print(f"python evaluate: {python_rate(trees, rounds):>12,.0f} evaluations/s")
    if shutil.which("node"):
        seconds = node_seconds(trees, rounds)
        count = rounds * len(trees)
        print(f"node evaluate:   {count / seconds:>12,.0f} evaluations/s ({count:,} in {seconds:.3f} s)")
    else:
        print("node evaluate:   node is not installed")


if __name__ == "__main__":
    main()
