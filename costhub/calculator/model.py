"""Cost calculators from data/calculators.yml: checked formulas, evaluation and the browser spec.

A calculator's values are what a reader types: numbers, percents as typed (5 for 5%), True/False
for yes/no inputs and an option id for a choice. Formulas see them as numbers: a percent as a
fraction, yes/no as 1 or 0, and every option id of a choice as 1 when chosen, else 0. An input
whose step is a whole number takes whole numbers only (counts: videos, retries, polls). Breakdown
lines, then outputs, are evaluated in file order; each may use the inputs and the lines above it.
A line may also have ``only_when``, a formula: when it is 0 the line has no value (JSON null, shown as
the calculator's ``no_value`` text, e.g. "no deliveries"), and so has every line that reads a line
without a value. ``overrides/assets/javascripts/calculator-runtime.js`` does the same in the browser
from ``spec()``.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field as dataclass_field
from typing import Any

from markupsafe import Markup

from ..errors import ContentError, ContentErrors, did_you_mean, format_path
from .formula import FormulaError, Node, evaluate, names_in, parse_formula
from ..data.model import Record, SiteData
from .numbers import format_value
from ..data.yamlfile import DataPath, YamlDocument

KIND = "calculators"
Value = float | bool | str
Result = float | None
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_YES, _NO = {"yes", "true", "1", "on"}, {"no", "false", "0", "off"}


@dataclass(frozen=True)
class Line:
    """One breakdown line or output: its parsed formula, when it has a value, and how to show it."""

    id: str
    label: str
    format: str
    component: bool
    output: bool
    tree: Node
    only_when: Node | None = None
    reads: tuple[str, ...] = ()
    explain: str = ""


@dataclass(frozen=True)
class GeneratedPreset:
    """A preset made from a comparison row: every value comes from the row's price and policy records."""

    id: str
    label: str
    values: Mapping[str, Value]
    prices: tuple[Record, ...]


