"""Comparison rows and record-backed presets: figures worked out here by hand from the records, and every
disagreement or retired price reported with the lines it comes from."""
from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from costhub.calculator.comparison import CatalogChecks, load_comparisons
from costhub.calculator.model import load_calculators
from costhub.data.load import load_site_data
from costhub.errors import ContentErrors
from costhub.review.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[3]
TODAY = date(2026, 12, 1)


# Load the comparisons of a project on a day.
def checks_of(root: Path, today: date = TODAY) -> CatalogChecks:
    data = load_site_data(root / "data", root)
    return load_comparisons(data, root, load_calculators(data), load_catalog(data, root, today))


# A copy of data/ with one replacement in one file, and the changed text.
def data_copy(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, str]:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    changed = text.replace(old, new, 1)
    path.write_text(changed, encoding="utf-8")
    return tmp_path, changed


# The 1-based line of the first occurrence of needle (at or after `after`).
def line_of(text: str, needle: str, after: str = "") -> int:
    return text.count("\n", 0, text.index(needle, text.index(after) if after else 0)) + 1


# The amount per unit of a price record, read straight from data/prices.yml.
def per_unit(price_id: str) -> Decimal:
    price = load_site_data(ROOT / "data", ROOT).get("prices", price_id)
    return Decimal(price.amount) / Decimal(str(price.per))


@pytest.fixture(scope="module")
def real() -> CatalogChecks:
    return checks_of(ROOT)


# Cost per delivered unit with failure rate f, retry cap r and price P of one attempt (the formulas, N = 1).
def by_hand(price: Decimal, f: Decimal, retries: int, billed: bool) -> float:
    attempts = sum(f ** k for k in range(retries + 1))
    delivered = 1 - f ** (retries + 1)
    return float(price * (attempts if billed else delivered) / delivered)


def test_video_rows_follow_each_providers_failure_rule(real: CatalogChecks) -> None:
    rows = {row.price.id: row for row in real.comparisons["video-clip"].rows}
    f = Decimal("0.05")
    # Veo 3.1 Lite: $ per second x 8 s; no failure rule on record, so failed attempts are billed.
    assert rows["google-veo-3-1-lite-720p"].cost == pytest.approx(by_hand(per_unit("google-veo-3-1-lite-720p") * 8, f, 2, True))
    # Runway Gen-4 Turbo: credits per second x 8 s x the dollar price of a credit; errors are refunded.
    credits = per_unit("runway-gen4-turbo") * 8 * per_unit("runway-api-credit")
    assert rows["runway-gen4-turbo"].cost == pytest.approx(by_hand(credits, f, 2, False))
    assert rows["runway-gen4-turbo"].cost == pytest.approx(0.40)
    # fal (Kling 4.0): only successful outputs are billed.
    assert rows["fal-kling-v4-720p"].cost == pytest.approx(by_hand(per_unit("fal-kling-v4-720p") * 8, f, 2, False))
    # Replicate: a third-party guide says failed predictions are billed.
    assert rows["replicate-veo-3-1-fast"].cost == pytest.approx(by_hand(per_unit("replicate-veo-3-1-fast") * 8, f, 2, True))
    costs = [row.cost for row in real.comparisons["video-clip"].rows]
    assert costs == sorted(costs)
    assert "openai-sora-2-720p" not in rows


def test_image_rows_use_the_moderation_rule(real: CatalogChecks) -> None:
    rows = {row.price.id: row for row in real.comparisons["image-square"].rows}
    f = Decimal("0.05")
    # fal says a blocked request may be billed (treated as billed); OpenAI has no rule on record (billed too).
    assert rows["fal-gpt-image-1-5-medium"].cost == pytest.approx(by_hand(per_unit("fal-gpt-image-1-5-medium"), f, 1, True))
    assert rows["openai-gpt-image-1-mini-medium"].cost == pytest.approx(by_hand(per_unit("openai-gpt-image-1-mini-medium"), f, 1, True))
    runway = per_unit("runway-gen4-image-720p") * per_unit("runway-api-credit")
    assert rows["runway-gen4-image-720p"].cost == pytest.approx(by_hand(runway, f, 1, True))
    assert "openai-gpt-image-1-medium" not in rows


def test_voice_rows_price_one_part_of_a_five_minute_session(real: CatalogChecks) -> None:
    rows = {row.price.id: row for row in real.comparisons["voice-session"].rows}
    assert rows["deepgram-nova-3-streaming"].cost == pytest.approx(float(per_unit("deepgram-nova-3-streaming") * 5))
    assert rows["assemblyai-universal-3-6-pro-realtime"].cost == pytest.approx(
        float(per_unit("assemblyai-universal-3-6-pro-realtime") / 60 * 5))
    assert rows["retell-voice-infra"].cost == pytest.approx(float(per_unit("retell-voice-infra") * 5))
    assert rows["retell-voice-infra"].values["min_seconds"] == 10


def test_links_carry_the_rows_values_in_the_calculators_keys(real: CatalogChecks) -> None:
    video = real.comparisons["video-clip"]
    row = next(row for row in video.rows if row.price.id == "runway-gen4-5")
    pairs = dict(pair.split("=") for pair in video.query(row).split("&"))
    assert pairs["v.u"] == "per_credit" and pairs["v.cs"] == "12" and pairs["v.fb"] == "0" and pairs["v.n"] == "1"
    lite = next(row for row in video.rows if row.price.id == "google-veo-3-1-lite-720p")
    assert dict(pair.split("=") for pair in video.query(lite).split("&"))["v.r"] == "0.05"


