"""Read element ids, link targets and data-record citations from HTML (or Markdown holding raw HTML).

A tag-level scan with regular expressions: the checks need attributes and nesting, not a document tree, and
this is several times faster than html.parser on pages full of macro output."""
from __future__ import annotations

import bisect
import html
import re
import sys
from dataclasses import dataclass

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_LINK_ATTRIBUTES = {"href": None, "src": {"img"}}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ID_ATTRIBUTE = re.compile(r"""\s[iI][dD]\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ANCHOR_NAME = re.compile(r"""<[aA]\s(?:[^<>]*?\s)?[nN][aA][mM][eE]\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# One tuple for each distinct citation, shared by every page that makes it: at 1,000 guides the pages make 49,363
# citations, of which 6,416 differ.
_CITATIONS: dict[tuple[str, str], tuple[str, str]] = {}


@dataclass(frozen=True, slots=True)
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


# Scan markup once for ids, link targets and data-record citations as ("kind:id", nearest element id or ""); targets
# and citations (their texts and each pair) are interned, since the same ones recur on every page a site keeps.
def scan_html(markup: str) -> HtmlScan:
    if "<!--" in markup:
        markup = _COMMENT.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), markup)
    line_starts = [0] + [match.end() for match in re.finditer("\n", markup)]
    ids: set[str] = set()
    hrefs: list[Href] = []
    citations: list[tuple[str, str]] = []
    open_tags: list[tuple[str, str]] = []
    for match in _TAG.finditer(markup):
        closing, tag, rest = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            _close(open_tags, tag)
            continue
        values = tag_attributes(rest) if "=" in rest else {}
        if values.get("id"):
            ids.add(values["id"])
        if tag == "a" and values.get("name"):
            ids.add(values["name"])
        for name, tags in _LINK_ATTRIBUTES.items():
            if name in values and (tags is None or tag in tags):
                line = bisect.bisect_right(line_starts, match.start())
                hrefs.append(Href(sys.intern(values[name].strip()), line, match.start() - line_starts[line - 1]))
        if values.get("data-record"):
            nearest = values.get("id") or next((anchor for _tag, anchor in reversed(open_tags) if anchor), "")
            citation = (sys.intern(values["data-record"]), sys.intern(nearest))
            citations.append(_CITATIONS.setdefault(citation, citation))
        if tag not in _VOID and not rest.rstrip().endswith("/"):
            open_tags.append((tag, values.get("id", "")))
    return HtmlScan(frozenset(ids), tuple(hrefs), tuple(citations))


# The element ids of markup: every quoted id attribute and the name of each <a>. A quick attribute match instead
# of scan_html's tag walk, for whole built pages, whose text Markdown has escaped (two plain passes: one pattern
# for both would be several times slower, and would skip an id written before an <a>'s name).
def element_ids(markup: str) -> frozenset[str]:
    if "<!--" in markup:
        markup = _COMMENT.sub("", markup)
    patterns = (_ID_ATTRIBUTE, _ANCHOR_NAME) if "<a" in markup or "<A" in markup else (_ID_ATTRIBUTE,)
    return frozenset(html.unescape(value) if "&" in value else value
                     for pattern in patterns for match in pattern.finditer(markup) for value in match.groups() if value)


# A tag's attributes, names in lower case, values unescaped ("" for a bare attribute).
def tag_attributes(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        value = next((group for group in match.group(2, 3, 4) if group is not None), "")
        values.setdefault(match.group(1).lower(), html.unescape(value))
    return values


# Close the innermost open element with this name (and any left open inside it); a stray end tag is ignored.
def _close(open_tags: list[tuple[str, str]], tag: str) -> None:
    for depth in range(len(open_tags) - 1, -1, -1):
        if open_tags[depth][0] == tag:
            del open_tags[depth:]
            return
