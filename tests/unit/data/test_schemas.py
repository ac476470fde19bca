"""The schemas: the hand-maintained ones the loader validates with, and the editor schemas generated from them (every
key described, closed sets as enums, current ids as enums for references), which must never be stale."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from jsonschema import Draft202012Validator

from costhub.authoring.schemas import schema_edits, stale_schemas
from costhub.cli import main
from costhub.data.schemagen import editor_schemas
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data"
SCHEMAS = sorted((DATA / "schemas").glob("*.schema.json"))
EDITOR = sorted((DATA / "schemas/editor").glob("*.schema.json"))
DAY = date(2026, 12, 1)
PAGE_IDS = ["index", "image-generation-api-cost", "video-generation-api-pricing", "realtime-voice-api-cost",
            "failed-video-generation-cost", "billing-transparency", "video-generation-webhooks", "calculator",
            "checklists", "glossary", "calculator-method", "review"]


# Every (path, key, schema) of a property definition, leaving out the conditional parts (if/then/else/not).
def properties(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from properties(item, path)
    elif isinstance(node, dict):
        for key, value in (node.get("properties") or {}).items():
            yield path, key, value
        for key, value in node.items():
            if key not in ("if", "then", "else", "not"):
                yield from properties(value, f"{path}/{key}")


@pytest.mark.parametrize("path", SCHEMAS + EDITOR, ids=lambda path: path.relative_to(DATA / "schemas").as_posix())
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yml")), ids=lambda path: path.name)
def test_data_file_points_editors_at_its_editor_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(schemas/editor/[\w-]+\.schema\.json)", first_line)
    assert match and (DATA / match.group(1)).is_file(), "run `costhub schemas`"
    assert match.group(1) == f"schemas/editor/{path.stem}.schema.json"


def test_the_shipped_editor_schemas_are_current() -> None:
    site = Site.load(ROOT, DAY)
    stale = [edit.path for edit in schema_edits(site)] + [path.name for path in stale_schemas(ROOT)]
    assert stale == [], f"stale editor schemas, run `costhub schemas`: {stale}"
    assert {path.name for path in EDITOR} == {path.name for path in SCHEMAS}


@pytest.mark.parametrize("path", EDITOR, ids=lambda path: path.name)
def test_every_key_has_a_description(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    missing = [f"{where}.{key}" for where, key, value in properties(schema)
               if isinstance(value, dict) and not value.get("description")]
    assert missing == []


@pytest.mark.parametrize("path", EDITOR, ids=lambda path: path.name)
def test_the_data_is_valid_against_its_editor_schema(path: Path) -> None:
    kind = path.name.removesuffix(".schema.json")
    document = yaml.safe_load((DATA / f"{kind}.yml").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(json.loads(path.read_text(encoding="utf-8"))).iter_errors(
        json.loads(json.dumps(document, default=str))))
    assert [error.message for error in errors] == []


def test_references_list_the_current_ids_and_closed_sets_are_enums() -> None:
    pages = json.loads((DATA / "schemas/editor/pages.schema.json").read_text())
    page = pages["$defs"]["page"]["properties"]
    assert page["related"]["items"]["enum"] == PAGE_IDS
    assert page["owner"]["enum"] == ["pricing-desk", "video-team", "voice-team"]
    assert page["section"]["enum"] == ["hub", "guides", "tools", "reference", "editors"]
    assert page["media"]["enum"] == ["image", "video", "voice", "general"]
    faqs = json.loads((DATA / "schemas/editor/faqs.schema.json").read_text())
    assert faqs["properties"]["faqs"]["items"]["properties"]["page"]["enum"] == PAGE_IDS
    for kind in ("units", "prices"):
        ids = [line.split(": ", 1)[1] for line in (DATA / f"{kind}.yml").read_text().splitlines() if line.startswith("  - id: ")]
        found = [node["enum"] for path in EDITOR for node in _nodes(json.loads(path.read_text())) if node.get("x-ref") == kind]
        assert found and all(enum == ids for enum in found), kind
    site = json.loads((DATA / "schemas/editor/site.schema.json").read_text())
    assert site["properties"]["review"]["properties"]["overdue"]["enum"] == ["warning", "error", "info"]


# Every mapping inside a schema.
def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def test_generation_is_deterministic_and_leaves_the_sources_alone(project: Path) -> None:
    site = Site.load(project, DAY)
    sources = {path.name: path.read_bytes() for path in (project / "data/schemas").glob("*.schema.json")}
    first = editor_schemas(project / "data/schemas", site.data)
    assert first == editor_schemas(project / "data/schemas", site.data)
    assert sources == {path.name: path.read_bytes() for path in (project / "data/schemas").glob("*.schema.json")}


def test_a_new_id_makes_the_schemas_stale_until_regenerated(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    owners = project / "data/owners.yml"
    owners.write_text(owners.read_text() + "  - id: image-team\n    name: Image team\n")
    (project / "data/schemas/editor/retired.schema.json").write_text("{}\n")
    assert main(["--root", str(project), "schemas", "--check"]) == 1
    err = capsys.readouterr().err
    assert "stale: data/schemas/editor/owners.schema.json" not in err  # owners.yml has no reference to owners
    assert "stale: data/schemas/editor/pages.schema.json" in err and "stale: data/schemas/editor/retired.schema.json" in err
    assert main(["--root", str(project), "schemas"]) == 0
    capsys.readouterr()
    pages = json.loads((project / "data/schemas/editor/pages.schema.json").read_text())
    assert pages["$defs"]["page"]["properties"]["owner"]["enum"] == ["pricing-desk", "video-team", "voice-team", "image-team"]
    assert not (project / "data/schemas/editor/retired.schema.json").exists()
    assert main(["--root", str(project), "schemas", "--check"]) == 0


def test_a_stale_enum_never_stops_the_loader(project: Path) -> None:
    owners = project / "data/owners.yml"
    owners.write_text(owners.read_text() + "  - id: image-team\n    name: Image team\n")
    pages = project / "data/pages.yml"
    pages.write_text(pages.read_text().replace("owner: video-team", "owner: image-team", 1))
    site = Site.load(project, DAY)
    assert site.data.get("pages", "video-generation-api-pricing").owner == "image-team"