@dataclass(frozen=True)
class Calculator:
    """A checked calculator: its record (inputs, presets, chart), its lines in evaluation order, the names readers
    see for its choice options, the values each preset takes from the price and policy records it cites, and the
    presets generated from comparison rows."""

    record: Record
    lines: tuple[Line, ...]
    option_names: Mapping[str, str]
    record_values: Mapping[str, Mapping[str, Value]] = dataclass_field(default_factory=dict)
    generated: tuple[GeneratedPreset, ...] = ()

    # The calculator's id, e.g. "video".
    @property
    def id(self) -> str:
        return self.record.id

    # The values a reader starts with.
    def defaults(self) -> dict[str, Value]:
        return {field.id: field.default for field in self.record.inputs}

    # The defaults overlaid with what a preset's records imply and its own values; KeyError for an unknown preset.
    def preset_values(self, preset_id: str) -> dict[str, Value]:
        for preset in self.record.presets or ():
            if preset.id == preset_id:
                return {**self.defaults(), **self.record_values.get(preset_id, {}), **(preset.get("values") or {})}
        for generated in self.generated:
            if generated.id == preset_id:
                return dict(generated.values)
        raise KeyError(preset_id)

    # Every preset as (id, label): the written ones, then those generated from comparison rows.
    def preset_labels(self) -> list[tuple[str, str]]:
        return [(preset.id, preset.label) for preset in self.record.presets or ()] + [
            (generated.id, generated.label) for generated in self.generated]

    # The value of one input parsed from text (a link, the command line); ValueError explains a bad one.
    def parse_value(self, input_id: str, text: str) -> Value:
        field = next((item for item in self.record.inputs if item.id == input_id), None)
        if field is None:
            hint = did_you_mean(input_id, [item.id for item in self.record.inputs])
            raise ValueError(f"no input {input_id!r} in calculator {self.id!r}" + (f" ({hint})" if hint else ""))
        return parse_input(field, text)

    # The text shown for a line without a value.
    @property
    def no_value(self) -> str:
        return self.record.no_value or "no value"

    # The allowed range of a number or percent input in words, shown before a reader can go past it.
    def range_text(self, field: Record) -> str:
        sign = "%" if field.kind == "percent" else ""
        low, high = format_value(float(field.min), "number") + sign, format_value(float(field.max), "number") + sign
        return f"From {low} to {high}" + (", whole numbers only." if _whole(field) else ".")

    # An input value as a reader would write it, with its unit ("8 seconds", "5%", "yes", an option's label).
    def input_text(self, field: Record, value: Value) -> str:
        if field.kind == "yesno":
            return "yes" if value else "no"
        if field.kind == "choice":
            return self.option_names.get(str(value), str(value))
        unit = "%" if field.kind == "percent" else f" {_singular(field.unit) if value == 1 else field.unit}" if field.unit else ""
        return format_value(float(value), "number") + unit

    # The ids of the lines shown as headline results, in order: the record's headline, else the outputs.
    def headline(self) -> tuple[str, ...]:
        return tuple(self.record.headline or (line.id for line in self.lines if line.output))

    # The worked example's values: the defaults overlaid with the record's example.
    def example_values(self) -> dict[str, Value]:
        return {**self.defaults(), **(self.record.example or {})}

    # Every line's value for the given values (missing ones take their defaults); None for no value.
    def evaluate(self, values: Mapping[str, Value] | None = None) -> dict[str, Result]:
        env = environment(self.record, {**self.defaults(), **(values or {})})
        results: dict[str, Result] = {}
        for line in self.lines:
            value: Result = None
            if all(results[name] is not None for name in line.reads):
                if line.only_when is None or evaluate(line.only_when, env) != 0:
                    value = env[line.id] = evaluate(line.tree, env)
            results[line.id] = value
        return results

    # A line's value as shown: its format, or the no-value text.
    def shown(self, line: Line, value: Result) -> str:
        return self.no_value if value is None else format_value(value, line.format)

    # (line, value, shown text) for every line, for tables and the command line.
    def rows(self, values: Mapping[str, Value] | None = None) -> list[tuple[Line, Result, str]]:
        results = self.evaluate(values)
        return [(line, results[line.id], self.shown(line, results[line.id])) for line in self.lines]

    # The JSON-able spec the browser runtime evaluates.
    def spec(self) -> dict[str, Any]:
        record = self.record
        return {
            "id": record.id,
            "key": record.key,
            "title": record.title,
            "no_value": self.no_value,
            "inputs": [_input_spec(field) for field in record.inputs],
            "lines": [{"id": line.id, "label": line.label, "format": line.format, "component": line.component,
                       "output": line.output, "tree": line.tree, "only_when": line.only_when,
                       "reads": list(line.reads)} for line in self.lines],
            "chart": {"input": record.chart.input, "output": record.chart.output},
            "headline": list(self.headline()),
            "presets": [{"id": preset_id, "label": label, "values": self.preset_values(preset_id)}
                        for preset_id, label in self.preset_labels()],
        }

    # The spec as JSON that is safe inside <script type="application/json">.
    def spec_json(self) -> Markup:
        text = json.dumps(self.spec(), sort_keys=True, separators=(",", ":"), allow_nan=False)
        return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# The formula environment for a full set of values (see the module comment).
def environment(record: Record, values: Mapping[str, Value]) -> dict[str, float]:
    env: dict[str, float] = {}
    for field in record.inputs:
        value = values[field.id]
        if field.kind == "choice":
            env.update({option.id: 1.0 if option.id == value else 0.0 for option in field.options})
        elif field.kind == "yesno":
            env[field.id] = 1.0 if value else 0.0
        else:
            env[field.id] = float(value) / 100 if field.kind == "percent" else float(value)
    return env


