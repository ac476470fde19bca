"""Reader-facing output of a strict build: sharing tags, sitemap dates, the 404 page, checklist markup, script loading."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Build, build, rewrite_data
from costhub.pages.site import Site
from costhub.publish.structured_data import page_url

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
CHECKLIST_SCRIPT = "assets/javascripts/checklists.js"


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.load(ROOT)


# The built page of a catalog page id.
def catalog_page(result: Build, page_id: str) -> BeautifulSoup:
    return result.page("" if page_id == "index" else f"{page_id}/")


# The content of <meta name=...> or <meta property=...> on a page (None when absent).
def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"name": key}) or soup.find("meta", attrs={"property": key})
    return tag["content"] if tag else None


# Every built HTML page, parsed, keyed by its path inside the site.
def all_pages(result: Build) -> dict[str, BeautifulSoup]:
    return {path.relative_to(result.site).as_posix(): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in sorted(result.site.rglob("*.html"))}


def test_every_page_has_description_and_sharing_tags_from_the_catalog(site_build: Build, site: Site) -> None:
    for record in site.data.all("pages"):
        soup = catalog_page(site_build, record.id)
        url = page_url(site.data.settings.site.url, record.id)
        assert meta(soup, "description") == record.summary
        assert [meta(soup, key) for key in ("og:title", "og:description", "og:url")] == [record.title, record.summary, url]
        assert [meta(soup, key) for key in ("twitter:card", "twitter:title", "twitter:description")] == ["summary", record.title, record.summary]
        assert meta(soup, "og:type") == ("article" if record.section == "guides" else "website")
        assert meta(soup, "og:site_name") == site.data.settings.site.name
        assert soup.find("link", rel="canonical")["href"] == url


# The sitemap of a build as {loc: lastmod}.
def sitemap_dates(result: Build) -> dict[str, str | None]:
    tree = ElementTree.parse(result.site / "sitemap.xml")
    return {url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext("sm:lastmod", namespaces=SITEMAP_NS)
            for url in tree.getroot().findall("sm:url", SITEMAP_NS)}


def test_sitemap_dates_each_page_by_its_last_review(site_build: Build, site: Site) -> None:
    assert sitemap_dates(site_build) == {page_url(site.data.settings.site.url, record.id): record.last_reviewed for record in site.data.all("pages")}


def test_changed_review_date_and_summary_reach_sitemap_meta_and_json_ld(project: Path) -> None:
    summary = "A new one-line summary for this guide, written for the test."
    changed: list[str] = []

    def _change(document: dict[str, Any]) -> None:
        guide = next(page for page in document["pages"] if page["section"] == "guides")
        guide.update(last_reviewed="2026-10-15", summary=summary)
        changed.append(guide["id"])

    rewrite_data(project, "pages", _change)
    result = build(project)
    assert result.returncode == 0, result.log
    soup = result.page(f"{changed[0]}/")
    assert meta(soup, "description") == meta(soup, "og:description") == summary
    article = json.loads(soup.find("script", type="application/ld+json").string)
    assert (article["dateModified"], article["description"]) == ("2026-10-15", summary)
    assert sitemap_dates(result)[f"https://media-api-cost-hub.example/{changed[0]}/"] == "2026-10-15"


def test_json_ld_keeps_hostile_faq_text_as_data(project: Path) -> None:
    hostile = "Ends here </script><script>window.owned = 1</script> & more"
    owner: list[str] = []

    def _change(document: dict[str, Any]) -> None:
        document["faqs"][0]["question"] = hostile
        owner.append(document["faqs"][0]["page"])

    rewrite_data(project, "faqs", _change)
    result = build(project)
    assert result.returncode == 0, result.log
    soup = catalog_page(result, owner[0])
    blocks = [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]
    faq_page = next(block for block in blocks if block["@type"] == "FAQPage")
    assert faq_page["mainEntity"][0]["name"] == hostile
    assert not any("window.owned" in (script.string or "") for script in soup.find_all("script") if not script.get("type"))


def test_404_page_is_not_indexed_and_links_to_hub_and_every_guide(site_build: Build, site: Site) -> None:
    soup = site_build.page("404.html")
    assert meta(soup, "robots") == "noindex"
    assert soup.find("script", type="application/ld+json") is None
    links = [a["href"] for a in soup.select("article a")]
    assert links == ["/"] + [f"/{record.id}/" for record in site.data.all("pages") if record.section == "guides"]


def test_every_rendered_checklist_is_a_list_of_labelled_checkboxes(site_build: Build, site: Site) -> None:
    rendered = set()
    for path, soup in all_pages(site_build).items():
        for section in soup.select("[data-checklist]"):
            checklist = site.data.get("checklists", section["data-checklist"])
            assert section["data-record"] == f"checklists:{checklist.id}"
            items = section.select("ul > li[data-item]")
            assert [item["data-item"] for item in items] == [entry.id for entry in checklist["items"]], path
            for item, entry in zip(items, checklist["items"]):
                box = item.select_one("label > input[type=checkbox]")
                assert box is not None and " ".join(item.label.get_text().split()) == " ".join(entry.text.replace("`", "").split())
            tools = section.select_one(".costhub-checklist__tools")
            assert tools.has_attr("hidden") and {button["type"] for button in tools.select("button")} == {"button"}
            rendered.add(checklist.id)
    assert rendered


def test_checklist_script_loads_from_the_site_only_where_a_checklist_is(site_build: Build) -> None:
    with_script = 0
    for path, soup in all_pages(site_build).items():
        sources = [script["src"] for script in soup.find_all("script", src=True)]
        ours = [source for source in sources if source.endswith(CHECKLIST_SCRIPT)]
        assert len(ours) == (1 if soup.select("[data-checklist]") else 0), path
        assert all("//" not in source for source in sources), path
        with_script += len(ours)
    assert with_script > 0 and (site_build.site / CHECKLIST_SCRIPT).exists()


def test_no_page_has_inline_event_handlers(site_build: Build) -> None:
    offenders = [f"{path}: <{tag.name} {name}>" for path, soup in all_pages(site_build).items()
                 for tag in soup.find_all(True) for name in tag.attrs if name.lower().startswith("on")]
    assert offenders == []


def test_our_one_stylesheet_and_the_print_stylesheet_are_linked_on_every_page(site_build: Build) -> None:
    for path, soup in all_pages(site_build).items():
        links = {link["href"].rsplit("/", 3)[-1]: link.get("media") for link in soup.find_all("link", rel="stylesheet")}
        assert links.get("costhub.css", "missing") is None and links.get("print.css") == "print", path
        # Ours is one request for every page, on top of the theme's main and palette stylesheets.
        ours = [name for name in links if not name.startswith(("main.", "palette."))]
        assert ours == ["costhub.css", "print.css"], path
