"""Hostile servers for `costhub check --external`, all on 127.0.0.1 and stopped with their test: garbage answers,
over-long headers, drip-fed answers (the per-address and whole-check deadlines), redirect loops and chains, and a
large body that must not be downloaded. Every case ends within seconds and names the data line that uses the link."""
from __future__ import annotations

import re
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from costhub.checks.external import ExternalSettings, check_external
from costhub.checks.urls import UrlUse

from .support import append, run_cli, tree_digest

TODAY = date(2026, 11, 21)
FAST = ExternalSettings(timeout=1.0, retries=0, cache_days=7, check_deadline=30.0)
BIG_BODY = 50 * 1024 * 1024
Behaviour = Callable[[socket.socket, str], None]


# Send raw bytes, ignoring a client that has gone.
def _send(sock: socket.socket, data: bytes) -> int:
    try:
        sock.sendall(data)
        return len(data)
    except OSError:
        return 0


def _ok(sock: socket.socket, _method: str) -> None:
    _send(sock, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def _garbage(sock: socket.socket, _method: str) -> None:
    _send(sock, b"\x00\xffthis is not HTTP at all\r\n\r\n")


def _long_header(sock: socket.socket, _method: str) -> None:
    _send(sock, b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n")


def _many_headers(sock: socket.socket, _method: str) -> None:
    _send(sock, b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(500)) + b"\r\n")


def _bad_status(sock: socket.socket, _method: str) -> None:
    _send(sock, b"HTTP/1.1 99999999999999999999 WHAT\r\n\r\n")


def _drip(sock: socket.socket, _method: str) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
        if not _send(sock, bytes([byte])):
            return
        time.sleep(0.5)


def _silent(sock: socket.socket, _method: str) -> None:
    time.sleep(3)


def _hang_up(sock: socket.socket, _method: str) -> None:
    return


def _redirect(target: str) -> Behaviour:
    def answer(sock: socket.socket, _method: str) -> None:
        _send(sock, f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n".encode())
    return answer


class _Server(socketserver.ThreadingTCPServer):
    """A raw TCP server on 127.0.0.1 whose answer depends on the request path; counts the body bytes it sent."""

    daemon_threads = True
    allow_reuse_address = True
    body_sent = 0


def _big_body(server: _Server) -> Behaviour:
    def answer(sock: socket.socket, method: str) -> None:
        if method == "HEAD":
            _send(sock, b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        _send(sock, f"HTTP/1.1 200 OK\r\nContent-Length: {BIG_BODY}\r\n\r\n".encode())
        chunk = b"x" * 65536
        for _ in range(BIG_BODY // len(chunk)):
            sent = _send(sock, chunk)
            if not sent:
                return
            server.body_sent += sent
    return answer


# A server on 127.0.0.1 with one behaviour per path; yields its base URL and the server (for counters).
@pytest.fixture
def hostile_server() -> Iterator[tuple[str, _Server]]:
    routes: dict[str, Behaviour] = {}

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.settimeout(5)
            head = b""
            try:
                while b"\r\n\r\n" not in head and len(head) < 65536:
                    data = self.request.recv(4096)
                    if not data:
                        return
                    head += data
            except OSError:
                return
            method, path = (head.split(b" ") + [b"", b""])[:2]
            routes.get(path.decode().split("?")[0], _ok)(self.request, method.decode())

    server = _Server(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes.update({"/garbage": _garbage, "/long-header": _long_header, "/many-headers": _many_headers,
                   "/bad-status": _bad_status, "/drip": _drip, "/silent": _silent, "/hang-up": _hang_up,
                   "/loop-a": _redirect("/loop-b"), "/loop-b": _redirect(f"{base}/loop-a"), "/self": _redirect("/self"),
                   "/to-script": _redirect("javascript:alert(1)"), "/to-ok": _redirect("ok"),
                   "/big": _big_body(server)})
    routes.update({f"/chain{n}": _redirect(f"/chain{n + 1}") for n in range(20)})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, server
    finally:
        server.shutdown()
        server.server_close()


# The errors for one address used on line 7 of a data file, checked with the given settings.
def check_one(url: str, tmp_path: Path, settings: ExternalSettings = FAST) -> list[str]:
    use = UrlUse(url, "data/faqs.yml", 7, 13, "faqs[0].answer")
    return [str(error) for error in check_external([use], tmp_path / "cache.json", settings, TODAY)]


@pytest.mark.parametrize(("path", "reason"), [
    ("/garbage", "not an HTTP answer"),
    ("/long-header", "not an HTTP answer (got more than 65536 bytes"),
    ("/many-headers", "not an HTTP answer (got more than 100 headers)"),
    ("/bad-status", "not an HTTP answer"),
    ("/drip", "no answer within 1 s after 1 attempt(s)"),
    ("/silent", "no answer within 1 s after 1 attempt(s)"),
    ("/hang-up", "dead link:"),
    ("/loop-a", "redirect loop (back to"),
    ("/self", "redirect loop (back to"),
    ("/chain0", "more than 10 redirects"),
    ("/to-script", "redirects to 'javascript:alert(1)', which is not a web address"),
])
def test_a_hostile_server_is_a_dead_link_at_its_line(hostile_server: tuple[str, _Server], tmp_path: Path,
                                                      path: str, reason: str) -> None:
    base, _server = hostile_server
    errors = check_one(base + path, tmp_path)
    assert len(errors) == 1 and errors[0].startswith(f"data/faqs.yml:7:13: faqs[0].answer: link '{base}{path}': ")
    assert reason in errors[0]
    assert "Traceback" not in errors[0]


def test_a_relative_redirect_to_a_working_page_is_fine(hostile_server: tuple[str, _Server], tmp_path: Path) -> None:
    assert check_one(hostile_server[0] + "/to-ok", tmp_path) == []


def test_a_short_redirect_chain_is_fine(hostile_server: tuple[str, _Server], tmp_path: Path) -> None:
    assert check_one(hostile_server[0] + "/chain15", tmp_path) == []


def test_a_fifty_megabyte_body_is_never_downloaded(hostile_server: tuple[str, _Server], tmp_path: Path) -> None:
    base, server = hostile_server
    assert check_one(base + "/big", tmp_path) == []
    time.sleep(0.2)  # let the server notice the closed connection
    assert server.body_sent < 16 * 1024 * 1024


def test_drip_fed_answers_stop_at_the_whole_check_deadline(hostile_server: tuple[str, _Server], tmp_path: Path) -> None:
    base, _server = hostile_server
    uses = [UrlUse(f"{base}/drip?n={n}", "data/faqs.yml", n + 1, 13, f"faqs[{n}].answer") for n in range(20)]
    settings = ExternalSettings(timeout=30.0, retries=3, cache_days=7, check_deadline=1.5)
    started = time.monotonic()
    errors = [str(error) for error in check_external(uses, tmp_path / "cache.json", settings, TODAY)]
    assert len(errors) == 20
    assert all("no answer within 30 s" in error or "not checked: the whole check reached its 1.5 s deadline" in error
               for error in errors)
    assert any("not checked" in error for error in errors)
    assert time.monotonic() - started < 8  # far less than 20 drip-fed answers of 20 s each


def test_the_command_reports_a_redirect_loop_at_the_data_line(hostile_server: tuple[str, _Server], fresh: Path) -> None:
    base, _server = hostile_server
    site = fresh / "data/site.yml"
    settings = site.read_text(encoding="utf-8").replace("http_allow: []", 'http_allow: ["http://127.0.0.1"]')
    settings = re.sub(r"timeout_seconds: \S+", "timeout_seconds: 1", re.sub(r"retries: \S+", "retries: 0", settings))
    site.write_text(re.sub(r"( +)cache_days: (\S+)", r"\1cache_days: \2\n\1check_seconds: 4", settings), encoding="utf-8")
    line = append(fresh / "data/faqs.yml", "  - id: loop-faq\n    page: index\n    question: Where?\n"
                                                    f"    answer: 'See {base}/loop-a now.'\n") + 3
    before = tree_digest(fresh)
    outcome = run_cli(fresh, ("check", "--external"))
    assert outcome.code == 1 and "Traceback" not in outcome.text
    assert f"data/faqs.yml:{line}:18: faqs[20].answer: link '{base}/loop-a': dead link: redirect loop" in outcome.text
    assert tree_digest(fresh) == before
