"""Where a rendered page links to: every link with the file and line that wrote it, found once per render (and kept
with it, in the snapshot too) for the link checks of both the build and `costhub check`."""
from __future__ import annotations

import re
import sys
from array import array
from dataclasses import dataclass
from typing import Iterable, Iterator

from jinja2 import Environment

from ..markup.htmlscan import HtmlScan, scan_html
from .source_map import build_source_map

_INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(?:<([^>\n]*)>|([^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*))")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+))", re.MULTILINE)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")


@dataclass(frozen=True, slots=True)
class Link:
    """One link as written: its target, the file and line it came from, and whether it is a Markdown link
    (relative to the .md file, rewritten by MkDocs) or an HTML href (relative to the page's URL)."""

    target: str
    file: str
    line: int
    markdown: bool


@dataclass(frozen=True, slots=True)
class PackedLinks:
    """Links held compactly, since a site keeps every page's links until its checks run (77,000 of them at 1,000
    guides, a tenth of the memory as Link objects): the distinct files, the targets, and per link its line and its
    kind (the file's index, twice, plus 1 for a Markdown link) as packed integers. Iterating gives each as a Link."""

    files: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    lines: bytes = b""
    kinds: bytes = b""

    # Each link, in order.
    def __iter__(self) -> Iterator[Link]:
        files = self.files
        for target, line, kind in zip(self.targets, memoryview(self.lines).cast("q"), memoryview(self.kinds).cast("I")):
            yield Link(target, files[kind >> 1], line, bool(kind & 1))

    # How many links there are.
    def __len__(self) -> int:
        return len(self.targets)

    # These links, then the other's (joined as packed, with the other's file indexes moved to the joined files).
    def __add__(self, other: PackedLinks) -> PackedLinks:
        if not other.targets or not self.targets:
            return other if not self.targets else self
        files = list(self.files)
        for file in other.files:
            if file not in files:
                files.append(file)
        moved = [files.index(file) * 2 for file in other.files]
        kinds = array("I", [moved[kind >> 1] + (kind & 1) for kind in memoryview(other.kinds).cast("I")])
        return PackedLinks(tuple(files), self.targets + other.targets, self.lines + other.lines,
                           self.kinds + kinds.tobytes())

    # The same links, all at one file and line (a page header's links move with its catalog entry).
    def at(self, file: str, line: int) -> PackedLinks:
        count = len(self.targets)
        markdown = array("I", [kind & 1 for kind in memoryview(self.kinds).cast("I")])
        lines = array("q", [line]) * count
        return PackedLinks((file,) if count else (), self.targets, lines.tobytes(), markdown.tobytes())


# Links packed, in their order.
def pack_links(links: Iterable[Link]) -> PackedLinks:
    files: dict[str, int] = {}
    targets: list[str] = []
    lines, kinds = array("q"), array("I")
    for link in links:
        targets.append(link.target)
        lines.append(link.line)
        kinds.append(files.setdefault(link.file, len(files)) * 2 + link.markdown)
    return PackedLinks(tuple(files), tuple(targets), lines.tobytes(), kinds.tobytes())


# The links of a page header, all at its catalog entry's line (the header is made from that entry).
def header_links(header: str, record_file: str, record_line: int) -> PackedLinks:
    return pack_links(Link(href.target, record_file, record_line, False) for href in scan_html(header).hrefs)


# The links of a rendered body (file: its content path; blanked: the body with its code blanked, as blank_code
# makes it; scan: the one scan of that text), each at the line of the page source that wrote it: HTML hrefs from
# the scan, and Markdown links written in the page itself.
def body_links(env: Environment, file: str, source: str, body: str, blanked: str, line_offset: int,
               scan: HtmlScan) -> PackedLinks:
    source_map = build_source_map(env, source, body, line_offset)
    links = [Link(href.target, file, source_map.line(href.offset), False) for href in scan.hrefs]
    links.extend(Link(target, file, source_map.line(offset), True)
                 for offset, target in _markdown_links(blanked) if source_map.is_literal(offset))
    return pack_links(links)


# (offset, target) of every Markdown link in a body: inline, reference definitions and autolinks (targets interned);
# a pattern runs only when the "](" or "]:" that each of its links holds occurs at all.
def _markdown_links(body: str) -> Iterator[tuple[int, str]]:
    for pattern, marker in ((_INLINE, "]("), (_REFERENCE, "]:")):
        if marker not in body:
            continue
        for match in pattern.finditer(body):
            target = match.group(1) if match.group(1) is not None else match.group(2)
            yield match.start(), sys.intern(target.strip())
    for match in _AUTOLINK.finditer(body):
        yield match.start(), sys.intern(match.group(1))
