"""The site as the build sees it: data, page catalog, review dates and page rendering, independent of MkDocs."""
from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, TypeVar

from markdown.extensions.toc import slugify
from markupsafe import Markup

from ..calculator.comparison import CatalogChecks, load_comparisons
from ..calculator.model import Calculator, load_calculators
from ..data.load import forget_parses, load_site_data
from ..errors import ContentError, ContentErrors, did_you_mean
from ..review.freshness import today_from
from ..markup.markdown_source import FrontMatterError, count_words, prose_of, split_front_matter
from ..data.yamlfile import read_text
from ..data.model import Record, SiteData
from ..markup.htmlscan import scan_html
from .collector import fewer_collections
from .parallel import MIN_ITEMS, Ahead, in_a_copy, in_two_copies, working_ahead
from .page_links import PackedLinks, body_links, header_links
from .reads import Read, Watched, reads_unchanged, uses_value
from .render import PageRenderer, compile_ahead, compiled_templates, forget_page_code, keep_compiled_templates
from .source_map import blank_code
from .snapshot import LoadKey, load_key, read_snapshot, write_snapshot
from ..review.book import CitationsPending, PageReview, ReviewBook, find_citations, load_review
from ..review.catalog import FACT_TOPICS, Catalog, load_catalog

CONTENT_DIR = "content"
DATA_DIR = "data"
TEMPLATES_DIR = "overrides"
NAV_SECTIONS = {"guides": "Guides", "tools": "Tools", "reference": "Reference", "editors": "For editors"}
WORDS_PER_MINUTE = 200
NAV_GROUP_LIMIT = 12
# The least data (bytes of data/*.yml) whose records a one-shot build loads in a copy of itself (see _load): below
# it the parse leaves a few MiB of garbage, and sending the records back costs about what keeping it out saves.
RECORDS_COPY_BYTES = 1 << 20
# The name under which a snapshot's state holds the compiled templates' code.
_TEMPLATE_CODE_STATE = "template_code"
_LAST_LOAD: dict[LoadKey, Site] = {}
T = TypeVar("T")


@dataclass(frozen=True)
class RenderedPage:
    """One page rendered for MkDocs: its catalog record, its file, the body source as written, the Markdown MkDocs
    sees (one string, which MkDocs keeps as it is: neither the header nor the body is held twice) and where the
    header and the body start in it, and what the one scan of the body (code blanked) found: the records it cites
    ("kind:id", nearest anchor) and its links with the lines that wrote them."""

    record: Record
    file: str
    source: str | None  # None in a render from the snapshot or a copy, which leave sources out (see Site.page_source)
    line_offset: int
    header_start: int
    markdown: str
    body_start: int
    citations: tuple[tuple[str, str], ...]
    review: PageReview | None = None
    body_reads: tuple[Read, ...] = ()
    header_reads: tuple[Read, ...] = ()
    body_links: PackedLinks = PackedLinks()
    header_links: PackedLinks = PackedLinks()

    # Every link of the page: header links belong to its catalog entry, body links to the line that made them.
    @property
    def links(self) -> PackedLinks:
        return self.header_links + self.body_links

    # The rendered body: the page's Markdown after its title and header.
    @property
    def body(self) -> str:
        return self.markdown[self.body_start:]

    # What a pickle (the site snapshot) keeps: everything but the source, which the page file holds (the snapshot
    # tells a page's source by its digest).
    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "source": None}

    # The rendered header: the page's Markdown between its title and its body (less the blank line before it).
    @property
    def header(self) -> str:
        return self.markdown[self.header_start:max(self.header_start, self.body_start - 2)]


# The Markdown MkDocs sees for a page, and where its header and its body start: the title as an escaped HTML H1
# (data text is never Markdown), the page header (compact HTML, so no blank line), then the body.
def page_markdown(title: str, header: str, body: str) -> tuple[str, int, int]:
    heading = f"{title_heading(title)}\n\n"
    head = f"{heading}{header}\n\n"
    return head + body, len(heading), len(head)