# Parse and range-check one input's text the way the browser does; ValueError says what is wrong.
def parse_input(field: Record, text: str) -> Value:
    cleaned = text.strip()
    if field.kind == "choice":
        ids = [option.id for option in field.options]
        if cleaned not in ids:
            hint = did_you_mean(cleaned, ids)
            raise ValueError(f"choose one of: {', '.join(ids)}" + (f" ({hint})" if hint else ""))
        return cleaned
    if field.kind == "yesno":
        if cleaned.lower() not in _YES | _NO:
            raise ValueError("answer yes or no")
        return cleaned.lower() in _YES
    number = cleaned.replace(",", "").removesuffix("%") if field.kind == "percent" else cleaned.replace(",", "")
    if not cleaned or not _NUMBER.fullmatch(number):
        raise ValueError("enter a number")
    return check_range(field, float(number))


# A number within the input's min and max (and whole when the step is), or a ValueError saying why not.
def check_range(field: Record, value: float) -> float:
    if _whole(field) and math.isfinite(value) and not value.is_integer():
        raise ValueError("enter a whole number")
    if value < field.min:
        raise ValueError(f"must be at least {format_value(field.min, 'number')}")
    if value > field.max:
        raise ValueError(f"must be at most {format_value(field.max, 'number')}")
    return value


# A plural unit name for one of it: "retries" -> "retry", "seconds" -> "second"; "USD" stays.
def _singular(unit: str) -> str:
    if unit.endswith("ies"):
        return unit[:-3] + "y"
    return unit[:-1] if unit.endswith("s") and unit[:-1].islower() else unit


# True when an input takes whole numbers only: its step is a whole number.
def _whole(field: Record) -> bool:
    return field.step is not None and float(field.step).is_integer()


# One input as the browser sees it; option labels come from the billing-unit records.
def _input_spec(field: Record) -> dict[str, Any]:
    spec = {"id": field.id, "key": field.key, "kind": field.kind, "label": field.label, "default": field.default}
    if field.kind in ("number", "percent"):
        spec.update(min=field.min, max=field.max, whole=_whole(field), unit="%" if field.kind == "percent" else field.unit or "")
    if field.kind == "choice":
        spec["options"] = [option.id for option in field.options]
    return spec


# Check every calculator in the data and return them by id; raises ContentErrors listing every problem.
def load_calculators(data: SiteData) -> dict[str, Calculator]:
    records = data.all(KIND)
    if not records:
        return {}
    document = data.documents[records[0].file]
    checker = _Checker(document, document.text.splitlines(), data)
    calculators = {record.id: checker.calculator(index, record) for index, record in enumerate(records)}
    checker.unique([record.key for record in records], lambda index: (KIND, index, "key"), "calculator key")
    if checker.errors:
        raise ContentErrors(checker.errors)
    return calculators


