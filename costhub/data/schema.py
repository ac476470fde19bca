"""JSON Schema validation whose errors point at the YAML line an editor wrote."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from jsonschema import FormatChecker
    from jsonschema.exceptions import ValidationError

from ..errors import ContentError, ContentErrors, did_you_mean
from .formats import is_sentence, sentence_problem
from .schema_fast import passes
from .yamlfile import DataPath, YamlDocument, read_text

_SENTENCE_HINT = ("each item is a whole sentence; in a `[a, b]` list a comma splits a sentence, so write one "
                  "`- item` per line")
_SIZE_WORDS = {"minLength": ("too short", "at least", "character"), "maxLength": ("too long", "at most", "character"),
               "minItems": ("too short", "at least", "item"), "maxItems": ("too long", "at most", "item")}
_DAYS_PATTERN = "[1-9][0-9]*d|"
_JSON_TYPES = {dict: "a mapping", list: "a list", str: "text", bool: "true/false",
               int: "a whole number", float: "a number", type(None): "nothing (null)"}


# jsonschema's format checks plus "sentence", which schemas use on lists of sentences.
@lru_cache(maxsize=1)
def format_checker() -> FormatChecker:
    from jsonschema import FormatChecker
    formats = FormatChecker()
    formats.checks("sentence")(is_sentence)
    return formats


# Read a schema file (tests/unit/data/test_schemas.py proves every shipped schema is a valid JSON Schema);
# ContentErrors at the line and column of bad JSON (text: the file's text, when already read).
def load_schema(path: Path, display_name: str, text: str | None = None) -> dict[str, Any]:
    text = read_text(path, display_name) if text is None else text
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentErrors([ContentError(display_name, exc.lineno, exc.colno, "", f"invalid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise ContentErrors([ContentError(display_name, 1, 1, "", "invalid JSON: nested too deeply")]) from None
    if not isinstance(schema, dict):
        raise ContentErrors([ContentError(display_name, 1, 1, "", "a schema must be a JSON object")])
    return schema


# Validate a loaded YAML document, returning one ContentError per problem. A document that schema_fast finds valid
# needs nothing more; any other goes to jsonschema (imported here, on first use), whose errors are explained.
def validate(document: YamlDocument, schema: dict[str, Any]) -> list[ContentError]:
    if passes(schema, document.data):
        return []
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError, UnknownType
    from referencing.exceptions import Unresolvable
    validator = Draft202012Validator(schema, format_checker=format_checker())
    errors: list[ContentError] = []
    try:
        for error in validator.iter_errors(document.data):
            errors.extend(_explain(document, error))
    except (SchemaError, UnknownType, Unresolvable, RecursionError, TypeError, AttributeError) as exc:
        schema_file = f"{Path(document.file).parent.as_posix()}/schemas/{Path(document.file).stem}.schema.json"
        return [ContentError(schema_file, 1, 1, "", f"the schema cannot be used: {str(exc).splitlines()[0][:200]}")]
    return errors


# Turn one jsonschema error into editor-facing errors, with did-you-mean hints.
def _explain(document: YamlDocument, error: ValidationError) -> Iterator[ContentError]:
    path: DataPath = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - allowed):
            yield document.error(path + (key,), f"unknown key {key!r}",
                                 did_you_mean(key, allowed) or f"allowed keys: {', '.join(sorted(allowed))}",
                                 key=True)
    elif keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield document.error(path, f"missing required field {missing!r}")
    elif keyword == "enum":
        options = [str(option) for option in error.validator_value]
        yield document.error(path, f"{error.instance!r} is not one of: {', '.join(options)}",
                             did_you_mean(str(error.instance), options))
    elif keyword == "type":
        expected = error.validator_value
        expected_text = " or ".join(expected) if isinstance(expected, list) else expected
        got = _JSON_TYPES.get(type(error.instance), type(error.instance).__name__)
        yield document.error(path, f"expected {expected_text}, got {got}", _number_hint(error))
    elif keyword in _SIZE_WORDS and isinstance(error.validator_value, int):
        yield document.error(path, _size_message(keyword, error.instance, error.validator_value))
    elif keyword == "format" and error.validator_value == "date":
        yield document.error(path, f"{error.instance!r} is not a valid date", "write it as YYYY-MM-DD")
    elif keyword == "format" and error.validator_value == "sentence":
        yield document.error(path, f"list item {sentence_problem(error.instance)}: {error.instance!r}", _SENTENCE_HINT)
    else:
        hint = error.schema.get("x-hint", "") if isinstance(error.schema, dict) else ""
        yield document.error(path, error.message, hint)


# "too short: at least 20 characters, has 12" for a size keyword.
def _size_message(keyword: str, instance: object, limit: int) -> str:
    word, bound, unit = _SIZE_WORDS[keyword]
    size = len(instance) if isinstance(instance, (str, list, dict)) else 0
    return f"too {word.split()[1]}: {bound} {limit} {unit}{'s' if limit != 1 else ''}, has {size}"


# A hint for a bare number where a review interval is expected: `review_in: 60` means `60d`.
def _number_hint(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    if isinstance(error.instance, int) and not isinstance(error.instance, bool) and _DAYS_PATTERN in schema.get("pattern", ""):
        return f"did you mean '{error.instance}d'? an interval needs its unit, such as {error.instance}d or P3M"
    return ""
