"""Fixtures for the calculator's browser tests: the built site served on 127.0.0.1 (optionally under a
Content-Security-Policy) and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STRICT_CSP = "script-src 'self'"
# Records every CSP violation the page reports, before any page script runs.
VIOLATION_RECORDER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push({blocked: e.blockedURI, directive: e.violatedDirective, source: e.sourceFile});
});
"""


class _Handler(SimpleHTTPRequestHandler):
    """Static files, with an optional Content-Security-Policy header and no request log."""

    csp: str | None = None

    # Add the policy header to every response.
    def end_headers(self) -> None:
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    # Keep test output quiet.
    def log_message(self, format: str, *args: Any) -> None:
        return None


# Serve a folder on 127.0.0.1 on a free port in a thread; yields the base URL.
@contextmanager
def serve(folder: Path, csp: str | None = None) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"csp": csp})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site_url(site_build: Any) -> Iterator[str]:
    with serve(site_build.site) as url:
        yield url


@pytest.fixture(scope="module")
def csp_site_url(site_build: Any) -> Iterator[str]:
    with serve(site_build.site, STRICT_CSP) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    opened = context.new_page()
    opened.problems = []  # type: ignore[attr-defined]
    opened.on("console", lambda message: message.type == "error" and opened.problems.append(message.text))
    opened.on("pageerror", lambda error: opened.problems.append(str(error)))
    yield opened
    context.close()