def test_a_row_that_contradicts_its_policy_names_both_lines(tmp_path: Path) -> None:
    root, text = data_copy(tmp_path, "data/comparisons.yml", "      - prices: [runway-gen4-turbo]\n",
                           "      - prices: [runway-gen4-turbo]\n        values: {failures_billed: true}\n")
    with pytest.raises(ContentErrors) as caught:
        checks_of(root)
    policies = (ROOT / "data/policies.yml").read_text(encoding="utf-8")
    fact_line = line_of(policies, "value: refunded", "  - id: runway-api")
    row_line = line_of(text, "values: {failures_billed: true}")
    assert [str(error) for error in caught.value.errors] == [
        f"data/comparisons.yml:{row_line}:35: comparisons[0].rows[4].values.failures_billed: comparison row sets "
        f"failures_billed: true, but data/policies.yml:{fact_line} says otherwise (runway-api.failed is refunded, "
        "so failures_billed: false) (leave the value out: it comes from the record)"]


def test_a_preset_that_contradicts_its_price_names_both_lines(tmp_path: Path) -> None:
    root, text = data_copy(tmp_path, "data/calculators.yml", "        values: {unit: per_credit}\n",
                           "        values: {unit: per_credit, credit_price: 0.02}\n")
    with pytest.raises(ContentErrors) as caught:
        checks_of(root)
    prices = (ROOT / "data/prices.yml").read_text(encoding="utf-8")
    amount_line = line_of(prices, "amount:", "  - id: runway-api-credit")
    errors = [str(error) for error in caught.value.errors]
    assert len(errors) == 1
    assert errors[0].startswith(f"data/calculators.yml:{line_of(text, 'credit_price: 0.02')}:")
    assert (f"preset sets credit_price: 0.02, but data/prices.yml:{amount_line} says otherwise "
            "(runway-api-credit is $0.01 per credit, so credit_price: 0.01)") in errors[0]


def test_a_row_with_a_retired_price_is_a_warning_naming_both_lines(tmp_path: Path) -> None:
    yesterday = "2026-11-30"
    root, prices = data_copy(tmp_path, "data/prices.yml", "  - id: fal-kling-v4-720p\n",
                             f"  - id: fal-kling-v4-720p\n    shutdown_on: {yesterday}\n")
    prices_text = (root / "data/prices.yml").read_text(encoding="utf-8")
    checks = checks_of(root)
    comparisons = (root / "data/comparisons.yml").read_text(encoding="utf-8")
    row_line = line_of(comparisons, "prices: [fal-kling-v4-720p]")
    shutdown = line_of(prices_text, f"shutdown_on: {yesterday}", "  - id: fal-kling-v4-720p")
    assert [str(warning) for warning in checks.warnings] == [
        f"data/comparisons.yml:{row_line}:17: comparisons[0].rows[7].prices: comparison row offers prices:fal-kling-v4-720p "
        f"as current, but it was retired on {yesterday} (data/prices.yml:{shutdown}) "
        "(remove it or cite a current price; the retired figure stays listed with its shutdown date)"]
    assert "fal-kling-v4-720p" not in [row.price.id for row in checks.comparisons["video-clip"].rows]
    assert "shutdown_on" in prices


def test_a_range_cannot_be_compared_and_an_unknown_input_is_named(tmp_path: Path) -> None:
    root, text = data_copy(tmp_path, "data/comparisons.yml", "      - prices: [runway-veo3]\n",
                           "      - prices: [runway-veo3-1]\n      - prices: [minimax-h3-2k]\n        values: {secnds: 8}\n")
    with pytest.raises(ContentErrors) as caught:
        checks_of(root)
    errors = [str(error) for error in caught.value.errors]
    assert any(error.startswith(f"data/comparisons.yml:{line_of(text, 'runway-veo3-1')}:") and
               "prices:runway-veo3-1 is a range (20-40), not one figure the calculator can use" in error for error in errors)
    assert any("rows[7].values.secnds: no input 'secnds' in calculator 'video' (did you mean 'seconds'?)" in error
               for error in errors)


def test_an_unknown_policy_fact_citation_is_an_error(tmp_path: Path) -> None:
    root, text = data_copy(tmp_path, "data/calculators.yml", "policy_facts: [fal-model-apis.failed]",
                           "policy_facts: [fal-model-api.failed]")
    with pytest.raises(ContentErrors) as caught:
        checks_of(root)
    errors = [str(error) for error in caught.value.errors]
    assert errors == [f"data/calculators.yml:{line_of(text, 'fal-model-api.failed')}:24: calculators[0].presets[1].policy_facts[0]: "
                      "no policy fact 'fal-model-api.failed' (did you mean 'fal-model-apis'?)"]


def test_a_preset_that_contradicts_its_policy_names_both_lines(tmp_path: Path) -> None:
    old = "        policy_facts: [fal-model-apis.failed]\n"
    root, text = data_copy(tmp_path, "data/calculators.yml", old, old + "        values: {failures_billed: true}\n")
    with pytest.raises(ContentErrors) as caught:
        checks_of(root)
    policies = (ROOT / "data/policies.yml").read_text(encoding="utf-8")
    fact_line = line_of(policies, "value: not-billed", "  - id: fal-model-apis")
    assert [str(error) for error in caught.value.errors] == [
        f"data/calculators.yml:{line_of(text, 'values: {failures_billed: true}')}:35: calculators[0].presets[1].values"
        f".failures_billed: preset sets failures_billed: true, but data/policies.yml:{fact_line} says otherwise "
        "(fal-model-apis.failed is not billed; server errors (HTTP 500 and above) and queue time are free, so "
        "failures_billed: false) (leave the value out: it comes from the record)"]
