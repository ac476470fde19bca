"""The price catalog in built pages: comparison tables, retired prices, the feed and the open data; a price whose
shutdown date has passed fails the strict build wherever it is still offered as current."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from conftest import Build, build, copy_project

ATOM = "{http://www.w3.org/2005/Atom}"
GUIDES = {"video-generation-api-pricing": "video-clip", "image-generation-api-cost": "image-square",
          "realtime-voice-api-cost": "voice-session"}


# SOURCE_DATE_EPOCH for noon UTC on a day.
def epoch(day: date) -> str:
    return str(int(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc).timestamp()))


def test_each_media_guide_shows_its_comparison_and_the_calculator_links_to_it(site_build: Build) -> None:
    for guide, comparison in GUIDES.items():
        table = site_build.page(f"{guide}/").select_one(f"table[data-compare='{comparison}']")
        rows = table.select("tbody tr")
        assert len(rows) >= 6
        costs = [float(row["data-cost"]) for row in rows]
        assert costs == sorted(costs)
        for row in rows:
            link = row.select_one("a.costhub-compare__open")["href"]
            assert link.startswith("../calculator/?") and "#calc-" in link
            assert row.select_one("time")["datetime"] <= "2026-12-01"
            badges = {badge.get_text() for badge in row.select(".costhub-badge")}
            assert len(badges & {"Provider's page", "Third-party copy"}) == 1
        assert site_build.page(f"{guide}/").select_one("script[src$='compare.js']") is not None
    # The calculator page shows no copy of the tables; each calculator's section links to its guide's table instead.
    calculator = site_build.page("calculator/")
    links = {link["href"] for link in calculator.select("article a")}
    assert {f"../{guide}/#compare-{comparison}" for guide, comparison in GUIDES.items()} <= links


def test_retired_prices_are_shown_retired_and_never_as_rows(site_build: Build) -> None:
    page = site_build.page("video-generation-api-pricing/")
    rows = [row["data-row"] for row in page.select("table[data-compare] tbody tr")]
    assert "openai-sora-2-720p" not in rows
    retired = page.select_one("li#price-openai-sora-2-720p")
    assert retired["data-status"] == "retired" and "retired on 2026-09-24" in retired.get_text()
    assert page.select_one("table.costhub-prices tr#price-openai-sora-2-720p") is None
    history = site_build.page("realtime-voice-api-cost/").select_one("tr#price-deepgram-nova-3-prerecorded")
    assert "was $0.0043 until 2026-08-01" in history.get_text()
    secondary = site_build.page("realtime-voice-api-cost/").select_one("tr#price-deepgram-nova-3-streaming")
    assert secondary.select_one(".costhub-badge--secondary").get_text() == "Third-party copy"


def test_the_feed_and_the_exports_are_identical_across_builds(site_build: Build, tmp_path: Path) -> None:
    again = build(copy_project(tmp_path / "again"))
    assert again.returncode == 0, again.log
    for path in ("prices.atom", "data/v1/prices.json", "data/v1/policies.json", "data/v1/units.json",
                 "data/v1/schemas/prices.schema.json", "review.json"):
        assert (site_build.site / path).read_bytes() == (again.site / path).read_bytes(), path
    feed = ElementTree.parse(site_build.site / "prices.atom").getroot()
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) >= 4
    prices = json.loads((site_build.site / "data/v1/prices.json").read_text(encoding="utf-8"))
    assert len(prices["prices"]) >= 30


def test_a_shutdown_yesterday_turns_the_price_retired_and_fails_the_strict_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    today = date(2026, 12, 1)
    yesterday = (today - timedelta(days=1)).isoformat()
    prices = project / "data/prices.yml"
    text = prices.read_text(encoding="utf-8")
    marker = "  - id: google-veo-3-1-lite-720p\n"
    prices.write_text(text.replace(marker, f"{marker}    shutdown_on: {yesterday}\n"), encoding="utf-8")
    shutdown_line = text[:text.index(marker)].count("\n") + 2
    rows = (project / "data/comparisons.yml").read_text(encoding="utf-8")
    row_line = rows[:rows.index("prices: [google-veo-3-1-lite-720p]")].count("\n") + 1
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch(today)}
    quiet = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 1
    warning = (f"data/comparisons.yml:{row_line}:17: comparisons[0].rows[2].prices: comparison row offers "
               f"prices:google-veo-3-1-lite-720p as current, but it was retired on {yesterday} "
               f"(data/prices.yml:{shutdown_line})")
    assert warning in quiet.stdout + quiet.stderr
    assert "warning(s) from the costhub checks in strict mode" in quiet.stdout + quiet.stderr
    loose = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=300)
    assert loose.returncode == 0, loose.stderr
    built = Build(0, "", project / "site")
    page = built.page("video-generation-api-pricing/")
    assert "google-veo-3-1-lite-720p" not in [row["data-row"] for row in page.select("table[data-compare] tbody tr")]
    assert f"retired on {yesterday}" in page.select_one("li#price-google-veo-3-1-lite-720p").get_text()
    status = {item["id"]: item["status"] for item in json.loads((project / "site/data/v1/prices.json").read_text())["prices"]}
    assert status["google-veo-3-1-lite-720p"] == "retired"
    check = subprocess.run([sys.executable, "-m", "costhub.cli", "--root", str(project), "check"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 1 and warning in check.stderr


def test_a_page_that_offers_a_retired_price_as_current_is_named_at_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "content/glossary.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(lines + ["", 'Once offered: {{ price_point("openai-sora-2-720p") }}.', ""]), encoding="utf-8")
    result = build(project, {"SOURCE_DATE_EPOCH": epoch(date(2026, 12, 1))})
    assert result.returncode == 1
    line = len(lines) + 2
    assert f"content/glossary.md:{line}: offers prices:openai-sora-2-720p as current, but it was retired on 2026-09-24" in result.log
    point = Build(0, "", project / "site").page("glossary/").select_one("[data-record='prices:openai-sora-2-720p']")
    assert "retired on 2026-09-24" in point.get_text() and "$0.10 per second" in point.get_text()
