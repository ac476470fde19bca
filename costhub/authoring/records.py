"""`costhub new <kind>` for a data kind: the fields come from the kind's schema (required ones are asked for, the
others may be given as flags), and the record is appended to data/<kind>.yml as text, dated today."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..data.schemagen import SHARED_DESCRIPTIONS
from ..pages.site import DATA_DIR, Site
from .edits import FileEdit, append, quoted

DATED_TODAY = ("last_reviewed", "observed")
DEFAULTS = {"review_in": "90d"}
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


@dataclass(frozen=True)
class Field:
    """One value `costhub new` needs: its name (the --flag without dashes), the prompt, a default, whether the record
    must have it, and its JSON type ("string", "number", "integer", "boolean" or "array")."""

    name: str
    prompt: str
    default: str | None = None
    required: bool = True
    type: str = "string"


# The fields of a record of `kind`, in the schema's order, from data/schemas/<kind>.schema.json.
def record_fields(root: Path, kind: str, today: date) -> tuple[Field, ...]:
    schema = json.loads((root / DATA_DIR / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    record = _resolve(schema, schema["properties"][kind]["items"])
    required = record.get("required", [])
    fields = []
    for name, definition in record.get("properties", {}).items():
        resolved = _resolve(schema, definition)
        if resolved.get("type") == "object" or _resolve(schema, resolved.get("items", {})).get("type") == "object":
            continue  # nested records (such as a price's history) are written in the file, not on the command line
        prompt = (definition.get("description") or resolved.get("description") or SHARED_DESCRIPTIONS.get(name)
                  or name.replace("_", " "))
        if "enum" in resolved:
            prompt += f" ({', '.join(map(str, resolved['enum']))})"
        elif resolved.get("type") == "array" and "enum" in _resolve(schema, resolved.get("items", {})):
            prompt += f" (comma-separated: {', '.join(map(str, _resolve(schema, resolved['items'])['enum']))})"
        default = today.isoformat() if name in DATED_TODAY else DEFAULTS.get(name)
        kind_of = resolved.get("type", "string")
        fields.append(Field(name, prompt, default, name in required, kind_of if isinstance(kind_of, str) else "string"))
    return tuple(sorted(fields, key=lambda field: not field.required))


# The edit appending one record of `kind` with the given values (fields in schema order; an empty optional one is left
# out); ValueError for a value that cannot have the field's type.
def plan_record(site: Site, kind: str, fields: tuple[Field, ...], values: dict[str, str]) -> list[FileEdit]:
    order = {name: index for index, name in enumerate(_schema_order(site.root, kind))}
    lines = []
    for field in sorted(fields, key=lambda field: order.get(field.name, len(order))):
        value = values.get(field.name)
        if value is None or value == "":
            continue
        lines.append(f"{field.name}: {_yaml_value(field, value)}")
    entry = "  - " + "\n    ".join(lines) + "\n"
    return [append(site.root, f"{DATA_DIR}/{kind}.yml", entry, kind)]


# The property names of a kind's records, in the order its schema lists them.
def _schema_order(root: Path, kind: str) -> list[str]:
    schema = json.loads((root / DATA_DIR / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return list(_resolve(schema, schema["properties"][kind]["items"]).get("properties", {}))


# One value as YAML text: numbers and true/false as written (checked), lists from comma-separated text, text quoted.
def _yaml_value(field: Field, value: str) -> str:
    if field.type in ("number", "integer"):
        if not _NUMBER.match(value) or (field.type == "integer" and "." in value):
            raise ValueError(f"--{field.name.replace('_', '-')} {value!r} is not a {'whole ' if field.type == 'integer' else ''}number")
        return value
    if field.type == "boolean":
        if value.lower() not in ("true", "false", "yes", "no"):
            raise ValueError(f"--{field.name.replace('_', '-')} {value!r}: write true or false")
        return "true" if value.lower() in ("true", "yes") else "false"
    if field.type == "array":
        return "[" + ", ".join(quoted(part.strip()) for part in value.split(",") if part.strip()) + "]"
    return quoted(value)


# A local "#/$defs/..." reference resolved (other nodes as they are).
def _resolve(schema: dict[str, Any], node: Any) -> dict[str, Any]:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        target: Any = schema
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
    return node if isinstance(node, dict) else {}