@dataclass(frozen=True)
class Site:
    """A loaded project: its root folder, its validated data, the page renderer, its review book and the checked
    calculators."""

    root: Path
    data: SiteData
    renderer: PageRenderer
    review: ReviewBook
    calculators: dict[str, Calculator] = field(default_factory=dict)
    catalog: Catalog | None = None
    catalog_checks: CatalogChecks | None = None
    # Each rendered page by its path in content/, with the digest of the file's text it was rendered from.
    prerendered: dict[str, tuple[bytes, RenderedPage]] = field(default_factory=dict, repr=False)
    # The key the site was loaded under (None for a site made without Site.load): caches of what follows from the
    # load alone are kept under it.
    key: LoadKey | None = field(default=None, repr=False, compare=False)
    # The pages a forked copy is rendering while the build goes on (a load with ahead=True), until complete().
    ahead: _RendersAhead | None = field(default=None, repr=False, compare=False)
    # What the copy working ahead worked out from the complete site with load's `then` (None when it did not).
    worked_out_ahead: Any = field(default=None, repr=False, compare=False)
    # The errors of each page whose first render failed, with the digest of the text it failed with: a later render
    # of the same text reports them again without rendering (a page that runs into the render deadline costs it once).
    failed: dict[str, tuple[bytes, tuple[ContentError, ...]]] = field(default_factory=dict, repr=False, compare=False)

    # Load and validate data/ under root, with review statuses for `today` (default: from SOURCE_DATE_EPOCH); raises
    # ContentErrors. Loading the same files again (the second hook of a build, or a later process: see snapshot.py)
    # returns the site already loaded; after an edit (a `mkdocs serve` rebuild, or a build after a change) the pages
    # whose source and data reads are unchanged keep their render. With ahead=True, a forked copy renders the pages
    # while the caller goes on (a build, which renders the first pages to HTML meanwhile): each render waits only
    # for its own page, and complete() gives the site once every page is rendered (see _RendersAhead), with what
    # then(site) gave in the copy (its worked_out_ahead: the build's work that follows from the load alone).
    @classmethod
    def load(cls, root: Path, today: date | None = None, ahead: bool = False,
             then: Callable[[Site], Any] | None = None) -> Site:
        key = load_key(root, today or today_from(os.environ))
        if key not in _LAST_LOAD:
            with fewer_collections():
                earlier = next(iter(_LAST_LOAD.items()), None) or cls._stored(root, key)
                _LAST_LOAD.clear()
                if earlier is not None and earlier[0] == key:
                    site = earlier[1]
                else:
                    reusable = earlier[1] if earlier is not None and key.can_reuse(earlier[0]) else None
                    site = cls._load(root, key.today, reusable, ahead, then, key)
                    if site.ahead is None:
                        write_snapshot(root, key, site._state())
            _LAST_LOAD[key] = replace(site, key=key)
        return _LAST_LOAD[key]

    # Let go of what the process keeps only for a later load (each data file's parse, compiled page bodies): a
    # one-shot build has none, and the memory goes to the pages it still has to build.
    def forget_for_later_loads(self) -> None:
        forget_parses(self.data)
        forget_page_code()

    # The site this process loaded last, if it was loaded from root for today's review day (the second hook of a
    # build takes the site the first one loaded, without hashing every file again); else a load.
    @classmethod
    def last_loaded(cls, root: Path) -> Site:
        today = today_from(os.environ)
        for key, site in _LAST_LOAD.items():
            if key.root == root.resolve() and key.today == today:
                return site
        return cls.load(root, today)

    # The site of the project's snapshot and its key, or None when there is none, a load under key could not use it,
    # or it does not make a site.
    @classmethod
    def _stored(cls, root: Path, key: LoadKey) -> tuple[LoadKey, Site] | None:
        stored = read_snapshot(root, lambda stored_key: stored_key == key or key.can_reuse(stored_key))
        if stored is None:
            return None
        try:
            return stored[0], cls._from_state(root, stored[1])
        except Exception:  # a state this code did not write: the snapshot is only a shortcut
            return None

    # What a snapshot keeps of a loaded site: everything but the renderer, which is made again from it, and the code
    # of the templates this process compiled (a snapshot is read only under the same code and templates).
    def _state(self) -> dict[str, Any]:
        return {"data": self.data, "review": self.review, "calculators": self.calculators, "catalog": self.catalog,
                "catalog_checks": self.catalog_checks, "prerendered": self.prerendered,
                _TEMPLATE_CODE_STATE: compiled_templates()}

    # A site from a snapshot's state, with a new renderer (which compiles nothing until a page is rendered); the
    # templates' code is kept, so that a load after a data or page edit renders without compiling them.
    @classmethod
    def _from_state(cls, root: Path, state: dict[str, Any]) -> Site:
        keep_compiled_templates(state[_TEMPLATE_CODE_STATE])
        renderer = _renderer(root, state["data"], state["calculators"], state["review"], state["catalog"],
                             state["catalog_checks"])
        return cls(root, renderer=renderer, **{name: value for name, value in state.items()
                                               if name != _TEMPLATE_CODE_STATE})

    # Load without the cache: data, calculators and review dates, then every page rendered once (the build and
    # the checks reuse those renders), which tells where each record is shown. The renders of an earlier load with
    # the same templates and site settings are kept where they would come out the same.
    @classmethod
    def _load(cls, root: Path, today: date, earlier: Site | None, ahead: bool = False,
              then: Callable[[Site], Any] | None = None, key: LoadKey | None = None) -> Site:
        # A one-shot build loads large data in a copy: the parse's garbage (most of what it makes) stays out of the
        # build process, whose memory pools it would leave scattered for good.
        # The templates compile in a copy while the data loads, except in a build of small data: there the copy
        # that renders ahead compiles them while MkDocs reads the pages, and waiting here would only hold MkDocs up.
        large = ahead and _data_bytes(root) >= RECORDS_COPY_BYTES
        keep_compiled = compile_ahead(root / TEMPLATES_DIR) if large or not ahead else None
        records = in_a_copy(lambda: _load_records(root, today)) if large else _load_records(root, today)
        if keep_compiled is not None:
            keep_compiled()
        data, calculators, review, catalog, checks = records
        renderer = _renderer(root, data, calculators, review, catalog, checks)
        draft = cls(root, data, renderer, review, calculators, catalog, checks, key=key)
        kept = earlier.prerendered if earlier is not None and earlier.data.settings == data.settings else {}
        sources = _read_sources(draft.sources())
        if ahead:
            done, pending, to_render, digests = draft._planned_renders(sources, kept)
            renders = _RendersAhead(to_render, digests, sources, pending, kept, then)
            site = replace(draft, prerendered=done, ahead=renders)
            renders.copy = working_ahead(to_render, site._render_ahead, site._last_ahead, site._shared_objects())
            if renders.copy is not None:
                renders.arrivals = iter(renders.copy)
                return site
        done, pending = draft._first_renders(sources, earlier=kept)
        return replace(draft, prerendered=done)._cited(pending, kept)

    # The site once every page has been rendered once: the review book knows where each record is cited, and the
    # pages waiting for that (pending, by path, with their text) are rendered (in copies when copies allows).
    def _cited(self, pending: dict[str, str], kept: dict[str, tuple[bytes, RenderedPage]], copies: bool = True,
               ) -> Site:
        done = self.prerendered
        review = self.review.with_citations(find_citations(
            (page.id, done[f"{page.id}.md"][1].citations)
            for page in self.data.all("pages") if f"{page.id}.md" in done))
        self.renderer.env.globals["review"] = Watched("review", review, self.renderer.reads)  # read live: no recompile
        site = replace(self, review=review, ahead=None)
        # The pages waiting for the citations are few but may be long (the review dashboard): in a copy as well when
        # the first renders were, so the load's garbage stays out of this process.
        min_items = (1 if len(done) >= MIN_ITEMS else MIN_ITEMS) if copies else len(pending) + 1
        site.prerendered.update(site._first_renders(pending, earlier=kept, min_items=min_items)[0])
        self.renderer.memo.clear()  # every page is rendered: the kept macro renders would only take memory
        return site

    # The loaded site with every page rendered: for a load with ahead=True, once the copy has sent every page (a
    # page it could not render is rendered here), with the citations and the pages waiting for them, and kept as
    # the snapshot; any other site as it is.
    def complete(self) -> Site:
        ahead = self.ahead
        if ahead is None:
            return self
        if ahead.completed is None:
            self._take_arrivals(None)
            cited_renders, template_code, worked_out = (ahead.copy.last if ahead.copy and ahead.copy.last
                                                        else ({}, {}, None))
            keep_compiled_templates(template_code)
            missing = [(src_uri, text) for src_uri, text in ahead.to_render
                       if src_uri not in self.prerendered and src_uri not in ahead.pending
                       and src_uri not in self.failed]
            for src_uri, page in self._render_share(missing)[0].items():
                self._keep_render(src_uri, page, ahead.sources[src_uri], ahead.digests[src_uri], self.prerendered,
                                  ahead.pending)
                if isinstance(page, RenderedPage):  # a page the copy could not render (it failed there only):
                    cited_renders, worked_out = {}, None  # the copy's site lacks it: what it made from that is redone
            ahead.put_in_order(self.prerendered)
            ahead.completed = replace(self._cited({src_uri: text for src_uri, text in ahead.pending.items()
                                                   if src_uri not in cited_renders}, ahead.kept),
                                      worked_out_ahead=worked_out)
            for src_uri, page in cited_renders.items():
                text = ahead.pending[src_uri]
                self._keep_render(src_uri, page, text, text_digest(text), ahead.completed.prerendered, {})
            ahead.forget_texts()
            if self.key is not None:
                write_snapshot(self.root, self.key, ahead.completed._state())
                if _LAST_LOAD.get(self.key) is self:
                    _LAST_LOAD[self.key] = ahead.completed
        return ahead.completed

    # Take the copy's renders as they arrive until the page at src_uri has (if the copy renders it at all); the
    # site to render it with: this one, or the completed site when the page waits for the citations.
    def _wait_for_render(self, src_uri: str) -> Site:
        ahead = self.ahead
        assert ahead is not None
        if ahead.completed is not None:
            return ahead.completed
        return self.complete() if self.waits_for_citations(src_uri) or src_uri in ahead.expected else self

    # Whether the page at src_uri waits for the citations, which only every page's render gives, while the copy
    # renders the pages ahead (a build can put off building such a page until complete(): it never waits for the
    # copy to render the rest first). Waits for the copy's render of that page only.
    def waits_for_citations(self, src_uri: str) -> bool:
        ahead = self.ahead
        if ahead is None or ahead.completed is not None:
            return False
        self._take_arrivals(src_uri)
        return src_uri in ahead.pending

    # Keep the renders the copy has sent: those that have arrived, and, waiting for them, those up to the page at
    # src_uri if the copy renders it (with src_uri None, every render to the copy's end). Taking what has arrived
    # each time keeps the copy from waiting for the pipe to be read, so it stays ahead, up to its last page (the
    # review dashboard) before the build asks for it.
    def _take_arrivals(self, src_uri: str | None) -> None:
        ahead = self.ahead
        assert ahead is not None and ahead.copy is not None
        while src_uri is None or src_uri in ahead.expected or ahead.copy.has_more():
            arrival = next(ahead.arrivals, None)
            if arrival is None:
                return
            index, page = arrival
            arrived = ahead.to_render[index][0]
            ahead.expected.discard(arrived)
            self._keep_render(arrived, page, ahead.sources[arrived], ahead.digests[arrived], self.prerendered,
                              ahead.pending)

    # The catalog record for a content file such as "video-generation-webhooks.md".
    def page_for(self, src_uri: str) -> Record | None:
        return self.data.get("pages", src_uri.removesuffix(".md"))

    # Render one page (its first render when the source is the same, which a copy working ahead may still be making).
    def render(self, src_uri: str, source: str) -> RenderedPage:
        if self.ahead is not None and src_uri not in self.prerendered:
            site = self._wait_for_render(src_uri)
            if site is not self:
                return site.render(src_uri, source)
        return self._render_here(src_uri, source)

    # Render one page in this process (or take its first render): its body through the macros, then its header
    # (which needs the body's citations, and the length of the prose written in content/: tables and calculators
    # rendered from data are not read end to end).
    def _render_here(self, src_uri: str, source: str) -> RenderedPage:
        digest = text_digest(source)
        if src_uri in self.prerendered and self.prerendered[src_uri][0] == digest:
            return self.prerendered[src_uri][1]
        if self.failed.get(src_uri, (b"",))[0] == digest:
            raise ContentErrors(self.failed[src_uri][1])
        record, display, template, offset = self._source(src_uri, source)
        self.renderer.reads.take()
        body = self.renderer.render(template, display, record.id, line_offset=offset)
        body_reads = self.renderer.reads.take()
        blanked = blank_code(body)
        scan = scan_html(blanked)
        links = body_links(self.renderer.env, display, template, body, blanked, offset, scan)
        # The body alone until _with_header puts the title and header before it (one concatenation per render).
        page = RenderedPage(record, display, template, offset, 0, body, 0, scan.citations,
                            body_reads=body_reads, body_links=links)
        return self._with_header(page)

    # The page with its header rendered: review dates, the cited records past due, reading time.
    def _with_header(self, page: RenderedPage) -> RenderedPage:
        review = self.review.page(page.record.id, page.citations)
        self.renderer.reads.take()
        header = self.renderer.component("page_header", page.record, review=review,
                                         reading_minutes=max(1, math.ceil(count_words(prose_of(self.page_source(page)))
                                                                          / WORDS_PER_MINUTE)))
        header_reads = self.renderer.reads.take()
        markdown, header_start, body_start = page_markdown(page.record.title, str(header), page.body)
        return replace(page, header_start=header_start, markdown=markdown, body_start=body_start, review=review,
                       header_reads=header_reads,
                       header_links=header_links(str(header), page.record.file, page.record.line))

    # An earlier render of the same source again, if the page's record and everything its body read are unchanged
    # (its header is rendered again when its review or what the header read changed); None when it must be rendered.
    def _reused(self, src_uri: str, earlier: RenderedPage) -> RenderedPage | None:
        record = self.page_for(src_uri)
        watched = {"review": self.review, "calculators": self.calculators, "catalog": self.catalog,
                   "comparisons": self.catalog_checks.comparisons if self.catalog_checks else None}
        if record is None or record != earlier.record or not reads_unchanged(earlier.body_reads, self.data, watched):
            return None
        # The entry may have moved in pages.yml: its header links are at its new line.
        page = replace(earlier, record=record, header_links=earlier.header_links.at(record.file, record.line))
        if (page.review != self.review.page(record.id, page.citations)
                or not reads_unchanged(page.header_reads, self.data, watched)):
            page = self._with_header(page)
        return page

    # A rendered page's body source as written: the render's, or for a render from the snapshot or a copy the page
    # file's (whose digest the load checked).
    def page_source(self, page: RenderedPage) -> str:
        if page.source is not None:
            return page.source
        return self._source(f"{page.record.id}.md", read_text(self.root / page.file, page.file))[2]

    # The Markdown MkDocs should see for one page.
    def render_page(self, src_uri: str, source: str) -> str:
        return self.render(src_uri, source).markdown

    # A page's catalog record, display path, body template and front-matter line count; ContentErrors if uncatalogued.
    def _source(self, src_uri: str, source: str) -> tuple[Record, str, str, int]:
        record = self.page_for(src_uri)
        display = f"{CONTENT_DIR}/{src_uri}"
        if record is None:
            raise ContentErrors([_not_in_catalog(display, self.data)])
        try:
            _meta, template, offset = split_front_matter(source)
        except FrontMatterError as exc:
            raise ContentErrors([ContentError(display, exc.line, exc.column, "", exc.message)]) from None
        return record, display, template, offset

    # Every Markdown file under content/ (not a folder whose name ends in .md), by its path there ("index.md").
    def sources(self) -> dict[str, Path]:
        content = self.root / CONTENT_DIR
        return {path.relative_to(content).as_posix(): path for path in sorted(content.rglob("*.md")) if path.is_file()}

    # The nav MkDocs should use, built from the page catalog in its order; a section longer than NAV_GROUP_LIMIT is
    # split into groups that collapse (see nav_groups), so a page's nav stays the same size however many guides
    # there are.
    def nav(self) -> list[Any]:
        pages = self.data.all("pages")
        nav: list[Any] = [{_nav_label(page): f"{page.id}.md"} for page in pages if page.section == "hub"]
        for section, label in NAV_SECTIONS.items():
            entries = [{_nav_label(page): f"{page.id}.md"} for page in pages if page.section == section]
            if entries:
                nav.append({label: nav_groups(entries)})
        return nav

    # Every content page rendered (by its path in content/), and the problems between content/ and the catalog:
    # pages missing on either side, and every page's macros.
    def render_all(self) -> tuple[dict[str, RenderedPage], list[ContentError]]:
        sources = self.sources()
        errors = self.missing_pages(set(sources))
        rendered: dict[str, RenderedPage] = {}
        for src_uri, path in sources.items():
            try:
                rendered[src_uri] = self.render(src_uri, read_text(path, f"{CONTENT_DIR}/{src_uri}"))
            except ContentErrors as exc:
                errors.extend(exc.errors)
        return rendered, errors

    # An error at the catalog entry of every page whose file is not among src_uris (paths in content/).
    def missing_pages(self, src_uris: set[str]) -> list[ContentError]:
        return [ContentError(page.file, page.line, 0, page.path, f"no page file {CONTENT_DIR}/{page.id}.md for this catalog entry")
                for page in self.data.all("pages") if f"{page.id}.md" not in src_uris]

    # Each content page (or only those in `sources`) rendered once, by path, with the source it was rendered from;
    # pages that read where records are shown come back as pending, pages with errors are left out (they are
    # reported when rendered again). With min_items pages or more to render, two forked copies render them.
    def _first_renders(self, sources: dict[str, str] | None = None,
                       earlier: dict[str, tuple[bytes, RenderedPage]] | None = None, min_items: int = MIN_ITEMS,
                       ) -> tuple[dict[str, tuple[bytes, RenderedPage]], dict[str, str]]:
        if sources is None:
            sources = _read_sources(self.sources())
        done, pending, to_render, digests = self._planned_renders(sources, earlier or {})
        for share, template_code in in_two_copies(to_render, self._render_share, self._shared_objects(), min_items):
            keep_compiled_templates(template_code)
            for src_uri, page in share.items():
                self._keep_render(src_uri, page, sources[src_uri], digests[src_uri], done, pending)
        return _in_order(done, sources), pending

    # What rendering the pages (their text by path) takes, given earlier renders: the renders kept (by path, with
    # their digests), the pages that wait for the citations as their last render did, the pages to render (path
    # and text, in the order MkDocs builds them) and the digest of each.
    def _planned_renders(self, sources: dict[str, str], earlier: dict[str, tuple[bytes, RenderedPage]],
                         ) -> tuple[dict[str, tuple[bytes, RenderedPage]], dict[str, str], list[tuple[str, str]],
                                    dict[str, bytes]]:
        done: dict[str, tuple[bytes, RenderedPage]] = {}
        pending: dict[str, str] = {}
        to_render: list[tuple[str, str]] = []
        digests: dict[str, bytes] = {}
        for src_uri, text in sources.items():
            digest = text_digest(text)
            last = earlier[src_uri][1] if earlier.get(src_uri, (b"",))[0] == digest else None
            if last is not None and self.review.citations is None and uses_value(last.body_reads, "review"):
                pending[src_uri] = text  # it read the review book: wait for the citations, as its last render did
                continue
            kept = self._reused(src_uri, last) if last is not None else None
            if kept is not None:
                done[src_uri] = (digest, kept)
            else:
                to_render.append((src_uri, text))
                digests[src_uri] = digest
        to_render.sort(key=lambda item: _build_order(item[0]))
        return done, pending, to_render, digests

    # Keep one page's first render in done, its text in pending (page None: it waits for the citations), or its
    # errors in the site's failed renders.
    def _keep_render(self, src_uri: str, page: RenderedPage | _Failed | None, text: str, digest: bytes,
                     done: dict[str, tuple[bytes, RenderedPage]], pending: dict[str, str]) -> None:
        if isinstance(page, _Failed):
            self.failed[src_uri] = (digest, page.errors)
        elif page is None:
            pending[src_uri] = text
        else:  # a copy's render has left its source behind: page_source reads the file again when asked
            done[src_uri] = (digest, page)

    # One page's first render in the copy working ahead, kept in the copy for _last_ahead: None when it waits for
    # the citations, its errors when it has any (the build reports them without rendering the page again).
    def _render_ahead(self, item: tuple[str, str]) -> RenderedPage | _Failed | None:
        ahead = self.ahead
        assert ahead is not None
        src_uri, text = item
        try:
            page: RenderedPage | _Failed | None = self._render_here(src_uri, text)
        except CitationsPending:
            page = None
        except ContentErrors as exc:
            page = _Failed(tuple(exc.errors))
        self._keep_render(src_uri, page, text, ahead.digests[src_uri], self.prerendered, ahead.pending)
        return page

    # In the copy working ahead, once it has rendered every page: the pages waiting for the citations rendered with
    # them (by path; one with errors is left out), the code of the templates compiled, and what then() gives of
    # the complete site (None when it fails: the build works it out again and reports why), so that the build
    # renders, compiles and works out none of them again.
    def _last_ahead(self) -> tuple[dict[str, RenderedPage], dict[str, bytes], Any]:
        ahead = self.ahead
        assert ahead is not None
        ahead.put_in_order(self.prerendered)  # as the build's own site has them
        cited = self._cited(ahead.pending, ahead.kept, copies=False)
        worked_out = None
        if ahead.then is not None:
            try:
                worked_out = ahead.then(cited)
            except Exception:  # the build works it out itself
                worked_out = None
        return ({src_uri: cited.prerendered[src_uri][1] for src_uri in ahead.pending if src_uri in cited.prerendered},
                compiled_templates(), worked_out)

    # Each page of a share rendered, by path (None for one that waits for the citations, its errors for one with any),
    # and the code of the templates compiled for them, so a later render in the process that started a copy for the
    # share compiles none of them again.
    def _render_share(self, share: Sequence[tuple[str, str]],
                      ) -> tuple[dict[str, RenderedPage | _Failed | None], dict[str, bytes]]:
        renders: dict[str, RenderedPage | _Failed | None] = {}
        for src_uri, text in share:
            try:
                renders[src_uri] = self._render_here(src_uri, text)
            except CitationsPending:
                renders[src_uri] = None
            except ContentErrors as exc:
                renders[src_uri] = _Failed(tuple(exc.errors))
        return renders, compiled_templates()

    # The objects a render may hold that the site had before it: the records, the review book and its items, and
    # the values templates read whole (another process hands its renders back with these by reference).
    def _shared_objects(self) -> Iterator[object]:
        yield self.data.settings
        for records in self.data.kinds.values():
            yield records
            yield from records
        yield from (self.review, *self.review.items, self.calculators, self.catalog)
        if self.catalog_checks is not None:
            yield self.catalog_checks.comparisons


