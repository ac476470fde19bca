"""Rules for links to other sites: https:// only (plus allow-listed http://), well-formed, never script or data URLs."""
from __future__ import annotations

import html
import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import urlsplit

from ..errors import ContentError
from ..data.model import Record, SiteData

FORBIDDEN_SCHEMES = ("javascript", "data", "vbscript", "file")
HTTP_HINT = "use https://, or add an address prefix to links.http_allow in data/site.yml"
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_EMBEDDED = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"'`]+")
# A forbidden scheme as browsers read it: tabs and line breaks inside it are dropped (java&#9;script: runs).
_SCRIPT = re.compile(r"(?<![\w.+-])(?:" + "|".join("[\t\n\r]*".join(name) for name in FORBIDDEN_SCHEMES)
                     + r")[\t\n\r]*:(?=\S)", re.IGNORECASE)
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_LEADING_IGNORED = re.compile(r"^[\x00-\x20]+")
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_HOST = re.compile(r"(?:[^\W_](?:(?:[^\W_]|-)*[^\W_])?\.)+[^\W\d_]{2,}\.?|localhost")


@dataclass(frozen=True)
class UrlUse:
    """One place a URL is written: a data value or a content link."""

    url: str
    file: str
    line: int
    column: int
    where: str

    # A ContentError about this URL at this place.
    def error(self, message: str, hint: str = "") -> ContentError:
        return ContentError(self.file, self.line, self.column, self.where, f"link {self.url!r}: {message}", hint)


# The URL's scheme in lower case ("" for a relative link), read as a browser would: character references decoded,
# leading spaces and control characters dropped, tabs and line breaks removed. A URL with neither a colon nor a
# character reference (which could make one) has none; any other is read once (a site repeats its links on many
# pages, and a `mkdocs serve` rebuild checks them all again), so the many relative links, such as the review
# dashboard's anchors into every page, never fill the cache.
def scheme_of(url: str) -> str:
    return _read_scheme(url) if ":" in url or "&" in url else ""


# scheme_of for a URL that may have a scheme.
@lru_cache(maxsize=4096)
def _read_scheme(url: str) -> str:
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", _LEADING_IGNORED.sub("", html.unescape(url))))
    return match.group(1).lower() if match else ""


# What is wrong with a link to another site (message, hint), or None when it follows the rules.
def url_problem(url: str, http_allow: Sequence[str]) -> tuple[str, str] | None:
    return _problem(url, tuple(http_allow))


# url_problem, worked out once per URL and allow-list (a site repeats its links on many pages).
@lru_cache(maxsize=65536)
def _problem(url: str, http_allow: tuple[str, ...]) -> tuple[str, str] | None:
    scheme = scheme_of(url)
    if scheme in FORBIDDEN_SCHEMES:
        return f"{scheme}: URLs are not allowed", "link to an https:// page instead"
    if scheme == "http" and not any(url.startswith(prefix) for prefix in http_allow):
        return "plain http:// is not allowed", HTTP_HINT
    if scheme in ("mailto", "tel"):
        return None if url[len(scheme) + 1:].strip() else (f"empty {scheme}: address", "")
    if scheme not in ("http", "https"):
        return f"{scheme}: links are not allowed", "only https:// (and mailto:) links may leave the site"
    return _malformed(url)


# Every URL written in the loaded data (settings included), each at the line and column where it is written (found
# in the text the load kept).
def data_urls(data: SiteData, root: Path) -> list[UrlUse]:
    return [use for records in data_record_groups(data) for use in record_urls(records, data, root)]


# The loaded data's records in groups that each come from one file: the settings, then each kind.
def data_record_groups(data: SiteData) -> list[tuple[Record, ...]]:
    return [(data.settings,), *data.kinds.values()]


# The text each record's file holds: the load's, or (for a file the load did not keep) the file's.
def record_texts(records: Sequence[Record], data: SiteData, root: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for record in records:
        if record.file not in texts:
            document = data.documents.get(record.file)
            texts[record.file] = document.text if document is not None else (root / record.file).read_text(encoding="utf-8")
    return texts


# Every URL written in some records, each at the line and column where it is written.
def record_urls(records: Sequence[Record], data: SiteData, root: Path) -> list[UrlUse]:
    lines: dict[str, list[str]] = {}
    uses: list[UrlUse] = []
    for record in records:
        for owner, where, text in _strings(record, record, record.path):
            if owner.file not in lines:
                lines[owner.file] = record_texts((owner,), data, root)[owner.file].splitlines()
            uses.extend(_use(lines[owner.file], owner, where, url) for url in _urls_in(text))
    return uses


# A problem with an http(s) URL's form, or None when it is well-formed.
def _malformed(url: str) -> tuple[str, str] | None:
    if any(character.isspace() for character in url):
        return "contains a space", "encode spaces as %20"
    parts = urlsplit(url)
    try:
        parts.port
    except ValueError:
        return "has an invalid port", ""
    host = parts.hostname or ""
    if not host:
        return "has no host name", "write it as https://example.org/path"
    if not _HOST.fullmatch(host) and not _is_ip(host):
        return f"has an invalid host name {host!r}", "write it as https://example.org/path"
    return None


# Whether text is an IPv4 or IPv6 address.
def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


# Every string in a record as (innermost record holding it, its path in the data, the text).
def _strings(value: Any, owner: Record, where: str) -> Iterator[tuple[Record, str, str]]:
    if isinstance(value, str):
        yield owner, where, value
    elif isinstance(value, Record):
        for key, item in value.items():
            yield from _strings(item, value, f"{where}.{key}" if where else key)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _strings(item, owner, f"{where}[{index}]")


# The URLs in one data string: every address (scheme://...) and every script or data URL in it, also when written
# with character references (java&#9;script:); such a URL is given as written.
def _urls_in(text: str) -> Iterator[str]:
    decoded, origins = _decoded(text)
    for match in _SCRIPT.finditer(decoded):
        end = match.end() + len(decoded[match.end():].split(None, 1)[0]) if decoded[match.end():].strip() else match.end()
        start, stop = origins[match.start()], origins[end] if end < len(origins) else len(text)
        yield _trim(text[start:stop])
    for match in _EMBEDDED.finditer(text):
        yield _trim(match.group(0))


# The text with character references decoded, and for each decoded offset (plus the end) the offset it came from.
def _decoded(text: str) -> tuple[str, list[int]]:
    if "&" not in text:
        return text, list(range(len(text) + 1))
    parts: list[str] = []
    origins: list[int] = []
    cursor = 0
    for match in _ENTITY.finditer(text):
        parts.append(text[cursor:match.start()])
        origins.extend(range(cursor, match.start()))
        character = html.unescape(match.group(0))
        parts.append(character)
        origins.extend([match.start()] * len(character))
        cursor = match.end()
    parts.append(text[cursor:])
    origins.extend(range(cursor, len(text) + 1))
    return "".join(parts), origins


# A URL found in prose without the punctuation that follows it (a closing bracket only when unbalanced).
def _trim(url: str) -> str:
    url = url.rstrip(".,;:!?'\"")
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(".,;:!?'\"")
    return url


# A UrlUse at the line and column where the URL is written, searching from the line of the record holding it.
def _use(lines: list[str], owner: Record, where: str, url: str) -> UrlUse:
    for number in range(max(owner.line - 1, 0), len(lines)):
        column = lines[number].find(url)
        if column >= 0:
            return UrlUse(url, owner.file, number + 1, column + 1, where)
    return UrlUse(url, owner.file, owner.line, 0, where)