class _Checker:
    """Collects every problem in data/calculators.yml, located at the exact file:line:column."""

    def __init__(self, document: YamlDocument, source: list[str], data: SiteData) -> None:
        self.document = document
        self.source = source
        self.data = data
        self.errors: list[ContentError] = []

    # Record an error at a data path.
    def fail(self, path: DataPath, message: str, hint: str = "") -> None:
        self.errors.append(self.document.error(path, message, hint))

    # Report repeated values (ids, keys) at their second use.
    def unique(self, values: list[str], path_of: Any, what: str) -> None:
        seen: dict[str, int] = {}
        for index, value in enumerate(values):
            if value in seen:
                first = self.document.position(path_of(seen[value]))[0]
                self.fail(path_of(index), f"duplicate {what} {value!r}", f"first used on line {first}")
            else:
                seen[value] = index

    # Check one calculator and parse its formulas.
    def calculator(self, index: int, record: Record) -> Calculator:
        base: DataPath = (KIND, index)
        names: list[tuple[str, DataPath]] = []
        for i, field in enumerate(record.inputs):
            self.input(base + ("inputs", i), field)
            if field.kind == "choice":
                names += [(option.id, base + ("inputs", i, "options", j, "id")) for j, option in enumerate(field.options)]
            else:
                names.append((field.id, base + ("inputs", i, "id")))
        self.unique([field.key for field in record.inputs], lambda i: base + ("inputs", i, "key"), "input key")
        self.unique([field.id for field in record.inputs], lambda i: base + ("inputs", i, "id"), "input id")
        entries = [(line, base + ("breakdown", i), False) for i, line in enumerate(record.breakdown)]
        entries += [(line, base + ("outputs", i), True) for i, line in enumerate(record.outputs)]
        names += [(line.id, path + ("id",)) for line, path, _ in entries]
        self.unique([name for name, _ in names], lambda i: names[i][1], "name")
        lines = self.lines(entries, [name for name, _ in names])
        self.chart(base + ("chart",), record)
        self.presets(base, record)
        return Calculator(record, lines, self.option_names(record))

    # The name readers see for every choice option: its label, else its billing unit's name.
    def option_names(self, record: Record) -> dict[str, str]:
        names = {}
        for item in record.inputs:
            for option in item.options or ():
                unit = self.data.get("units", option.billing_unit) if option.billing_unit else None
                names[option.id] = option.label or (unit.name if unit else option.id)
        return names

    # Defaults and bounds of one input.
    def input(self, path: DataPath, field: Record) -> None:
        if field.kind == "choice":
            ids = [option.id for option in field.options]
            self.unique(ids, lambda j: path + ("options", j, "id"), "option id")
            if field.default not in ids:
                self.fail(path + ("default",), f"default {field.default!r} is not one of the options",
                          did_you_mean(field.default, ids) or f"options: {', '.join(ids)}")
        elif field.kind in ("number", "percent"):
            if field.min > field.max:
                self.fail(path + ("min",), f"min {field.min} is above max {field.max}")
            elif not field.min <= field.default <= field.max:
                self.fail(path + ("default",), f"default {field.default} is outside {field.min} to {field.max}")

    # Parse every formula; names must be inputs or lines above, never the line itself or a line below.
    def lines(self, entries: list[tuple[Record, DataPath, bool]], names: list[str]) -> tuple[Line, ...]:
        order = {line.id: position for position, (line, _, _) in enumerate(entries)}
        trees: dict[str, Node] = {}
        conditions: dict[str, Node] = {}
        for line, path, _ in entries:
            trees[line.id] = self.parse(line.formula, path + ("formula",), names)
            if line.only_when is not None:
                conditions[line.id] = self.parse(line.only_when, path + ("only_when",), names)
        for line, path, _ in entries:
            for key, text, tree in (("formula", line.formula, trees[line.id]),
                                    ("only_when", line.only_when, conditions.get(line.id, ["num", 1.0]))):
                for name in sorted(names_in(tree)):
                    if order.get(name, -1) >= order[line.id]:
                        self.forward_reference(line.id, text, path + (key,), name, trees)
        return tuple(Line(line.id, line.label, line.format, bool(line.component), output, trees[line.id],
                          conditions.get(line.id), _reads(trees[line.id], conditions.get(line.id), order),
                          line.explain or "")
                     for line, _, output in entries)

    # One formula's tree, or a placeholder after recording its error.
    def parse(self, text: str, path: DataPath, names: list[str]) -> Node:
        try:
            return parse_formula(text, names)
        except FormulaError as exc:
            self.formula_error(path, text, exc.message, exc.column)
            return ["num", 0.0]

    # A name that refers to the line itself or to a line below: a cycle, or an order problem.
    def forward_reference(self, line_id: str, text: str, path: DataPath, name: str, trees: dict[str, Node]) -> None:
        cycle = _cycle(line_id, name, trees)
        column = re.search(rf"\b{name}\b", text)
        if cycle:
            message, hint = f"formula cycle: {' -> '.join(cycle)}", "a formula cannot depend on its own result"
        else:
            message, hint = f"{name!r} is defined below this line", "move this line under it; lines are evaluated in order"
        self.formula_error(path, text, message, column.start() if column else 0, hint)

    # A formula error at the line and column inside the YAML value.
    def formula_error(self, path: DataPath, text: str, message: str, offset: int, hint: str = "") -> None:
        line, column = _formula_position(self.source, *self.document.position(path), offset)
        self.errors.append(ContentError(self.document.file, line, column, format_path(path), message, hint))

    # The chart draws an output against a number or percent input, from its min to its max.
    def chart(self, path: DataPath, record: Record) -> None:
        inputs = {field.id: field for field in record.inputs if field.kind in ("number", "percent")}
        chart = record.chart
        if chart.input not in inputs:
            self.fail(path + ("input",), f"no number or percent input {chart.input!r}", did_you_mean(chart.input, inputs))
        elif not inputs[chart.input].min < inputs[chart.input].max:
            self.fail(path + ("input",), "the chart's input needs a range: its min must be below its max")
        line_ids = [line.id for line in (*record.breakdown, *record.outputs)]
        for i, line_id in enumerate(record.headline or ()):
            if line_id not in line_ids:
                self.fail(path[:-1] + ("headline", i), f"no breakdown line or output {line_id!r}", did_you_mean(line_id, line_ids))
        if chart.output not in line_ids:
            self.fail(path + ("output",), f"no breakdown line or output {chart.output!r}", did_you_mean(chart.output, line_ids))

    # Preset ids are unique; their values and the worked example's name inputs and are valid for them.
    def presets(self, base: DataPath, record: Record) -> None:
        presets = record.presets or ()
        self.unique([preset.id for preset in presets], lambda i: base + ("presets", i, "id"), "preset id")
        for i, preset in enumerate(presets):
            self.values(base + ("presets", i, "values"), record, preset.get("values") or {})
        if record.example is not None:
            self.values(base + ("example",), record, record.example)

    # Every key of a values mapping is an input, and every value is valid for it.
    def values(self, path: DataPath, record: Record, values: Mapping[str, Any]) -> None:
        fields = {field.id: field for field in record.inputs}
        for key, value in values.items():
            if key not in fields:
                self.fail(path + (key,), f"no input {key!r} in this calculator", did_you_mean(key, fields))
                continue
            problem = _preset_problem(fields[key], value)
            if problem:
                self.fail(path + (key,), problem)


