"""The built site: every catalog page exists, every guide has its sections, every data record is shown somewhere."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Build, build, copy_project
from costhub.data.load import load_site_data

DATA = load_site_data(ROOT / "data", ROOT)
GUIDES = [page.id for page in DATA.all("pages") if page.section == "guides"]
# Built HTML files that are not catalog pages.
EXEMPT_PAGES = {"404.html"}
# Kinds whose records other pages render: owners on the editors' review dashboard, calculators on the calculator page.
EXEMPT_KINDS = {"owners", "calculators"}
GUIDE_SECTIONS = {
    "summary box": ".costhub-summary",
    "numbered quick answer": "ol.costhub-quick-answer > li",
    "who it is for": ".costhub-audience",
    "checklist": ".costhub-checklist input[type=checkbox]",
    "failure modes": ".costhub-failures .costhub-failure",
    "evidence table": "table.costhub-evidence th[scope=row]",
    "provider examples": "table.costhub-providers a[href^='https://']",
    "FAQs": ".costhub-faqs .costhub-faq h3",
    "related guides": ".costhub-related .costhub-card a",
    "educational notice": ".costhub-notice",
    "call to action": ".costhub-cta a",
}


# The page id a built file belongs to: "index" for the hub, "<id>" for <id>/index.html, None for other files.
def page_id_of(relative: Path) -> str | None:
    if relative.as_posix() == "index.html":
        return "index"
    if relative.name == "index.html" and len(relative.parts) == 2:
        return relative.parts[0]
    return None


# Every built HTML file except search and asset files, relative to the site folder.
def built_html(site: Path) -> list[Path]:
    return sorted(path.relative_to(site) for path in site.rglob("*.html")
                  if path.relative_to(site).parts[0] not in ("assets", "search"))


# Map "<kind>:<id>" to the built pages that render it, read from data-record attributes.
def rendered_records(site: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for relative in built_html(site):
        soup = BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")
        for element in soup.select("[data-record]"):
            found[element["data-record"]].add(relative.as_posix())
    return found


# Every record of every data kind (settings and exempt kinds aside) that no built page renders.
def orphans(project: Path, site: Path) -> list[str]:
    data = load_site_data(project / "data", project)
    shown = rendered_records(site)
    return [f"{kind}:{record_id}" for kind in sorted(data.kinds) if kind not in EXEMPT_KINDS
            for record_id in data.ids(kind) if f"{kind}:{record_id}" not in shown]


# The main article of a built page.
def article(site_build: Build, page_id: str) -> BeautifulSoup:
    return site_build.page("" if page_id == "index" else f"{page_id}/").select_one("article.md-content__inner")


# Catalog page ids that the links inside a page's article point to.
def linked_page_ids(site_build: Build, page_id: str) -> set[str]:
    base = "https://site.test/" if page_id == "index" else f"https://site.test/{page_id}/"
    ids = set()
    for link in article(site_build, page_id).select("a[href]"):
        path = urljoin(base, link["href"]).split("#", 1)[0].removeprefix("https://site.test/")
        ids.add("index" if path == "" else path.rstrip("/"))
    return ids & set(DATA.ids("pages"))


def test_every_catalog_page_is_built_and_every_built_page_is_in_the_catalog(site_build: Build) -> None:
    built = {relative.as_posix(): page_id_of(relative) for relative in built_html(site_build.site)}
    strays = sorted(name for name, page_id in built.items() if page_id is None and name not in EXEMPT_PAGES)
    assert strays == []
    assert set(built.values()) - {None} == set(DATA.ids("pages"))


@pytest.mark.parametrize("page_id", GUIDES)
@pytest.mark.parametrize("section", sorted(GUIDE_SECTIONS))
def test_guide_has_required_section(site_build: Build, page_id: str, section: str) -> None:
    assert article(site_build, page_id).select(GUIDE_SECTIONS[section]), f"{page_id} lacks its {section}"


@pytest.mark.parametrize("page_id", GUIDES)
def test_guide_summary_comes_from_its_catalog_entry(site_build: Build, page_id: str) -> None:
    record = DATA.get("pages", page_id)
    box = article(site_build, page_id).select_one(".costhub-summary")
    assert box["data-record"] == f"pages:{page_id}"
    assert box.select_one(".costhub-summary__text").get_text(strip=True) == record.summary
    assert [item.get_text(strip=True) for item in box.select("ol.costhub-quick-answer > li")] == list(record.quick_answer)


def test_every_record_is_rendered_somewhere(site_build: Build) -> None:
    assert orphans(ROOT, site_build.site) == []


def test_orphan_check_notices_a_record_no_page_renders(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    faqs = project / "data/faqs.yml"
    faqs.write_text(faqs.read_text(encoding="utf-8") + "  - id: nowhere\n    page: calculator\n"
                    "    question: Who shows this?\n    answer: Nobody.\n", encoding="utf-8")
    result = build(project)
    assert result.returncode == 1 and "FAQ 'nowhere' is never shown on any page" in result.log
    assert orphans(project, result.site) == ["faqs:nowhere"]


def test_each_faq_is_shown_only_on_its_own_page(site_build: Build) -> None:
    shown = rendered_records(site_build.site)
    for faq in DATA.all("faqs"):
        expected = "index.html" if faq.page == "index" else f"{faq.page}/index.html"
        assert shown[f"faqs:{faq.id}"] == {expected}, faq.location


def test_hub_links_to_every_guide(site_build: Build) -> None:
    assert set(GUIDES) <= linked_page_ids(site_build, "index")


@pytest.mark.parametrize("page_id", GUIDES)
def test_guide_links_to_hub_and_two_related_guides(site_build: Build, page_id: str) -> None:
    links = linked_page_ids(site_build, page_id)
    assert "index" in links
    assert len(links & set(GUIDES) - {page_id}) >= 2


def test_checklists_page_gathers_every_checklist(site_build: Build) -> None:
    shown = [section["data-checklist"] for section in article(site_build, "checklists").select(".costhub-checklist")]
    assert sorted(shown) == sorted(DATA.ids("checklists"))


@pytest.mark.parametrize("page_id", DATA.ids("pages"))
def test_page_structure_is_accessible(site_build: Build, page_id: str) -> None:
    body = article(site_build, page_id)
    levels = [int(heading.name[1]) for heading in body.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:])), levels
    assert all(cell.get("scope") in ("col", "row") for cell in body.select("table th"))
    assert all(link.get_text(strip=True) for link in body.select("a[href]"))


def test_footer_and_call_to_action_come_from_site_settings(site_build: Build) -> None:
    settings = DATA.settings.site
    for page_id in ["index", *GUIDES]:
        page = site_build.page("" if page_id == "index" else f"{page_id}/")
        assert page.select_one(".costhub-footer__name").get_text(strip=True) == settings.name
        assert page.select_one(".costhub-footer__tagline").get_text(strip=True) == settings.tagline
        cta = page.select_one(".costhub-cta a")
        assert cta.get_text(strip=True) == settings.cta.text
        assert cta["href"].rstrip("/").endswith(settings.cta.page)


def test_changed_brand_reaches_header_footer_and_cta(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site_file = project / "data/site.yml"
    text = site_file.read_text(encoding="utf-8")
    site_file.write_text(text.replace("name: Media API Cost Hub\n  tagline", "name: Clip Cost Notes\n  tagline")
                         .replace("text: Estimate your own workload", "text: Run the numbers")
                         .replace("notice_label: Educational, not a price list.", "notice_label: For learning only."),
                         encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.log
    page = result.page("image-generation-api-cost/")
    assert page.select_one(".costhub-footer__name").get_text(strip=True) == "Clip Cost Notes"
    assert "Clip Cost Notes" in page.title.get_text()
    assert page.select_one(".costhub-cta a").get_text(strip=True) == "Run the numbers"
    assert page.select_one(".costhub-notice strong").get_text(strip=True) == "For learning only."
    assert [notice.get_text(strip=True) for notice in page.select("strong")].count("For learning only.") == 1


def test_pages_make_no_third_party_requests(site_build: Build) -> None:
    for relative in built_html(site_build.site):
        soup = BeautifulSoup((site_build.site / relative).read_text(encoding="utf-8"), "html.parser")
        loaded = [tag.get("src") for tag in soup.select("script[src], img[src], iframe[src]")]
        loaded += [tag.get("href") for tag in soup.select("link[href]") if tag.get("rel") != ["canonical"]]
        assert [url for url in loaded if re.match(r"^(https?:)?//", url)] == [], relative
