"""The open-data exports: /data/v1/prices.json, policies.json and units.json, each with its JSON Schema.

Each export holds the records of one data file as written (dates as YYYY-MM-DD text, amounts as printed), plus
what the build works out for the day of the build: a price's `status` (current, deprecated or retired). Its schema
is the data file's own schema with that field added, so the two cannot drift apart.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Mapping

from ..data.model import Record
from ..review.catalog import Catalog

EXPORT_DIR = "data/v1"
SCHEMA_DIR = f"{EXPORT_DIR}/schemas"
EXPORT_VERSION = 1
EXPORTS = ("prices", "policies", "units")
_STATUS = {"enum": ["current", "deprecated", "retired"],
           "description": "The lifecycle status on the day of the build (`today`): retired from shutdown_on on."}


# Plain JSON data from a frozen Record tree.
def plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    return value


# The export of one kind as a JSON-able document.
def export_document(kind: str, records: tuple[Record, ...], catalog: Catalog, site_url: str) -> dict[str, Any]:
    items = [plain(record) for record in records]
    if kind == "prices":
        items = [{**item, "status": catalog.status(record)} for item, record in zip(items, records)]
    return {"$schema": schema_url(site_url, kind), "version": EXPORT_VERSION, "today": catalog.today.isoformat(),
            kind: items}


# The published JSON Schema of one export, derived from the data file's schema in data/schemas/.
def export_schema(kind: str, data_schema: Mapping[str, Any], site_url: str) -> dict[str, Any]:
    schema = _without_editor_keys(copy.deepcopy(dict(data_schema)))
    schema["$id"] = schema_url(site_url, kind)
    schema["title"] = f"{schema.get('title', kind)} (open data export, version {EXPORT_VERSION})"
    schema["required"] = ["version", "today", kind]
    schema["properties"] = {"$schema": {"type": "string"}, "version": {"const": EXPORT_VERSION},
                            "today": {"type": "string", "format": "date"}, **schema["properties"]}
    if kind == "prices":
        price = schema["$defs"]["price"]
        price["properties"]["status"] = _STATUS
        price["required"] = [*price["required"], "status"]
    return schema


# The absolute URL of an export's schema.
def schema_url(site_url: str, kind: str) -> str:
    return f"{site_url}{SCHEMA_DIR}/{kind}.schema.json"


# The two files the export of one kind adds to the site (its data and its schema), by path under site/, with their text.
def export_files(kind: str, records: tuple[Record, ...], data_schema: Mapping[str, Any], catalog: Catalog,
                 site_url: str) -> dict[str, str]:
    return {f"{EXPORT_DIR}/{kind}.json": _json(export_document(kind, records, catalog, site_url)),
            f"{SCHEMA_DIR}/{kind}.schema.json": _json(export_schema(kind, data_schema, site_url))}


# The paths the exports add under site/ (for the link checks, before they are written).
def export_paths() -> set[str]:
    return {f"{EXPORT_DIR}/{kind}.json" for kind in EXPORTS} | {f"{SCHEMA_DIR}/{kind}.schema.json" for kind in EXPORTS}


# Read the data schemas the exports are derived from.
def data_schemas(data_dir: Path) -> dict[str, dict[str, Any]]:
    return {kind: json.loads((data_dir / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")) for kind in EXPORTS}


# Stable, readable JSON text.
def _json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


# A schema without the keys only the editors' tooling reads (x-ref, x-hint).
def _without_editor_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_editor_keys(item) for key, item in value.items() if not key.startswith("x-")}
    if isinstance(value, list):
        return [_without_editor_keys(item) for item in value]
    return value
