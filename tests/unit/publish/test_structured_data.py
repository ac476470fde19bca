"""JSON-LD built from the page catalog, the FAQs and the site settings."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costhub.markup.htmlscan import scan_html
from costhub.pages.site import Site
from costhub.publish.structured_data import page_json_ld, page_url, script_json, shown_faqs

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.load(ROOT)


# The rendered body of a catalog page.
def citations_of(site: Site, page_id: str) -> tuple[tuple[str, str], ...]:
    return site.prerendered[f"{page_id}.md"][1].scan.citations


def test_page_url_is_directory_style_under_the_site_url() -> None:
    assert page_url("https://example.org/hub/", "index") == "https://example.org/hub/"
    assert page_url("https://example.org/hub/", "glossary") == "https://example.org/hub/glossary/"


def test_every_guide_is_an_article_dated_by_its_last_review(site: Site) -> None:
    settings = site.data.settings.site
    guides = [page for page in site.data.all("pages") if page.section == "guides"]
    assert guides
    for guide in guides:
        article = page_json_ld(site.data, guide, citations_of(site, guide.id))[0]
        assert article["@context"] == "https://schema.org" and article["@type"] == "Article"
        assert (article["headline"], article["description"]) == (guide.title, guide.summary)
        assert article["dateModified"] == guide.last_reviewed
        assert article["url"] == article["mainEntityOfPage"] == page_url(settings.url, guide.id)
        assert article["publisher"] == {"@type": "Organization", "name": settings.publisher.name, "url": settings.url}


def test_other_pages_are_web_pages(site: Site) -> None:
    others = [page for page in site.data.all("pages") if page.section != "guides"]
    assert others and all(page_json_ld(site.data, page, citations_of(site, page.id))[0]["@type"] == "WebPage" for page in others)


def test_faq_page_lists_exactly_the_questions_the_page_shows(site: Site) -> None:
    owners = Counter()
    for page in site.data.all("pages"):
        objects = page_json_ld(site.data, page, citations_of(site, page.id))
        faqs = [faq for faq in site.data.all("faqs") if faq.page == page.id]
        faq_pages = [item for item in objects if item["@type"] == "FAQPage"]
        if not faqs:
            assert faq_pages == []
            continue
        (faq_page,) = faq_pages
        assert [(q["name"], q["acceptedAnswer"]["text"]) for q in faq_page["mainEntity"]] == [(f.question, f.answer) for f in faqs]
        owners.update(faq.id for faq in faqs)
    assert sorted(owners) == sorted(site.data.ids("faqs")) and set(owners.values()) == {1}


def test_faq_page_describes_only_faq_blocks_in_the_body_in_their_order(site: Site) -> None:
    first, second = site.data.all("faqs")[:2]
    hub = site.data.get("pages", "index")
    body = (f'<p data-record="pages:index">x</p><section data-record="faqs:{second.id}"></section>'
            f'<section data-record="faqs:{first.id}"></section><section data-record="faqs:{second.id}"></section>'
            '<section data-record="faqs:no-such-question"></section>')
    (_work, faq_page) = page_json_ld(site.data, hub, scan_html(body).citations)
    assert [q["name"] for q in faq_page["mainEntity"]] == [second.question, first.question]
    assert [faq.id for faq in shown_faqs(site.data, scan_html(body).citations)] == [second.id, first.id]
    assert [item["@type"] for item in page_json_ld(site.data, hub, ())] == ["WebPage"]


@given(st.dictionaries(st.text(), st.text(), max_size=4))
def test_script_json_round_trips_and_cannot_close_its_element(value: dict[str, str]) -> None:
    text = script_json(value)
    assert json.loads(text) == value
    assert "<" not in text and ">" not in text and "&" not in text


def test_script_json_escapes_a_closing_script_tag() -> None:
    assert script_json({"text": "</script><b>&"}) == '{"text":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
