"""The quick validity check: per keyword, verdicts worked out by hand from JSON Schema 2020-12 and jsonschema's rules
(jsonschema must agree with each, too); schemas it must refuse to decide; and validate() falling back to jsonschema
with today's messages whenever the quick check cannot say "valid"."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from costhub.data.schema import format_checker, validate
from costhub.data.schema_fast import DIALECT, compile_schema, passes
from costhub.data.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parents[3]
SHORT = {"$defs": {"short": {"type": "string", "maxLength": 3}}}
TREE = {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#"}}},
        "additionalProperties": False}
CLOSED = {"properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": False}
KIND_RULE = {"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"]}, "else": {"required": ["y"]}}
MIXED_ENUM = {"enum": ["a", 1, None, [1], {"k": 1}]}
NAN, INF = float("nan"), float("inf")

# (schema, value, valid?) with the reason where it is not plain.
CASES: list[tuple[dict[str, Any] | bool, Any, bool]] = [
    ({"type": "integer"}, 1, True), ({"type": "integer"}, 1.0, True),  # 2020-12: a float with no fraction is one
    ({"type": "integer"}, 1.5, False), ({"type": "integer"}, True, False), ({"type": "integer"}, "1", False),
    ({"type": "integer"}, 10 ** 30, True), ({"type": "integer"}, INF, False), ({"type": "integer"}, None, False),
    ({"type": "number"}, True, False), ({"type": "number"}, 2.5, True), ({"type": "number"}, 0, True),
    ({"type": "number"}, "2.5", False), ({"type": "number"}, NAN, True),
    ({"type": "boolean"}, 1, False), ({"type": "boolean"}, False, True),
    ({"type": "null"}, None, True), ({"type": "null"}, 0, False), ({"type": "null"}, "", False),
    ({"type": "string"}, "", True), ({"type": "string"}, b"x", False),  # bytes (YAML !!binary) are no JSON type
    ({"type": "array"}, [], True), ({"type": "array"}, {}, False), ({"type": "array"}, "ab", False),
    ({"type": "object"}, {}, True), ({"type": "object"}, [], False),
    ({"type": ["string", "null"]}, None, True), ({"type": ["string", "null"]}, 1, False),
    ({"type": []}, None, False),  # no listed type fits
    (CLOSED, {"a": "x"}, True), (CLOSED, {}, False), (CLOSED, {"a": 1}, False), (CLOSED, {"a": "x", "b": 1}, False),
    (CLOSED, "text", True), (CLOSED, [], True),  # object keywords say nothing of other values
    ({"properties": {"a": {"type": "string"}}}, {"b": 1}, True),
    ({"properties": {"a": True}, "additionalProperties": {"type": "integer"}}, {"a": "x", "b": 2}, True),
    ({"properties": {"a": True}, "additionalProperties": {"type": "integer"}}, {"b": "2"}, False),
    ({"additionalProperties": False}, {"a": 1}, False), ({"additionalProperties": False}, {}, True),
    ({"required": ["a", "b"]}, {"a": 1}, False), ({"required": ["a", "b"]}, {"a": None, "b": None}, True),
    ({"properties": {"a": False}}, {"a": 1}, False), ({"properties": {"a": False}}, {}, True),
    ({"minProperties": 2}, {"a": 1}, False), ({"minProperties": 2}, {"a": 1, "b": 2}, True),
    ({"minProperties": 2}, [1], True),
    ({"items": {"type": "integer"}}, [1, 2.0], True), ({"items": {"type": "integer"}}, [1, "2"], False),
    ({"items": {"type": "integer"}}, "12", True), ({"items": {"type": "integer"}}, [], True),
    ({"items": False}, [], True), ({"items": False}, [1], False),
    ({"minItems": 2}, [1], False), ({"minItems": 2}, [1, 1], True), ({"minItems": 2}, "a", True),
    ({"maxItems": 1}, [1, 2], False), ({"maxItems": 1}, [[1, 2]], True), ({"maxItems": 1}, {"a": 1, "b": 2}, True),
    ({"minLength": 2}, "ab", True), ({"maxLength": 2}, "ab", True), ({"minProperties": 1}, {"a": None}, True),
    ({"minLength": 2}, "é", False), ({"minLength": 2}, "e\u0301", True),  # code points: é is one, e + accent two
    ({"minLength": 2}, "😀", False), ({"minLength": 2}, 12, True), ({"maxLength": 1}, "😀", True),
    ({"maxLength": 1}, "ab", False), ({"maxLength": 1}, ["a", "b"], True),
    ({"pattern": "^[a-z]+$"}, "abc", True), ({"pattern": "^[a-z]+$"}, "abc\n", True),  # $ matches before a last \n
    ({"pattern": "^[a-z]+$"}, "Abc", False), ({"pattern": "^[a-z]+$"}, "ab c", False),
    ({"pattern": "^[a-z]+$"}, 5, True), ({"pattern": "b"}, "abc", True),  # searched anywhere, not matched at 0
    ({"pattern": "^b"}, "abc", False),
    (MIXED_ENUM, "a", True), (MIXED_ENUM, "b", False), (MIXED_ENUM, 1, True), (MIXED_ENUM, 1.0, True),
    (MIXED_ENUM, True, False), (MIXED_ENUM, None, True), (MIXED_ENUM, [1.0], True), (MIXED_ENUM, [True], False),
    (MIXED_ENUM, {"k": 1.0}, True), (MIXED_ENUM, {"k": True}, False), (MIXED_ENUM, {"k": 1, "j": 1}, False),
    ({"enum": [True]}, 1, False), ({"enum": [True]}, True, True), ({"enum": [0]}, False, False),
    ({"enum": ["1"]}, 1, False), ({"enum": ["per_second", "per_video"]}, "per_video", True),
    ({"enum": ["per_second", "per_video"]}, "Per_video", False),
    ({"const": 1}, 1.0, True), ({"const": 1}, True, False), ({"const": 1}, "1", False),
    ({"const": [1, "a"]}, [1.0, "a"], True), ({"const": [1, "a"]}, [1], False),
    ({"const": {"a": [1]}}, {"a": [1]}, True), ({"const": {"a": [1]}}, {"a": [1], "b": 0}, False),
    ({"const": {"a": [1]}}, {"a": [True]}, False), ({"const": None}, None, True), ({"const": None}, 0, False),
    ({"const": None}, False, False),
    ({"uniqueItems": True}, [1, 2], True), ({"uniqueItems": True}, [1, 1.0], False),
    ({"uniqueItems": True}, [1, True], True), ({"uniqueItems": True}, [0, False], True),
    ({"uniqueItems": True}, [True, True], False), ({"uniqueItems": True}, ["a", "b", "a"], False),
    ({"uniqueItems": True}, [[1], [1]], False), ({"uniqueItems": True}, [{"a": 1}, {"a": 1.0}], False),
    ({"uniqueItems": True}, [{"a": 1}, {"a": 2}], True), ({"uniqueItems": True}, [[1], [True]], True),
    # jsonschema sorts lists that sort and compares neighbours only: [1] and [True] sort as equal, so the two [1]
    # are not neighbours and the list counts as unique.
    ({"uniqueItems": True}, [[1], [True], [1]], True),
    ({"uniqueItems": True}, "aa", True), ({"uniqueItems": True}, [], True), ({"uniqueItems": False}, [1, 1], True),
    ({"minimum": 0}, 0, True), ({"minimum": 0}, -1, False), ({"minimum": 0}, -0.5, False),
    ({"minimum": 0}, "-1", True), ({"minimum": 5}, True, True),  # a bool is no number, so no bound applies
    ({"minimum": 0}, NAN, True),  # NaN is below nothing
    ({"exclusiveMinimum": 0}, 0, False), ({"exclusiveMinimum": 0}, 0.0, False), ({"exclusiveMinimum": 0}, -0.0, False),
    ({"exclusiveMinimum": 0}, 1e-300, True), ({"exclusiveMinimum": 0}, INF, True),
    ({"maximum": 10}, 10, True), ({"maximum": 10}, 10.5, False), ({"maximum": 10}, INF, False),
    ({"exclusiveMaximum": 10}, 10, False), ({"exclusiveMaximum": 10}, 9.999, True),
    ({"exclusiveMaximum": 0.5}, 0.5, False), ({"exclusiveMaximum": 0.5}, 0, True),
    ({"format": "date"}, "2026-12-01", True), ({"format": "date"}, "2024-02-29", True),
    ({"format": "date"}, "2026-02-29", False), ({"format": "date"}, "2026-02-30", False),
    ({"format": "date"}, "2026-2-3", False), ({"format": "date"}, "2026-12-01T00:00", False),
    ({"format": "date"}, "2026-12-01 ", False), ({"format": "date"}, "2026-12-01\n", False),
    ({"format": "date"}, "２０２６-12-01", False),  # full-width digits are not ASCII digits
    ({"format": "date"}, "0000-01-01", False), ({"format": "date"}, "2026-13-01", False),
    ({"format": "date"}, 20261201, True), ({"format": "date"}, None, True),  # the format speaks of text only
    ({"format": "sentence"}, "Fine.", True), ({"format": "sentence"}, "fine.", False),
    ({"format": "sentence"}, "No stop", False), ({"format": "sentence"}, 3, True),
    ({"format": "sentence"}, "  Spaced.  ", True),
    (KIND_RULE, {"kind": "a", "x": 1}, True), (KIND_RULE, {"kind": "a"}, False),
    (KIND_RULE, {"kind": "b", "y": 1}, True),
    (KIND_RULE, {"kind": "b"}, False), (KIND_RULE, {}, False),  # no kind: the condition holds, so x is required
    (KIND_RULE, {"x": 1}, True), (KIND_RULE, 7, True),
    ({"then": {"type": "string"}}, 5, True),  # then without if is never applied
    ({"if": {"type": "string"}, "then": {"minLength": 2}}, "a", False),
    ({"if": {"type": "string"}, "then": {"minLength": 2}}, 5, True),
    ({"if": {"type": "string"}, "else": {"type": "integer"}}, 1.5, False),
    ({"if": {"type": "string"}, "else": {"type": "integer"}}, "x", True),
    ({"if": {"type": "string"}, "else": {"type": "integer"}}, 2, True),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, "a", True),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 1, True),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 1.5, False),
    ({"anyOf": []}, 1, False),  # no alternative holds
    ({"allOf": [{"minLength": 2}, {"pattern": "^a"}]}, "ab", True),
    ({"allOf": [{"minLength": 2}, {"pattern": "^a"}]}, "ba", False),
    ({"allOf": [{"minLength": 2}, {"pattern": "^a"}]}, "a", False), ({"allOf": []}, 1, True),
    ({**SHORT, "$ref": "#/$defs/short"}, "abc", True), ({**SHORT, "$ref": "#/$defs/short"}, "abcd", False),
    ({**SHORT, "$ref": "#/$defs/short"}, 5, False),
    ({**SHORT, "$ref": "#/$defs/short", "minLength": 2}, "a", False),  # keywords beside $ref apply too
    ({**SHORT, "$ref": "#/$defs/short", "minLength": 2}, "ab", True),
    ({**SHORT, "properties": {"a": {"$ref": "#/$defs/short"}}}, {"a": "abcd"}, False),
    ({**SHORT, "$id": "https://example.org/s.json", "$schema": DIALECT, "$ref": "#/$defs/short"}, "abcd", False),
    (TREE, {"kids": [{"kids": []}, {}]}, True), (TREE, {"kids": [{"kids": [{"kid": []}]}]}, False),
    ({"$defs": {"unused": {"oneOf": []}}, "type": "string"}, "s", True),  # a definition nothing refers to is unread
    (True, {"any": "thing"}, True), (False, None, False), ({}, [1, "a"], True),
    ({"type": "string", "description": "d", "title": "t", "default": 5, "examples": [1], "$comment": "c",
      "x-hint": "h", "x-ref": "owners", "x-later": {"type": "integer"}}, "s", True),
    ({"type": "string", "x-later": {"type": "integer"}}, 5, False),
]


@pytest.mark.parametrize(("schema", "value", "valid"), CASES)
def test_each_keyword_gives_the_verdict_worked_out_by_hand(schema: dict[str, Any] | bool, value: Any,
                                                           valid: bool) -> None:
    check = compile_schema(schema) if isinstance(schema, dict) else compile_schema({"allOf": [schema]})
    assert check is not None
    assert check(value) is valid
    assert Draft202012Validator(schema, format_checker=format_checker()).is_valid(value) is valid


UNSUPPORTED: list[dict[str, Any]] = [
    {"oneOf": [{}]}, {"not": {}}, {"contains": {}}, {"prefixItems": [{}]}, {"patternProperties": {}},
    {"unevaluatedProperties": False}, {"dependentRequired": {}}, {"multipleOf": 2}, {"maxProperties": 2},
    {"propertyNames": {}}, {"$anchor": "a"}, {"$dynamicRef": "#a"}, {"deprecated": True},
    {"$ref": "https://example.org/other.json"}, {"$ref": "other.json#/$defs/a", "$defs": {"a": {}}},
    {"$ref": "#/properties/a", "properties": {"a": {}}}, {"$ref": "#/$defs/a~1b", "$defs": {"a/b": {}}},
    {"$ref": "#/$defs/missing"}, {"$ref": "#/$defs/a", "$defs": {"a": {"oneOf": []}}},
    {"format": "email"}, {"format": "date-time"}, {"format": ["date"]}, {"const": {"a": []}, "format": {}},
    {"minLength": "3"}, {"minLength": 2.0}, {"minLength": True},
    {"maximum": "5"}, {"minimum": True}, {"type": "text"}, {"type": ["string", 5]}, {"type": {"a": 1}},
    {"pattern": "("}, {"pattern": 5}, {"enum": "abc"}, {"required": "id"}, {"required": [1]}, {"uniqueItems": 1},
    {"items": [{}]}, {"properties": {"a": 5}}, {"properties": []}, {"additionalProperties": "no"}, {"if": 5},
    {"anyOf": {"type": "string"}}, {"$schema": "http://json-schema.org/draft-07/schema#"}, {"$schema": 7},
    {"$id": "relative.json"}, {"$id": "https://example.org/s.json#here"}, {"$defs": []},
    {"properties": {"a": {"$defs": {}}}}, {"properties": {"a": {"$id": "https://example.org/a"}}},
    {"properties": {"a": {"$schema": DIALECT}}}, {"properties": {"a": {"items": {"not": {}}}}},
    {"if": True, "then": {"oneOf": []}},
]


@pytest.mark.parametrize("schema", UNSUPPORTED, ids=lambda schema: json.dumps(schema)[:60])
def test_a_schema_using_anything_else_gets_no_verdict(schema: dict[str, Any]) -> None:
    assert compile_schema(schema) is None
    assert passes(schema, {}) is False


def test_a_reference_loop_gets_no_verdict_and_validate_reports_the_schema_as_unusable(tmp_path: Path) -> None:
    loop = {"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
    assert passes(loop, 1) is False
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "loop.yml").write_text("a: 1\n", encoding="utf-8")
    document, load_errors = load_yaml(tmp_path / "data" / "loop.yml", "data/loop.yml")
    assert not load_errors
    [error] = validate(document, loop)
    assert (error.file, error.line, error.where) == ("data/schemas/loop.schema.json", 1, "")
    assert error.message.startswith("the schema cannot be used: maximum recursion depth exceeded")


def test_the_same_schema_object_is_compiled_once() -> None:
    schema = {"minLength": 1}
    assert compile_schema(schema) is compile_schema(schema)
    assert compile_schema({"minLength": 1}) is not compile_schema(schema)  # an equal but other object: made again


# Load YAML text written under tmp_path as data/<name>.yml.
def _document(tmp_path: Path, text: str, name: str = "things") -> Any:
    path = tmp_path / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    document, errors = load_yaml(path, f"data/{name}.yml")
    assert not errors
    return document


def test_an_unsupported_keyword_falls_back_to_jsonschema_and_its_message(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"count": {"not": {"type": "integer"}}}}
    document = _document(tmp_path, "name: x\ncount: 5\n")
    assert [str(error) for error in validate(document, schema)] == [
        "data/things.yml:2:8: count: 5 should not be valid under {'type': 'integer'}"]
    assert validate(_document(tmp_path, "count: five\n"), schema) == []


def test_a_bad_file_gets_the_same_messages_as_before(tmp_path: Path) -> None:
    schema = {"$schema": DIALECT, "type": "object", "required": ["things"], "additionalProperties": False,
              "properties": {"things": {"type": "array", "items": {"$ref": "#/$defs/thing"}}},
              "$defs": {"thing": {"type": "object", "required": ["id", "kind"], "additionalProperties": False,
                                  "properties": {
                                      "id": {"type": "string", "pattern": "^[a-z]+$", "x-hint": "lower-case letters"},
                                      "kind": {"enum": ["image", "video"]},
                                      "seen": {"type": "string", "format": "date"},
                                      "notes": {"type": "array", "minItems": 2, "items": {"format": "sentence"}},
                                      "count": {"type": "integer", "minimum": 1}}}}}
    document = _document(tmp_path, "things:\n"
                                   "  - id: Abc\n"
                                   "    kind: vidoe\n"
                                   "    seen: 2026-02-30\n"
                                   "    notes: [lower case.]\n"
                                   "    count: 1.5\n"
                                   "    cuont: 2\n"
                                   "  - kind: image\n")
    assert sorted(str(error) for error in validate(document, schema)) == [
        "data/things.yml:2:9: things[0].id: 'Abc' does not match '^[a-z]+$' (lower-case letters)",
        "data/things.yml:3:11: things[0].kind: 'vidoe' is not one of: image, video (did you mean 'video'?)",
        "data/things.yml:4:11: things[0].seen: '2026-02-30' is not a valid date (write it as YYYY-MM-DD)",
        "data/things.yml:5:12: things[0].notes: too short: at least 2 items, has 1",
        "data/things.yml:5:13: things[0].notes[0]: list item starts in lower case: 'lower case.' (each item is a "
        "whole sentence; in a `[a, b]` list a comma splits a sentence, so write one `- item` per line)",
        "data/things.yml:6:12: things[0].count: expected integer, got a number",
        "data/things.yml:7:5: things[0].cuont: unknown key 'cuont' (did you mean 'count'?)",
        "data/things.yml:8:5: things[1]: missing required field 'id'",
    ]


# Run Python code in a fresh process at the repository root (with args as sys.argv[1:]); returns its output lines.
def _fresh(code: str, *args: str, env: dict[str, str] | None = None) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


LOAD_AND_REPORT = """
import shutil, sys, tempfile
from pathlib import Path
from costhub.data.load import load_site_data
from costhub.errors import ContentErrors
root = Path(tempfile.mkdtemp())
shutil.copytree("data", root / "data")
if sys.argv[1:]:
    path = root / "data" / "owners.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id:", "  - idd:", 1), encoding="utf-8")
try:
    load_site_data(root / "data", root)
except ContentErrors as exc:
    for line in sorted(str(error) for error in exc.errors):
        print(line)
shutil.rmtree(root)
print("jsonschema" in sys.modules)
"""
CHECK_AND_REPORT = """
import atexit, sys
atexit.register(lambda: print("jsonschema" in sys.modules))
from costhub.cli import main
sys.exit(main(["--root", ".", "check"]))
"""


def test_loading_the_real_data_never_imports_jsonschema() -> None:
    assert _fresh(LOAD_AND_REPORT) == ["False"]
    # The same probe sees the import as soon as a file is wrong, and the error is jsonschema's, explained.
    assert _fresh(LOAD_AND_REPORT, "break") == ["data/owners.yml:3:5: owners[0].idd: unknown key 'idd' "
                                                "(did you mean 'id'?)",
                                                "data/owners.yml:3:5: owners[0]: missing required field 'id'", "True"]


def test_costhub_check_of_the_real_site_never_imports_jsonschema() -> None:
    lines = _fresh(CHECK_AND_REPORT, env={"COSTHUB_CACHE": "off"})
    assert lines[0].startswith("ok: ") and lines[-1] == "False"
