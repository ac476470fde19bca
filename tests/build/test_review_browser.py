"""Client-side expiry in Chromium: a page built while fresh warns its readers once their own date passes its due date."""
from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import add_rates, build, copy_project, pin_review_dates, rate, set_field
from playwright.sync_api import Browser, sync_playwright

pytestmark = pytest.mark.browser
GUIDE = "video-generation-api-pricing"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without logging each request."""

    # Keep the test output clean.
    def log_message(self, *args: object) -> None:
        return


# A dated copy of the site built on 2030-01-15 and served over HTTP on 127.0.0.1.
@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("expiry") / "project")
    pin_review_dates(project)
    set_field(project / "data/pages.yml", GUIDE, "review_in", "60d")
    add_rates(project, rate("sample-rate", "Sample rate", review_in="30d"))
    glossary = project / "content/glossary.md"
    glossary.write_text(glossary.read_text() + '\n{{ rate_note("sample-rate") }}\n')
    result = build(project, {"SOURCE_DATE_EPOCH": "1894708800"})  # 2030-01-15: everything is fresh at build time
    assert result.returncode == 0, result.log
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(result.site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


# Debian's Chromium driven by Playwright, shared by this module's tests.
@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium))
        yield launched
        launched.close()


# Open a page of the served site with the reader's clock set to a day; returns (notice visible, header status).
def visit(browser: Browser, url: str, day: datetime) -> tuple[bool, str]:
    page = browser.new_page()
    page.clock.set_fixed_time(day)
    page.goto(url)
    result = (page.locator(".costhub-review__notice").is_visible(),
              page.locator(".costhub-page-header .costhub-review").get_attribute("data-review-status") or "")
    page.close()
    return result


def test_notice_appears_once_the_readers_date_passes_the_due_date(browser: Browser, served_site: str) -> None:
    assert visit(browser, f"{served_site}{GUIDE}/", datetime(2030, 3, 2, 12)) == (False, "fresh")
    assert visit(browser, f"{served_site}{GUIDE}/", datetime(2030, 3, 3, 12)) == (True, "overdue")
    assert visit(browser, served_site, datetime(2030, 3, 3, 12)) == (False, "fresh")


def test_a_page_expires_with_the_records_it_cites(browser: Browser, served_site: str) -> None:
    assert visit(browser, f"{served_site}glossary/", datetime(2030, 1, 31, 12)) == (False, "fresh")
    assert visit(browser, f"{served_site}glossary/", datetime(2030, 2, 1, 12)) == (True, "overdue")


def test_dashboard_rows_turn_overdue_in_the_browser(browser: Browser, served_site: str) -> None:
    page = browser.new_page()
    page.clock.set_fixed_time(datetime(2030, 2, 15, 12))
    page.goto(f"{served_site}review/")
    status = page.locator("tr[data-review-item='rates:sample-rate'] .costhub-review-status").inner_text()
    guide = page.locator(f"tr[data-review-item='pages:{GUIDE}'] .costhub-review-status").inner_text()
    page.close()
    assert (status, guide) == ("Overdue", "Fresh")
