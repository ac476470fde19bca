"""Strict builds of the real site and of broken copies, asserted on parsed HTML and on the log."""
from __future__ import annotations

from pathlib import Path

from conftest import Build, build, costhub


def test_hub_is_rendered_from_data(site_build: Build) -> None:
    hub = site_build.page()
    rows = hub.select("table.costhub-units tbody tr")
    assert [row.th.get_text(strip=True) for row in rows] == ["Token", "Credit", "Second of output", "Image", "Video", "Async task",
                                                            "Megapixel", "Minute of audio", "Hour of audio", "Character of text"]
    assert len(hub.select(".costhub-cards .costhub-card")) == 6
    assert len(hub.select("#checklist-hub-cost-review input[type=checkbox]")) == 5
    assert hub.select_one("#faq-media-harder-than-chat h3").get_text() == "Why are media API bills harder to predict than chat API bills?"


def test_changed_data_value_appears_in_built_page(project: Path) -> None:
    units = project / "data/units.yml"
    units.write_text(units.read_text().replace("name: Async task", "name: Queued job"))
    result = build(project)
    assert result.returncode == 0, result.log
    assert result.page().select_one("#unit-async-task th").get_text() == "Queued job"


def test_data_text_is_escaped_never_evaluated(project: Path) -> None:
    faqs = project / "data/faqs.yml"
    hostile = "Try {{ 7*7 }} and <script>alert(1)</script> here."
    text = faqs.read_text()
    start = text.index("    answer: >-")
    end = text.index("    see_also:", start)
    faqs.write_text(text[:start] + f"    answer: '{hostile}'\n" + text[end:])
    result = build(project)
    assert result.returncode == 0, result.log
    answer = result.page().select_one("#faq-media-harder-than-chat .costhub-faq__answer")
    assert answer.get_text() == hostile
    assert answer.find("script") is None
    assert "49" not in answer.get_text()


def test_unknown_macro_fails_build_with_page_line(project: Path) -> None:
    page = project / "content/index.md"
    page.write_text(page.read_text() + "\n{{ faq_list() }}\n")
    line = page.read_text().splitlines().index("{{ faq_list() }}") + 1
    result = build(project)
    assert result.returncode != 0
    assert f"content/index.md:{line}: unknown macro or name 'faq_list' (did you mean 'faqs'?)" in result.log
    assert "Traceback" not in result.log


def test_data_error_fails_build_without_traceback(project: Path) -> None:
    owners = project / "data/owners.yml"
    owners.write_text(owners.read_text().replace("name: Pricing desk", "nam: Pricing desk"))
    result = build(project)
    assert result.returncode != 0
    assert "data/owners.yml:4:5: owners[0].nam: unknown key 'nam' (did you mean 'name'?)" in result.log
    assert "Traceback" not in result.log


def test_build_never_writes_to_content_or_data(project: Path) -> None:
    before = {path: path.read_bytes() for part in ("content", "data") for path in (project / part).rglob("*") if path.is_file()}
    assert build(project).returncode == 0
    after = {path: path.read_bytes() for part in ("content", "data") for path in (project / part).rglob("*") if path.is_file()}
    assert before == after


def test_check_cli_reports_every_problem_and_exits_1(project: Path) -> None:
    owners = project / "data/owners.yml"
    owners.write_text(owners.read_text().replace("name: Pricing desk", "name: 7").replace("id: voice-team", "id: voice-team\n    colour: red"))
    code, _out, err = costhub(project, "check")
    assert code == 1
    assert "data/owners.yml:4:11: owners[0].name: expected string, got a whole number" in err
    assert "data/owners.yml:10:5: owners[2].colour: unknown key 'colour'" in err


def test_check_cli_reports_page_errors_and_exit_codes(project: Path) -> None:
    assert costhub(project, "check")[0] == 0
    (project / "content/glossary.md").write_text("Intro\n{{ nope() }}\n")
    (project / "content/checklists.md").write_text("{{ checklist('missing-list') }}\n")
    code, _out, err = costhub(project, "check")
    assert code == 1
    assert "content/glossary.md:2: unknown macro or name 'nope'" in err
    assert "content/checklists.md:1: template error: no checklists record with id 'missing-list'" in err
    assert costhub(project, "frobnicate")[0] == 2
