"""The shipped browser runtime (calculator-runtime.js in node) against the Python engine, calculator by calculator."""
from __future__ import annotations

import csv
import io
import json
import math
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from costhub.calculator.model import Calculator, Value, parse_input
from costhub.calculator.numbers import format_value
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parents[3]
RUNNER = ROOT / "tests" / "js" / "run_calculator.js"
SEED = 20261121
VECTORS = 1200
MAX = 1.7976931348623157e308
TEXTS = ("", " 12 ", "1,000", "1e3", "-1", "5%", "0.5", ".5", "5.", "2.5", "abc", "1e400", "NaN", "Infinity", "0x10",
         "yes", "No", "true", "0", "per_credit", "per_video ", "3 4", "+7", "1e-3")


@pytest.fixture(scope="module")
def calculators() -> dict[str, Calculator]:
    return Site.load(ROOT).calculators


# Run the shipped runtime (the minified scripts in the folder scripts) in node on one spec and its vectors (and texts
# to parse, CSV to write, chart points).
def run_node(node: str, scripts: Path, spec: dict[str, Any], vectors: list[dict[str, Any]], texts: list[list[str]] | None = None,
             about: dict[str, str] | None = None, points: int = 0) -> dict[str, Any]:
    job = json.dumps({"spec": spec, "vectors": vectors, "texts": texts or [], "repeat": 0, "about": about,
                      "points": points}, allow_nan=False)
    done = subprocess.run([node, str(RUNNER), str(scripts)], input=job, capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout)


# One random value for an input: bounds, round numbers, uniform and log-uniform draws.
def random_value(rng: random.Random, field: Any) -> Value:
    if field.kind == "yesno":
        return rng.random() < 0.5
    if field.kind == "choice":
        return rng.choice([option.id for option in field.options])
    low, high = float(field.min), float(field.max)
    kind = rng.random()
    if kind < 0.1:
        value = rng.choice((low, high))
    elif kind < 0.35:
        value = float(rng.randint(int(math.ceil(low)), int(min(high, 100))))
    elif kind < 0.7:
        value = rng.uniform(low, high)
    else:
        value = min(high, max(low, 10 ** rng.uniform(-4, math.log10(max(high, 1e-4)))))
    return max(low, float(round(value))) if float(field.step).is_integer() else value


# The defaults, every preset, then seeded random vectors.
def vectors_for(calc: Calculator, rng: random.Random) -> list[dict[str, Value]]:
    vectors = [calc.defaults()] + [calc.preset_values(preset.id) for preset in calc.record.presets]
    while len(vectors) < VECTORS:
        vectors.append({field.id: random_value(rng, field) for field in calc.record.inputs})
    return vectors


@pytest.fixture(scope="module")
def runs(node_binary: str, shipped_scripts: Path, calculators: dict[str, Calculator]) -> dict[str, tuple[Calculator, list[dict[str, Value]], dict[str, Any]]]:
    rng = random.Random(SEED)
    out = {}
    for calc_id, calc in calculators.items():
        vectors = vectors_for(calc, rng)
        texts = [[field.id, text] for field in calc.record.inputs for text in TEXTS]
        out[calc_id] = (calc, vectors, run_node(node_binary, shipped_scripts, calc.spec(), vectors, texts))
    return out


# Both without a value, equal, or both finite and within 1e-9 relative.
def agree(py: float | None, js: float | None) -> bool:
    if py is None or js is None:
        return py is None and js is None
    return math.isfinite(py) and math.isfinite(js) and (py == js or math.isclose(py, js, rel_tol=1e-9, abs_tol=0.0))


