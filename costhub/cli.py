"""The `costhub` command: check content, links and review dates and print calculator estimates without building
HTML; list reviews coming due."""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Sequence

from .calculator.model import Calculator, Value
from .checks.lifecycle import lifecycle_warnings
from .checks.release import release_problems
from .publish.render_out import render_site
from .checks.site_checks import check_site
from .checks.check_cache import CheckResult, check_key, store_result, stored_result
from .errors import ContentError, ContentErrors, did_you_mean
from .checks.external import CACHE_FILE, CHECK_DEADLINE_SECONDS, ExternalSettings, check_external
from .review.freshness import INTERVAL_HINT, parse_interval, today_from
from .checks.links import PageLinks, external_links
from .pages.site import Site
from .checks.urls import data_urls, scheme_of, url_problem
from .review.book import WITHIN_GRACE
from .review.report import FAIL_ON, REPORT_FORMATS, due_report, formatted, meets
from .review.spread import suggest_spread, write_spread
from .authoring.edits import write_all
from .authoring.schemas import schema_edits, stale_schemas
from .authoring.new import (FACT_FIELDS, GUIDE_FIELDS, PLACEHOLDER, RECORD_KINDS, apply, fill, plan_guide, plan_new_record,
                           plan_provider_fact)
from .authoring.records import Field, record_fields

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE = 0, 1, 2
# A reader closed the pipe (`costhub estimate ... | head`): exit as a Unix tool killed by SIGPIPE would.
EXIT_BROKEN_PIPE = 128 + 13
FAILING_LEVELS = ("warning", "error")


# The fields of every `costhub new` kind, for its flags: the guide's, and those of each data kind whose schema the
# project has (an unreadable schema leaves its kind out; `costhub check` reports it).
def _new_kinds(root: Path) -> dict[str, tuple[Field, ...]]:
    kinds = {"guide": GUIDE_FIELDS, "provider-fact": FACT_FIELDS}
    for name, kind in RECORD_KINDS.items():
        try:
            kinds[name] = record_fields(root, kind, date.today())
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return kinds


# Build the argument parser with one sub-command per task (`new` offers the kinds the project has).
def _parser(new_kinds: dict[str, tuple[Field, ...]]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="costhub", description="Check and query the Media API Cost Hub content.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate data/, every page, every link and review dates; "
                                              "exit 1 when `mkdocs build --strict` would fail")
    check.add_argument("--release", action="store_true",
                       help="also fail on placeholders that must not ship: example addresses and e-mails, TODO texts")
    check.add_argument("--external", action="store_true",
                       help="also fetch every external link (network; working ones are cached in .costhub-cache/)")
    review = commands.add_parser("review", help="list pages and data records coming due for review, grouped by owner")
    review.add_argument("--due-within", metavar="INTERVAL", help="such as 30d or P1M (default: the site's due-soon window)")
    review.add_argument("--fail-on", choices=FAIL_ON, help="exit 1 when anything is overdue, or when anything is due "
                                                          "within the window (overdue included)")
    review.add_argument("--format", choices=REPORT_FORMATS, default="text",
                        help="text (default), json or markdown, grouped by owner; issues: one issue body per owner, "
                             "as JSON for the scheduled review workflow")
    review.add_argument("--suggest-spread", action="store_true",
                        help="print review_in edits that stagger each owner's due dates (one item per day)")
    review.add_argument("--write", action="store_true", help="with --suggest-spread: write the edits into data/")
    new = commands.add_parser("new", help="add a guide or a provider fact with everything it needs; prompts for "
                                          "what is missing when run in a terminal")
    kinds = new.add_subparsers(dest="kind", required=True)
    for kind, fields in new_kinds.items():
        sub = kinds.add_parser(kind, help=f"add a {kind.replace('-', ' ')}")
        sub.add_argument("id", nargs="?", help=fields[0].prompt)
        for field in fields[1:]:
            sub.add_argument(f"--{field.name.replace('_', '-')}", dest=field.name, help=field.prompt
                             + (f" (default {field.default})" if field.default else ""))
    render = commands.add_parser("render", help="write every page fully rendered, with a plain mkdocs.yml, for engines "
                                                "that ignore hooks")
    render.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="a new or empty folder (or one it wrote before)")
    schemas = commands.add_parser("schemas", help="regenerate data/schemas/editor/ (current ids as enums) and the "
                                                  "schema line of every data file")
    schemas.add_argument("--check", action="store_true", help="write nothing; exit 1 when anything is stale")
    estimate = commands.add_parser("estimate", help="print a calculator's estimate, as the calculator page shows it")
    estimate.add_argument("calculator", help="calculator id from data/calculators.yml, e.g. video")
    estimate.add_argument("--set", action="append", default=[], metavar="INPUT=VALUE", dest="settings",
                          help="an input value, e.g. --set videos=1000 (repeat for more)")
    estimate.add_argument("--preset", help="start from a preset's values instead of the defaults")
    estimate.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


