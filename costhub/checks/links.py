"""The link graph of the rendered site: every link with the file:line it was written on, checked against pages,
anchors, files and the link rules, plus the site's structure (hub <-> guides, no orphan pages)."""
from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Mapping, Sequence
from urllib.parse import unquote

from ..errors import ContentError, did_you_mean
from ..data.model import HUB_ID, SiteData
from ..pages.page_links import Link, PackedLinks
from ..pages.site import CONTENT_DIR
from .urls import UrlUse, scheme_of, url_problem

GUIDES_SECTION = "guides"


@dataclass(frozen=True)
class PageLinks:
    """A page in the link graph: its id, its content file, its links, and how to find its element ids (None if the
    page failed to render), with, for a page not built, how to find the rest of them at a higher cost (its
    headings' ids). The ids are found only when a link's anchor points into the page, and then once; the rest only
    when an anchor is not among the first."""

    page_id: str
    file: str
    links: PackedLinks
    find_ids: Callable[[], frozenset[str]] | None = field(repr=False, compare=False)
    find_more_ids: Callable[[], frozenset[str]] | None = field(default=None, repr=False, compare=False)

    # Whether the page rendered, so its links and ids are known.
    @property
    def known(self) -> bool:
        return self.find_ids is not None

    # The page's element ids found first (None when unknown), on first use.
    @cached_property
    def ids(self) -> frozenset[str] | None:
        return None if self.find_ids is None else self.find_ids()

    # Every element id of the page (None when unknown), on first use.
    @cached_property
    def all_ids(self) -> frozenset[str] | None:
        if self.ids is None or self.find_more_ids is None:
            return self.ids
        return self.ids | self.find_more_ids()


class LinkResolutions:
    """Each link's resolution without its anchor (target page, problem, anchor to look for there), by all that
    decides it: the page, its file, the target and its kind, given the site's page ids, static files and allow-list.
    Kept from one check to the next while those three are the same (a `mkdocs serve` rebuild resolves only the links
    it has not met; anchors are looked for on every check, since the target page's ids may have changed)."""

    # Nothing resolved yet.
    def __init__(self) -> None:
        self.against: tuple[frozenset[str], frozenset[str], tuple[str, ...]] | None = None
        self.resolved: dict[tuple[str, str, str, bool], tuple[str | None, tuple[str, str] | None, str]] = {}


# The resolutions a `mkdocs serve` process keeps from one rebuild's checks to the next (None: each check resolves
# every link; see keep_link_resolutions).
_KEPT: LinkResolutions | None = None


# From now on, keep the links' resolutions from one check to the next (for a process that checks again after each
# edit); those already kept stay.
def keep_link_resolutions() -> None:
    global _KEPT
    if _KEPT is None:
        _KEPT = LinkResolutions()


# Every problem with the links and structure of the site (pages keyed by id; nav holds page ids in the nav).
def check_links(pages: Mapping[str, PageLinks], catalog: SiteData, nav: set[str], static_files: set[str],
                http_allow: Sequence[str]) -> list[ContentError]:
    errors: list[ContentError] = []
    edges: dict[str, set[str]] = {page_id: set() for page_id in pages}
    against = (frozenset(pages), frozenset(static_files), tuple(http_allow))
    earlier = _KEPT.resolved if _KEPT is not None and _KEPT.against == against else {}
    # Each link's resolution, only when kept for the next check: a check that keeps none meets hardly any key twice
    # (at 1,000 guides, holding them all took 20 MB for nothing).
    resolved: dict[tuple[str, str, str, bool], tuple[str | None, tuple[str, str] | None, str]] = {}
    for page in pages.values():
        for link in page.links:
            key = (page.page_id, page.file, link.target, link.markdown)  # all a link's resolution depends on
            found = resolved.get(key) or earlier.get(key) or _resolve(link, page, pages, static_files, http_allow)
            if _KEPT is not None:
                resolved[key] = found
            target, problem, anchor = found
            if anchor and target:  # looked for on every check: the target page's ids are this build's
                problem = _anchor_problem(link.target, anchor, pages[target])
            if problem:
                errors.append(ContentError(link.file, link.line, 0, "", *problem))
            if target and target != page.page_id:
                edges[page.page_id].add(target)
    if _KEPT is not None:
        _KEPT.against, _KEPT.resolved = against, resolved
    errors.extend(_structure(pages, catalog, nav, edges))
    return errors


# Every external link in the pages, as UrlUses (for the online check).
def external_links(pages: Mapping[str, PageLinks]) -> list[UrlUse]:
    return [UrlUse(link.target, link.file, link.line, 0, "") for page in pages.values() for link in page.links
            if scheme_of(link.target) in ("http", "https")]


