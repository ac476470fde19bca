"""Review dates through real builds: statuses before, inside and after the due-soon window, the notice in the HTML,
the dashboard, review.json, report levels, editor errors with file:line, and reproducible output."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import Build, add_rates, build, catalog_entry, copy_project, costhub, pin_review_dates, rate, set_field

GUIDE = "video-generation-api-pricing"
RATE = rate("sample-rate", "Sample per-second rate", review_in="60d")
# The guide and the rate (cited on the glossary) fall due on 2030-03-02; everything else on 2031-01-01. AFTER is one
# day past due (inside the default 14-day grace), PAST_GRACE the first day builds fail (2030-03-02 + 14 days).
BEFORE, INSIDE, AFTER, PAST_GRACE = "2030-01-15", "2030-02-20", "2030-03-03", "2030-03-16"


# SOURCE_DATE_EPOCH for noon UTC on an ISO date.
def epoch(day: str) -> str:
    return str(int(datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=timezone.utc).timestamp()))


# A copy of the site with pinned review dates, the guide on a 60-day cycle and a dated rate cited on the glossary.
def dated_project(root: Path) -> Path:
    project = copy_project(root)
    pin_review_dates(project)
    set_field(project / "data/pages.yml", GUIDE, "review_in", "60d")
    add_rates(project, RATE)
    glossary = project / "content/glossary.md"
    glossary.write_text(glossary.read_text() + '\n{{ rate_note("sample-rate") }}\n')
    return project


# Set data/site.yml review.overdue to a level.
def set_level(project: Path, level: str) -> None:
    site_yml = project / "data/site.yml"
    site_yml.write_text(site_yml.read_text().replace("overdue: warning", f"overdue: {level}"))


# A dated copy of the site (see dated_project).
@pytest.fixture
def dated(tmp_path: Path) -> Path:
    return dated_project(tmp_path / "project")


@pytest.mark.parametrize(("day", "status", "notice"), [(BEFORE, "fresh", False), (INSIDE, "due-soon", False),
                                                       (AFTER, "overdue", True)])
def test_statuses_notice_dashboard_and_review_json_follow_the_date(dated: Path, day: str, status: str, notice: bool) -> None:
    set_level(dated, "info")
    result = build(dated, {"SOURCE_DATE_EPOCH": epoch(day)})
    assert result.returncode == 0, result.log
    guide, glossary, hub = result.page(f"{GUIDE}/"), result.page("glossary/"), result.page()
    for page, page_status in ((guide, status), (glossary, "overdue" if notice else "fresh")):
        box = page.select_one(".costhub-page-header .costhub-review")
        assert box["data-review-expires"] == "2030-03-02"
        assert box["data-review-status"] == page_status
        assert (page.select_one(".costhub-review__notice").get("hidden") is None) is notice
    assert hub.select_one(".costhub-review__notice").get("hidden") is not None
    facts = guide.select_one(".costhub-review__facts").get_text(" ", strip=True)
    assert re.fullmatch(r"Last reviewed 1 January 2030 Next review due 2 March 2030 Reading time [1-9][0-9]* min", facts)
    stale = [(item.get_text(strip=True), item.a["href"]) for item in glossary.select(".costhub-review__stale li")]
    assert stale == ([("Sample per-second rate(due 2 March 2030)", "#rate-sample-rate")] if notice else [])
    summary = glossary.select_one(".costhub-review__stale summary")
    assert (summary.get_text(strip=True) if summary else None) == ("1 fact on this page is past its review date" if notice else None)
    assert glossary.select_one(".costhub-review__facts time[datetime='2031-01-01']") is not None

    dashboard = result.page("review/")
    rows = dashboard.select(".costhub-review-table tbody tr")
    assert [row["data-review-item"] for row in rows[:2]] == [f"pages:{GUIDE}", "rates:sample-rate"]
    assert [row.select_one(".costhub-review-status").get_text(strip=True) for row in rows[:3]] == (
        [{"fresh": "Fresh", "due-soon": "Due soon", "overdue": "Overdue"}[status]] * 2 + ["Fresh"])
    assert rows[1].select_one("a")["href"] == "../glossary/#rate-sample-rate"
    assert rows[0].select_one("[data-record]")["data-record"] == "owners:video-team"
    assert {cell["data-record"] for cell in dashboard.select(".costhub-review-table [data-record]")} == {
        "owners:pricing-desk", "owners:video-team", "owners:voice-team"}

    document = json.loads((result.site / "review.json").read_text())
    assert document["today"] == day
    items = {item["key"]: item for item in document["items"]}
    assert items[f"pages:{GUIDE}"]["status"] == items["rates:sample-rate"]["status"] == status
    assert items["pages:index"]["status"] == "fresh"
    assert items[f"pages:{GUIDE}"]["url"] == f"https://media-api-cost-hub.example/{GUIDE}/"
    assert items["rates:sample-rate"]["cited_on"] == ["https://media-api-cost-hub.example/glossary/#rate-sample-rate"]
    assert all(item["url"].startswith("https://media-api-cost-hub.example/") for item in document["items"] if item["url"])


def test_due_soon_items_are_logged_as_info(dated: Path) -> None:
    result = build(dated, {"SOURCE_DATE_EPOCH": epoch(INSIDE)})
    assert result.returncode == 0, result.log
    assert "INFO    -  data/rates.yml:3: rates[0]: rates:sample-rate is due for review on 2030-03-02 " \
           "(owner: Video workflows team)" in result.log


def test_within_grace_overdue_items_warn_but_the_strict_build_and_the_check_pass(dated: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    result = build(dated, {"SOURCE_DATE_EPOCH": epoch(AFTER)})
    assert result.returncode == 0, result.log
    line, index = catalog_entry(dated, GUIDE)
    warning = (f"data/pages.yml:{line}: pages[{index}]: pages:{GUIDE} is overdue for review: it was due on 2030-03-02 "
               "(owner: Video workflows team); within the 14d grace period, builds fail from 2030-03-16 "
               "(review it, then set last_reviewed to the date you checked it)")
    assert f"WARNING -  {warning}" in result.log
    guide = result.page(f"{GUIDE}/")
    assert guide.select_one(".costhub-page-header .costhub-review")["data-review-status"] == "overdue"
    assert guide.select_one(".costhub-review__notice").get("hidden") is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(AFTER))
    code, _out, err = costhub(dated, "check")
    assert code == 0 and f"warning: {warning}" in err


def test_overdue_items_past_grace_are_warnings_that_fail_the_strict_build_and_the_check(dated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = build(dated, {"SOURCE_DATE_EPOCH": epoch(PAST_GRACE)})
    line, index = catalog_entry(dated, GUIDE)
    warning = (f"data/pages.yml:{line}: pages[{index}]: pages:{GUIDE} is overdue for review: it was due on 2030-03-02 "
               "(owner: Video workflows team) (review it, then set last_reviewed to the date you checked it)")
    assert result.returncode != 0
    assert f"WARNING -  {warning}" in result.log
    assert "WARNING -  data/rates.yml:3: rates[0]: rates:sample-rate is overdue for review" in result.log
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(PAST_GRACE))
    code, _out, err = costhub(dated, "check")
    assert code == 1 and f"warning: {warning}" in err


def test_overdue_level_error_stops_the_build(dated: Path) -> None:
    set_level(dated, "error")
    result = build(dated, {"SOURCE_DATE_EPOCH": epoch(PAST_GRACE)})
    assert result.returncode != 0
    assert "overdue for review (data/site.yml review.overdue is 'error'):" in result.log
    assert not (result.site / "index.html").exists()
    assert "Traceback" not in result.log


def test_overdue_level_info_passes_the_strict_build_and_the_check(dated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_level(dated, "info")
    result = build(dated, {"SOURCE_DATE_EPOCH": epoch(PAST_GRACE)})
    assert result.returncode == 0, result.log
    assert f"pages:{GUIDE} is overdue for review" in next(line for line in result.log.splitlines() if line.startswith("INFO    -  data/pages.yml:"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(PAST_GRACE))
    code, out, _err = costhub(dated, "check")
    assert code == 0 and "info: data/rates.yml:3: rates[0]: rates:sample-rate is overdue" in out


def test_unknown_owner_and_malformed_interval_fail_the_build_with_file_line(dated: Path) -> None:
    owner_line = set_field(dated / "data/rates.yml", "sample-rate", "owner", "video-tem")
    interval_line = set_field(dated / "data/pages.yml", "glossary", "review_in", "P0M")
    result = build(dated, {"SOURCE_DATE_EPOCH": epoch(BEFORE)})
    assert result.returncode != 0
    assert f"data/rates.yml:{owner_line}:12: rates[0].owner: unknown owner 'video-tem' (did you mean 'video-team'?)" in result.log
    assert (f"data/pages.yml:{interval_line}:16: pages[{catalog_entry(dated, 'glossary')[1]}].review_in: 'P0M' is a zero-length review interval "
            "(write days such as 90d, or an ISO-8601 duration such as P3M or P1Y)") in result.log
    assert "Traceback" not in result.log


def test_malformed_interval_in_the_catalog_is_refused_by_its_schema(dated: Path) -> None:
    line = set_field(dated / "data/pages.yml", "glossary", "review_in", "3 months")
    code, _out, err = costhub(dated, "check")
    assert code == 1
    assert f"data/pages.yml:{line}:16: pages[{catalog_entry(dated, 'glossary')[1]}].review_in: '3 months' does not match" in err
    assert "(days such as 90d, or an ISO-8601 duration such as P3M or P1Y)" in err


def test_review_lists_what_comes_due_grouped_by_owner(dated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_field(dated / "data/pages.yml", "realtime-voice-api-cost", "review_in", "75d")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(INSIDE))
    code, out, _err = costhub(dated, "review", "--due-within", "30d")
    voice, guide = catalog_entry(dated, "realtime-voice-api-cost")[0], catalog_entry(dated, GUIDE)[0]
    assert code == 0
    assert out.splitlines() == [
        "3 item(s) due by 2030-03-22 (30d from 2030-02-20)",
        "",
        "Realtime voice team (voice-team, voice-team@media-api-cost-hub.example)",
        f"  2030-03-17  Due soon  pages:realtime-voice-api-cost  Realtime voice API cost  [data/pages.yml:{voice}]",
        "",
        "Video workflows team (video-team, video-team@media-api-cost-hub.example)",
        f"  2030-03-02  Due soon  pages:{GUIDE}  Video generation API pricing: what to check before building  [data/pages.yml:{guide}]",
        "  2030-03-02  Due soon  rates:sample-rate  Sample per-second rate  [data/rates.yml:3]",
    ]
    assert costhub(dated, "review", "--due-within", "soon")[0] == 2


def test_two_builds_with_the_same_date_are_byte_identical(tmp_path: Path) -> None:
    builds: list[Build] = []
    for name in ("first", "second"):
        builds.append(build(dated_project(tmp_path / name), {"SOURCE_DATE_EPOCH": epoch(INSIDE)}))
        assert builds[-1].returncode == 0, builds[-1].log
    trees = [{path.relative_to(result.site).as_posix(): path.read_bytes() for path in sorted(result.site.rglob("*"))
              if path.is_file()} for result in builds]
    assert trees[0].keys() == trees[1].keys()
    assert {"sitemap.xml.gz", "search/search_index.json", "review.json", "review/index.html"} <= trees[0].keys()
    assert [name for name in trees[0] if trees[0][name] != trees[1][name]] == []
