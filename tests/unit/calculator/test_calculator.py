"""Calculators from data/calculators.yml: hand-worked answers, input parsing, the spec, and editor errors."""
from __future__ import annotations

from typing import Any

import json
import math
import shutil
from pathlib import Path

import pytest

from costhub.calculator.model import Calculator, load_calculators
from costhub.calculator.numbers import format_value
from costhub.data.load import load_site_data
from costhub.errors import ContentErrors
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parents[3]
FILE = "data/calculators.yml"
TARGET = "        formula: total / videos"
VALUE_COLUMN = TARGET.index("total") + 1


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


def test_rows_show_results_as_the_page_does(calculators: dict[str, Calculator]) -> None:
    # 1,000 eight-second clips at $0.10/s, 5% billed failures, two retries: A = 1.0525, D = 0.999875,
    # J = 1000 / 0.999875 = 1000.125..., total J x 0.80 x 1.0525 = $842.11.
    shown = {line.id: text for line, _, text in calculators["video"].rows()}
    assert {key: shown[key] for key in ("attempts", "delivered_share", "attempt_price", "jobs", "total", "delivered",
                                        "cost_per_video", "overhead")} == {
        "attempts": "1.0525", "delivered_share": "99.99%", "attempt_price": "$0.80", "jobs": "1,000.1 expected",
        "total": "$842.11", "delivered": "1,000", "cost_per_video": "$0.842", "overhead": "5.26%"}
    nothing = {line.id: (value, text) for line, value, text in calculators["video"].rows({"failure_rate": 100})}
    assert nothing["total"] == (None, "no deliveries") and nothing["cost_per_video"] == (None, "no deliveries")
    assert nothing["delivered"] == (0.0, "0") and nothing["jobs"] == (None, "no deliveries")


def test_a_line_without_a_value_empties_every_line_that_reads_it(calculators: dict[str, Calculator]) -> None:
    results = calculators["image"].evaluate({"rejection_rate": 100})
    assert results["image_success"] == 0.0 and results["started"] is None
    assert [key for key, value in results.items() if value is None] == [
        "started", "passed_cost", "rejection_cost", "prepaid_balance", "total", "cost_per_image", "overhead"]
    assert calculators["video"].evaluate({"rate": 0})["overhead"] is None


def test_presets_overlay_the_defaults(calculators: dict[str, Calculator]) -> None:
    values = calculators["video"].preset_values("no-retries")
    assert values["failure_rate"] == 20 and values["retries"] == 0 and values["videos"] == 1000
    # Every attempt costs $0.80 and only 80% deliver: 1,250 jobs and $1.00 per delivered video.
    results = calculators["video"].evaluate(values)
    assert close(results["cost_per_video"], 1.0) and close(results["jobs"], 1250.0) and close(results["overhead"], 0.25)
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
    ("failure_rate", "101", "must be at most 100"), ("videos", "1e400", "must be at most 10,000,000"),
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
    assert [line["id"] for line in spec["lines"] if line["output"]] == ["jobs", "total", "delivered", "cost_per_video", "overhead"]
    assert spec["inputs"][3]["options"] == ["per_second", "per_video", "per_credit", "per_task"]
    jobs = next(line for line in spec["lines"] if line["id"] == "jobs")
    assert jobs["only_when"] == ["gt", ["var", "delivered_share"], ["num", 0.0]] and jobs["reads"] == ["delivered_share"]
    assert spec["no_value"] == "no deliveries" and spec["headline"][:3] == ["total", "jobs", "prepaid_balance"]
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
    assert math.isfinite(calc.evaluate({})["cost_per_video"])


@pytest.mark.parametrize(("formula", "offset", "message"), [
    ("videos.real", 0, "attribute access ('.real') is not allowed"),
    ("open(videos)", 0, "unknown function 'open'"),
    ("sum(videos, 2)", 0, "unknown function 'sum'"),
    ("videos[0]", 0, "subscripts ('[...]') are not allowed"),
    ("videos + 'ten'", 9, "text strings are not allowed"),
    ("'(lambda: 1)()'", 2, "only min, max, ceil, floor, round, abs and sum_powers can be called"),
    ("'lambda x: x'", 1, "lambda is not allowed"),
    ("videos * delivered_shares", 9, "unknown name 'delivered_shares' (did you mean 'delivered_share'?)"),
    ("sum_powers(videos)", 0, "sum_powers() takes exactly 2 arguments, got 1"),
    ("videos *", 8, "syntax error"),
])
def test_rejected_formulas_name_file_line_and_column(tmp_path: Path, formula: str, offset: int, message: str) -> None:
    errors = errors_for(tmp_path, TARGET, f"        formula: {formula}")
    assert len(errors) == 1
    assert errors[0].startswith(f"{FILE}:{line_of(TARGET)}:{VALUE_COLUMN + offset}: calculators[0].outputs[3].formula: {message}")


def test_quoted_formula_columns_skip_the_quote(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, TARGET, '        formula: "videos * nope"')
    assert errors[0].startswith(f"{FILE}:{line_of(TARGET)}:{VALUE_COLUMN + 10}:")


