"""The shipped schemas are valid JSON Schemas that editors' YAML extensions can use."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

DATA = Path(__file__).resolve().parents[3] / "data"
SCHEMAS = sorted((DATA / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda path: path.name)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yml")), ids=lambda path: path.name)
def test_data_file_points_editors_at_its_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(schemas/[\w-]+\.schema\.json)", first_line)
    assert match and (DATA / match.group(1)).is_file()
    assert match.group(1) == f"schemas/{path.stem}.schema.json"

