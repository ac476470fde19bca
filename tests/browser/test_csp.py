"""The shipped Content-Security-Policy in Chromium: every page served with its own header from _headers shows no
violation and no console error, the theme, calculator and checklists still work, and an injected script is blocked."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from conftest import Build

from .conftest import Recorder

VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
INJECTED = "<script>window.__injected = true;</script>"


# Path -> headers, read from a Netlify / Cloudflare Pages _headers file.
def read_headers(text: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            name, _, value = line.strip().partition(":")
            current[name.strip()] = value.strip()
        else:
            current = rules.setdefault(line.strip(), {})
    return rules


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site with each path's headers from its _headers file, like Netlify or Cloudflare Pages."""

    rules: dict[str, dict[str, str]] = {}

    # Send the headers the _headers file gives this path.
    def end_headers(self) -> None:
        for name, value in self.rules.get(self.path.split("?")[0], {}).items():
            self.send_header(name, value)
        super().end_headers()

    # Keep the test output quiet.
    def log_message(self, format: str, *args: Any) -> None:
        return


# A copy of the built site plus /injected/, the hub page with one inline script more, served under the hub's policy.
@pytest.fixture(scope="module")
def csp_server(site_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    folder = tmp_path_factory.mktemp("csp") / "site"
    shutil.copytree(site_build.site, folder)
    rules = read_headers((folder / "_headers").read_text(encoding="utf-8"))
    (folder / "injected").mkdir()
    hub = (folder / "index.html").read_text(encoding="utf-8")
    (folder / "injected/index.html").write_text(hub.replace("</body>", INJECTED + "</body>"), encoding="utf-8")
    rules["/injected/"] = rules["/"]
    pages = sorted(path for path in rules if path.endswith("/") and path != "/injected/") + ["/404.html"]
    handler = type("Handler", (_HeadersHandler,), {"rules": rules})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", pages
    finally:
        httpd.shutdown()
        httpd.server_close()


# A page in a fresh context that records CSP violations and console errors.
@pytest.fixture
def strict_page(browser: Browser, csp_server: tuple[str, list[str]]) -> Iterator[tuple[Page, Recorder]]:
    context = browser.new_context(base_url=csp_server[0])
    recorder = Recorder(csp_server[0])
    recorder.attach(context)
    context.add_init_script(VIOLATIONS)
    yield context.new_page(), recorder
    context.close()


def test_every_page_has_a_policy_header_and_meta(site_build: Build) -> None:
    rules = read_headers((site_build.site / "_headers").read_text(encoding="utf-8"))
    assert rules["/*"] == {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                           "Referrer-Policy": "strict-origin-when-cross-origin"}
    pages = [path for path in rules if path.endswith("/")]
    assert len(pages) == len(list(site_build.site.rglob("index.html")))
    for path in [*pages, "/404.html"]:
        header = rules[path]["Content-Security-Policy"]
        assert header.startswith("default-src 'self'; script-src 'self' 'sha256-")
        assert "object-src 'none'" in header and "base-uri 'self'" in header and header.endswith("frame-ancestors 'none'")
        html_file = f"{path.strip('/')}/index.html".lstrip("/") if path.endswith("/") else path.strip("/")
        meta = site_build.page(html_file).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None and meta["content"] == header.removesuffix("; frame-ancestors 'none'")


def test_no_page_breaks_its_own_policy(strict_page: tuple[Page, Recorder], csp_server: tuple[str, list[str]]) -> None:
    page, recorder = strict_page
    for path in csp_server[1]:
        recorder.clear()
        page.goto(path, wait_until="networkidle")
        assert page.evaluate("window.__violations") == [], path
        assert recorder.errors == [], path


def test_search_and_palette_toggle_work_under_the_policy(strict_page: tuple[Page, Recorder]) -> None:
    page, recorder = strict_page
    page.goto("/glossary/", wait_until="networkidle")
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-costhub-palette] label:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== {scheme!r}")
    page.keyboard.press("s")
    page.wait_for_function("document.activeElement && document.activeElement.matches('[data-md-component=search-query]')")
    page.keyboard.type("billing")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert page.locator(".md-search-result__item").count() > 0
    assert page.evaluate("window.__violations") == [] and recorder.errors == []


def test_calculator_and_checklists_work_under_the_policy(strict_page: tuple[Page, Recorder]) -> None:
    page, recorder = strict_page
    page.goto("/calculator/", wait_until="networkidle")
    page.wait_for_selector("section.costhub-calc--live[data-calculator='voice']")  # the last to start
    table = page.locator("section.costhub-calc--live .costhub-calc__table").first
    before = table.inner_text()
    field = page.locator("section.costhub-calc--live .costhub-calc__fields input:not([type=checkbox])").first
    field.fill("4321")
    page.wait_for_function("(before) => document.querySelector('section.costhub-calc--live .costhub-calc__table')"
                           ".innerText !== before", arg=before)
    page.goto("/checklists/", wait_until="networkidle")
    checklist = page.locator("[data-checklist]").first
    checklist.locator("input[type=checkbox]").first.check()
    assert checklist.locator("[data-done]").inner_text() == "1"
    assert page.evaluate("window.__violations") == [] and recorder.errors == []


def test_an_injected_inline_script_is_blocked(strict_page: tuple[Page, Recorder]) -> None:
    page, recorder = strict_page
    page.goto("/injected/", wait_until="networkidle")
    assert page.evaluate("window.__injected") is None
    assert any(violation.startswith("script-src") for violation in page.evaluate("window.__violations"))