# The loaded site, or None after printing every content error.
def _load(root: Path, today: date) -> Site | None:
    try:
        return Site.load(root, today)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return None


# Validate data, pages, links and review dates, printing every problem; returns the exit code. A check of files
# unchanged since the last one prints its kept result (check_cache.py).
def run_check(root: Path, today: date, external: bool = False, release: bool = False) -> int:
    try:
        key = "" if external or release else check_key(root, today)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    result = stored_result(root, key) if key else None
    if result is None:
        result = _checked(root, today, external, release)
        if key:
            store_result(root, key, result)
    for stream, text in result.lines:
        print(text, file=sys.stdout if stream == "stdout" else sys.stderr)
    return result.code


# What a check prints (every problem) and its exit code.
def _checked(root: Path, today: date, external: bool, release: bool) -> CheckResult:
    try:
        site = Site.load(root, today)
    except ContentErrors as exc:
        return CheckResult((("stderr", exc.report()),), EXIT_CONTENT_ERRORS)
    pages, errors = check_site(site)
    warnings = lifecycle_warnings(site, [page for _source, page in site.prerendered.values()])
    if release:
        errors += release_problems(root)
    if external:
        errors += _external_errors(site, pages)
    findings = list(site.review.findings()) + [("warning", warning) for warning in warnings]
    lines = [("stdout" if level == "info" else "stderr", f"{'warning' if level == WITHIN_GRACE else level}: {finding}")
             for level, finding in findings]
    if errors:
        lines.append(("stderr", ContentErrors(errors).report()))
    if errors or any(level in FAILING_LEVELS for level, _finding in findings):
        return CheckResult(tuple(lines), EXIT_CONTENT_ERRORS)
    lines.append(("stdout", f"ok: {len(site.data.kinds)} data kinds, {len(pages)} pages, "
                            f"{sum(len(page.links) for page in pages.values())} links and {len(site.review.items)} "
                            f"review dates checked"))
    return CheckResult(tuple(lines), EXIT_OK)


# List what falls due within an interval (overdue included), grouped by owner, or suggest staggered dates; returns
# the exit code (1 when --fail-on's threshold is met).
def run_review(root: Path, today: date, args: argparse.Namespace) -> int:
    site = _load(root, today)
    if site is None:
        return EXIT_CONTENT_ERRORS
    if args.write and not args.suggest_spread:
        print("costhub review: --write only goes with --suggest-spread", file=sys.stderr)
        return EXIT_USAGE
    if args.suggest_spread:
        edits = suggest_spread(site.review, root)
        print("\n".join(str(edit) for edit in edits) if edits else "no edits: no owner has two items due on one day")
        if edits and args.write:
            print(f"wrote {', '.join(write_spread(edits, root))}")
        elif edits:
            print(f"{len(edits)} edit(s) not written; add --write to apply them")
        return EXIT_OK
    text = args.due_within or site.review.window
    try:
        report = due_report(site.review, parse_interval(text), text)
    except ValueError as exc:
        print(f"costhub review: --due-within {exc} ({INTERVAL_HINT})", file=sys.stderr)
        return EXIT_USAGE
    print(formatted(report, args.format, site.review, site.data.all("owners"), site.data.settings.site.url))
    return EXIT_CONTENT_ERRORS if args.fail_on and meets(report, args.fail_on) else EXIT_OK


