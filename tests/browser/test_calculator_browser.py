"""The calculator page in Chromium: live results, field messages, shareable links, CSV, keyboard, no JS, strict CSP."""
from __future__ import annotations

import csv
import io
import math
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from calculator_answers import SCENARIOS, Scenario, answer

from .calculator_support import VIOLATION_RECORDER, csp_site_url, page, site_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
CALCULATORS = ("video", "image", "voice")


# Open the calculator page (or a link to it) and wait until every calculator is live.
def open_calculators(page: Page, base: str, link: str = "") -> None:
    page.goto(link or f"{base}/calculator/")
    page.wait_for_selector("section.costhub-calc--live[data-calculator='voice']")


# Every field value and every shown result on the page, for comparing two pages.
def snapshot(page: Page) -> dict[str, str]:
    return page.evaluate("""() => {
      const out = {};
      document.querySelectorAll(".costhub-calc__fields [name]").forEach((f) => {
        out[f.id] = f.type === "checkbox" ? String(f.checked) : f.value; });
      document.querySelectorAll(".costhub-calc__table tr[data-line]").forEach((row) => {
        out[row.closest("section").id + ":" + row.dataset.line] = row.querySelector("td").textContent; });
      return out;
    }""")


# The text of one result in the live region.
def result(page: Page, calc: str, line: str) -> str:
    return page.text_content(f"#calc-{calc} dd[data-line='{line}']") or ""


# Records how many calculators are live each time that number changes: a mutation observer's callback runs once the
# task that changed the page is done, so calculators started in one task show up as one jump.
LIVE_COUNTS = """
window.__liveCounts = [];
new MutationObserver(() => {
  const live = document.querySelectorAll("section.costhub-calc--live").length;
  if (live > 0 && live !== window.__liveCounts[window.__liveCounts.length - 1]) window.__liveCounts.push(live);
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["class"]});
"""


def test_the_calculators_start_one_at_a_time_each_in_a_task_of_its_own(page: Page, site_url: str) -> None:
    page.add_init_script(LIVE_COUNTS)
    open_calculators(page, site_url)
    assert page.evaluate("window.__liveCounts") == [1, 2, 3]
    assert page.evaluate("Array.from(document.querySelectorAll('[data-calculator]'), (root) => root.id)") == [
        "calc-video", "calc-image", "calc-voice"]


def test_typing_updates_the_result_and_the_table(page: Page, site_url: str) -> None:
    open_calculators(page, site_url)
    assert result(page, "video", "total") == "$842.11"
    page.fill("#calc-video-videos", "2000")
    # 2,000 / (1 - 0.05 ** 3) jobs x $0.80 x 1.0525 attempts = $1,684.21.
    assert result(page, "video", "total") == "$1,684.21"
    assert page.text_content("#calc-video tfoot tr[data-line='total'] td") == "$1,684.21"
    page.fill("#calc-voice-sessions", "20000")
    assert result(page, "voice", "monthly_total") == "$5,913.33"
    # The link follows committed values: moving on from a field commits it.
    assert dict(parse_qsl(urlsplit(page.url).query)) == {"v.n": "2000"}
    page.keyboard.press("Tab")
    assert dict(parse_qsl(urlsplit(page.url).query)) == {"v.n": "2000", "vc.s": "20000"}
    assert page.problems == []


def test_invalid_values_are_flagged_next_to_the_field_never_nan(page: Page, site_url: str) -> None:
    open_calculators(page, site_url)
    cases = [("abc", "Enter a number."), ("", "Enter a number."), ("-5", "Must be at least 1."),
             ("700", "Must be at most 600."), ("1e999", "Must be at most 600.")]
    for text, message in cases:
        page.fill("#calc-video-seconds", text)
        assert page.text_content("#calc-video-seconds-error") == message
        assert page.get_attribute("#calc-video-seconds", "aria-invalid") == "true"
        assert result(page, "video", "total") == "$842.11"
        assert "attention" in page.text_content("#calc-video .costhub-calc__status")
    page.fill("#calc-video-retries", "1.5")
    assert page.text_content("#calc-video-retries-error") == "Enter a whole number."
    page.fill("#calc-video-seconds", "4")
    page.fill("#calc-video-retries", "2")
    assert page.text_content("#calc-video-seconds-error") == "" and page.get_attribute("#calc-video-seconds", "aria-invalid") is None
    assert result(page, "video", "total") == "$421.05"
    body = page.text_content("#calc-video")
    assert "NaN" not in body and "Infinity" not in body and "undefined" not in body


