"""Fixtures for the calculator's browser tests: the built site served on 127.0.0.1 (optionally under a
Content-Security-Policy) by the shared helpers in conftest, which also launch Debian's Chromium."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from .conftest import serve

STRICT_CSP = "script-src 'self'"
# Records every CSP violation the page reports, before any page script runs.
VIOLATION_RECORDER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push({blocked: e.blockedURI, directive: e.violatedDirective, source: e.sourceFile});
});
"""


@pytest.fixture(scope="module")
def site_url(site_build: Any) -> Iterator[str]:
    with serve(site_build.site) as server:
        yield server.url


@pytest.fixture(scope="module")
def csp_site_url(site_build: Any) -> Iterator[str]:
    with serve(site_build.site, {"Content-Security-Policy": STRICT_CSP}) as server:
        yield server.url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    opened = context.new_page()
    opened.problems = []  # type: ignore[attr-defined]
    opened.on("console", lambda message: message.type == "error" and opened.problems.append(message.text))
    opened.on("pageerror", lambda error: opened.problems.append(str(error)))
    yield opened
    context.close()
