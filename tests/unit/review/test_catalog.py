"""The price and policy catalog: errors name the exact file:line, statuses follow the shutdown date."""
from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from costhub.data.load import load_site_data
from costhub.errors import ContentErrors
from costhub.review.catalog import CURRENT, DEPRECATED, RETIRED, load_catalog, price_status, unit_amount

ROOT = Path(__file__).resolve().parents[3]
TODAY = date(2026, 12, 1)
PRICES = "data/prices.yml"


# A copy of data/ with one replacement in one file, and its text after the change.
def data_copy(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, str]:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    changed = text.replace(old, new, 1)
    path.write_text(changed, encoding="utf-8")
    return tmp_path, changed


# The 1-based line of the first line of text holding `needle` (after `after`, when given).
def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


# Every error (as text) from loading the data and the catalog of a project on TODAY.
def catalog_errors(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_catalog(load_site_data(root / "data", root), root, TODAY)
    return [str(error) for error in caught.value.errors]


def test_real_catalog_loads_with_enough_coverage() -> None:
    catalog = load_catalog(load_site_data(ROOT / "data", ROOT), ROOT, TODAY)
    assert len(catalog.prices) >= 30
    assert len({price.provider for price in catalog.prices}) >= 8
    assert {price.media for price in catalog.prices} == {"video", "image", "voice"}
    assert all(price.source.startswith("https://") and price.observed <= TODAY.isoformat() for price in catalog.prices)


def test_unknown_unit_names_its_line(tmp_path: Path) -> None:
    root, text = data_copy(tmp_path, PRICES, "    unit: second\n", "    unit: secnd\n")
    with pytest.raises(ContentErrors) as caught:
        load_site_data(root / "data", root)
    line = line_of(text, "unit: secnd")
    assert [str(error) for error in caught.value.errors] == [
        f"{PRICES}:{line}:11: prices[0].unit: unknown units id 'secnd' (did you mean 'second'?)"]


def test_observed_in_the_future_is_an_error_at_its_line(tmp_path: Path) -> None:
    root, text = data_copy(tmp_path, PRICES, "    observed: 2026-12-01\n", "    observed: 2026-12-02\n")
    line = line_of(text, "observed: 2026-12-02")
    errors = catalog_errors(root)
    assert errors == [f"{PRICES}:{line}:15: prices[0].observed: observed 2026-12-02 is later than today (2026-12-01) "
                      "(a source cannot have shown a figure on a day that has not come; use the date you read it)"]


def test_policy_fact_and_history_dates_are_checked_too(tmp_path: Path) -> None:
    root, text = data_copy(tmp_path, "data/policies.yml", "        observed: 2026-12-01\n            source: https://fal.ai/docs/faq",
                           "        observed: 2027-01-01\n            source: https://fal.ai/docs/faq")
    errors = catalog_errors(root)
    line = line_of(text, "observed: 2027-01-01")
    assert len(errors) == 1 and errors[0].startswith(f"data/policies.yml:{line}:")
    assert "facts.invalid_input.history[0].observed: observed 2027-01-01 is later than today" in errors[0]


def test_duplicate_price_point_names_both_lines(tmp_path: Path) -> None:
    root, text = data_copy(tmp_path, PRICES, "    variant: medium, 1024x1024\n    unit: image\n",
                           "    variant: low, 1024x1024\n    unit: image\n")
    errors = catalog_errors(root)
    first = line_of(text, "  - id: openai-gpt-image-1-mini-low")
    second = line_of(text, "openai-gpt-image-1-mini-medium")
    assert errors == [f"{PRICES}:{second}:9: prices[3].id: duplicate price point: 'openai-gpt-image-1-mini-low' "
                      f"({PRICES}:{first}) has the same provider, model, mode, variant, unit, per and currency "
                      "(merge them: keep the newer figure and move the older one into `history`)"]


def test_variant_spelling_in_another_case_is_still_a_duplicate(tmp_path: Path) -> None:
    root, _text = data_copy(tmp_path, PRICES, "    variant: medium, 1024x1024\n    unit: image\n",
                            "    variant: 'LOW, 1024x1024 '\n    unit: image\n")
    assert any("duplicate price point: 'openai-gpt-image-1-mini-low'" in error for error in catalog_errors(root))


def test_credit_price_must_be_a_dollar_price_of_one_credit(tmp_path: Path) -> None:
    root, text = data_copy(tmp_path, PRICES, "    credit_price: runway-api-credit\n", "    credit_price: runway-gen4-turbo\n")
    line = line_of(text, "credit_price: runway-gen4-turbo")
    errors = catalog_errors(root)
    assert len(errors) == 1 and errors[0].startswith(f"{PRICES}:{line}:19: prices[")
    assert "'runway-gen4-turbo' (data/prices.yml:" in errors[0] and "is not the US-dollar price of one credit" in errors[0]


def test_a_range_is_kept_as_printed_but_is_not_one_figure() -> None:
    assert unit_amount({"amount": "32.00", "per": 1000000}) == Decimal("0.000032")
    with pytest.raises(ValueError, match="is a range"):
        unit_amount({"amount": "20-40", "per": 1})


@pytest.mark.parametrize(("fields", "status"), [
    ({}, CURRENT),
    ({"shutdown_on": (TODAY + timedelta(days=1)).isoformat()}, CURRENT),
    ({"shutdown_on": TODAY.isoformat()}, RETIRED),
    ({"shutdown_on": (TODAY - timedelta(days=1)).isoformat()}, RETIRED),
    ({"deprecated": True}, DEPRECATED),
    ({"deprecated_on": (TODAY + timedelta(days=3)).isoformat()}, CURRENT),
    ({"deprecated_on": "2026-01-01", "shutdown_on": "2026-11-30"}, RETIRED),
])
def test_status_follows_the_dates(fields: dict[str, object], status: str) -> None:
    assert price_status(fields, TODAY) == status


def test_upcoming_shutdowns_and_retired_prices_for_review_json(tmp_path: Path) -> None:
    root, _text = data_copy(tmp_path, PRICES, "    source: https://fal.ai/models/fal-ai/gpt-image-1.5/llms.txt\n",
                            "    source: https://fal.ai/models/fal-ai/gpt-image-1.5/llms.txt\n    shutdown_on: 2026-12-20\n")
    catalog = load_catalog(load_site_data(root / "data", root), root, TODAY)
    listed = catalog.shutdowns_json()
    assert [entry["key"] for entry in listed["upcoming_shutdowns"]] == ["prices:fal-gpt-image-1-5-medium"]
    assert listed["upcoming_shutdowns"][0]["shutdown_on"] == "2026-12-20"
    assert {entry["key"] for entry in listed["retired"]} == {
        "prices:openai-sora-2-720p", "prices:openai-sora-2-pro-720p", "prices:openai-gpt-image-1-medium"}


def test_price_text_and_history_read_as_written() -> None:
    catalog = load_catalog(load_site_data(ROOT / "data", ROOT), ROOT, TODAY)
    assert catalog.price_text(catalog.price("openai-gpt-realtime-1-5-audio-in")) == "$32.00 per 1,000,000 tokens"
    assert catalog.price_text(catalog.price("runway-gen4-turbo")) == "5 credits per second"
    assert catalog.history_texts(catalog.price("deepgram-nova-3-prerecorded")) == ["was $0.0043 until 2026-08-01"]


@pytest.mark.parametrize(("kind", "record"), [("prices", "price"), ("policies", "policy")])
def test_catalog_schemas_refuse_unknown_keys_at_every_level(kind: str, record: str) -> None:
    schema = json.loads((ROOT / "data/schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False and schema["$defs"][record]["additionalProperties"] is False
    assert schema["$defs"]["earlier"]["additionalProperties"] is False