@dataclass(frozen=True)
class _Failed:
    """A first render that failed: the errors it raised."""

    errors: tuple[ContentError, ...]


class _RendersAhead:
    """The first renders a forked copy makes while the build goes on (see parallel.Ahead): the pages it renders
    (path and text, in order), their digests and every page's text, the paths not received yet, the pages waiting
    for the citations, the earlier renders they may reuse, what the copy works out of the complete site (then), the
    copy and its renders as they arrive, and the site complete() made of them all. Made before the fork, so the
    copy keeps its own renders in it as well."""

    # The renders to come, before the copy is started.
    def __init__(self, to_render: list[tuple[str, str]], digests: dict[str, bytes], sources: dict[str, str],
                 pending: dict[str, str], kept: dict[str, tuple[bytes, RenderedPage]],
                 then: Callable[[Site], Any] | None = None) -> None:
        self.then = then
        self.copy: Ahead[tuple[str, str], RenderedPage | _Failed | None] | None = None
        self.arrivals: Iterator[tuple[int, RenderedPage | _Failed | None]] = iter(())
        self.to_render, self.digests, self.sources, self.pending, self.kept = to_render, digests, sources, pending, kept
        self.expected = {src_uri for src_uri, _text in to_render}
        self.completed: Site | None = None

    # Put renders (by path) in the order of the pages' paths, in place: as a load without the copy has them.
    def put_in_order(self, renders: dict[str, tuple[bytes, RenderedPage]]) -> None:
        in_order = _in_order(renders, self.sources)
        renders.clear()
        renders.update(in_order)

    # Let go of the pages' texts and earlier renders once the site is complete (the build goes on without them).
    def forget_texts(self) -> None:
        self.to_render, self.digests, self.sources, self.pending, self.kept = [], {}, {}, {}, {}


