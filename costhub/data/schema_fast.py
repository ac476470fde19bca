"""A quick yes or no on whether a document is valid under a JSON Schema: the same answer jsonschema's Draft 2020-12
validator with our format checks gives, for the keywords data/schemas/ uses. A schema that uses anything else
(another keyword, a remote or unusual $ref, another format, a keyword value of an unexpected shape) gets no answer,
and its documents go to jsonschema."""
from __future__ import annotations

import numbers
import operator
import re
from collections.abc import Mapping, Sequence
from typing import Any, Callable

from .formats import is_date, is_sentence

Check = Callable[[Any], bool]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_FORMATS: dict[str, Check] = {"date": is_date, "sentence": is_sentence}
# Keywords no rule is read from (besides any x-… keyword of ours).
_ANNOTATIONS = frozenset({"description", "title", "default", "examples", "$comment"})
_ROOT_ONLY = frozenset({"$schema", "$id", "$defs"})
# Size keywords: the container type they apply to and the comparison that makes a value fail.
_SIZES: dict[str, tuple[type, Callable[[int, int], bool]]] = {
    "minLength": (str, operator.lt), "maxLength": (str, operator.gt), "minItems": (list, operator.lt),
    "maxItems": (list, operator.gt), "minProperties": (dict, operator.lt)}
# Numeric bounds and the comparison that makes a number fail (a NaN fails none, as in jsonschema).
_BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": operator.lt, "maximum": operator.gt, "exclusiveMinimum": operator.le, "exclusiveMaximum": operator.ge}
_OBJECT_KEYWORDS = ("properties", "required", "additionalProperties")
_DEF_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_TRUE, _FALSE = object(), object()
_COMPILED: dict[int, tuple[dict[str, Any], Check | None]] = {}
_CACHE_SIZE = 64


class _Unsupported(Exception):
    """The schema uses something this module does not decide."""


# Whether value is valid under schema: True only when this module decides the schema and the value passes it.
def passes(schema: dict[str, Any], value: Any) -> bool:
    check = compile_schema(schema)
    if check is None:
        return False
    try:
        return check(value)
    except RecursionError:  # a $ref loop: jsonschema reports it as a schema that cannot be used
        return False


# The check for a schema, made once per schema object (kept while it is one of the last 64); None when unsupported.
def compile_schema(schema: dict[str, Any]) -> Check | None:
    known = _COMPILED.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    try:
        check: Check | None = _Compiler(schema).check(schema, root=True)
    except (_Unsupported, RecursionError):
        check = None
    if len(_COMPILED) >= _CACHE_SIZE:
        del _COMPILED[next(iter(_COMPILED))]
    _COMPILED[id(schema)] = (schema, check)
    return check


