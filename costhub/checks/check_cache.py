"""The last result of `costhub check` kept beside the site snapshot: a check of files unchanged since (same content,
data, templates, mkdocs.yml, review day and code) prints it again without loading anything. Checks that go beyond
the project's files (the release checks, external links) are never kept."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..data.files import CONFIG_FILE
from ..pages.snapshot import CACHE_DIR, cache_file_usable, enabled, load_key, write_cache_file

CHECK_FILE = CACHE_DIR / "check.json"
STREAMS = ("stdout", "stderr")


@dataclass(frozen=True)
class CheckResult:
    """What a check printed, line by line with its stream ("stdout" or "stderr"), and its exit code."""

    lines: tuple[tuple[str, str], ...]
    code: int


# The key of a check of the project at root on `today`: the load's key and mkdocs.yml (its Markdown settings decide
# heading ids, its site_url is checked). ContentErrors when a file links outside the project.
def check_key(root: Path, today: date) -> str:
    config = root / CONFIG_FILE
    settings = config.read_bytes() if config.is_file() else b""
    return hashlib.sha256(load_key(root, today).digest().encode() + b"\0" + settings).hexdigest()


# The kept result of a check under key, or None (none kept, another key, unreadable, or the cache is off).
def stored_result(root: Path, key: str) -> CheckResult | None:
    if not enabled() or not cache_file_usable(root / CHECK_FILE):
        return None
    try:
        stored = json.loads((root / CHECK_FILE).read_text(encoding="utf-8"))
        if stored["key"] != key:
            return None
        lines = tuple((str(stream), str(text)) for stream, text in stored["lines"] if stream in STREAMS)
        return CheckResult(lines, int(stored["code"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


# Keep a check's result under key.
def store_result(root: Path, key: str, result: CheckResult) -> None:
    if enabled():
        content = json.dumps({"key": key, "lines": result.lines, "code": result.code})
        write_cache_file(root / CHECK_FILE, lambda stream: stream.write(content.encode("utf-8")))
