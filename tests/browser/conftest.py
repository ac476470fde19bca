"""Browser fixtures: the built site served on 127.0.0.1, Debian's Chromium driven by Playwright, page recorders.

tests/browser is a package so that this conftest does not shadow tests/conftest.py for `from conftest import`.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import material
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Request, sync_playwright

from conftest import ROOT, Build

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_SCRIPT = ROOT / "node_modules/axe-core/axe.min.js"
_LOCAL_SCHEMES = ("data", "blob", "about")
_DATA_SCRIPT_TYPES = ("application/ld+json", "application/json")
# The views every page is checked in: a desktop and a phone, each in the light and the dark scheme, with the
# Material palette each must select.
READER_VIEWS = {
    "desktop-light": ({"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"}, "default"),
    "desktop-dark": ({"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"}, "slate"),
    "phone-light": ({"viewport": {"width": 390, "height": 844}, "color_scheme": "light", "is_mobile": True, "has_touch": True}, "default"),
    "phone-dark": ({"viewport": {"width": 390, "height": 844}, "color_scheme": "dark", "is_mobile": True, "has_touch": True}, "slate"),
}
_MATERIAL_SCRIPTS = Path(material.__file__).parent / "templates/partials/javascripts"


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site like a static host: 404.html for missing paths, optional extra headers."""

    extra_headers: dict[str, str] = {}

    # Add the configured headers to every response.
    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    # Answer a missing path with the site's own 404 page.
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # Keep the test output quiet.
    def log_message(self, format: str, *args: Any) -> None:
        return


@dataclass
class Server:
    """A static site served from a folder on 127.0.0.1 at a free port."""

    root: Path
    url: str

    # The site's pages as URL paths, found in the built folder: every index.html, then 404.html.
    def page_paths(self) -> list[str]:
        folders = sorted(path.parent.relative_to(self.root).as_posix() for path in self.root.rglob("index.html"))
        paths = ["/" if folder == "." else f"/{folder}/" for folder in folders]
        return paths + (["/404.html"] if (self.root / "404.html").exists() else [])


# Serve folder on 127.0.0.1 at a free port from a thread, for the duration of a with block.
@contextlib.contextmanager
def serve(folder: Path, headers: dict[str, str] | None = None) -> Iterator[Server]:
    handler = type("Handler", (_SiteHandler,), {"extra_headers": dict(headers or {})})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    try:
        yield Server(folder, f"http://{host}:{port}")
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@dataclass
class Recorder:
    """What one browser context did: every request URL, console errors and uncaught page errors."""

    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    # Requests that left the site's origin (data:, blob: and about: URLs never reach a network).
    def third_party(self) -> list[str]:
        return [url for url in self.requests
                if urlsplit(url).scheme not in _LOCAL_SCHEMES and not url.startswith(self.origin + "/")]

    # Keep console errors.
    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    # Keep every request URL.
    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    # Start recording everything the context and its pages do.
    def attach(self, context: BrowserContext) -> None:
        context.on("request", self._on_request)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.errors.append(f"page error: {error.error}"))

    # Forget what was recorded so far (between pages).
    def clear(self) -> None:
        self.requests.clear()
        self.errors.clear()


# The code of every inline script a browser would run (data blocks such as JSON-LD are not code).
def inline_scripts(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [script.string or "" for script in soup.find_all("script")
            if not script.get("src") and script.get("type", "text/javascript") not in _DATA_SCRIPT_TYPES]


# Material's inline bootstrap snippets as patterns: its templates, with any {{ value }} matching anything.
@functools.cache
def _material_patterns() -> list[re.Pattern[str]]:
    patterns = []
    for template in sorted(_MATERIAL_SCRIPTS.glob("*.html")):
        for code in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.DOTALL):
            parts = re.split(r"\{\{.*?\}\}", code)
            patterns.append(re.compile(".*?".join(map(re.escape, parts)), re.DOTALL))
    return patterns


# True when the script text is Material's own inline code rather than ours.
def is_material_script(code: str) -> bool:
    return any(pattern.fullmatch(code) for pattern in _material_patterns())


# The real site, built once per session, served on 127.0.0.1.
@pytest.fixture(scope="session")
def site_server(site_build: Build) -> Iterator[Server]:
    with serve(site_build.site) as server:
        yield server


# Playwright's driver, one per test module: only one sync driver may run at a time, so other modules can start theirs.
@pytest.fixture(scope="module")
def playwright_driver(chromium: Path) -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


# Debian's Chromium, headless, without background networking.
@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright, chromium: Path) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# A fresh browser context on server (empty localStorage), recording requests and errors; close it when done.
def open_context(browser: Browser, server: Server, **options: Any) -> tuple[BrowserContext, Recorder]:
    context = browser.new_context(base_url=server.url, **options)
    recorder = Recorder(server.url)
    recorder.attach(context)
    return context, recorder


# A fresh browser context on the real site, with its recorder.
@pytest.fixture
def context(browser: Browser, site_server: Server) -> Iterator[tuple[BrowserContext, Recorder]]:
    context, recorder = open_context(browser, site_server)
    yield context, recorder
    context.close()


# A new page in a fresh context on the real site.
@pytest.fixture
def page(context: tuple[BrowserContext, Recorder]) -> Page:
    return context[0].new_page()


# axe-core's script from the npm package the project installs.
@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT.relative_to(ROOT)} is missing: run `npm ci` (scripts/env.sh does it)")
    return AXE_SCRIPT.read_text(encoding="utf-8")
