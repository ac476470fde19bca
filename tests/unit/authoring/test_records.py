"""`costhub new` for data kinds: fields read from the kind's schema, prompts for the required ones, and the record
appended as YAML text with each value written for its type."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from costhub.authoring.new import fill
from costhub.authoring.records import Field, plan_record, record_fields
from costhub.pages.site import Site

WIDGETS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "additionalProperties": False, "required": ["widgets"],
    "properties": {"widgets": {"type": "array", "items": {"$ref": "#/$defs/widget"}}},
    "$defs": {
        "amount": {"type": "string", "description": "The figure as printed."},
        "widget": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "size", "amount", "observed", "owner"],
            "properties": {
                "id": {"type": "string"},
                "label": {"type": "string", "description": "Optional label."},
                "size": {"type": "number", "description": "How big."},
                "count": {"type": "integer"},
                "amount": {"$ref": "#/$defs/amount"},
                "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
                "shiny": {"type": "boolean"},
                "observed": {"type": "string", "format": "date"},
                "owner": {"type": "string", "x-ref": "owners"},
            },
        },
    },
}
DAY = date(2026, 12, 1)


@pytest.fixture
def widgets(project: Path) -> Path:
    (project / "data/schemas/widgets.schema.json").write_text(json.dumps(WIDGETS))
    (project / "data/widgets.yml").write_text("# Widgets, kept by hand.\nwidgets:\n  - id: first\n    size: 1\n"
                                              "    amount: \"1.0\"\n    observed: 2026-01-01\n    owner: video-team\n")
    return project


def test_fields_come_from_the_schema_required_first(widgets: Path) -> None:
    fields = record_fields(widgets, "widgets", DAY)
    assert [(field.name, field.required, field.type) for field in fields] == [
        ("id", True, "string"), ("size", True, "number"), ("amount", True, "string"), ("observed", True, "string"),
        ("owner", True, "string"), ("label", False, "string"), ("count", False, "integer"), ("tags", False, "array"),
        ("shiny", False, "boolean")]
    by_name = {field.name: field for field in fields}
    assert by_name["observed"].default == "2026-12-01"
    assert by_name["amount"].prompt == "The figure as printed."
    assert by_name["tags"].prompt == "tags (comma-separated: a, b)"
    assert by_name["owner"].prompt == "Who reviews this record: an owner id from data/owners.yml."


def test_the_record_is_appended_as_text_with_typed_values(widgets: Path) -> None:
    site = Site.load(widgets, DAY)
    fields = record_fields(widgets, "widgets", DAY)
    values = {"id": "second", "size": "2.5", "amount": "0.10", "observed": "2026-12-01", "owner": "video-team",
              "count": "3", "tags": "a, b", "shiny": "yes", "label": 'Say "hi": ok'}
    [edit] = plan_record(site, "widgets", fields, values)
    before = (widgets / "data/widgets.yml").read_text()
    assert edit.path == "data/widgets.yml" and edit.text.startswith(before)
    assert edit.text[len(before):] == (
        '\n  - id: "second"\n    label: "Say \\"hi\\": ok"\n    size: 2.5\n    count: 3\n    amount: "0.10"\n'
        '    tags: ["a", "b"]\n    shiny: true\n    observed: "2026-12-01"\n    owner: "video-team"\n')
    assert yaml.safe_load(edit.text)["widgets"][1]["amount"] == "0.10"


@pytest.mark.parametrize(("name", "value", "message"), [("size", "big", "--size 'big' is not a number"),
                                                        ("count", "2.5", "--count '2.5' is not a whole number"),
                                                        ("shiny", "maybe", "--shiny 'maybe': write true or false")])
def test_a_value_of_the_wrong_type_is_refused(widgets: Path, name: str, value: str, message: str) -> None:
    site = Site.load(widgets, DAY)
    values = {"id": "x", "size": "1", "amount": "1", "observed": "2026-12-01", "owner": "video-team", name: value}
    with pytest.raises(ValueError) as caught:
        plan_record(site, "widgets", record_fields(widgets, "widgets", DAY), values)
    assert str(caught.value) == message


def test_prompts_ask_only_for_missing_required_values_and_take_defaults() -> None:
    fields = (Field("id", "Id"), Field("review_in", "Review every", "90d"), Field("label", "Label", required=False))
    asked: list[str] = []
    answers = {"Id": "new-id", "Review every": ""}

    def ask(field: Field) -> str:
        asked.append(field.prompt)
        return answers[field.prompt]

    assert fill(fields, {"id": None, "review_in": None, "label": None}, ask) == {"id": "new-id", "review_in": "90d"}
    assert asked == ["Id", "Review every"]
    assert fill(fields, {"id": "given", "review_in": "30d", "label": "L"}, ask) == {"id": "given", "review_in": "30d",
                                                                                     "label": "L"}
    assert asked == ["Id", "Review every"], "nothing is asked for values the flags gave"
    with pytest.raises(ValueError) as caught:
        fill(fields, {"id": None}, None)
    assert str(caught.value) == "missing --id (Id)"


@pytest.mark.parametrize(("text", "expected"), [
    ("# Kept.\nwidgets: []  # none yet\n", "# Kept.\nwidgets: # none yet\n\n  - id: a\n"),
    ("widgets:\n  - id: z", "widgets:\n  - id: z\n\n  - id: a\n"),
    ("widgets: []", "widgets:\n\n  - id: a\n"),
])
def test_append_turns_an_empty_list_into_a_block_and_keeps_the_rest(tmp_path: Path, text: str, expected: str) -> None:
    from costhub.authoring.edits import append
    (tmp_path / "widgets.yml").write_text(text)
    edit = append(tmp_path, "widgets.yml", "  - id: a\n", "widgets")
    assert edit.text == expected
    assert yaml.safe_load(edit.text)["widgets"][-1] == {"id": "a"}
