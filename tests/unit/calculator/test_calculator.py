"""Calculators from data/calculators.yml: hand-worked answers, input parsing, the spec, and editor errors."""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from costhub.calculator.model import Calculator, load_calculators
from costhub.data.load import load_site_data
from costhub.errors import ContentErrors
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parents[3]
FILE = "data/calculators.yml"
TARGET = "        formula: videos * delivered_share"
VALUE_COLUMN = TARGET.index("videos") + 1


@pytest.fixture(scope="module")
def calculators() -> dict[str, Calculator]:
    return Site.load(ROOT).calculators


# The data of a temp project whose calculators.yml has `old` replaced by `new` (once).
def calculators_with(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


# Every error string that loading the changed calculators raises.
def errors_for(tmp_path: Path, old: str, new: str) -> list[str]:
    root = calculators_with(tmp_path, old, new)
    with pytest.raises(ContentErrors) as caught:
        load_calculators(load_site_data(root / "data", root))
    return [str(error) for error in caught.value.errors]


# The 1-based line of a text in the real calculators.yml.
def line_of(text: str) -> int:
    return (ROOT / FILE).read_text(encoding="utf-8").splitlines().index(text) + 1


# True when a and b agree within 1e-12 relative (hand answers are exact decimals).
def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def test_video_known_answer_by_hand(calculators: dict[str, Calculator]) -> None:
    # 1,000 eight-second clips at $0.10/s, 5% failures, failures billed, two retries:
    # attempts 1 + .05 + .0025 = 1.0525 per video; one attempt costs $0.80.
    r = calculators["video"].evaluate({"videos": 1000, "seconds": 8, "unit": "per_second", "rate": 0.1,
                                        "failure_rate": 5, "failures_billed": True, "retries": 2, "polls": 12,
                                        "poll_price": 0.001})
    assert close(r["attempts"], 1.0525) and close(r["delivered_share"], 0.999875)
    assert close(r["base_cost"], 760) and close(r["failure_cost"], 40) and close(r["retry_cost"], 42)
    assert close(r["polling_cost"], 1000 * 1.0525 * 12 * 0.001)  # 12.63
    assert close(r["total"], 854.63) and close(r["delivered"], 999.875)
    assert close(r["cost_per_video"], 854.63 / 999.875)


def test_video_unbilled_failures_and_credit_billing_by_hand(calculators: dict[str, Calculator]) -> None:
    # Failures free: pay only for the 999.875 delivered videos, 20 credits at $0.05 = $1 each.
    r = calculators["video"].evaluate({"unit": "per_credit", "credits": 20, "credit_price": 0.05, "failures_billed": False})
    assert close(r["attempt_price"], 1.0) and close(r["failure_cost"], 0.0)
    assert close(r["retry_cost"], 1000 * (0.999875 - 0.95)) and close(r["total"], 999.875)
    assert close(r["cost_per_video"], 1.0) and close(r["overhead"], -0.000125)


def test_async_tasks_are_billed_even_when_failures_are_not(calculators: dict[str, Calculator]) -> None:
    r = calculators["video"].evaluate({"unit": "per_task", "rate": 0.5, "failures_billed": False})
    assert close(r["failure_cost"], 1000 * 0.05 * 0.5) and close(r["total"], 1000 * 1.0525 * 0.5)


def test_image_known_answer_by_hand(calculators: dict[str, Calculator]) -> None:
    # 1,000 images at $0.04, one edit each (2 generations), 2% rejected and billed, one retry.
    r = calculators["image"].evaluate({})
    assert close(r["attempts"], 1.02) and close(r["delivered_share"], 0.9996)
    assert close(r["base_cost"], 78.4) and close(r["rejection_cost"], 1.6) and close(r["retry_cost"], 1.6)
    assert close(r["total"], 81.6) and close(r["cost_per_image"], 81.6 / 999.6) and close(r["overhead"], 0.02)


def test_image_token_billing_by_hand(calculators: dict[str, Calculator]) -> None:
    r = calculators["image"].evaluate({"unit": "per_token", "tokens": 1500, "token_price": 30, "edits": 0,
                                       "rejection_rate": 0, "retries": 0})
    assert close(r["generation_price"], 0.045) and close(r["total"], 45.0) and close(r["cost_per_image"], 0.045)


def test_voice_known_answer_by_hand(calculators: dict[str, Calculator]) -> None:
    # Per minute: STT .006 + LLM (2000 x 2.5 + 400 x 10 / 0.9) / 1e6 + TTS .015 / 0.9 + .01 + .005.
    r = calculators["voice"].evaluate({})
    per_minute = 0.006 + (0.005 + 0.004 / 0.9) + 0.015 / 0.9 + 0.01 + 0.005
    assert close(r["per_minute"], per_minute) and close(r["per_session"], per_minute * 5)
    assert close(r["per_month"], per_minute * 5 * 10000)
    assert close(r["wasted_cost"], (0.004 + 0.015) * (1 / 0.9 - 1))


def test_rows_show_results_as_the_page_does(calculators: dict[str, Calculator]) -> None:
    shown = {line.id: text for line, _, text in calculators["video"].rows()}
    assert shown == {"attempts": "1.0525", "delivered_share": "99.99%", "attempt_price": "$0.80", "base_cost": "$760.00",
                     "failure_cost": "$40.00", "retry_cost": "$42.00", "polling_cost": "$0.00", "total": "$842.00",
                     "delivered": "999.88", "cost_per_video": "$0.8421", "overhead": "5.25%"}


def test_presets_overlay_the_defaults(calculators: dict[str, Calculator]) -> None:
    values = calculators["video"].preset_values("no-retries")
    assert values["failure_rate"] == 20 and values["retries"] == 0 and values["videos"] == 1000
    # Every attempt costs $0.80 and only 80% deliver: $1.00 per delivered video.
    assert close(calculators["video"].evaluate(values)["cost_per_video"], 1.0)
    with pytest.raises(KeyError):
        calculators["video"].preset_values("nope")


@pytest.mark.parametrize(("input_id", "text", "expected"), [
    ("videos", " 1,000 ", 1000.0), ("failure_rate", "7.5%", 7.5), ("rate", ".25", 0.25), ("videos", "1e3", 1000.0),
    ("failures_billed", "no", False), ("failures_billed", "YES", True), ("unit", "per_credit", "per_credit"),
])
def test_values_parse_like_the_browser(calculators: dict[str, Calculator], input_id: str, text: str, expected: object) -> None:
    assert calculators["video"].parse_value(input_id, text) == expected


@pytest.mark.parametrize(("input_id", "text", "message"), [
    ("videos", "", "enter a number"), ("videos", "ten", "enter a number"), ("videos", "nan", "enter a number"),
    ("videos", "0", "must be at least 1"), ("failure_rate", "-1", "must be at least 0"),
    ("failure_rate", "96", "must be at most 95"), ("videos", "1e400", "must be at most 10,000,000"),
    ("retries", "2.5", "enter a whole number"), ("failures_billed", "maybe", "answer yes or no"),
    ("unit", "per_secnd", "choose one of: per_second, per_video, per_credit, per_task (did you mean 'per_second'?)"),
    ("second", "3", "no input 'second' in calculator 'video' (did you mean 'seconds'?)"),
])
def test_bad_values_are_explained(calculators: dict[str, Calculator], input_id: str, text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        calculators["video"].parse_value(input_id, text)
    assert str(caught.value) == message


def test_spec_is_deterministic_json_safe_inside_a_script(calculators: dict[str, Calculator]) -> None:
    calc = calculators["video"]
    text = str(calc.spec_json())
    assert text == str(calc.spec_json()) and "<" not in text and ">" not in text
    spec = json.loads(text)
    assert [line["id"] for line in spec["lines"]][-4:] == ["total", "delivered", "cost_per_video", "overhead"]
    assert spec["inputs"][2]["options"] == ["per_second", "per_video", "per_credit", "per_task"]
    assert spec["presets"][0]["values"]["unit"] == "per_credit" and spec["presets"][0]["values"]["videos"] == 1000


@pytest.mark.parametrize("formula", [
    "1 + 2.5 - videos * 3 / 4",
    "(videos + 1) ** 2",
    "-videos ** 0.5",
    "min(videos, 2, 3) + max(videos, seconds)",
    "ceil(videos / 3) + floor(seconds / 3) + round(2.5) + abs(-1)",
    "videos if seconds > 1 and not per_video else 0",
    "1 if 0 <= failure_rate < 1 or videos == 0 else 2",
])
def test_every_allowed_construct_loads_from_yaml(tmp_path: Path, formula: str) -> None:
    root = calculators_with(tmp_path, TARGET, f"        formula: {formula}")
    calc = load_calculators(load_site_data(root / "data", root))["video"]
    assert math.isfinite(calc.evaluate({})["delivered"])


@pytest.mark.parametrize(("formula", "offset", "message"), [
    ("videos.real", 0, "attribute access ('.real') is not allowed"),
    ("open(videos)", 0, "unknown function 'open'"),
    ("sum(videos, 2)", 0, "unknown function 'sum'"),
    ("videos[0]", 0, "subscripts ('[...]') are not allowed"),
    ("videos + 'ten'", 9, "text strings are not allowed"),
    ("'(lambda: 1)()'", 2, "only min, max, ceil, floor, round and abs can be called"),
    ("'lambda x: x'", 1, "lambda is not allowed"),
    ("videos * delivered_shares", 9, "unknown name 'delivered_shares' (did you mean 'delivered_share'?)"),
    ("videos *", 8, "syntax error"),
])
def test_rejected_formulas_name_file_line_and_column(tmp_path: Path, formula: str, offset: int, message: str) -> None:
    errors = errors_for(tmp_path, TARGET, f"        formula: {formula}")
    assert len(errors) == 1
    assert errors[0].startswith(f"{FILE}:{line_of(TARGET)}:{VALUE_COLUMN + offset}: calculators[0].outputs[1].formula: {message}")


def test_quoted_formula_columns_skip_the_quote(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, TARGET, '        formula: "videos * nope"')
    assert errors[0].startswith(f"{FILE}:{line_of(TARGET)}:{VALUE_COLUMN + 10}:")


def test_folded_formula_errors_point_into_the_right_line(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, TARGET, "        formula: >-\n          videos *\n          nope")
    assert errors[0].startswith(f"{FILE}:{line_of(TARGET) + 2}:11: calculators[0].outputs[1].formula: unknown name 'nope'")


def test_a_cycle_is_named(tmp_path: Path) -> None:
    old = "        formula: seconds * rate if per_second else (credits * credit_price if per_credit else rate)"
    errors = errors_for(tmp_path, old, "        formula: total / videos")
    assert errors == [f"{FILE}:{line_of(old)}:18: calculators[0].breakdown[2].formula: formula cycle: "
                      "attempt_price -> total -> base_cost -> attempt_price (a formula cannot depend on its own result)"]


def test_a_line_cannot_use_itself_or_a_line_below(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, TARGET, "        formula: delivered + cost_per_video * 0")
    line = line_of(TARGET)
    assert f"{FILE}:{line}:18: calculators[0].outputs[1].formula: formula cycle: delivered -> delivered " \
           "(a formula cannot depend on its own result)" in errors
    assert f"{FILE}:{line}:30: calculators[0].outputs[1].formula: formula cycle: delivered -> cost_per_video -> delivered " \
           "(a formula cannot depend on its own result)" in errors
    below = errors_for(tmp_path / "b", TARGET, "        formula: overhead")
    assert below == [f"{FILE}:{line}:18: calculators[0].outputs[1].formula: 'overhead' is defined below this line "
                     "(move this line under it; lines are evaluated in order)"]


def test_defaults_presets_and_chart_are_checked_all_at_once(tmp_path: Path) -> None:
    root = calculators_with(tmp_path, "        default: per_second", "        default: per_secnd")
    path = root / FILE
    text = path.read_text(encoding="utf-8").replace("values: {failure_rate: 20, retries: 0}",
                                                    "values: {failure_rate: 200, retrys: 0, failures_billed: 1}")
    path.write_text(text.replace("      output: cost_per_video", "      output: cost_per_vid", 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_calculators(load_site_data(root / "data", root))
    errors = [str(error) for error in caught.value.errors]
    preset_line = line_of("        values: {failure_rate: 20, retries: 0}")
    assert f"{FILE}:35:18: calculators[0].inputs[2].default: default 'per_secnd' is not one of the options " \
           "(did you mean 'per_second'?)" in errors
    assert f"{FILE}:{preset_line}:32: calculators[0].presets[3].values.failure_rate: must be at most 95" in errors
    assert f"{FILE}:{preset_line}:45: calculators[0].presets[3].values.retrys: no input 'retrys' in this calculator " \
           "(did you mean 'retries'?)" in errors
    assert f"{FILE}:{preset_line}:65: calculators[0].presets[3].values.failures_billed: expected true or false" in errors
    assert f"{FILE}:171:15: calculators[0].chart.output: no breakdown line or output 'cost_per_vid' " \
           "(did you mean 'cost_per_video'?)" in errors


def test_duplicate_names_and_out_of_range_defaults(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "        default: 8\n", "        default: 8000\n")
    assert errors == [f"{FILE}:{line_of('        default: 8')}:18: calculators[0].inputs[1].default: default 8000 is outside 1 to 600"]
    clash = errors_for(tmp_path / "b", "      - id: delivered\n", "      - id: per_video\n")
    assert any("calculators[0].outputs[1].id: duplicate name 'per_video' (first used on line 38)" in error for error in clash)


def test_option_billing_units_must_exist(tmp_path: Path) -> None:
    root = calculators_with(tmp_path, "billing_unit: video}", "billing_unit: vidoe}")
    with pytest.raises(ContentErrors) as caught:
        load_site_data(root / "data", root)
    assert [str(error) for error in caught.value.errors] == [
        f"{FILE}:38:43: calculators[0].inputs[2].options[1].billing_unit: unknown units id 'vidoe' (did you mean 'video'?)"]


def test_a_dangling_evidence_id_is_an_error_with_a_hint(tmp_path: Path) -> None:
    old = "        provider_facts: [runway-credit-price]"
    root = calculators_with(tmp_path, old, "        provider_facts: [runway-credit-prise]")
    with pytest.raises(ContentErrors) as caught:
        load_site_data(root / "data", root)
    assert [str(error) for error in caught.value.errors] == [
        f"{FILE}:{line_of(old)}:26: calculators[0].presets[0].provider_facts[0]: unknown providers id 'runway-credit-prise' "
        "(did you mean 'runway-credit-price'?)"]


def test_a_preset_cannot_carry_its_own_review_fields(tmp_path: Path) -> None:
    old = "        provider_facts: [runway-credit-price]\n"
    root = calculators_with(tmp_path, old, old + "        last_reviewed: 2026-11-02\n")
    with pytest.raises(ContentErrors) as caught:
        load_site_data(root / "data", root)
    assert [str(error) for error in caught.value.errors] == [
        f"{FILE}:{line_of(old.rstrip()) + 1}:9: calculators[0].presets[0].last_reviewed: unknown key 'last_reviewed' "
        "(allowed keys: id, label, note, provider_facts, values)"]


def test_real_presets_cite_provider_records_and_examples_say_they_are_made_up(calculators: dict[str, Calculator]) -> None:
    data = Site.load(ROOT).data
    presets = [preset for calc in calculators.values() for preset in calc.record.presets]
    cited = [preset for preset in presets if preset.provider_facts]
    assert len(cited) >= 3 and len(presets) > len(cited)
    for preset in cited:
        assert not preset.label.startswith("Example:")
        assert all(data.get("providers", fact_id).source.startswith("https://") for fact_id in preset.provider_facts)
        assert not {"source", "last_reviewed", "review_in", "owner"} & set(preset)
    for preset in presets:
        if not preset.provider_facts:
            assert preset.label.startswith("Example:") and "made-up" in preset.note.lower()
