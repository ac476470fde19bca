"""Open-data exports and the price feed: valid against their schemas, round-trip to the data, stable ids."""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from costhub.pages.site import Site
from costhub.publish.feed import atom_feed
from costhub.publish.site_files import published_files, published_paths

ROOT = Path(__file__).resolve().parents[3]
TODAY = date(2026, 12, 1)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return published_files(Site.load(ROOT, TODAY))


@pytest.mark.parametrize("kind", ["prices", "policies", "units"])
def test_export_validates_against_its_published_schema(files: dict[str, str], kind: str) -> None:
    document = json.loads(files[f"data/v1/{kind}.json"])
    schema = json.loads(files[f"data/v1/schemas/{kind}.schema.json"])
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(document)] == []
    assert document["$schema"] == f"https://media-api-cost-hub.example/data/v1/schemas/{kind}.schema.json"
    assert document["version"] == 1 and document["today"] == "2026-12-01"


@pytest.mark.parametrize("kind", ["prices", "policies", "units"])
def test_export_round_trips_to_the_yaml_records(files: dict[str, str], kind: str) -> None:
    written = yaml.load((ROOT / "data" / f"{kind}.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)[kind]
    exported = json.loads(files[f"data/v1/{kind}.json"])[kind]
    for record in exported:
        record.pop("status", None)
    # BaseLoader keeps every scalar as text, so compare with the exported values as text too.
    assert _as_text(exported) == written


def test_status_is_worked_out_for_the_day(files: dict[str, str]) -> None:
    prices = {price["id"]: price for price in json.loads(files["data/v1/prices.json"])["prices"]}
    assert prices["openai-sora-2-720p"]["status"] == "retired"
    assert prices["openai-gpt-image-1-mini-medium"]["status"] == "deprecated"
    assert prices["deepgram-nova-3-streaming"]["status"] == "current"
    assert all(price["source"].startswith("https://") and price["observed"] for price in prices.values())


def test_a_record_with_an_extra_field_fails_the_published_schema(files: dict[str, str]) -> None:
    document = json.loads(files["data/v1/prices.json"])
    document["prices"][0]["price_usd"] = 0.1
    document["prices"][1]["status"] = "live"
    validator = Draft202012Validator(json.loads(files["data/v1/schemas/prices.schema.json"]))
    messages = sorted(error.message for error in validator.iter_errors(document))
    assert len(messages) == 2
    assert any("'price_usd' was unexpected" in message for message in messages)
    assert any("'live' is not one of" in message for message in messages)


def test_review_json_lists_retired_prices_and_the_paths_are_announced(files: dict[str, str]) -> None:
    review = json.loads(files["review.json"])
    assert review["upcoming_shutdowns"] == []
    assert {entry["key"] for entry in review["retired"]} >= {"prices:openai-sora-2-720p"}
    assert set(files) == published_paths()


def test_feed_is_atom_with_entries_for_changes_retirements_and_reviews(files: dict[str, str]) -> None:
    feed = ElementTree.fromstring(files["prices.atom"])
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids))
    assert "tag:media-api-cost-hub.example,2026:price-change/deepgram-nova-3-prerecorded/2026-08-01" in ids
    assert "tag:media-api-cost-hub.example,2026:retired/openai-sora-2-720p/2026-09-24" in ids
    assert "tag:media-api-cost-hub.example,2026:review/2026-12-01" in ids
    change = entries[ids.index("tag:media-api-cost-hub.example,2026:price-change/deepgram-nova-3-prerecorded/2026-08-01")]
    assert change.findtext(f"{ATOM}title") == "Deepgram Nova-3 Monolingual (pre-recorded, Pay-As-You-Go): $0.0043 per minute became $0.0077 per minute"
    assert change.findtext(f"{ATOM}updated") == "2026-08-01T00:00:00Z"
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert updated == sorted(updated, reverse=True) and feed.findtext(f"{ATOM}updated") == updated[0]
    assert all(entry.find(f"{ATOM}link").get("href").startswith("https://media-api-cost-hub.example/") for entry in entries)


def test_feed_leaves_out_what_has_not_happened_yet(tmp_path: Path) -> None:
    for part in ("content", "data", "overrides"):
        shutil.copytree(ROOT / part, tmp_path / part)
    path = tmp_path / "data" / "prices.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("shutdown_on: 2026-09-24", "shutdown_on: 2027-03-01", 1),
                    encoding="utf-8")
    site = Site.load(tmp_path, TODAY)
    text = atom_feed(site.catalog, "https://example.org/", "Example", {})
    assert "retired/openai-sora-2-720p" not in text and "retired/openai-sora-2-pro-720p" in text
    assert "2027-03-01" not in text


# Every scalar of a JSON value as YAML's BaseLoader would read it (numbers and booleans as text).
def _as_text(value: object) -> object:
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
