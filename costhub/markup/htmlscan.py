"""Read element ids, link targets and data-record citations from HTML (or Markdown holding raw HTML).

A tag-level scan with regular expressions: the checks need attributes and nesting, not a document tree, and
this is several times faster than html.parser on pages full of macro output."""
from __future__ import annotations

import hashlib
import html
import re
import sys
from dataclasses import dataclass, field

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_LINK_ATTRIBUTES = {"href": None, "src": {"img"}}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A tag: "/" for an end tag, its name, and its attribute text up to the ">" outside quotes (the quantifiers are
# possessive: each character can be read only one way, so giving any back would never find a match).
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>""")
_ID_ATTRIBUTE = re.compile(r"""\s[iI][dD]\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# The same matches in markup where "id" is never written in another case: found from the letters "id" on, which the
# regular expression engine skips to, instead of from every space (several times faster on a built page).
_LOWER_ID_ATTRIBUTE = re.compile(r"""id(?<=\sid)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_OTHER_ID_CASES = ("ID", "Id", "iD")
_ANCHOR_NAME = re.compile(r"""<[aA]\s(?:[^<>]*?\s)?[nN][aA][mM][eE]\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Where attribute text may hold one of the attributes scan_html reads, in any case: the name as a whole word between
# the characters that end attribute names (as _ATTRIBUTE reads them), so text without one is never parsed.
_WANTED = re.compile(r"""(?<![^\s"'=<>/])(?:id|name|href|src|data-record)(?![^\s"'=<>/])""", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# One tuple for each distinct citation, shared by every page that makes it: at 1,000 guides the pages make 49,363
# citations, of which 6,416 differ.
_CITATIONS: dict[tuple[str, str], tuple[str, str]] = {}
# The element ids of the built pages met last, by the digest of each page's markup (see page_element_ids).
_KEPT_IDS: dict[bytes, frozenset[str]] = {}
KEPT_IDS_LIMIT = 512


@dataclass(frozen=True, slots=True)
class Href:
    """A link target found in markup, with the offset where its tag starts."""

    target: str
    offset: int


@dataclass(frozen=True)
class HtmlScan:
    """Everything the checks need from one chunk of markup."""

    ids: frozenset[str]
    hrefs: tuple[Href, ...]
    citations: tuple[tuple[str, str], ...]


# Scan markup once for ids, link targets and data-record citations as ("kind:id", nearest element id or ""); targets
# and citations (their texts and each pair) are interned, since the same ones recur on every page a site keeps. Only
# a start tag whose attribute text may hold an attribute the scan reads has its attributes parsed; every tag keeps
# the nesting.
def scan_html(markup: str) -> HtmlScan:
    if "<!--" in markup:
        markup = _COMMENT.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), markup)
    found = _Found()
    open_tags = found.open_tags
    for match in _TAG.finditer(markup):
        closing, tag, rest = match.groups()
        tag = tag.lower()
        if closing:
            if open_tags and open_tags[-1][0] == tag:
                open_tags.pop()
            else:
                _close(open_tags, tag)
            continue
        element_id = found.start_tag(tag, rest, match.start()) if "=" in rest and _WANTED.search(rest) else ""
        if tag not in _VOID and not rest.rstrip().endswith("/"):
            open_tags.append((tag, element_id))
    return HtmlScan(frozenset(found.ids), tuple(found.hrefs), tuple(found.citations))


@dataclass(slots=True)
class _Found:
    """What scan_html has found so far, and the elements open at the tag it is at (name, id)."""

    ids: set[str] = field(default_factory=set)
    hrefs: list[Href] = field(default_factory=list)
    citations: list[tuple[str, str]] = field(default_factory=list)
    open_tags: list[tuple[str, str]] = field(default_factory=list)

    # Note the id, link target and citation of the start tag at offset start (attribute text rest); returns its id.
    def start_tag(self, tag: str, rest: str, start: int) -> str:
        values = tag_attributes(rest)
        element_id = values.get("id", "")
        if element_id:
            self.ids.add(element_id)
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for name, tags in _LINK_ATTRIBUTES.items():
            if name in values and (tags is None or tag in tags):
                self.hrefs.append(Href(sys.intern(values[name].strip()), start))
        if values.get("data-record"):
            nearest = element_id or next((anchor for _tag, anchor in reversed(self.open_tags) if anchor), "")
            citation = (sys.intern(values["data-record"]), sys.intern(nearest))
            self.citations.append(_CITATIONS.setdefault(citation, citation))
        return element_id


# The element ids of markup: every quoted id attribute and the name of each <a>. A quick attribute match instead
# of scan_html's tag walk, for whole built pages, whose text Markdown has escaped (two plain passes: one pattern
# for both would be several times slower, and would skip an id written before an <a>'s name).
def element_ids(markup: str) -> frozenset[str]:
    if "<!--" in markup:
        markup = _COMMENT.sub("", markup)
    ids = _ID_ATTRIBUTE if any(case in markup for case in _OTHER_ID_CASES) else _LOWER_ID_ATTRIBUTE
    patterns = (ids, _ANCHOR_NAME) if "<a" in markup or "<A" in markup else (ids,)
    return frozenset(html.unescape(value) if "&" in value else value
                     for pattern in patterns for match in pattern.finditer(markup) for value in match.groups() if value)


# element_ids of a whole built page, kept by the digest of its markup for this process's later builds (a `mkdocs
# serve` rebuild scans only the pages whose HTML changed); the KEPT_IDS_LIMIT pages scanned or met last are kept.
def page_element_ids(markup: str) -> frozenset[str]:
    digest = hashlib.blake2b(markup.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    ids = _KEPT_IDS.pop(digest, None)
    if ids is None:
        ids = element_ids(markup)
        if len(_KEPT_IDS) >= KEPT_IDS_LIMIT:
            del _KEPT_IDS[next(iter(_KEPT_IDS))]
    _KEPT_IDS[digest] = ids  # now the most recently met
    return ids


# A tag's attributes, names in lower case, values unescaped ("" for a bare attribute).
def tag_attributes(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, double_quoted, single_quoted, unquoted in _ATTRIBUTE.findall(text):
        value = double_quoted or single_quoted or unquoted  # at most one is not empty
        values.setdefault(name.lower(), html.unescape(value) if "&" in value else value)
    return values


# Close the innermost open element with this name (and any left open inside it); a stray end tag is ignored.
def _close(open_tags: list[tuple[str, str]], tag: str) -> None:
    for depth in range(len(open_tags) - 1, -1, -1):
        if open_tags[depth][0] == tag:
            del open_tags[depth:]
            return
