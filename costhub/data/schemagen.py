"""The schemas an editor's YAML extension reads (data/schemas/editor/), generated from the hand-maintained ones in
data/schemas/: every `x-ref` gets an `enum` of the ids that exist now, so references autocomplete, and keys that
mean the same in every file get their shared description. Generation is deterministic: same data, same bytes."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from .model import SiteData

EDITOR_DIR = "editor"
MODELINE = "# yaml-language-server: $schema="
_MODELINE = re.compile(r"\A# yaml-language-server: \$schema=\S*\n")
# Descriptions of keys that mean the same in every data file (a schema's own description wins).
SHARED_DESCRIPTIONS = {
    "id": "Stable id: lower-case words joined by hyphens. Other records, macros and checklist ticks refer to it, so "
          "keep it when you reword the record.",
    "owner": "Who reviews this record: an owner id from data/owners.yml.",
    "last_reviewed": "The day this was last checked against its source (YYYY-MM-DD).",
    "review_in": "How long after last_reviewed the next review is due: days such as 90d, or an ISO-8601 duration "
                 "such as P3M.",
    "media": "The media this applies to: image, video, voice, or general for all of them.",
    "page": "The page this belongs to: a page id from data/pages.yml.",
    "title": "The title readers see.",
    "name": "The name readers see.",
    "label": "The label readers see.",
    "text": "The text readers see; `backticks` mark code.",
    "question": "The question, as a reader would ask it.",
    "answer": "The answer, in plain words.",
}


# Every editor schema by kind, as the text to ship: the hand-maintained schemas in schemas_dir with current ids.
def editor_schemas(schemas_dir: Path, data: SiteData) -> dict[str, str]:
    ids = {kind: data.ids(kind) for kind in data.kinds}
    texts = {}
    for path in sorted(schemas_dir.glob("*.schema.json")):
        kind = path.name.removesuffix(".schema.json")
        schema = json.loads(path.read_text(encoding="utf-8"))
        texts[kind] = json.dumps(editor_schema(schema, kind, ids), indent=2, ensure_ascii=False) + "\n"
    return texts


# One editor schema: enums for references and shared or list descriptions filled in, the source left untouched.
def editor_schema(schema: dict[str, Any], kind: str, ids: dict[str, list[str]]) -> dict[str, Any]:
    result = copy.deepcopy(schema)
    _fill(result, ids)
    records = result.get("properties", {}).get(kind)
    if isinstance(records, dict) and "description" not in records:
        records["description"] = f"Every record of this file. {schema.get('title', '')}".strip()
    return result


# Walk a schema: x-ref nodes get the ids of their kind as enum, undescribed shared keys their shared description.
def _fill(node: Any, ids: dict[str, list[str]]) -> None:
    if isinstance(node, list):
        for item in node:
            _fill(item, ids)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("x-ref"), str) and node["x-ref"] in ids:
        node["enum"] = list(ids[node["x-ref"]])
    for key, value in (node.get("properties") or {}).items():
        if isinstance(value, dict) and "description" not in value and key in SHARED_DESCRIPTIONS:
            value["description"] = SHARED_DESCRIPTIONS[key]
    for value in node.values():
        _fill(value, ids)


# The text of a data file with its first line pointing the YAML extension at the kind's editor schema.
def with_modeline(text: str, kind: str) -> str:
    line = f"{MODELINE}schemas/{EDITOR_DIR}/{kind}.schema.json\n"
    return _MODELINE.sub(lambda _match: line, text, count=1) if _MODELINE.match(text) else line + text
