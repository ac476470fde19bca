"""The opt-in online check: fetch each external address with a total deadline per attempt and a retry cap, within a
deadline for the whole check; follow redirects (a loop is a dead link); read the status line and headers only, never
a body; remember working ones in a cache file, and report every use of a dead one. Never part of a build."""
from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Sequence
from urllib.parse import urljoin, urlsplit

from ..errors import ContentError
from .urls import UrlUse

CACHE_FILE = Path(".costhub-cache") / "external.json"
USER_AGENT = "costhub-link-check/0.1"
WORKERS = 8
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_BACKOFF_SECONDS = 0.2
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
CHECK_DEADLINE_SECONDS = 300.0
_UNCHECKED = "not checked: "


class _BadAnswer(Exception):
    """An address that answered, but not with a usable HTTP status (redirect loop, garbage, a non-web redirect)."""


@dataclass(frozen=True)
class ExternalSettings:
    """data/site.yml `links.external`: seconds one attempt may take in total (connecting, redirects and headers
    included), extra attempts, days a result is trusted, and seconds the whole check may take."""

    timeout: float
    retries: int
    cache_days: int
    check_deadline: float = CHECK_DEADLINE_SECONDS


# Check each distinct address once (cached ones are skipped); one error per use of an address that is dead.
def check_external(uses: Sequence[UrlUse], cache_file: Path, settings: ExternalSettings, today: date) -> list[ContentError]:
    cache = _read_cache(cache_file)
    trusted_since = (today - timedelta(days=settings.cache_days)).isoformat()
    pending = sorted({use.url for use in uses if cache.get(use.url, "") < trusted_since})
    deadline = time.monotonic() + settings.check_deadline
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = dict(zip(pending, pool.map(lambda url: _probe(url, settings, deadline), pending)))
    for url, problem in results.items():
        if problem is None:
            cache[url] = today.isoformat()
        else:
            cache.pop(url, None)
    _write_cache(cache_file, cache)
    return [_finding(use, results[use.url]) for use in uses if results.get(use.url)]


# The error for one use of an address that is dead, or that the check had no time left for.
def _finding(use: UrlUse, reason: str) -> ContentError:
    if reason.startswith(_UNCHECKED):
        return use.error(reason, "run the check again, or raise links.external.check_seconds in data/site.yml")
    return use.error(f"dead link: {reason}", "fix or replace the address, or remove the link")


# None when the address answers, else why not; retries timeouts, network errors and HTTP 429/5xx up to the cap,
# and stops at the whole check's deadline (a monotonic time).
def _probe(url: str, settings: ExternalSettings, deadline: float) -> str | None:
    reason = ""
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(min(_BACKOFF_SECONDS * 2 ** (attempt - 1), max(deadline - time.monotonic(), 0)))
        if time.monotonic() >= deadline:
            if reason:
                return f"{reason} after {attempt} attempt(s)"
            return f"{_UNCHECKED}the whole check reached its {settings.check_deadline:g} s deadline"
        try:
            status = _status(url, min(time.monotonic() + settings.timeout, deadline))
        except TimeoutError:
            reason = f"no answer within {settings.timeout:g} s"
            continue
        except _BadAnswer as exc:
            return str(exc)
        except (http.client.HTTPException, OSError, ValueError, UnicodeError) as exc:
            reason = f"cannot connect ({_describe(exc)})"
            continue
        if status < 400:
            return None
        reason = f"HTTP {status}"
        if status not in _RETRY_STATUSES:
            return reason
    return f"{reason} after {settings.retries + 1} attempt(s)"


# The final HTTP status of an address before `end` (a monotonic time): HEAD first, then GET when a server refuses
# HEAD; garbage, an over-long header or a redirect loop is a _BadAnswer.
def _status(url: str, end: float) -> int:
    status = 0
    for method in ("HEAD", "GET"):
        try:
            status = _follow(url, method, end)
        except http.client.RemoteDisconnected:
            raise
        except http.client.HTTPException as exc:  # garbage, an over-long line, too many headers
            if time.monotonic() >= end:
                raise TimeoutError from None
            raise _BadAnswer(f"not an HTTP answer ({_describe(exc)})") from None
        if status < 400 or status in _RETRY_STATUSES:
            return status
    return status


# The status at the end of an address's redirects (at most MAX_REDIRECTS, never the same address twice).
def _follow(url: str, method: str, end: float) -> int:
    seen = {url}
    for _hop in range(MAX_REDIRECTS + 1):
        status, location = _request(url, method, end)
        if status not in _REDIRECTS or not location:
            return status
        url = urljoin(url, location)
        if urlsplit(url).scheme not in ("http", "https"):
            raise _BadAnswer(f"redirects to {url[:80]!r}, which is not a web address")
        if url in seen:
            raise _BadAnswer(f"redirect loop (back to {url[:80]!r})")
        seen.add(url)
    raise _BadAnswer(f"more than {MAX_REDIRECTS} redirects")


# One request: its status and Location header, reading no body. A timer shuts the socket at `end`, so a server
# that drips its answer a byte at a time cannot hold the check past the deadline.
def _request(url: str, method: str, end: float) -> tuple[int, str | None]:
    parts = urlsplit(url)
    remaining = end - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname or "", parts.port, timeout=remaining)
    timer = threading.Timer(remaining, _shut, (connection,))
    timer.start()
    try:
        connection.request(method, (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                           headers={"User-Agent": USER_AGENT})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    except (OSError, http.client.HTTPException):
        if time.monotonic() >= end:
            raise TimeoutError from None
        raise
    finally:
        timer.cancel()
        connection.close()


# Shut a connection's socket from the deadline timer (the blocked read then returns at once).
def _shut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


# A network error in a few words.
def _describe(exc: BaseException) -> str:
    text = str(getattr(exc, "reason", "") or exc) or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


# The cache: address -> the last date it answered.
def _read_cache(cache_file: Path) -> dict[str, str]:
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(url): str(day) for url, day in cache.items()} if isinstance(cache, dict) else {}


# Write the cache, sorted, creating its folder.
def _write_cache(cache_file: Path, cache: dict[str, str]) -> None:
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps(dict(sorted(cache.items())), indent=2) + "\n", encoding="utf-8")