def test_a_bad_edit_keeps_the_last_complete_value_never_a_partial_keystroke(page: Page, site_url: str) -> None:
    open_calculators(page, site_url)
    page.click("#calc-video-videos")
    page.keyboard.press("Control+A")
    page.keyboard.type("1e12")  # "1" and "1e1" are valid on the way; the finished text is over the maximum
    assert page.text_content("#calc-video-videos-error") == "Must be at most 10,000,000."
    assert result(page, "video", "total") == "$842.11"  # still the 1,000 videos the field held before
    assert "v.n" not in dict(parse_qsl(urlsplit(page.url).query))
    page.keyboard.press("Control+A")
    page.keyboard.type("2000")
    page.keyboard.press("Tab")  # committed: 2,000 is now the value to fall back to
    assert result(page, "video", "total") == "$1,684.21"
    page.click("#calc-video-videos")
    page.keyboard.press("Control+A")
    page.keyboard.type("3e")
    assert result(page, "video", "total") == "$1,684.21" and page.text_content("#calc-video-videos-error") == "Enter a number."
    page.keyboard.press("Tab")
    page.click("#calc-video .costhub-calc__copy")
    link = page.input_value("#calc-video-link")
    assert dict(parse_qsl(urlsplit(link).query)) == {"v.n": "2000"}
    assert page.text_content("#calc-video-videos-range") == "From 1 to 10,000,000, whole numbers only."
    assert page.text_content("#calc-video-failure_rate-range") == "From 0% to 100%."
    assert "calc-video-videos-range" in page.get_attribute("#calc-video-videos", "aria-describedby").split()


