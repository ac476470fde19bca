"""The quick validity check against jsonschema itself, on hostile edits of every shipped data file: a few hundred
seeded mutations per file (another type, a bool for a number, 1.0 for an integer, a key dropped or added, empty,
blank and unusual text, a duplicate list item, near-misses of patterns, impossible dates, numbers on and beside
each bound, the values that switch each if/then), each judged by both; the verdicts must be the same."""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from jsonschema import Draft202012Validator

from costhub.data.schema import format_checker
from costhub.data.schema_fast import compile_schema
from costhub.data.yamlfile import DataPath, load_yaml

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted((ROOT / "data").glob("*.yml"))
MUTATIONS = 300
ODD_TEXT = ["", " ", "   ", "\t", "\n", "\u200b", "é", "名前", "😀", "A.", "a.", "No stop", "Two. Sentences.",
            "2026-02-30", "2026-2-3", "2026-12-01T00:00", "2024-02-29", "2026-12-01 ", "20261201", "２０２６-12-01",
            "90d", "0d", "P3M", "https://", "http://example.org/", "https://example.org/a b", "x" * 2001]
OTHER_TYPES = ["text", 7, 0, -1, 1.0, 2.5, True, False, None, [], {}, ["Item."], {"id": "x"}, b"\x00"]