# The renders in the order of the pages' paths in sources.
def _in_order(done: dict[str, tuple[bytes, RenderedPage]], sources: dict[str, str],
              ) -> dict[str, tuple[bytes, RenderedPage]]:
    return {src_uri: done[src_uri] for src_uri in sources if src_uri in done}


# Where MkDocs builds a page among the others (it walks content/ top down: each folder's files, its index first,
# before its subfolders), so a copy working ahead renders the pages in the order the build asks for them.
def _build_order(src_uri: str) -> tuple[tuple[str, ...], bool, str]:
    *folders, name = src_uri.split("/")
    return tuple(folders), name.rsplit(".", 1)[0] not in ("index", "README"), name


# The result of load(), or fallback after adding its ContentErrors to errors (so every loader's errors are reported).
def _collect(errors: list[ContentError], load: Callable[[], T], fallback: T) -> T:
    try:
        return load()
    except ContentErrors as exc:
        errors.extend(exc.errors)
        return fallback


# The page renderer for loaded data, with the calculators, review book, price catalog and comparisons as globals
# whose reads it notes.
def _renderer(root: Path, data: SiteData, calculators: dict[str, Calculator], review: ReviewBook, catalog: Catalog,
              checks: CatalogChecks) -> PageRenderer:
    renderer = PageRenderer(root / TEMPLATES_DIR, data)
    renderer.env.globals.update(calculators=Watched("calculators", calculators, renderer.reads),
                                review=Watched("review", review, renderer.reads),
                                catalog=Watched("catalog", catalog, renderer.reads),
                                comparisons=Watched("comparisons", checks.comparisons, renderer.reads),
                                topic_labels=FACT_TOPICS)
    return renderer