class _Compiler:
    """Turns one root schema and the $defs it refers to into checks."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}
        self.pending: set[str] = set()

    # The check for a (sub)schema: every keyword's check must pass.
    def check(self, schema: Any, root: bool = False) -> Check:
        if isinstance(schema, bool):
            return _always if schema else _never
        if not isinstance(schema, dict):
            raise _Unsupported
        if root:
            self._root_keywords(schema)
        checks = [self._keyword(key, value, schema) for key, value in schema.items()
                  if not (key in _ANNOTATIONS or key.startswith("x-") or (root and key in _ROOT_ONLY))]
        if any(key in schema for key in _OBJECT_KEYWORDS):
            checks.append(self._object(schema))
        return _every(tuple(check for check in checks if check is not None))

    # Only what this module reads the same way as jsonschema: the 2020-12 dialect, an absolute id, $defs by name.
    def _root_keywords(self, schema: dict[str, Any]) -> None:
        if schema.get("$schema", DIALECT) != DIALECT or not isinstance(schema.get("$defs", {}), dict):
            raise _Unsupported
        if "$id" in schema and not (isinstance(schema["$id"], str) and re.fullmatch(r"https?://[^#]+", schema["$id"])):
            raise _Unsupported

    # One keyword's check (None for a keyword checked with others: then, else and the object keywords).
    def _keyword(self, key: str, value: Any, schema: dict[str, Any]) -> Check | None:
        if key in _OBJECT_KEYWORDS or key in ("then", "else"):
            return None
        if key == "type":
            return _type(value)
        if key in _SIZES and _is_int(value):
            return _size(*_SIZES[key], value)
        if key in _BOUNDS and (_is_int(value) or isinstance(value, float)):
            return _bound(_BOUNDS[key], value)
        if key == "pattern" and isinstance(value, str):
            return _pattern(value)
        if key == "format" and isinstance(value, str) and value in _FORMATS:
            return _FORMATS[value]
        if key == "enum" and isinstance(value, list):
            return _enum(value)
        if key == "const":
            return lambda item: _equal(item, value)
        if key == "uniqueItems" and isinstance(value, bool):
            return _unique_items if value else None
        if key == "items":
            return _items(self.check(value))
        if key in ("anyOf", "allOf") and isinstance(value, list):
            parts = tuple(self.check(part) for part in value)
            return ((lambda item: any(part(item) for part in parts)) if key == "anyOf"
                    else (lambda item: all(part(item) for part in parts)))
        if key == "if":
            return _condition(self.check(value), self._branch(schema, "then"), self._branch(schema, "else"))
        if key == "$ref" and isinstance(value, str):
            return self._ref(value)
        raise _Unsupported

    # The check of a then/else branch beside an if (None when the branch is absent).
    def _branch(self, schema: dict[str, Any], key: str) -> Check | None:
        return self.check(schema[key]) if key in schema else None

    # properties, required and additionalProperties together, in one pass over a mapping's keys.
    def _object(self, schema: dict[str, Any]) -> Check:
        properties, required = schema.get("properties", {}), schema.get("required", [])
        if not isinstance(properties, dict) or not isinstance(required, list) or not all(
                isinstance(key, str) for key in required):
            raise _Unsupported
        known = {key: self.check(sub) for key, sub in properties.items()}
        extra = schema.get("additionalProperties", True)
        other = None if extra is True else self.check(extra)
        needed = tuple(required)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key in needed:
                if key not in value:
                    return False
            for key, item in value.items():
                rule = known.get(key, other)
                if rule is not None and not rule(item):
                    return False
            return True
        return check

    # A local reference: "#" (the whole schema) or "#/$defs/NAME"; each target is made once, so loops terminate.
    def _ref(self, pointer: str) -> Check:
        name = pointer.removeprefix("#/$defs/")
        if pointer == "#":
            target: Any = self.root
        elif name != pointer and _DEF_NAME.fullmatch(name) and name in self.root.get("$defs", {}):
            target = self.root["$defs"][name]
        else:
            raise _Unsupported
        refs = self.refs
        if pointer in self.pending:  # a reference inside its own target: looked up when called, once it is made
            return lambda value: refs[pointer](value)
        if pointer not in refs:
            self.pending.add(pointer)
            refs[pointer] = self.check(target, root=pointer == "#")
            self.pending.discard(pointer)
        return refs[pointer]


# A check passed when every one of checks passes.
def _every(checks: tuple[Check, ...]) -> Check:
    if len(checks) < 2:
        return checks[0] if checks else _always

    def check(value: Any) -> bool:
        for one in checks:
            if not one(value):
                return False
        return True
    return check


# Always valid: the true schema, and an empty one.
def _always(value: Any) -> bool:
    return True


# Never valid: the false schema.
def _never(value: Any) -> bool:
    return False


# An int that is not a bool, as keyword values of sizes and bounds must be.
def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# jsonschema's integer in 2020-12: an int that is not a bool, or a float with no fraction.
def _is_integer(value: Any) -> bool:
    return _is_int(value) or isinstance(value, float) and value.is_integer()


# jsonschema's number: any number that is not a bool.
def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


# The seven type names, each told apart as jsonschema does.
_TYPES: dict[str, Check] = {
    "array": lambda value: isinstance(value, list), "boolean": lambda value: isinstance(value, bool),
    "integer": _is_integer, "null": lambda value: value is None, "number": _is_number,
    "object": lambda value: isinstance(value, dict), "string": lambda value: isinstance(value, str)}


# "type": one name or a list of names, of which one must fit.
def _type(names: Any) -> Check:
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not all(isinstance(name, str) and name in _TYPES for name in names):
        raise _Unsupported
    checks = tuple(_TYPES[name] for name in names)
    return checks[0] if len(checks) == 1 else lambda value: any(check(value) for check in checks)


# A size keyword: values of its container type fail when fails(len, limit); other values pass.
def _size(kind: type, fails: Callable[[int, int], bool], limit: int) -> Check:
    return lambda value: not isinstance(value, kind) or not fails(len(value), limit)


# A numeric bound: numbers fail when fails(number, bound); other values pass.
def _bound(fails: Callable[[Any, Any], bool], bound: float) -> Check:
    return lambda value: not _is_number(value) or not fails(value, bound)


# "pattern": text must contain a match (re.search, as jsonschema); other values pass.
def _pattern(pattern: str) -> Check:
    try:
        search = re.compile(pattern).search
    except re.error:
        raise _Unsupported from None
    return lambda value: not isinstance(value, str) or search(value) is not None


# "enum": the value equals one option (text is looked up in a set when it can only equal text options).
def _enum(options: list[Any]) -> Check:
    texts = frozenset(option for option in options if isinstance(option, str))
    others = tuple(option for option in options if not isinstance(option, str))
    return lambda value: (value in texts if isinstance(value, str) and not others
                          else any(_equal(option, value) for option in options))


# "items": every item of a list passes; other values pass.
def _items(check: Check) -> Check:
    return lambda value: not isinstance(value, list) or all(map(check, value))


# "if": then applies to a value that passes the condition, else to one that does not (an absent branch passes).
def _condition(condition: Check, then: Check | None, otherwise: Check | None) -> Check:
    def check(value: Any) -> bool:
        branch = then if condition(value) else otherwise
        return branch is None or branch(value)
    return check


# "uniqueItems": true; a list passes when no two items are equal as jsonschema's uniq decides (lists that sort
# are compared with their neighbours only, others item against item).
def _unique_items(value: Any) -> bool:
    if not isinstance(value, list):
        return True
    try:
        ordered = sorted(_unbool(item) for item in value)
        return not any(_equal(one, two) for one, two in zip(ordered, ordered[1:]))
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for item in map(_unbool, value):
            if any(_equal(earlier, item) for earlier in seen):
                return False
            seen.append(item)
        return True


# True and False as markers of their own, so that they never equal 1 and 0.
def _unbool(value: Any) -> Any:
    return _TRUE if value is True else _FALSE if value is False else value


# Equality as jsonschema's: text only equals text, sequences and mappings compare item by item, a bool never
# equals a number, and 1 equals 1.0.
def _equal(one: Any, two: Any) -> bool:
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(left, right) for left, right in zip(one, two))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(key in two and _equal(item, two[key]) for key, item in one.items())
    return bool(_unbool(one) == _unbool(two))
