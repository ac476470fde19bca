"""What a reader reads in the built pages: page titles, labels instead of raw values, the notice once, failure-mode
headings, reading time of the prose, a search index without glued cells or repeated tables, and FAQs only where shown."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Build, build, copy_project, costhub
from costhub.data.load import load_site_data

DATA = load_site_data(ROOT / "data", ROOT)
PAGES = DATA.all("pages")
MEDIA_TAGS = ("image", "video", "voice", "general")


# The built page of a catalog page id.
def catalog_page(result: Build, page_id: str) -> BeautifulSoup:
    return result.page("" if page_id == "index" else f"{page_id}/")


# Words in a page's Markdown as a reader meets them: template code, link targets, tags and Markdown marks removed.
def prose_word_count(page_id: str) -> int:
    text = (ROOT / "content" / f"{page_id}.md").read_text(encoding="utf-8")
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text, flags=re.DOTALL)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return sum(1 for token in text.split() if re.search(r"[A-Za-z0-9]", token))


def test_page_titles_use_the_catalog_title_not_the_nav_title(site_build: Build) -> None:
    name = DATA.settings.site.name
    for record in PAGES:
        title = catalog_page(site_build, record.id).title.get_text()
        assert record.title in title and name in title, title
        if record.nav_title and record.nav_title not in record.title:
            assert record.nav_title not in title


def test_media_tags_are_shown_as_labels(site_build: Build) -> None:
    labels = DATA.settings.site.media_labels
    assert [labels[tag] for tag in MEDIA_TAGS] == ["Image", "Video", "Realtime voice", "Any media"]
    hub = catalog_page(site_build, "index")
    driver_media = [row.select_one("td[data-label=Media]").get_text(strip=True) for row in hub.select("table.costhub-drivers tbody tr")]
    assert driver_media and set(driver_media) <= {"Image", "Video", "Realtime voice", "Any media"}
    for record in PAGES:
        cells = [cell.get_text(" ", strip=True) for cell in catalog_page(site_build, record.id).select("article td, article th")]
        assert not any(cell in MEDIA_TAGS or re.fullmatch(r"(image|video|voice|general)(, (image|video|voice|general))+", cell)
                       for cell in cells), record.id


def test_the_notice_is_shown_once_per_page_and_provider_tables_repeat_no_caption(site_build: Build) -> None:
    notice = DATA.settings.site.notice_label
    for record in PAGES:
        page = catalog_page(site_build, record.id)
        assert [strong.get_text(strip=True) for strong in page.select("strong")].count(notice) == 1, record.id
        assert page.select("table.costhub-providers caption") == []


def test_failure_mode_cards_have_headings_with_stable_anchors(site_build: Build) -> None:
    titles = {mode.id: mode.title for mode in DATA.all("failure_modes")}
    seen = 0
    for record in PAGES:
        for card in catalog_page(site_build, record.id).select("article.costhub-failure"):
            mode_id = card["id"].removeprefix("failure-")
            heading = card.select_one("h3")
            assert heading is not None and heading.get_text(" ", strip=True).startswith(titles[mode_id])
            assert heading.select_one("a.headerlink")["href"] == f"#failure-{mode_id}"
            assert card["aria-labelledby"] == heading["id"]
            seen += 1
    assert seen >= len(titles)


def test_reading_time_counts_the_prose_written_in_content(site_build: Build) -> None:
    for record in PAGES:
        facts = catalog_page(site_build, record.id).select_one(".costhub-review__facts").get_text(" ", strip=True)
        minutes = int(re.search(r"Reading time:? (\d+) min", facts).group(1))
        assert minutes == max(1, math.ceil(prose_word_count(record.id) / 200)), record.id
    calculator = catalog_page(site_build, "calculator").select_one(".costhub-review__facts").get_text(" ", strip=True)
    assert int(re.search(r"(\d+) min", calculator).group(1)) <= 5  # its embedded calculators once made it 19


# The site's search index: every entry's location and text without tags.
def search_entries(result: Build) -> list[tuple[str, str]]:
    docs = json.loads((result.site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    return [(doc["location"], re.sub(r"<[^>]+>", " ", doc["text"])) for doc in docs]


def test_search_index_keeps_cells_apart_and_each_record_table_once(site_build: Build) -> None:
    entries = search_entries(site_build)
    text = " ".join(body for _location, body in entries)
    for example in DATA.all("providers"):
        first_words = example.fact.split()[0]
        assert f"{example.provider}{first_words}" not in text
    headings = ["Provider", "What its documentation reported", "Source", "Checked"]
    assert "".join(headings[:2]) not in text and "LineAmount" not in text
    flat = [(location.split("#")[0], " ".join(body.split())) for location, body in entries]
    for text_of_record in [example.fact for example in DATA.all("providers")] + [item.tells for item in DATA.all("evidence")]:
        start = " ".join(text_of_record.replace("`", "").split()[:8])
        assert {page for page, body in flat if start in " ".join(body.split())} == {""}, start


def test_every_record_table_cell_is_labelled_with_its_column(site_build: Build) -> None:
    tables = 0
    for record in PAGES:
        for table in catalog_page(site_build, record.id).select("table.costhub-table"):
            headings = [th.get_text(strip=True) for th in table.select("thead th")]
            for row in table.select("tbody tr"):
                cells = row.find_all(["th", "td"], recursive=False)
                assert [cell.get("data-label") for cell in cells] == headings[:len(cells)]
            tables += 1
    assert tables >= 10


@pytest.fixture(scope="module")
def hidden_faq_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hidden-faq"))
    page = project / "content/realtime-voice-api-cost.md"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ faqs() }}", ""), encoding="utf-8")
    return project


def test_a_faq_no_page_shows_fails_check_and_build_with_its_line(hidden_faq_project: Path) -> None:
    voice = [faq for faq in DATA.all("faqs") if faq.page == "realtime-voice-api-cost"]
    assert len(voice) == 2
    code, _out, err = costhub(hidden_faq_project, "check")
    assert code == 1
    for faq in voice:
        assert f"data/faqs.yml:{faq.line}: " in err and f"FAQ {faq.id!r} is never shown" in err
    result = build(hidden_faq_project)
    assert result.returncode != 0
    assert all(f"FAQ {faq.id!r} is never shown" in result.log for faq in voice)