# The bytes of the data files under root (those load_site_data reads).
def _data_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in (root / DATA_DIR).glob("*.y*ml"))


# The validated data under root with what is worked out from it alone: calculators, review book (review statuses
# for today), price catalog and comparison checks; raises ContentErrors listing every problem.
def _load_records(root: Path, today: date) -> tuple[SiteData, dict[str, Calculator], ReviewBook, Catalog,
                                                   CatalogChecks]:
    data = load_site_data(root / DATA_DIR, root)
    errors: list[ContentError] = []
    calculators: dict[str, Calculator] = _collect(errors, lambda: load_calculators(data), {})
    review = _collect(errors, lambda: load_review(data, today), None)
    catalog = _collect(errors, lambda: load_catalog(data, root, today), None)
    checks = _collect(errors, lambda: load_comparisons(data, root, calculators, catalog), None) if catalog else None
    if errors or review is None or catalog is None or checks is None:
        raise ContentErrors(errors)
    data.drop_marks()
    return data, checks.calculators, review, catalog, checks


# A digest that tells a page file's text from any other (the snapshot keeps it instead of the text).
def text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


# Every page's text by its path in content/; ContentErrors naming each page that is not UTF-8.
def _read_sources(paths: dict[str, Path]) -> dict[str, str]:
    sources: dict[str, str] = {}
    errors: list[ContentError] = []
    for src_uri, path in paths.items():
        try:
            sources[src_uri] = read_text(path, f"{CONTENT_DIR}/{src_uri}")
        except ContentErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise ContentErrors(errors)
    return sources


