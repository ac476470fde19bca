"""Content data: every kind has a schema that rejects typos, provider facts are dated reports, FAQs cover the brief."""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import data_errors_after

from costhub.data.load import load_site_data

ROOT = Path(__file__).resolve().parents[3]
DATA = load_site_data(ROOT / "data", ROOT)
CONTENT_KINDS = ("api_kinds", "video_modes", "lifecycle", "cost_drivers", "evidence", "policy_questions",
                 "glossary")
BRIEF_FAQS = ("media-harder-than-chat", "realtime-voice-is-media", "webhooks-change-spend", "video-vs-llm-pricing",
              "async-video-workflow", "failed-video-cost", "polling-risks", "model-availability")
BRIEF_UNITS = ("token", "credit", "second", "image", "video", "async-task")


# Load a copy of data/ in which one file's text has been replaced; returns the error strings.
def errors_with(tmp_path: Path, kind: str, old: str, new: str) -> list[str]:
    return [str(error) for error in data_errors_after(tmp_path, kind, old, new).errors]


@pytest.mark.parametrize("kind", CONTENT_KINDS)
def test_content_kind_has_strict_schema_and_records(kind: str) -> None:
    schema = json.loads((ROOT / "data/schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert schema["properties"][kind]["items"]["additionalProperties"] is False
    assert len(DATA.all(kind)) >= 2


def test_brief_units_and_faq_topics_each_have_a_record() -> None:
    assert set(BRIEF_UNITS) <= set(DATA.ids("units"))
    assert set(BRIEF_FAQS) <= set(DATA.ids("faqs"))


def test_lifecycle_steps_follow_the_job_in_order() -> None:
    assert DATA.ids("lifecycle") == ["create", "poll", "webhook", "timeout"]


def test_policy_facts_are_dated_reports_with_sources() -> None:
    today = date(2026, 12, 1)
    facts = [(policy, fact) for policy in DATA.all("policies") for fact in policy.facts.values()]
    assert len(facts) >= 30
    for policy, fact in facts:
        assert fact.source.startswith("https://"), fact.location
        assert date.fromisoformat(fact.observed) <= today <= date.fromisoformat(policy.last_reviewed) + timedelta(days=60)
        assert fact.evidence in ("provider", "secondary") and fact.note.endswith("."), fact.location


def test_every_failure_mode_and_cost_driver_names_a_media_type_with_a_guide() -> None:
    guide_media = {page.media for page in DATA.all("pages") if page.section == "guides"}
    for mode in DATA.all("failure_modes"):
        assert set(mode.media) & guide_media, mode.location
    assert {driver.media for driver in DATA.all("cost_drivers")} <= guide_media


def test_misspelt_field_in_a_content_kind_is_reported(tmp_path: Path) -> None:
    errors = errors_with(tmp_path, "policies", "        source_title: fal.ai Model APIs pricing\n",
                         "        source_titel: fal.ai Model APIs pricing\n")
    assert any("facts.billing_time.source_titel: unknown key 'source_titel' (did you mean 'source_title'?)" in error
               for error in errors)


def test_dangling_unit_in_a_video_mode_is_reported(tmp_path: Path) -> None:
    errors = errors_with(tmp_path, "video_modes", "units: [second, video, credit]", "units: [seconds, video, credit]")
    assert any("video_modes[0].units[0]: unknown units id 'seconds' (did you mean 'second'?)" in error
               for error in errors)
