"""The data layer: every bad input is reported with its exact file, line and column."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from costhub.data.load import load_site_data
from costhub.errors import ContentErrors
from costhub.data.model import Record

ROOT = Path(__file__).resolve().parents[3]

OWNERS_OK = """\
# yaml-language-server: $schema=schemas/owners.schema.json
owners:
  - id: pricing-desk
    name: Pricing desk
  - id: video-team
    name: Video team
  - id: voice-team
    name: Voice team
"""


# A temp project whose data/ is the real one with some files replaced by the given text.
def data_with(tmp_path: Path, **files: str) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for name, text in files.items():
        (tmp_path / "data" / f"{name}.yml").write_text(text, encoding="utf-8")
    return tmp_path


# Load and return the list of error strings (the load must fail).
def errors_for(tmp_path: Path, **files: str) -> list[str]:
    root = data_with(tmp_path, **files)
    with pytest.raises(ContentErrors) as caught:
        load_site_data(root / "data", root)
    return [str(error) for error in caught.value.errors]


def test_real_data_loads_into_immutable_records() -> None:
    data = load_site_data(ROOT / "data", ROOT)
    hub = data.get("pages", "index")
    assert isinstance(hub, Record)
    assert hub.location.startswith("data/pages.yml:")
    with pytest.raises(TypeError):
        hub["title"] = "changed"  # type: ignore[index]
    assert isinstance(data.all("units"), tuple)


def test_malformed_yaml_names_line_and_column(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, owners="owners:\n  - id: a\n    name: [unclosed\n")
    assert len(errors) == 1
    assert errors[0].startswith("data/owners.yml:4:1:") and "YAML syntax error" in errors[0]


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, owners=OWNERS_OK + "    name: Again\n")
    assert errors == ["data/owners.yml:9:5: owners[2].name: duplicate key 'name' (first defined on line 8)"]


def test_unknown_key_gets_did_you_mean(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, owners=OWNERS_OK.replace("name: Voice team", "nmae: Voice team"))
    assert "data/owners.yml:8:5: owners[2].nmae: unknown key 'nmae' (did you mean 'name'?)" in errors
    assert "data/owners.yml:7:5: owners[2]: missing required field 'name'" in errors


def test_wrong_type_names_expected_type(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, owners=OWNERS_OK.replace("name: Video team", "name: [Video, team]"))
    assert errors == ["data/owners.yml:6:11: owners[1].name: expected string, got a list"]


def test_invalid_date_is_reported(tmp_path: Path) -> None:
    pages = (ROOT / "data/pages.yml").read_text(encoding="utf-8")
    first = next(text for text in pages.splitlines() if text.startswith("    last_reviewed: "))
    line = pages.splitlines().index(first) + 1
    broken = pages.replace(first, "    last_reviewed: 2026-02-30", 1)
    errors = errors_for(tmp_path, pages=broken)
    assert errors == [f"data/pages.yml:{line}:20: pages[0].last_reviewed: '2026-02-30' is not a valid date (write it as YYYY-MM-DD)"]


def test_dangling_reference_gets_did_you_mean(tmp_path: Path) -> None:
    faqs = (ROOT / "data/faqs.yml").read_text(encoding="utf-8")
    line = faqs.splitlines().index("    see_also: [video-generation-api-pricing]") + 1
    broken = faqs.replace("see_also: [video-generation-api-pricing]", "see_also: [video-generation-api-pricng]")
    errors = errors_for(tmp_path, faqs=broken)
    assert errors == [f"data/faqs.yml:{line}:16: faqs[0].see_also[0]: unknown pages id 'video-generation-api-pricng' "
                      "(did you mean 'video-generation-api-pricing'?)"]


def test_duplicate_id_is_an_error(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, owners=OWNERS_OK.replace("id: voice-team", "id: video-team"))
    assert "data/owners.yml:7:9: owners[2].id: duplicate id 'video-team' (first used on line 5)" in errors


def test_every_error_is_reported_in_one_run(tmp_path: Path) -> None:
    owners = OWNERS_OK.replace("name: Pricing desk", "name: 42").replace("name: Voice team", "title: Voice team")
    errors = errors_for(tmp_path, owners=owners, units="units: {}\n", stray="a: 1\n")
    assert "data/owners.yml:4:11: owners[0].name: expected string, got a whole number" in errors
    assert any(error.startswith("data/owners.yml:8:5: owners[2].title: unknown key 'title'") for error in errors)
    assert "data/units.yml:1:8: units: expected array, got a mapping" in errors
    assert any(error.startswith("data/stray.yml:1:1: no schema for data kind 'stray'") for error in errors)
    assert len(errors) >= 5


def test_unsafe_tag_is_refused(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, owners="owners: !!python/object:os.system\n  - id: a\n")
    assert errors[0].startswith("data/owners.yml:1:9:") and "unsupported YAML tag" in errors[0]