@pytest.mark.parametrize("calc_id", ["video", "image", "voice"])
def test_every_output_matches_python_on_over_a_thousand_vectors(runs: dict, calc_id: str) -> None:
    calc, vectors, answer = runs[calc_id]
    assert len(vectors) >= 1000 and len(answer["results"]) == len(vectors)
    mismatches, compared = [], 0
    for values, js in zip(vectors, answer["results"], strict=True):
        py = calc.evaluate(values)
        assert set(js) == set(py)
        for line_id, value in py.items():
            compared += 1
            if not agree(value, None if js[line_id] is None else float(js[line_id])):
                mismatches.append((values, line_id, value, js[line_id]))
    assert compared >= 1000 * len(calc.lines)
    assert mismatches == [], f"{len(mismatches)} mismatches, first: {mismatches[:3]}"
    if calc_id != "voice":
        assert any(js["total"] is None for js in answer["results"]), "no vector without deliveries"


@pytest.mark.parametrize("calc_id", ["video", "image", "voice"])
def test_shown_text_matches_python_on_every_vector(runs: dict, calc_id: str) -> None:
    calc, vectors, answer = runs[calc_id]
    differing = [(values, shown) for values, shown in zip(vectors, answer["shown"], strict=True)
                 if shown != {line.id: text for line, _, text in calc.rows(values)}]
    assert differing == [], f"{len(differing)} differ, first: {differing[:2]}"


@pytest.mark.parametrize("calc_id", ["video", "image", "voice"])
def test_values_survive_a_trip_through_a_link(runs: dict, calc_id: str) -> None:
    _calc, vectors, answer = runs[calc_id]
    assert answer["links"] == json.loads(json.dumps(vectors))


@pytest.mark.parametrize("calc_id", ["video", "image", "voice"])
def test_typed_text_is_accepted_or_refused_alike(runs: dict, calc_id: str) -> None:
    calc, _vectors, answer = runs[calc_id]
    pairs = [(field, text) for field in calc.record.inputs for text in TEXTS]
    for (field, text), js in zip(pairs, answer["parsed"], strict=True):
        try:
            py: Any = {"value": parse_input(field, text)}
        except ValueError as exc:
            py = {"error": str(exc)}
        assert ("error" in py) == ("error" in js), (field.id, text, py, js)
        if "value" in py:
            assert py["value"] == js["value"], (field.id, text)
        else:
            assert js["error"].rstrip(".").lower() == py["error"].split(" (")[0].split(":")[0].lower() or field.kind == "choice"


def test_hand_worked_answers_in_the_browser_runtime(runs: dict) -> None:
    # Defaults: 1,000 eight-second clips at $0.10/s with 5% billed failures and two retries; 1,000 images
    # with one edit; a 5-minute voice session. The known-answer tests cover many more scenarios.
    video, image = (runs[name][2]["results"][0] for name in ("video", "image"))
    attempts, delivered = 1 + 0.05 + 0.05 ** 2, 1 - 0.05 ** 3
    assert math.isclose(video["attempts"], attempts) and math.isclose(video["jobs"], 1000 / delivered)
    assert math.isclose(video["total"], 1000 / delivered * 0.8 * attempts)
    step = 1 - 0.02 ** 2
    assert math.isclose(image["total"], 1000 / step ** 2 * (1 + step) * 0.04 * 1.02)
    assert runs["video"][2]["shown"][0]["total"] == "$842.11"


