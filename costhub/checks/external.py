"""The opt-in online check: fetch each external address with a timeout and a retry cap, remember working ones in a
cache file, and report every use of a dead one. Never part of a build."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Sequence

from ..errors import ContentError
from .urls import UrlUse

CACHE_FILE = Path(".costhub-cache") / "external.json"
USER_AGENT = "costhub-link-check/0.1"
WORKERS = 8
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_BACKOFF_SECONDS = 0.2


@dataclass(frozen=True)
class ExternalSettings:
    """data/site.yml `links.external`: seconds before a request gives up, extra attempts, days a result is trusted."""

    timeout: float
    retries: int
    cache_days: int


# Check each distinct address once (cached ones are skipped); one error per use of an address that is dead.
def check_external(uses: Sequence[UrlUse], cache_file: Path, settings: ExternalSettings, today: date) -> list[ContentError]:
    cache = _read_cache(cache_file)
    trusted_since = (today - timedelta(days=settings.cache_days)).isoformat()
    pending = sorted({use.url for use in uses if cache.get(use.url, "") < trusted_since})
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = dict(zip(pending, pool.map(lambda url: _probe(url, settings), pending)))
    for url, problem in results.items():
        if problem is None:
            cache[url] = today.isoformat()
        else:
            cache.pop(url, None)
    _write_cache(cache_file, cache)
    return [use.error(f"dead link: {results[use.url]}", "fix or replace the address, or remove the link")
            for use in uses if results.get(use.url)]


# None when the address answers, else why not; retries timeouts, network errors and HTTP 429/5xx up to the cap.
def _probe(url: str, settings: ExternalSettings) -> str | None:
    reason = ""
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(_BACKOFF_SECONDS * 2 ** (attempt - 1))
        try:
            status = _status(url, settings.timeout)
        except TimeoutError:
            reason = f"no answer within {settings.timeout:g} s"
            continue
        except (urllib.error.URLError, OSError) as exc:
            reason = f"cannot connect ({getattr(exc, 'reason', exc)})"
            continue
        if status < 400:
            return None
        reason = f"HTTP {status}"
        if status not in _RETRY_STATUSES:
            return reason
    return f"{reason} after {settings.retries + 1} attempt(s)"


# The final HTTP status of an address: HEAD first, then GET when a server refuses HEAD.
def _status(url: str, timeout: float) -> int:
    status = 0
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            status = exc.code
            if status in _RETRY_STATUSES:
                return status
    return status


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