def test_folded_formula_errors_point_into_the_right_line(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, TARGET, "        formula: >-\n          videos *\n          nope")
    assert errors[0].startswith(f"{FILE}:{line_of(TARGET) + 2}:11: calculators[0].outputs[3].formula: unknown name 'nope'")


def test_a_cycle_is_named(tmp_path: Path) -> None:
    old = "        formula: max(seconds, min_seconds)"
    errors = errors_for(tmp_path, old, "        formula: total / videos")
    assert errors == [f"{FILE}:{line_of(old)}:18: calculators[0].breakdown[0].formula: formula cycle: "
                      "billed_seconds -> total -> attempt_price -> billed_seconds (a formula cannot depend on its own result)"]


def test_a_condition_is_checked_like_a_formula(tmp_path: Path) -> None:
    old = "        only_when: attempt_price > 0"
    errors = errors_for(tmp_path, old, "        only_when: overhead > 0 and nope")
    line = line_of(old)
    assert errors[0].startswith(f"{FILE}:{line}:37: calculators[0].outputs[4].only_when: unknown name 'nope'")
    errors = errors_for(tmp_path / "b", old, "        only_when: overhead > 0")
    assert errors == [f"{FILE}:{line}:20: calculators[0].outputs[4].only_when: formula cycle: overhead -> overhead "
                      "(a formula cannot depend on its own result)"]