def test_number_formats_match_on_edge_values(node_binary: str, shipped_scripts: Path) -> None:
    formats = ("currency", "number", "count", "percent")
    lines = [{"id": fmt, "label": fmt, "format": fmt, "component": False, "output": True, "tree": ["var", "x"],
              "only_when": None, "reads": []} for fmt in formats]
    spec = {"id": "t", "key": "t", "no_value": "none", "inputs": [{"id": "x", "key": "x", "kind": "number", "label": "x",
                                                                   "default": 0, "min": -MAX, "max": MAX}],
            "lines": lines, "chart": {"input": "x", "output": "number"}, "presets": []}
    rng = random.Random(SEED)
    values = [0.0, 0.125, -0.125, 2.675, 1.005, 0.0049999, 0.005, 999.995, 0.99995, 1e-7, -1e-7, 5e-324, 1e15 - 1,
              1e15, 1.0005e15, 9.9995e20, 1e21, 1e300, MAX, -MAX, 1234567.891, -0.5, 0.00994999, 99.995]
    values += [1000.0, 1000.04, 999.96, 999.875, 0.05, -3.0, 1e7, 1e7 + 0.5, 4503599627370495.5]
    values += [rng.choice((1, -1)) * 10 ** rng.uniform(-8, 22) for _ in range(2000)]
    answer = run_node(node_binary, shipped_scripts, spec, [{"x": value} for value in values])
    for value, shown in zip(values, answer["shown"], strict=True):
        assert shown == {fmt: format_value(value, fmt) for fmt in formats}, value


@pytest.mark.parametrize("calc_id", ["video", "image", "voice"])
def test_chart_points_run_over_the_whole_input_range_as_python_computes_them(
        node_binary: str, shipped_scripts: Path, calculators: dict[str, Calculator], calc_id: str) -> None:
    calc = calculators[calc_id]
    field = next(item for item in calc.record.inputs if item.id == calc.record.chart.input)
    vectors = [calc.defaults()] + [calc.preset_values(preset.id) for preset in calc.record.presets]
    charts = run_node(node_binary, shipped_scripts, calc.spec(), vectors, points=21)["chart"]
    for values, points in zip(vectors, charts, strict=True):
        assert [point["x"] for point in points][::20] == [field.min, field.max] and len(points) == 21
        for point in points:
            expected = calc.evaluate({**values, field.id: point["x"]})[calc.record.chart.output]
            assert agree(expected, point["y"]), (values, point)


HOSTILE = ["=HYPERLINK(\"https://example.invalid\",\"click\")", "+1+2", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR",
           "plain, with \"quotes\"\nand a line break"]


def test_csv_escapes_every_cell_a_spreadsheet_would_run(node_binary: str, shipped_scripts: Path, calculators: dict[str, Calculator]) -> None:
    spec = calculators["video"].spec()
    spec["title"] = HOSTILE[0]
    for index, line in enumerate(spec["lines"]):
        line["label"] = HOSTILE[index % len(HOSTILE)]
    spec["inputs"][0]["label"] = HOSTILE[3]
    values = calculators["video"].defaults()
    text = run_node(node_binary, shipped_scripts, spec, [values, {**values, "failure_rate": 100}],
                    about={"preset": "=cmd|' /C calc'!A0", "date": "2026-12-01"})["csv"]
    rows = list(csv.reader(io.StringIO(text[0], newline="")))
    assert rows[0] == ["calculator", "'" + HOSTILE[0]] and rows[1] == ["preset", "'=cmd|' /C calc'!A0"]
    assert rows[2] == ["date", "2026-12-01"] and rows[3] == [] and rows[4][:4] == ["section", "id", "label", "value"]
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    labels = [row[2] for row in rows[5:]]
    assert labels[0] == "'@SUM(A1:A9)" and "'\tTAB" in labels and "'\rCR" in labels and "'-2+3" in labels
    assert HOSTILE[6] in labels  # no formula character: kept as it is, quoted by the CSV writer
    body = {row[1]: row for row in rows[5:]}
    # Shown precision in "value", the exact number in "raw value", the unit beside them.
    assert body["total"][3:] == ["842.11", "USD", repr(1000 / (1 - 0.05 ** 3) * (0.8 * (1 + 0.05 + 0.05 ** 2)))]
    assert body["overhead"][3:5] == ["5.26", "%"] and body["jobs"][3:5] == ["1000.1", "count"]
    nothing = {row[1]: row for row in list(csv.reader(io.StringIO(text[1], newline="")))[5:]}
    assert nothing["total"][3:] == ["no deliveries", "USD", ""] and nothing["delivered"][3] == "0"