# Nav entries ({label: file}) as they are when there are at most NAV_GROUP_LIMIT, else in groups of NAV_GROUP_LIMIT
# consecutive entries (the last may hold fewer), each labelled by its first and last entry; nav_view.page_view then
# shows each page its own group and the groups around it.
def nav_groups(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(entries) <= NAV_GROUP_LIMIT:
        return entries
    groups = [entries[start:start + NAV_GROUP_LIMIT] for start in range(0, len(entries), NAV_GROUP_LIMIT)]
    return [{_group_label(group): group} for group in groups]


# A group's label: its first and last entries' labels.
def _group_label(group: list[dict[str, Any]]) -> str:
    first, last = next(iter(group[0])), next(iter(group[-1]))
    return first if first == last else f"{first} – {last}"


# A page's label in the nav (the MkDocs hook escapes it: the theme prints nav titles as HTML).
def _nav_label(page: Record) -> str:
    return str(page.nav_title or page.title)


# The page title as an HTML heading whose text is the title, escaped (with the id Markdown's toc would give it).
def title_heading(title: str) -> str:
    return f"<h1 id=\"{Markup.escape(slugify(title, '-'))}\">{Markup.escape(title)}</h1>"


# An error for a content page that data/pages.yml does not list: add a catalog entry (or rename the file when its
# name is a near miss of an entry).
def _not_in_catalog(display: str, data: SiteData) -> ContentError:
    page_id = Path(display).stem
    hint = (f"add an entry with id {page_id!r} to data/pages.yml; `costhub new guide {page_id} --title ... --owner ...` "
            f"writes one")
    rename = did_you_mean(page_id, data.ids("pages"))
    if rename:
        hint += f", or rename the file: {rename}"
    return ContentError(display, 1, 0, "", "page is not in the page catalog", hint)
