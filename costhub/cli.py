"""The `costhub` command: check content and print calculator estimates without building HTML."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from .calculator import Calculator, Value
from .errors import ContentErrors, did_you_mean
from .numbers import format_value
from .site import Site

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE = 0, 1, 2


# Build the argument parser with one sub-command per task.
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="costhub", description="Check and query the Media API Cost Hub content.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate data/ and every page's macro calls; exit 1 on content errors")
    estimate = commands.add_parser("estimate", help="print a calculator's estimate, as the calculator page shows it")
    estimate.add_argument("calculator", help="calculator id from data/calculators.yml, e.g. video")
    estimate.add_argument("--set", action="append", default=[], metavar="INPUT=VALUE", dest="settings",
                          help="an input value, e.g. --set videos=1000 (repeat for more)")
    estimate.add_argument("--preset", help="start from a preset's values instead of the defaults")
    estimate.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


# Validate data and pages, printing every error; returns the exit code.
def run_check(root: Path) -> int:
    try:
        site = Site.load(root)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    errors = site.check_pages()
    if errors:
        print(ContentErrors(errors).report(), file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    print(f"ok: {len(site.data.kinds)} data kinds, {len(site.data.all('pages'))} pages checked")
    return EXIT_OK


# Print one calculator's estimate; 2 for a bad calculator, preset or --set, 1 for content errors.
def run_estimate(root: Path, name: str, preset: str | None, settings: list[str], as_json: bool) -> int:
    try:
        site = Site.load(root)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    try:
        calculator = _pick(site.calculators, name)
        values = _values(calculator, preset, settings)
    except ValueError as exc:
        print(f"costhub estimate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(_estimate_json(calculator, preset, values) if as_json else _estimate_table(calculator, values))
    return EXIT_OK


# The calculator with this id, or a ValueError listing the ids.
def _pick(calculators: dict[str, Calculator], name: str) -> Calculator:
    if name not in calculators:
        hint = did_you_mean(name, calculators)
        raise ValueError(f"no calculator {name!r}" + (f" ({hint})" if hint else "") + f"; choose from {', '.join(calculators)}")
    return calculators[name]


# Defaults or a preset's values, then every --set INPUT=VALUE; ValueError for a bad one.
def _values(calculator: Calculator, preset: str | None, settings: list[str]) -> dict[str, Value]:
    values = calculator.defaults()
    if preset is not None:
        try:
            values = calculator.preset_values(preset)
        except KeyError:
            presets = [item.id for item in calculator.record.presets or ()]
            hint = did_you_mean(preset, presets)
            raise ValueError(f"no preset {preset!r} in {calculator.id}" + (f" ({hint})" if hint else "")
                             + f"; presets: {', '.join(presets) or 'none'}") from None
    for setting in settings:
        name, equals, text = setting.partition("=")
        if not equals:
            raise ValueError(f"--set {setting}: write INPUT=VALUE, e.g. --set {calculator.record.inputs[0].id}=10")
        try:
            values[name.strip()] = calculator.parse_value(name.strip(), text)
        except ValueError as exc:
            raise ValueError(f"--set {setting}: {exc}") from None
    return values


# The estimate as JSON: inputs, then every breakdown line and output with its value and shown text.
def _estimate_json(calculator: Calculator, preset: str | None, values: dict[str, Value]) -> str:
    rows = calculator.rows(values)
    lines = {part: [{"id": line.id, "label": line.label, "value": value, "shown": text}
                    for line, value, text in rows if line.output == (part == "outputs")]
             for part in ("breakdown", "outputs")}
    return json.dumps({"calculator": calculator.id, "preset": preset, "inputs": values, **lines}, indent=2)


# The estimate as a text table with the same labels and figures as the page.
def _estimate_table(calculator: Calculator, values: dict[str, Value]) -> str:
    rows = calculator.rows(values)
    width = max(len(label) for label in [field.label for field in calculator.record.inputs] + [line.label for line, _, _ in rows])
    out = [calculator.record.title, "", "Inputs"]
    out += [f"  {field.label:<{width}}  {_shown_input(field, values[field.id])}" for field in calculator.record.inputs]
    for title, wanted in (("Breakdown", False), ("Results", True)):
        out += ["", title] + [f"  {line.label:<{width}}  {text:>14}" for line, _, text in rows if line.output == wanted]
    return "\n".join(out)


# An input value as a reader would write it, with its unit.
def _shown_input(field: Any, value: Value) -> str:
    if field.kind == "yesno":
        return "yes" if value else "no"
    if field.kind == "choice":
        return str(value)
    unit = "%" if field.kind == "percent" else f" {field.unit}" if field.unit else ""
    return format_value(float(value), "number") + unit


# Entry point; argparse exits with 2 on usage errors.
def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = args.root.resolve()
    if not (root / "data").is_dir():
        print(f"costhub: {root} has no data/ folder (use --root)", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        return run_check(root)
    if args.command == "estimate":
        return run_estimate(root, args.calculator, args.preset, args.settings, args.json)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
