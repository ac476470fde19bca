"""The comparison tables in Chromium: every column sorts both ways, and every row's link opens the calculator with
a figure equal to the row's."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .calculator_support import page, site_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
COMPARISONS = {"video-clip": ("video-generation-api-pricing", "video", "cost_per_video"),
               "image-square": ("image-generation-api-cost", "image", "cost_per_image"),
               "voice-session": ("realtime-voice-api-cost", "voice", "cost_per_session")}


# The rows of a comparison table as the browser shows them: (price id, each cell's sort value).
def table_rows(page: Page, comparison: str) -> list[tuple[str, list[str]]]:
    return page.evaluate("""(id) => Array.from(document.querySelectorAll(`table[data-compare='${id}'] tbody tr`)).map(
      (row) => [row.dataset.row, Array.from(row.cells).map((cell) => cell.dataset.sortValue ?? cell.textContent.trim())])""",
                         comparison)


# A sort value as the script compares it: a number when it is one, else lower-case text.
def key(text: str) -> tuple[int, float, str]:
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text.lower())


@pytest.mark.parametrize("comparison", sorted(COMPARISONS))
def test_every_column_sorts_ascending_then_descending(page: Page, site_url: str, comparison: str) -> None:
    guide = COMPARISONS[comparison][0]
    page.goto(f"{site_url}/{guide}/")
    page.wait_for_selector(f"table[data-compare='{comparison}'][data-sortable='ready']")
    first = table_rows(page, comparison)
    costs = [float(cells[2]) for _row, cells in first]
    assert costs == sorted(costs) and len(first) >= 6
    headings = page.locator(f"table[data-compare='{comparison}'] thead th")
    for column in range(headings.count() - 1):
        button = headings.nth(column).locator("button")
        button.click()
        values = [cells[column] for _row, cells in table_rows(page, comparison)]
        assert values == sorted(values, key=key), (column, values)
        assert headings.nth(column).get_attribute("aria-sort") == "ascending"
        button.click()
        values = [cells[column] for _row, cells in table_rows(page, comparison)]
        assert values == sorted(values, key=key, reverse=True), (column, values)
        assert headings.nth(column).get_attribute("aria-sort") == "descending"
    assert sorted(row for row, _cells in table_rows(page, comparison)) == sorted(row for row, _cells in first)
    assert page.problems == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("comparison", sorted(COMPARISONS))
def test_every_rows_link_reproduces_its_figure_in_the_calculator(page: Page, site_url: str, comparison: str) -> None:
    guide, calculator, output = COMPARISONS[comparison]
    page.goto(f"{site_url}/{guide}/")
    rows = page.evaluate("""(id) => Array.from(document.querySelectorAll(`table[data-compare='${id}'] tbody tr`)).map(
      (row) => [row.dataset.row, row.querySelector("td.costhub-compare__number").textContent.trim(),
                row.querySelector("a.costhub-compare__open").href])""", comparison)
    assert rows
    for price_id, shown, link in rows:
        page.goto(link)
        page.wait_for_selector(f"section.costhub-calc--live[data-calculator='{calculator}']")
        figure = page.text_content(f"#calc-{calculator} dd[data-line='{output}']")
        assert figure is not None and figure.strip() == shown, (price_id, link)
    assert page.problems == []  # type: ignore[attr-defined]


def test_without_javascript_the_table_is_plain_and_cheapest_first(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{site_url}/video-generation-api-pricing/")
        assert plain.locator("table[data-compare] thead button").count() == 0
        costs = plain.evaluate("""() => Array.from(document.querySelectorAll("table[data-compare='video-clip'] tbody tr"))
          .map((row) => Number(row.dataset.cost))""")
        assert costs == sorted(costs) and len(costs) >= 6
    finally:
        context.close()