def test_a_line_cannot_use_itself_or_a_line_below(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, TARGET, "        formula: cost_per_video + overhead * 0")
    line = line_of(TARGET)
    assert f"{FILE}:{line}:18: calculators[0].outputs[3].formula: formula cycle: cost_per_video -> cost_per_video " \
           "(a formula cannot depend on its own result)" in errors
    assert f"{FILE}:{line}:35: calculators[0].outputs[3].formula: formula cycle: cost_per_video -> overhead -> cost_per_video " \
           "(a formula cannot depend on its own result)" in errors
    delivered = "        formula: videos if delivered_share > 0 else 0"
    below = errors_for(tmp_path / "b", delivered, "        formula: overhead")
    assert below == [f"{FILE}:{line_of(delivered)}:18: calculators[0].outputs[2].formula: 'overhead' is defined below this line "
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
    assert f"{FILE}:{line_of('        default: per_second')}:18: calculators[0].inputs[3].default: default 'per_secnd' " \
           "is not one of the options (did you mean 'per_second'?)" in errors
    assert f"{FILE}:{preset_line}:32: calculators[0].presets[4].values.failure_rate: must be at most 100" in errors
    assert f"{FILE}:{preset_line}:45: calculators[0].presets[4].values.retrys: no input 'retrys' in this calculator " \
           "(did you mean 'retries'?)" in errors
    assert f"{FILE}:{preset_line}:65: calculators[0].presets[4].values.failures_billed: expected true or false" in errors
    assert f"{FILE}:{line_of('      output: cost_per_video')}:15: calculators[0].chart.output: no breakdown line or output " \
           "'cost_per_vid' (did you mean 'cost_per_video'?)" in errors


def test_headline_and_worked_example_are_checked(tmp_path: Path) -> None:
    old = "    headline: [total, jobs, prepaid_balance, cost_per_video, delivered, overhead]"
    root = calculators_with(tmp_path, old, old.replace("jobs", "job"))
    path = root / FILE
    example = "    example: {videos: 1000, failure_rate: 20, retries: 1, polls: 10, poll_price: 0.001}"
    path.write_text(path.read_text(encoding="utf-8").replace(example, example.replace("retries: 1", "retries: 1.5")),
                    encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_calculators(load_site_data(root / "data", root))
    errors = [str(error) for error in caught.value.errors]
    assert f"{FILE}:{line_of(old)}:23: calculators[0].headline[1]: no breakdown line or output 'job' (did you mean 'jobs'?)" in errors
    assert f"{FILE}:{line_of(example)}:56: calculators[0].example.retries: enter a whole number" in errors


def test_duplicate_names_and_out_of_range_defaults(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "        default: 8\n", "        default: 8000\n")
    assert errors == [f"{FILE}:{line_of('        default: 8')}:18: calculators[0].inputs[1].default: default 8000 is outside 1 to 600"]
    clash = errors_for(tmp_path / "b", "      - id: delivered\n", "      - id: per_video\n")
    assert any("calculators[0].outputs[2].id: duplicate name 'per_video' (first used on line 56)" in error for error in clash)


def test_option_billing_units_must_exist(tmp_path: Path) -> None:
    root = calculators_with(tmp_path, "billing_unit: video}", "billing_unit: vidoe}")
    with pytest.raises(ContentErrors) as caught:
        load_site_data(root / "data", root)
    assert [str(error) for error in caught.value.errors] == [
        f"{FILE}:56:43: calculators[0].inputs[3].options[1].billing_unit: unknown units id 'vidoe' (did you mean 'video'?)"]


def test_a_dangling_evidence_id_is_an_error_with_a_hint(tmp_path: Path) -> None:
    old = "        prices: [runway-api-credit]"
    root = calculators_with(tmp_path, old, "        prices: [runway-api-credits]")
    with pytest.raises(ContentErrors) as caught:
        load_site_data(root / "data", root)
    assert [str(error) for error in caught.value.errors] == [
        f"{FILE}:{line_of(old)}:18: calculators[0].presets[0].prices[0]: unknown prices id 'runway-api-credits' "
        "(did you mean 'runway-api-credit'?)"]


def test_a_preset_cannot_carry_its_own_review_fields(tmp_path: Path) -> None:
    old = "        prices: [runway-api-credit]\n"
    root = calculators_with(tmp_path, old, old + "        last_reviewed: 2026-11-02\n")
    with pytest.raises(ContentErrors) as caught:
        load_site_data(root / "data", root)
    assert [str(error) for error in caught.value.errors] == [
        f"{FILE}:{line_of(old.rstrip()) + 1}:9: calculators[0].presets[0].last_reviewed: unknown key 'last_reviewed' "
        "(allowed keys: id, label, note, policy_facts, prices, values)"]


def test_real_presets_cite_price_or_policy_records_and_examples_say_they_are_made_up(calculators: dict[str, Calculator]) -> None:
    data = Site.load(ROOT).data
    presets = [preset for calc in calculators.values() for preset in calc.record.presets]
    cited = [preset for preset in presets if preset.prices or preset.policy_facts]
    assert len(cited) >= 3 and len(presets) > len(cited)
    for preset in cited:
        assert not preset.label.startswith("Example:")
        assert all(data.get("prices", price_id).source.startswith("https://") for price_id in preset.prices or ())
        assert all(data.get("policies", fact.split(".")[0]) is not None for fact in preset.policy_facts or ())
        assert not {"source", "last_reviewed", "review_in", "owner"} & set(preset)
    for preset in presets:
        if not (preset.prices or preset.policy_facts):
            assert preset.label.startswith("Example:") and "made-up" in preset.note.lower()


# What a preset must set when it cites each provider record: the record's policy, read by hand.
POLICIES = {
    "prices:runway-api-credit": {"unit": "per_credit", "credit_price": 0.01},  # credits at $0.01 each
    # gpt-realtime-1.5 audio: $32.00 in, $0.40 cached, $64.00 out per million tokens
    "prices:openai-gpt-realtime-1-5-audio-in": {"price_in": 32.0, "cached_price": 0.4},
    "prices:openai-gpt-realtime-1-5-audio-out": {"price_out": 64.0},
    "runway-api.failed": {"failures_billed": False},  # credits of a failed generation come back
    "fal-model-apis.failed": {"failures_billed": False, "rejections_billed": False},  # server errors are free
    "fal-model-apis.billing_time": {"unit": ("per_image", "per_megapixel", "per_second", "per_video")},  # by output
    "atlascloud-tasks.billing_time": {"hold_release": True},  # held at submission
    "atlascloud-tasks.failed": {"failures_billed": False},  # released on failure
    "openai-realtime.tokens": {"stt_price": 0, "tts_price": 0},  # the model hears and speaks itself
    "openai-realtime.history": {},  # history read again on every reply: the model always counts it
    "retell-voice.minimum": {"min_seconds": 10},  # calls under 10 s billed as 10 s
}
NOT_CHECKED_HERE = ("runway-api.moderation_blocked", "runway-api.polling", "runway-api.webhook", "runway-api.retention",
                    "runway-api.credits", "openai-realtime.billing_time")


# What a preset cites: its prices, the facts of those prices' policies, and the policy facts it names.
def citations(calc: Calculator, preset: Any) -> list[str]:
    data = Site.load(ROOT).data
    cited = [f"prices:{price_id}" for price_id in preset.prices or ()]
    for price_id in preset.prices or ():
        policy = data.get("policies", data.get("prices", price_id).policy or "")
        cited += [f"{policy.id}.{topic}" for topic in policy.facts] if policy is not None else []
    return cited + list(preset.policy_facts or ())


def test_presets_agree_with_the_provider_records_they_cite(calculators: dict[str, Calculator]) -> None:
    checked = 0
    for calc in calculators.values():
        for preset in calc.record.presets:
            values = calc.preset_values(preset.id)
            for fact in citations(calc, preset):
                if fact in NOT_CHECKED_HERE:
                    continue
                assert fact in POLICIES, f"{preset.id} cites {fact}: say here what that record requires"
                for key, wanted in POLICIES[fact].items():
                    if key in values:
                        checked += 1
                        ok = values[key] in wanted if isinstance(wanted, tuple) else values[key] == wanted
                        assert ok, (calc.id, preset.id, fact, key, values[key])
    assert checked >= 8


@pytest.mark.parametrize(("value", "shown"), [
    (0.009444, "$0.00944"), (0.016667, "$0.0167"), (0.5, "$0.50"), (0.567, "$0.567"), (0.1, "$0.10"),
    (0.0999999, "$0.10"), (2.5, "$2.50"), (0, "$0.00"), (-0.004, "-$0.004"), (1e-13, "$0.00"), (1234.5, "$1,234.50"),
])
def test_money_below_a_dollar_keeps_three_significant_digits(value: float, shown: str) -> None:
    assert format_value(value, "currency") == shown