# Add a guide or provider fact: fill its fields (prompting in a terminal), prepare every edit, prove them in a scratch
# copy, then write them all; nothing is written on any failure.
def run_new(root: Path, today: date, args: argparse.Namespace, fields: tuple[Field, ...]) -> int:
    site = _load(root, today)
    if site is None:
        return EXIT_CONTENT_ERRORS
    ask = (lambda field: input(f"{field.prompt}{f' [{field.default}]' if field.default else ''}: ")) if sys.stdin.isatty() else None
    try:
        values = fill(fields, vars(args), ask)
        edits = (plan_guide(site, values, today) if args.kind == "guide"
                 else plan_provider_fact(site, values, today) if args.kind == "provider-fact"
                 else plan_new_record(site, RECORD_KINDS[args.kind], fields, values))
        written = apply(site, edits, today)
    except ValueError as exc:
        print(f"costhub new {args.kind}: {exc}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except ContentErrors as exc:
        print(f"{exc.report()}\ncosthub new {args.kind}: the result would not pass costhub check; nothing was written",
              file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    except OSError as exc:
        print(f"costhub new {args.kind}: cannot write ({exc}); nothing was written", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    print("\n".join(f"wrote {path}" for path in written))
    print(f"next: replace every '{PLACEHOLDER}' placeholder, then run costhub check")
    return EXIT_OK


# Write the rendered site for hook-less engines; returns the exit code.
def run_render(root: Path, today: date, out_dir: Path) -> int:
    site = _load(root, today)
    if site is None:
        return EXIT_CONTENT_ERRORS
    try:
        count = render_site(site, out_dir)
    except ValueError as exc:
        print(f"costhub render: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    print(f"wrote {count} pages to {out_dir}; build them with: mkdocs build -f {out_dir / 'mkdocs.yml'}")
    return EXIT_OK


# Regenerate the editor schemas (or, with check_only, report the stale ones); returns the exit code.
def run_schemas(root: Path, today: date, check_only: bool) -> int:
    site = _load(root, today)
    if site is None:
        return EXIT_CONTENT_ERRORS
    edits, stale = schema_edits(site), stale_schemas(root)
    changed = [edit.path for edit in edits] + [path.relative_to(root).as_posix() for path in stale]
    if check_only:
        print("\n".join(f"stale: {path}" for path in changed) + "\nrun `costhub schemas` to regenerate them"
              if changed else "schemas are current", file=sys.stderr if changed else sys.stdout)
        return EXIT_CONTENT_ERRORS if changed else EXIT_OK
    write_all(root, edits)
    for path in stale:
        path.unlink()
    print("\n".join(f"wrote {path}" for path in changed) or "schemas are current")
    return EXIT_OK


# Dead external links among the addresses that pass the link rules (data/site.yml holds the site's own address
# and the allow-list prefixes, which are not links to fetch).
def _external_errors(site: Site, pages: dict[str, PageLinks]) -> list[ContentError]:
    links = site.data.settings.links
    allow = list(links.http_allow)
    uses = [use for use in data_urls(site.data, site.root) + external_links(pages) if use.file != site.data.settings.file
            and scheme_of(use.url) in ("http", "https") and url_problem(use.url, allow) is None]
    settings = ExternalSettings(links.external.timeout_seconds, links.external.retries, links.external.cache_days,
                                links.external.check_seconds or CHECK_DEADLINE_SECONDS)
    return check_external(uses, site.root / CACHE_FILE, settings, site.review.today)


# Print one calculator's estimate; 2 for a bad calculator, preset or --set, 1 for content errors.
def run_estimate(root: Path, today: date, name: str, preset: str | None, settings: list[str], as_json: bool) -> int:
    site = _load(root, today)
    if site is None:
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


# The estimate as JSON: the inputs, then outputs and breakdown lines by id with their exact values (null
# when a line has no value, e.g. no deliveries), and every line as the page shows it.
def _estimate_json(calculator: Calculator, preset: str | None, values: dict[str, Value]) -> str:
    rows = calculator.rows(values)
    return json.dumps({
        "calculator": calculator.id,
        "preset": preset,
        "inputs": values,
        "outputs": {line.id: value for line, value, _ in rows if line.output},
        "breakdown": {line.id: value for line, value, _ in rows if not line.output},
        "shown": {line.id: text for line, _, text in rows},
    }, indent=2, allow_nan=False)


# The estimate as a text table with the same labels and figures as the page.
def _estimate_table(calculator: Calculator, values: dict[str, Value]) -> str:
    rows = calculator.rows(values)
    width = max(len(label) for label in [field.label for field in calculator.record.inputs] + [line.label for line, _, _ in rows])
    out = [calculator.record.title, "", "Inputs"]
    out += [f"  {field.label:<{width}}  {calculator.input_text(field, values[field.id])}" for field in calculator.record.inputs]
    for title, wanted in (("Breakdown", False), ("Results", True)):
        out += ["", title] + [f"  {line.label:<{width}}  {text:>16}" for line, _, text in rows if line.output == wanted]
    return "\n".join(out)


# Entry point; argparse exits with 2 on usage errors. A closed output pipe ends the command quietly.
def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _run(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


# Parse the arguments and run one command; returns the exit code.
def _run(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("--root", type=Path, default=Path.cwd())
    args = _parser(_new_kinds(first.parse_known_args(argv)[0].root.resolve())).parse_args(argv)
    root = args.root.resolve()
    if not (root / "data").is_dir():
        print(f"costhub: {root} has no data/ folder (use --root)", file=sys.stderr)
        return EXIT_USAGE
    try:
        today = today_from(os.environ)
    except ValueError as exc:
        print(f"costhub: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        return run_check(root, today, args.external, args.release)
    if args.command == "review":
        return run_review(root, today, args)
    if args.command == "render":
        return run_render(root, today, args.out_dir)
    if args.command == "schemas":
        return run_schemas(root, today, args.check)
    if args.command == "new":
        fields = (GUIDE_FIELDS if args.kind == "guide" else FACT_FIELDS if args.kind == "provider-fact"
                  else record_fields(root, RECORD_KINDS[args.kind], today))
        return run_new(root, today, args, fields)
    if args.command == "estimate":
        return run_estimate(root, today, args.calculator, args.preset, args.settings, args.json)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
