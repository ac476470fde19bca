"""The opt-in online check against a local HTTP server: dead links, retry cap, timeout, HEAD fallback and cache."""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from costhub.checks.external import ExternalSettings, check_external
from costhub.checks.urls import UrlUse

TODAY = date(2030, 1, 10)
SETTINGS = ExternalSettings(timeout=0.5, retries=2, cache_days=7)


class _Handler(BaseHTTPRequestHandler):
    """/ok answers, /gone is 404, /busy is always 503, /slow answers too late, /no-head refuses HEAD."""

    requests: Counter[tuple[str, str]]

    # Answer a HEAD request.
    def do_HEAD(self) -> None:
        self._answer("HEAD")

    # Answer a GET request.
    def do_GET(self) -> None:
        self._answer("GET")

    # Count the request, wait on /slow, then answer with the path's status.
    def _answer(self, method: str) -> None:
        self.requests[(method, self.path)] += 1
        if self.path == "/slow":
            time.sleep(2)
        status = {"/ok": 200, "/slow": 200, "/gone": 404, "/busy": 503}.get(self.path, 200 if method == "GET" else 405)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    # Keep the test output clean.
    def log_message(self, *args: object) -> None:
        return


# A local HTTP server on 127.0.0.1: its base URL and a count of (method, path) requests.
@pytest.fixture
def server() -> Iterator[tuple[str, Counter[tuple[str, str]]]]:
    requests: Counter[tuple[str, str]] = Counter()
    handler = type("Handler", (_Handler,), {"requests": requests})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


# One use per path, each on its own line of a data file.
def uses(base: str, *paths: str) -> list[UrlUse]:
    return [UrlUse(f"{base}{path}", "data/rates.yml", line, 13, f"rates[{line}].source") for line, path in enumerate(paths, 1)]


def test_dead_links_are_reported_at_each_use(server: tuple[str, Counter[tuple[str, str]]], tmp_path: Path) -> None:
    base, requests = server
    errors = check_external(uses(base, "/ok", "/gone", "/busy", "/no-head", "/slow"), tmp_path / "cache.json", SETTINGS, TODAY)
    hint = "(fix or replace the address, or remove the link)"
    assert [str(error) for error in errors] == [
        f"data/rates.yml:2:13: rates[2].source: link '{base}/gone': dead link: HTTP 404 {hint}",
        f"data/rates.yml:3:13: rates[3].source: link '{base}/busy': dead link: HTTP 503 after 3 attempt(s) {hint}",
        f"data/rates.yml:5:13: rates[5].source: link '{base}/slow': dead link: no answer within 0.5 s after 3 attempt(s) {hint}",
    ]
    assert requests[("HEAD", "/busy")] == 3 and requests[("GET", "/busy")] == 0
    assert requests[("HEAD", "/gone")] == 1 and requests[("GET", "/gone")] == 1
    assert requests[("HEAD", "/no-head")] == 1 and requests[("GET", "/no-head")] == 1
    assert requests[("HEAD", "/ok")] == 1 and requests[("HEAD", "/slow")] == 3


def test_working_links_are_cached_and_dead_ones_are_not(server: tuple[str, Counter[tuple[str, str]]], tmp_path: Path) -> None:
    base, requests = server
    cache = tmp_path / ".costhub-cache/external.json"
    links = uses(base, "/ok", "/gone", "/ok")
    assert len(check_external(links, cache, SETTINGS, TODAY)) == 1
    assert json.loads(cache.read_text()) == {f"{base}/ok": "2030-01-10"}
    assert len(check_external(links, cache, SETTINGS, date(2030, 1, 17))) == 1
    assert requests[("HEAD", "/ok")] == 1 and requests[("HEAD", "/gone")] == 2
    check_external(links, cache, SETTINGS, date(2030, 1, 18))
    assert requests[("HEAD", "/ok")] == 2
    assert json.loads(cache.read_text()) == {f"{base}/ok": "2030-01-18"}


def test_a_closed_port_is_a_dead_link(tmp_path: Path) -> None:
    probe = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    port = probe.server_address[1]
    probe.server_close()
    errors = check_external(uses(f"http://127.0.0.1:{port}", "/x"), tmp_path / "cache.json",
                            ExternalSettings(timeout=0.5, retries=0, cache_days=7), TODAY)
    assert len(errors) == 1 and "dead link: cannot connect" in errors[0].message
