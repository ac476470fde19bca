"""Read element ids, link targets and data-record citations from HTML (or Markdown holding raw HTML)."""
from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_LINK_ATTRIBUTES = {"href": None, "src": {"img"}}


@dataclass(frozen=True)
class Href:
    """A link target found in markup, with the 1-based line and 0-based column where its tag starts."""

    target: str
    line: int
    column: int


@dataclass(frozen=True)
class HtmlScan:
    """Everything the checks need from one chunk of markup."""

    ids: frozenset[str]
    hrefs: tuple[Href, ...]
    citations: tuple[tuple[str, str], ...]


class _Scanner(HTMLParser):
    """Tracks open elements so each data-record element knows its nearest id."""

    # Start with nothing found and no open elements.
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[Href] = []
        self.citations: list[tuple[str, str]] = []
        self._open: list[tuple[str, str]] = []

    # Record the tag's ids, link targets and data-record citation, then open it (void tags never open).
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name])
        for name, tags in _LINK_ATTRIBUTES.items():
            if name in values and (tags is None or tag in tags):
                self.hrefs.append(Href(values[name].strip(), *self.getpos()))
        nearest = values.get("id") or next((anchor for _tag, anchor in reversed(self._open) if anchor), "")
        if values.get("data-record"):
            self.citations.append((values["data-record"], nearest))
        if tag not in _VOID:
            self._open.append((tag, values.get("id", "")))

    # A self-closed tag (<br/>) is read like a start tag that closes at once.
    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self._open.pop()

    # Close the innermost open element with this name (and any left open inside it).
    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                return


# Scan markup once for ids, link targets and data-record citations as ("kind:id", nearest element id or "").
def scan_html(markup: str) -> HtmlScan:
    scanner = _Scanner()
    scanner.feed(markup)
    scanner.close()
    return HtmlScan(frozenset(scanner.ids), tuple(scanner.hrefs), tuple(scanner.citations))