# What is wrong with a preset value for an input, or "".
def _preset_problem(field: Record, value: Any) -> str:
    if field.kind == "yesno":
        return "" if isinstance(value, bool) else "expected true or false"
    if field.kind == "choice":
        return "" if value in [option.id for option in field.options] else f"{value!r} is not one of the options"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "expected a number"
    try:
        check_range(field, float(value))
    except ValueError as exc:
        return str(exc)
    return ""


# The lines (by evaluation order) that a formula and its condition read, in that order.
def _reads(tree: Node, condition: Node | None, order: dict[str, int]) -> tuple[str, ...]:
    names = names_in(tree) | (names_in(condition) if condition is not None else set())
    return tuple(sorted((name for name in names if name in order), key=order.__getitem__))


# The dependency path from start back to itself through name, or [] when there is no cycle.
def _cycle(start: str, name: str, trees: dict[str, Node]) -> list[str]:
    stack, seen = [[start, name]], set()
    while stack:
        path = stack.pop()
        if path[-1] == start:
            return path
        if path[-1] in seen or path[-1] not in trees:
            continue
        seen.add(path[-1])
        stack += [path + [dep] for dep in sorted(names_in(trees[path[-1]]), reverse=True)]
    return []


# (line, column) in the YAML source of an offset into a formula whose value starts at (line, column).
def _formula_position(source: list[str], line: int, column: int, offset: int) -> tuple[int, int]:
    first = source[line - 1] if 0 < line <= len(source) else ""
    marker = first[column - 1:column]
    if marker in ("|", ">"):
        segments = [(number, text) for number, text in enumerate(source[line:], line + 1) if text.strip()]
        starts = [(number, len(text) - len(text.lstrip()) + 1, len(text.strip())) for number, text in segments]
    else:
        column += 1 if marker in ("'", '"') else 0
        starts = [(line, column, len(first) - column + 1)]
        starts += [(number, len(text) - len(text.lstrip()) + 1, len(text.strip()))
                   for number, text in enumerate(source[line:], line + 1)]
    for number, start, length in starts:
        if offset <= length:
            return number, start + offset
        offset -= length + 1
    return line, column
