"""Layout on computed styles and boxes in Chromium, on every page at 1280×900 and 390×844 in both colour schemes:
nothing wider than the viewport, guide cards in columns, record tables that fit or turn into cards, no text clipped,
the title and hero above the fold on a desktop; plus a screenshot of each page type at both widths for reviewers."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from conftest import ROOT

from .conftest import READER_VIEWS, Server, open_context

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "site-screenshots"
# One page of each type (section of the page catalog), photographed at both widths in the light scheme.
PAGE_TYPES = {"/": "hub", "/video-generation-api-pricing/": "guide", "/calculator/": "calculator",
              "/checklists/": "checklists", "/glossary/": "reference", "/review/": "dashboard", "/404.html": "not-found"}
# Everything the layout tests need from one loaded page, measured in one pass.
MEASURE = """() => {
  const width = document.documentElement.clientWidth, height = window.innerHeight;
  const shown = el => { const s = getComputedStyle(el); const box = el.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && box.width > 0 && box.height > 0; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const inDrawer = el => el.closest('.md-sidebar, .md-search, .md-dialog, .md-header__topic, .md-tooltip');
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    if (inDrawer(el) || !shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 || box.left < -1) wide.push(name(el) + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
  }
  const cards = [...document.querySelectorAll('.costhub-cards')].filter(shown).map(list => ({
    display: getComputedStyle(list).display, count: list.children.length,
    columns: new Set([...list.children].map(card => Math.round(card.getBoundingClientRect().left))).size}));
  const tables = [...document.querySelectorAll('article table')].filter(shown).map(table => {
    const wrap = table.closest('.costhub-table-wrap') || table.parentElement;
    return {table: name(table), cards: getComputedStyle(table).display === 'block' && getComputedStyle(table.querySelector('tbody tr')).display === 'block',
            width: table.scrollWidth, room: wrap.clientWidth};
  });
  const clipped = [];
  for (const el of document.querySelectorAll('article *, .md-footer *')) {
    const s = getComputedStyle(el);
    if (!shown(el) || !el.textContent.trim() || s.clipPath.startsWith('inset(50%') || el.getBoundingClientRect().width <= 1) continue;  // visually hidden on purpose
    const hides = [s.overflowX, s.overflowY].some(value => value === 'hidden' || value === 'clip');
    if (hides && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) clipped.push(name(el));
  }
  const box = sel => { const el = document.querySelector(sel); if (!el) return null; const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  return {scrollWidth: document.documentElement.scrollWidth, width, height, wide, cards, tables, clipped,
          title: box('article h1'), hero: box('.costhub-hero'), scheme: document.body.dataset.mdColorScheme};
}"""


# Every page measured in every reader view, with the screenshots taken along the way: {(view, path): measurement}.
@pytest.fixture(scope="module")
def layouts(browser: Browser, site_server: Server) -> dict[tuple[str, str], dict[str, Any]]:
    SCREENSHOTS.mkdir(exist_ok=True)
    measured: dict[tuple[str, str], dict[str, Any]] = {}
    for view, (options, scheme) in READER_VIEWS.items():
        context, _recorder = open_context(browser, site_server, **options)
        page = context.new_page()
        for path in site_server.page_paths():
            page.goto(path, wait_until="load")
            page.wait_for_function("scheme => document.body.dataset.mdColorScheme === scheme", arg=scheme)
            measured[(view, path)] = page.evaluate(MEASURE)
            if path in PAGE_TYPES and scheme == "default":
                page.screenshot(path=str(SCREENSHOTS / f"{PAGE_TYPES[path]}-{options['viewport']['width']}.png"), full_page=True)
        context.close()
    return measured


def test_every_view_of_every_page_was_measured(layouts: dict[tuple[str, str], dict[str, Any]], site_server: Server) -> None:
    assert set(READER_VIEWS) == {"desktop-light", "desktop-dark", "phone-light", "phone-dark"}
    assert len(layouts) == 4 * len(site_server.page_paths()) and len(site_server.page_paths()) >= 12
    assert {layout["scheme"] for layout in layouts.values()} == {"default", "slate"}


def test_nothing_is_wider_than_the_viewport(layouts: dict[tuple[str, str], dict[str, Any]]) -> None:
    problems = [f"{path} [{view}]: page {layout['scrollWidth']} px wide in {layout['width']} px" for (view, path), layout in layouts.items()
                if layout["scrollWidth"] > layout["width"]]
    problems += [f"{path} [{view}]: {element}" for (view, path), layout in layouts.items() for element in layout["wide"][:5]]
    assert not problems, "\n".join(problems)


def test_guide_cards_are_a_grid_of_two_or_more_columns_on_a_desktop_and_one_on_a_phone(
        layouts: dict[tuple[str, str], dict[str, Any]]) -> None:
    checked = 0
    for (view, path), layout in layouts.items():
        for cards in layout["cards"]:
            assert cards["display"] == "grid", (view, path)
            expected = 1 if view.startswith("phone") else min(2, cards["count"])
            assert (cards["columns"] >= expected) if expected > 1 else cards["columns"] == 1, (view, path, cards)
            checked += 1
    assert checked >= 4 * 7  # the hub's guides and six guides' related guides, in four views


def test_every_record_table_fits_its_container_or_shows_as_cards(layouts: dict[tuple[str, str], dict[str, Any]]) -> None:
    problems, card_views, tables = [], 0, 0
    for (view, path), layout in layouts.items():
        for table in layout["tables"]:
            tables += 1
            card_views += table["cards"]
            if not table["cards"] and table["width"] > table["room"] + 1:
                problems.append(f"{path} [{view}] {table['table']}: {table['width']} px in {table['room']} px")
            if view.startswith("desktop") and table["cards"]:
                problems.append(f"{path} [{view}] {table['table']} is cards on a desktop")
    assert not problems, "\n".join(problems)
    assert tables >= 40 and card_views >= 20


def test_no_text_is_clipped_by_hidden_overflow(layouts: dict[tuple[str, str], dict[str, Any]]) -> None:
    problems = [f"{path} [{view}]: {element}" for (view, path), layout in layouts.items() for element in layout["clipped"]]
    assert not problems, "\n".join(problems)


def test_title_and_hub_hero_are_visible_without_scrolling_on_a_desktop(layouts: dict[tuple[str, str], dict[str, Any]]) -> None:
    for (view, path), layout in layouts.items():
        if not view.startswith("desktop") or layout["title"] is None:
            continue
        assert 0 <= layout["title"]["top"] and layout["title"]["bottom"] <= layout["height"], (view, path)
    for view in ("desktop-light", "desktop-dark"):
        hero = layouts[(view, "/")]["hero"]
        assert hero is not None and hero["top"] < layouts[(view, "/")]["height"] / 2, hero


def test_a_screenshot_of_each_page_type_at_both_widths_is_saved(layouts: dict[tuple[str, str], dict[str, Any]]) -> None:
    for kind in PAGE_TYPES.values():
        for width in (1280, 390):
            shot = SCREENSHOTS / f"{kind}-{width}.png"
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot
