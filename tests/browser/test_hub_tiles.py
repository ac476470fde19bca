"""The hub's entry tiles (three media guides, then the two tools) on computed layout in Chromium: every row they use
is full and even. All five share one row at 1280 px and wider (and wherever the column has room), three then two
below that, one column on a 390 px phone; no word in a tile is broken across lines."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from .conftest import Server, open_context

pytestmark = pytest.mark.browser

# The tiles' boxes relative to their list, and every word of a tile that the layout breaks across lines.
MEASURE = """() => {
  const list = document.querySelector('.costhub-entries ul'), outer = list.getBoundingClientRect();
  const tiles = [...list.children].map(tile => { const box = tile.getBoundingClientRect();
    return {left: box.left - outer.left, right: box.right - outer.left, top: box.top - outer.top, width: box.width, height: box.height}; });
  const broken = [];
  for (const link of list.querySelectorAll('a')) {
    const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index); range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return {width: outer.width, tiles, broken};
}"""

# Viewport width, colour scheme, and the tiles per row worked out for five tiles in that column.
LAYOUTS = [(1280, "light", [5]), (1280, "dark", [5]), (1600, "light", [5]), (1024, "light", [5]), (700, "light", [5]),
           (600, "light", [3, 2]), (390, "light", [1, 1, 1, 1, 1]), (390, "dark", [1, 1, 1, 1, 1])]


# The tiles grouped into rows by their top edge, top to bottom.
def rows_of(tiles: list[dict[str, float]]) -> list[list[dict[str, float]]]:
    rows: list[list[dict[str, float]]] = []
    for tile in sorted(tiles, key=lambda tile: (round(tile["top"]), tile["left"])):
        if rows and abs(rows[-1][0]["top"] - tile["top"]) <= 1:
            rows[-1].append(tile)
        else:
            rows.append([tile])
    return rows


@pytest.fixture(scope="module")
def measured(browser: Browser, site_server: Server) -> dict[tuple[int, str], dict[str, Any]]:
    out = {}
    for width, scheme, _rows in LAYOUTS:
        context, _recorder = open_context(browser, site_server, viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto("/", wait_until="load")
        out[(width, scheme)] = page.evaluate(MEASURE)
        context.close()
    return out


@pytest.mark.parametrize(("width", "scheme", "expected"), LAYOUTS)
def test_tiles_fill_each_row_evenly(measured: dict[tuple[int, str], dict[str, Any]], width: int, scheme: str,
                                    expected: list[int]) -> None:
    layout = measured[(width, scheme)]
    rows = rows_of(layout["tiles"])
    assert [len(row) for row in rows] == expected
    for row in rows:
        assert abs(row[0]["left"]) <= 1 and abs(row[-1]["right"] - layout["width"]) <= 1, row
        assert max(tile["width"] for tile in row) - min(tile["width"] for tile in row) <= 1, row
        assert max(tile["height"] for tile in row) - min(tile["height"] for tile in row) <= 1, row
    for upper, lower in zip(rows, rows[1:]):
        assert lower[0]["top"] >= upper[0]["top"] + upper[0]["height"], (upper, lower)


@pytest.mark.parametrize(("width", "scheme", "expected"), LAYOUTS)
def test_no_word_in_a_tile_breaks_across_lines(measured: dict[tuple[int, str], dict[str, Any]], width: int, scheme: str,
                                               expected: list[int]) -> None:
    assert measured[(width, scheme)]["broken"] == []