# Every (path, value) of a document, the document itself first.
def _walk(value: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    yield path, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _walk(item, path + (key,))


# The document with the value at path replaced by change(value), or dropped when change is None (copies along the
# path only).
def _changed(document: Any, path: DataPath, change: Callable[[Any], Any] | None) -> Any:
    if not path:
        return change(document) if change else document
    copy = dict(document) if isinstance(document, dict) else list(document)
    head, rest = path[0], path[1:]
    if not rest and change is None:
        del copy[head]
    else:
        copy[head] = _changed(document[head], rest, change)
    return copy


# The numbers of a schema's bounds, of its size limits, and every const and enum value in it (a property that
# happens to be named like a keyword is not one).
def _schema_values(schema: Any) -> tuple[list[float], list[int], list[Any]]:
    bounds: list[float] = []
    sizes: list[int] = []
    options: list[Any] = []
    for path, value in _walk(schema):
        keyword = path[-1] if path and path[-2:-1] not in (("properties",), ("$defs",)) else None
        if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bounds.append(value)
        elif keyword in ("minLength", "maxLength", "minItems", "maxItems", "minProperties"):
            sizes.append(value)
        elif keyword == "const":
            options.append(value)
        elif keyword == "enum":
            options.extend(value)
    return bounds, sizes, options


# The ways to change one value: by its type, then the hostile values every position gets.
def _mutations(value: Any, options: list[Any], rng: random.Random) -> list[Callable[[Any], Any]]:
    texts = [option for option in options if isinstance(option, str)] or ["x"]
    found: list[Callable[[Any], Any]] = [lambda _: rng.choice(OTHER_TYPES), lambda _: rng.choice(options or ["x"])]
    if isinstance(value, bool):
        found += [lambda v: int(v), lambda v: not v]
    elif isinstance(value, (int, float)):
        found += [lambda v: not v, lambda v: float(v), lambda v: -v, lambda v: v + 1, lambda v: v - 0.5,
                  lambda _: 1e-9, lambda _: float("nan"), lambda _: float("inf")]
    elif isinstance(value, str):
        found += [lambda v: v + " ", lambda v: " " + v, lambda v: v.upper(), lambda v: v + "\n", lambda v: v[:-1],
                  lambda v: v + "-", lambda v: v.replace("-", "_"), lambda v: "é" + v, lambda v: v + "😀",
                  lambda v: v[:1].lower() + v[1:], lambda v: v.rstrip("."), lambda v: v.replace("https", "http"),
                  lambda v: v.replace("0", "9").replace("1", "3"), lambda v: v[:10], lambda _: rng.choice(ODD_TEXT),
                  lambda _: rng.choice(ODD_TEXT), lambda _: rng.choice(texts)]
    elif isinstance(value, list):
        found += [lambda v: [], lambda v: v[:1], lambda v: v + v[:1], lambda v: v[1:], lambda v: v + ["Extra."],
                  lambda v: [rng.choice(OTHER_TYPES)] + v]
    elif isinstance(value, dict) and value:
        key = rng.choice(sorted(value))
        found += [lambda v: {**v, key + "s": v[key]}, lambda v: {**v, "unknown": 1}, lambda v: {},
                  lambda v: {k: item for k, item in v.items() if k != key}, lambda v: {**v, key: None}]
    return found


# One hostile edit: a third of the time any change anywhere, else one aimed at the schema's rules: a number put on
# or beside a bound (or a bool for it), a text or list as long as a size limit or one more or less, a value of a
# closed set swapped for another (which switches if/then rules), or a key dropped.
def _edit(document: Any, values: tuple[list[float], list[int], list[Any]], rng: random.Random) -> Any:
    bounds, sizes, options = values
    places = list(_walk(document))
    numbers = [place for place in places if isinstance(place[1], (int, float)) and not isinstance(place[1], bool)]
    sized = [place for place in places if isinstance(place[1], (str, list))]
    chosen = [place for place in places if isinstance(place[1], str) and place[1] in options]
    keyed = [place for place in places if place[0] and isinstance(place[0][-1], str)]
    focus = rng.choice(("anywhere", "anywhere", "bound", "size", "option", "drop"))
    if focus == "bound" and numbers and bounds:
        bound = rng.choice(bounds)
        new = rng.choice((bound, float(bound), bound - 1, bound + 1, bound + 1e-9, bound - 1e-9, -bound, True, False))
        return _changed(document, rng.choice(numbers)[0], lambda _: new)
    if focus == "size" and sized and sizes:
        where, value = rng.choice(sized)
        length = max(0, rng.choice(sizes) + rng.choice((-1, 0, 1)))
        new = (("A" * length)[:-1] + "." if length else "") if isinstance(value, str) else (value * length)[:length]
        return _changed(document, where, lambda _: new)
    if focus == "option" and chosen:
        new = rng.choice(options)
        return _changed(document, rng.choice(chosen)[0], lambda _: new)
    if focus == "drop" and keyed:
        return _changed(document, rng.choice(keyed)[0], None)
    where, value = rng.choice(places)
    return _changed(document, where, rng.choice([*_mutations(value, options, rng), *([None] if where else [])]))


# jsonschema's verdict: no error at all (the first one settles it).
def _valid(validator: Draft202012Validator, document: Any) -> bool:
    return next(validator.iter_errors(document), None) is None


# A small document of the file's kind: each top-level list of records cut down to one record, picked by rng.
def _slim(document: Any, rng: random.Random) -> Any:
    if not isinstance(document, dict):
        return document
    return {key: [rng.choice(value)] if isinstance(value, list) and len(value) > 1 else value
            for key, value in document.items()}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_the_quick_verdict_matches_jsonschema_on_hostile_edits(path: Path) -> None:
    schema = json.loads((ROOT / "data" / "schemas" / f"{path.stem}.schema.json").read_text(encoding="utf-8"))
    document, errors = load_yaml(path, path.name)
    assert not errors
    check = compile_schema(schema)
    assert check is not None, "a shipped schema uses something the quick check does not decide"
    validator = Draft202012Validator(schema, format_checker=format_checker())
    assert check(document.data) and _valid(validator, document.data)
    values = _schema_values(schema)
    rng = random.Random(path.name)
    verdicts = []
    for _ in range(MUTATIONS):
        mutated = _slim(document.data, rng)
        for _step in range(rng.choice((1, 1, 1, 2))):
            mutated = _edit(mutated, values, rng)
        expected = _valid(validator, mutated)
        assert check(mutated) is expected, f"{path.name}: {mutated!r}"
        verdicts.append(expected)
    # Both verdicts occur, so the edits reach both sides of the rules.
    assert 0 < sum(verdicts) < MUTATIONS


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_the_quick_verdict_matches_jsonschema_with_numbers_on_every_bound(path: Path) -> None:
    schema = json.loads((ROOT / "data" / "schemas" / f"{path.stem}.schema.json").read_text(encoding="utf-8"))
    document, _errors = load_yaml(path, path.name)
    check = compile_schema(schema)
    assert check is not None
    validator = Draft202012Validator(schema, format_checker=format_checker())
    rng = random.Random(path.name)
    slim = _slim(document.data, rng)
    numbers = [where for where, value in _walk(slim) if isinstance(value, (int, float)) and not isinstance(value, bool)]
    bounds = sorted(set(_schema_values(schema)[0]))
    for where in rng.sample(numbers, min(len(numbers), 30)):
        for bound in bounds:
            for new in (bound, float(bound), bound - 1e-9, bound + 1e-9):
                mutated = _changed(slim, where, lambda _: new)
                assert check(mutated) is _valid(validator, mutated), f"{path.name}: {where} = {new!r}"