# (target page id or None, problem or None, the anchor to look for in the target page or "") for one link.
def _resolve(link: Link, page: PageLinks, pages: Mapping[str, PageLinks], static_files: set[str],
             http_allow: Sequence[str]) -> tuple[str | None, tuple[str, str] | None, str]:
    target = link.target
    if scheme_of(target):
        problem = url_problem(target, http_allow)
        return None, ((f"link {target!r}: {problem[0]}", problem[1]) if problem else None), ""
    if not target:
        return None, ("empty link", ""), ""
    if target.startswith("/"):
        return None, (f"absolute link {target!r}", "use a relative link such as glossary.md, so the site works under any path"), ""
    path, _, anchor = target.partition("#")
    path = path.partition("?")[0]  # a query (the calculator's state) is read by the page's script, not a file
    path, anchor = unquote(path), unquote(anchor)
    if not path:
        return page.page_id, None, anchor
    resolve = _markdown_target if link.markdown else _url_target
    target_id, problem = resolve(page, path, pages, static_files)
    if problem:
        return None, (f"broken link {target!r}: {problem[0]}", problem[1]), ""
    return target_id, None, anchor if target_id else ""


# A Markdown link path (relative to the page's .md file) as a page id, or None for a file the site ships.
def _markdown_target(page: PageLinks, path: str, pages: Mapping[str, PageLinks],
                     static_files: set[str]) -> tuple[str | None, tuple[str, str] | None]:
    source = page.file.removeprefix(f"{CONTENT_DIR}/")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if resolved.endswith(".md") and resolved.removesuffix(".md") in pages:
        return resolved.removesuffix(".md"), None
    if resolved.endswith(".md"):
        return None, (f"there is no page {CONTENT_DIR}/{resolved}", _suggest(resolved, pages, ".md"))
    if resolved in static_files:
        return None, None
    return None, (f"the site has no page or file {resolved!r}", "link to a page's .md file, e.g. glossary.md")


# An HTML href (relative to the page's URL, /<id>/) as a page id, or None for a file the site ships.
def _url_target(page: PageLinks, path: str, pages: Mapping[str, PageLinks],
                static_files: set[str]) -> tuple[str | None, tuple[str, str] | None]:
    joined = posixpath.join("/" if page.page_id == HUB_ID else f"/{page.page_id}/", path)
    normal = posixpath.normpath(joined).strip("/")
    directory = joined.endswith("/") or not normal
    if posixpath.basename(normal) == "index.html":
        normal, directory = posixpath.dirname(normal), True
    if directory:
        target_id = normal or HUB_ID
        if target_id in pages and (target_id != HUB_ID or not normal):
            return target_id, None
        return None, (f"there is no page at /{normal}/", _suggest(f"{normal}/", pages, "/"))
    if normal.endswith(".md"):
        return None, ("an HTML link is not rewritten by MkDocs, so the .md file is not on the site",
                      f"link to the page's address instead, such as ../{normal.removesuffix('.md')}/")
    if normal in pages:
        return None, ("a page address needs its trailing slash", f"write {path}/ so it works on every host")
    if normal in static_files:
        return None, None
    return None, (f"the site has no page or file {normal!r}", "")


# A did-you-mean hint for a missing page, comparing page ids written with the given suffix.
def _suggest(written: str, pages: Mapping[str, PageLinks], suffix: str) -> str:
    return did_you_mean(written, [f"{page_id}{suffix}" for page_id in pages if page_id != HUB_ID or suffix == ".md"])


# A problem when anchor is missing from the target page (only when that page's ids are known).
def _anchor_problem(target: str, anchor: str, page: PageLinks) -> tuple[str, str] | None:
    if not anchor or page.ids is None or anchor in page.ids or page.all_ids is None or anchor in page.all_ids:
        return None
    closest = difflib.get_close_matches(anchor, sorted(page.all_ids), n=3, cutoff=0.5)
    hint = (f"closest anchors there: {', '.join('#' + name for name in closest)}" if closest
            else "check the heading text or the macro that makes the anchor")
    return f"broken anchor {target!r}: {page.file} has no element with id {anchor!r}", hint


# Structure: the hub links to every guide, every guide links back to the hub, no page is orphaned. A page that
# failed to render has unknown links: it is already reported, so nothing is inferred from its missing links.
def _structure(pages: Mapping[str, PageLinks], catalog: SiteData, nav: set[str],
               edges: Mapping[str, set[str]]) -> Iterator[ContentError]:
    guides = [record for record in catalog.all("pages") if record.section == GUIDES_SECTION]
    for guide in guides:
        if HUB_ID in pages and pages[HUB_ID].known and guide.id not in edges[HUB_ID]:
            yield ContentError(guide.file, guide.line, 0, guide.path,
                               f"guide {guide.id!r} is not linked from the hub ({CONTENT_DIR}/{HUB_ID}.md)",
                               "the hub lists every guide with guide_cards(); or link to the guide from the hub")
        if guide.id in pages and pages[guide.id].known and HUB_ID not in edges[guide.id]:
            yield ContentError(pages[guide.id].file, 1, 0, "", "guide does not link back to the hub",
                               f"link to {HUB_ID}.md from the guide")
    unknown = {page_id for page_id, page in pages.items() if not page.known}
    linked = {target for page_id, targets in edges.items() for target in targets if target != page_id}
    for page_id, page in pages.items():
        if page_id != HUB_ID and page_id not in nav and page_id not in linked and not unknown - {page_id}:
            yield ContentError(page.file, 1, 0, "", "orphan page: it is not in the nav and no page links to it",
                               "add it to data/pages.yml (the nav is built from it) or link to it from another page")
