"""Every built page in Chromium: axe-core (desktop and phone, both palettes), own-origin requests, no errors, JSON-LD, focus rings."""
from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from costhub.pages.site import Site
from costhub.publish.structured_data import page_url
from conftest import ROOT

from .conftest import READER_VIEWS, Recorder, Server, open_context

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_TABS = 400
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"
# The focused element (or, when it is visually hidden, its visible label) and its outline.
FOCUS_RING = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  const labels = [...(focused.labels || []), focused.nextElementSibling].filter(el => el && el.tagName === 'LABEL');
  const visible = el => { const box = el.getBoundingClientRect(); return box.width * box.height > 0 && getComputedStyle(el).opacity !== '0'; };
  const ring = visible(focused) ? focused : labels.find(visible);
  const path = [];
  for (let node = focused; node && node !== document.body; node = node.parentElement) {
    path.unshift(node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') + ':' + [...node.parentElement.children].indexOf(node));
  }
  const style = ring ? getComputedStyle(ring) : null;
  return {key: path.join('>'), text: (focused.innerText || focused.getAttribute('aria-label') || focused.name || '').trim().slice(0, 40),
          outline: style ? style.outlineStyle : 'no visible element', width: style ? parseFloat(style.outlineWidth) : 0};
}"""


# Load a page and wait until it and its requests have settled.
def visit(page: Page, path: str) -> None:
    response = page.goto(path, wait_until="networkidle")
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"


# Run axe-core (from the npm package) on the loaded page; returns readable violations.
def axe_violations(page: Page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in result["violations"]]


# The URL path of a catalog page on the served site.
def catalog_path(page_id: str) -> str:
    return "/" if page_id == "index" else f"/{page_id}/"


# The project's data, as the build saw it.
@pytest.fixture(scope="module")
def site() -> Site:
    return Site.load(ROOT)


@pytest.mark.parametrize("view", READER_VIEWS)
def test_axe_finds_no_wcag_violation_on_any_page(browser: Browser, site_server: Server, axe_source: str,
                                                 site: Site, view: str) -> None:
    options, scheme = READER_VIEWS[view]
    # axe-core goes in as an inline script, which each page's own Content-Security-Policy would rightly block.
    context, recorder = open_context(browser, site_server, bypass_csp=True, **options)
    page = context.new_page()
    failures: list[str] = []
    paths = site_server.page_paths()
    for path in paths:
        visit(page, path)
        page.wait_for_function("scheme => document.body.dataset.mdColorScheme === scheme", arg=scheme)
        failures.extend(f"{path} [{view}] {violation}" for violation in axe_violations(page, axe_source))
    context.close()
    print(f"axe-core checked {len(paths)} pages in the {view} view")
    assert {catalog_path(record.id) for record in site.data.all("pages")} | {"/404.html"} <= set(paths)
    assert not failures, "\n".join(failures)
    assert recorder.errors == []


def test_no_page_requests_another_origin_or_logs_an_error(context: tuple[BrowserContext, Recorder],
                                                         site_server: Server) -> None:
    browser_context, recorder = context
    page = browser_context.new_page()
    third_party: list[str] = []
    errors: list[str] = []
    own_requests = 0
    for path in site_server.page_paths():
        recorder.clear()
        visit(page, path)
        own_requests += len(recorder.requests)
        third_party.extend(f"{path}: {url}" for url in recorder.third_party())
        errors.extend(f"{path}: {error}" for error in recorder.errors)
    assert own_requests >= len(site_server.page_paths())
    assert not third_party, "\n".join(third_party)
    assert not errors, "\n".join(errors)


def test_recorder_notices_a_third_party_request(context: tuple[BrowserContext, Recorder]) -> None:
    browser_context, recorder = context
    browser_context.route("http://elsewhere.invalid/**", lambda route: route.abort())
    page = browser_context.new_page()
    visit(page, "/")
    with page.expect_event("requestfailed"):
        page.evaluate("() => { new Image().src = 'http://elsewhere.invalid/pixel.png'; }")
    assert recorder.third_party() == ["http://elsewhere.invalid/pixel.png"]


def test_json_ld_on_every_catalog_page_parses_and_matches_the_data(page: Page, site_server: Server, site: Site) -> None:
    settings = site.data.settings.site
    owners_of_question: dict[str, list[str]] = {}
    for record in site.data.all("pages"):
        visit(page, catalog_path(record.id))
        blocks = page.eval_on_selector_all('script[type="application/ld+json"]', "nodes => nodes.map(n => n.textContent)")
        objects = {item["@type"]: item for item in map(json.loads, blocks)}
        expected_type = "Article" if record.section == "guides" else "WebPage"
        work = objects[expected_type]
        assert work["@context"] == "https://schema.org"
        assert (work["headline"], work["description"], work["dateModified"]) == (record.title, record.summary, record.last_reviewed)
        assert len(work["headline"]) <= 110
        assert work["publisher"] == {"@type": "Organization", "name": settings.publisher.name, "url": settings.url}
        assert work["url"] == page_url(settings.url, record.id) == page.locator("link[rel=canonical]").get_attribute("href")
        faqs = [faq for faq in site.data.all("faqs") if faq.page == record.id]
        shown = page.locator(".costhub-faq h3").all_inner_texts()
        if faqs:
            questions = [entity["name"] for entity in objects["FAQPage"]["mainEntity"]]
            assert questions == [faq.question for faq in faqs]
            assert [entity["acceptedAnswer"]["text"] for entity in objects["FAQPage"]["mainEntity"]] == [faq.answer for faq in faqs]
            assert set(questions) <= set(shown), f"{record.id}: FAQPage names questions the page does not show"
            for question in questions:
                owners_of_question.setdefault(question, []).append(record.id)
        else:
            assert "FAQPage" not in objects
        assert sorted(objects) == sorted({expected_type} | ({"FAQPage"} if faqs else set()))
    assert owners_of_question and all(len(owners) == 1 for owners in owners_of_question.values())
    assert len(owners_of_question) == len(site.data.all("faqs"))


def test_missing_path_gets_the_404_page_with_links_to_hub_and_guides(page: Page, site: Site) -> None:
    response = page.goto("/no/such/page/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    links = page.locator("article a").evaluate_all("links => links.map(a => a.pathname)")
    guides = [f"/{record.id}/" for record in site.data.all("pages") if record.section == "guides"]
    assert links[0] == "/" and links[1:] == guides
    with page.expect_navigation():
        page.locator("article a").nth(1).click()
    assert page.url.endswith(guides[0])


def test_every_focusable_element_shows_a_focus_ring(page: Page, site_server: Server) -> None:
    missing: list[str] = []
    checked = 0
    for path in site_server.page_paths():
        visit(page, path)
        page.add_style_tag(content=NO_MOTION)
        seen: set[str] = set()
        for _ in range(MAX_TABS):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_RING)
            if focused is None or focused["key"] in seen:
                break
            seen.add(focused["key"])
            checked += 1
            if focused["outline"] == "none" or focused["width"] < 1:
                missing.append(f"{path}: {focused['key']} ({focused['text']!r}) outline {focused['outline']} {focused['width']}px")
    print(f"{checked} focusable elements checked for a focus ring")
    assert checked > len(site_server.page_paths())
    assert not missing, "\n".join(missing)