def test_a_copied_link_restores_the_same_state_in_a_fresh_page(browser: Browser, page: Page, site_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    open_calculators(page, site_url)
    page.fill("#calc-video-videos", "2500")
    page.select_option("#calc-video-unit", "per_credit")
    page.uncheck("#calc-video-failures_billed")
    page.fill("#calc-image-rejection_rate", "7.5")
    page.fill("#calc-voice-wasted", "25")
    page.click("#calc-video .costhub-calc__copy")
    page.wait_for_function("document.querySelector('#calc-video .costhub-calc__notice').textContent !== ''")
    link = page.input_value("#calc-video-link")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert dict(parse_qsl(urlsplit(link).query)) == {"v.n": "2500", "v.u": "per_credit", "v.fb": "0", "i.m": "7.5", "vc.w": "25"}
    fresh_context = browser.new_context()
    fresh = fresh_context.new_page()
    open_calculators(fresh, site_url, link)
    assert snapshot(fresh) == snapshot(page)
    assert result(fresh, "video", "total") == result(page, "video", "total") != "$842.11"
    fresh_context.close()


def test_a_bad_value_in_a_link_is_flagged_and_the_default_kept(page: Page, site_url: str) -> None:
    open_calculators(page, site_url, f"{site_url}/calculator/?v.s=abc&v.n=5000&i.mb=maybe")
    assert page.input_value("#calc-video-seconds") == "abc"
    assert page.text_content("#calc-video-seconds-error") == "Enter a number."
    assert page.text_content("#calc-image-rejections_billed-error") == "Answer yes or no."
    assert result(page, "video", "total") == "$4,210.53"
    assert page.problems == []


def test_csv_download_names_the_estimate_and_matches_the_table(page: Page, site_url: str) -> None:
    open_calculators(page, site_url)
    page.select_option("#calc-image-preset", "heavy-editing")
    page.fill("#calc-image-images", "300")
    with page.expect_download() as download:
        page.click("#calc-image .costhub-calc__csv")
    assert download.value.suggested_filename == "image-estimate.csv"
    text = open(download.value.path(), encoding="utf-8", newline="").read()
    head, body = text.split("\r\n\r\n", 1)
    about = dict(csv.reader(io.StringIO(head)))
    assert about["calculator"] == "Image generation batch" and about["preset"] == "Example: three edit steps per image"
    assert about["date"] == page.evaluate("new Date().toISOString().slice(0, 10)")
    rows = list(csv.DictReader(io.StringIO(body)))
    table = dict(page.eval_on_selector_all("#calc-image .costhub-calc__table tr[data-line]",
                                           "rows => rows.map(r => [r.dataset.line, r.querySelector('td').textContent])"))
    for row in rows:
        if row["section"] == "input":
            continue
        shown = table[row["id"]]
        assert row["value"] == shown.replace("$", "").replace(",", "").replace("%", "").removesuffix(" expected")
        assert row["unit"] == {"$": "USD", "%": "%"}.get(shown[0] if shown[0] == "$" else shown[-1], row["unit"])
        assert abs(float(row["raw value"]) - float(row["value"])) <= 0.01 * max(1.0, abs(float(row["value"])))
    inputs = {row["id"]: row for row in rows if row["section"] == "input"}
    assert inputs["images"]["value"] == "300" and inputs["images"]["unit"] == "images" and inputs["edits"]["value"] == "3"


def test_keyboard_alone_operates_the_calculator(page: Page, site_url: str) -> None:
    open_calculators(page, site_url)
    page.focus("#calc-video-videos")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "calc-video-seconds"
    page.keyboard.press("Control+A")
    page.keyboard.type("16")
    assert result(page, "video", "total") == "$1,684.21"
    page.focus("#calc-video-failures_billed")
    page.keyboard.press("Space")
    assert not page.is_checked("#calc-video-failures_billed")
    # Failures free: only the one delivered attempt per video is paid, 1,000 x $1.60.
    assert result(page, "video", "total") == "$1,600.00"
    page.focus("#calc-video-seconds")
    page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/calculator/" and result(page, "video", "total") == "$1,600.00"


def test_presets_reset_and_pictures(page: Page, site_url: str) -> None:
    open_calculators(page, site_url)
    page.select_option("#calc-video-preset", "no-retries")
    assert page.input_value("#calc-video-failure_rate") == "20" and page.input_value("#calc-video-retries") == "0"
    assert result(page, "video", "cost_per_video") == "$1.00"
    assert result(page, "video", "jobs") == "1,250"
    assert page.locator("#calc-video .costhub-calc__bar-svg rect").count() == 3
    # The chart runs from 0% to 100%; at 100% nothing is delivered, so the curve stops at 95%.
    assert len(page.get_attribute("#calc-video .costhub-calc__chart-svg polyline", "points").split()) == 20
    assert "now $1.00 at 20%" in page.get_attribute("#calc-video .costhub-calc__chart-svg", "aria-label")
    assert "no deliveries at 100%" in page.get_attribute("#calc-video .costhub-calc__chart-svg", "aria-label")
    assert page.text_content("#calc-video .costhub-calc__now") == "now $1.00 at 20%"
    titles = page.eval_on_selector_all("#calc-video .costhub-calc__axis-title", "nodes => nodes.map(n => n.textContent)")
    assert titles == ["Failure rate per attempt", "Cost per delivered video"]
    page.click("#calc-video .costhub-calc__reset")
    assert result(page, "video", "total") == "$842.11" and urlsplit(page.url).query == ""


def test_no_console_errors_while_using_every_calculator(page: Page, site_url: str) -> None:
    open_calculators(page, site_url)
    for calc in CALCULATORS:
        first = page.locator(f"#calc-{calc} .costhub-calc__fields input[type=text]").first
        first.fill("3")
        page.select_option(f"#calc-{calc}-preset", index=1)
        page.click(f"#calc-{calc} .costhub-calc__reset")
    assert page.problems == []


def test_without_javascript_the_default_breakdown_is_there(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    static = context.new_page()
    static.goto(f"{site_url}/calculator/")
    for calc, line, text in (("video", "total", "$842.11"), ("image", "total", "$81.65"), ("voice", "monthly_total", "$2,956.67")):
        assert static.text_content(f"#calc-{calc} tfoot tr[data-line='{line}'] td") == text
        assert static.is_disabled(f"#calc-{calc} .costhub-calc__fields input >> nth=0")
        assert static.is_hidden(f"#calc-{calc} .costhub-calc__toolbar")
        assert static.is_visible(f"#calc-{calc} .costhub-calc__nojs")
    context.close()


def test_works_under_a_strict_script_policy(page: Page, csp_site_url: str) -> None:
    page.add_init_script(VIOLATION_RECORDER)
    page.goto(f"{csp_site_url}/glossary/")
    page.wait_for_load_state("load")
    baseline = page.evaluate("window.__violations")
    open_calculators(page, csp_site_url)
    page.fill("#calc-video-videos", "2000")
    assert result(page, "video", "total") == "$1,684.21"
    violations = page.evaluate("window.__violations")
    assert [v for v in violations if v["blocked"] == "eval" or v["source"].endswith(".js")] == []
    assert len(violations) == len(baseline)


COUNT_LINES = {"jobs", "started", "delivered", "session_turns"}


# True when shown text is the expected value at the precision shown ("no deliveries" for no value); a count
# that is not whole says "expected".
def shows(line: str, expected: float | None, text: str) -> bool:
    if expected is None:
        return text == "no deliveries"
    if line in COUNT_LINES and text.endswith(" expected") != (abs(expected - round(expected)) > 1e-6):
        return False
    percent = text.endswith("%")
    number = text.replace("$", "").replace(",", "").replace("%", "").removesuffix(" expected")
    if "e+" in number:
        return math.isclose(float(number), expected, rel_tol=1e-3)
    decimals = len(number.partition(".")[2])
    value = float(number) / 100 if percent else float(number)
    slack = 0.5 * 10 ** -decimals / (100 if percent else 1)
    return abs(value - expected) <= slack * (1 + 1e-9) + 1e-12


# Type a scenario into its calculator: Reset, the preset, then every value it sets, field by field.
def type_scenario(page: Page, scenario: Scenario) -> None:
    calc = scenario.calculator
    page.click(f"#calc-{calc} .costhub-calc__reset")
    if scenario.preset:
        page.select_option(f"#calc-{calc}-preset", scenario.preset)
    for key, value in scenario.values.items():
        field = f"#calc-{calc}-{key}"
        if isinstance(value, bool):
            page.set_checked(field, value)
        elif isinstance(value, str):
            page.select_option(field, value)
        else:
            page.fill(field, str(value))


def test_every_known_answer_typed_into_the_page(page: Page, site_url: str) -> None:
    open_calculators(page, site_url)
    wrong = {}
    for scenario in SCENARIOS:
        type_scenario(page, scenario)
        shown = dict(page.eval_on_selector_all(
            f"#calc-{scenario.calculator} .costhub-calc__table tr[data-line]",
            "rows => rows.map(r => [r.dataset.line, r.querySelector('td').textContent])"))
        bad = {line: (value, shown[line]) for line, value in answer(scenario).items() if not shows(line, value, shown[line])}
        if bad:
            wrong[scenario.name] = bad
    assert len(SCENARIOS) >= 40 and wrong == {}
    assert page.problems == []


# Boxes of every text of a chart that fall outside the chart's own box (computed layout).
def clipped_chart_texts(page: Page, calc: str) -> list[dict]:
    return page.evaluate("""(calc) => {
      const chart = document.querySelector(`#calc-${calc} .costhub-calc__chart-svg`);
      const outer = chart.getBoundingClientRect();
      return Array.from(chart.querySelectorAll("text")).map((t) => [t.textContent, t.getBoundingClientRect()])
        .filter(([_, box]) => box.left < outer.left - 0.5 || box.right > outer.right + 0.5 ||
                              box.top < outer.top - 0.5 || box.bottom > outer.bottom + 0.5 || box.width === 0)
        .map(([text, box]) => ({text, left: box.left, right: box.right, top: box.top, bottom: box.bottom}));
    }""", calc)


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_titles_and_current_point_label_stay_inside_the_chart(browser: Browser, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    open_calculators(page, site_url)
    for calc, field, values in (("video", "failure_rate", ("0", "5", "60", "100")), ("image", "rejection_rate", ("2", "100")),
                                ("voice", "minutes", ("0.1", "30", "600"))):
        for value in values:
            page.fill(f"#calc-{calc}-{field}", value)
            assert clipped_chart_texts(page, calc) == [], (calc, value)
            dot = page.locator(f"#calc-{calc} .costhub-calc__dot").bounding_box()
            mark = page.locator(f"#calc-{calc} .costhub-calc__now").bounding_box()
            assert dot and mark and abs((mark["y"] + mark["height"] / 2) - (dot["y"] + dot["height"] / 2)) < 40
    assert page.text_content("#calc-voice .costhub-calc__now").startswith("now $")
    context.close()
