"""The link checks as one call, shared by the MkDocs hook (on built HTML) and `costhub check` (without a build)."""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from ..data.model import Record
from ..errors import ContentError
from ..pages.kept_parts import Keep, work_out_all
from .links import PageLinks, check_links
from ..pages.page_links import PackedLinks
from .page_source import page_source_errors
from .site_url import site_url_conflict
from ..pages.pagehtml import heading_ids, markdown_converter, raw_html_ids
from ..pages.parallel import MIN_ITEMS, in_two_copies
from ..review.book import REVIEW_JSON
from ..pages.site import CONTENT_DIR, TEMPLATES_DIR, RenderedPage, Site, text_digest
from .urls import data_record_groups, record_texts, record_urls, url_problem

_TEMPLATE_SUFFIXES = (".html", ".py", ".pyc")


# What `costhub check` checks without a build: every page rendered, the link graph, structure and link rules; returns
# the pages' links and every problem. On a large site the link problems and those of the load are worked out side by
# side in two forked copies (see parallel.py), which only a one-shot check can do: a copy keeps nothing it learns.
def check_site(site: Site) -> tuple[dict[str, PageLinks], list[ContentError]]:
    rendered, errors = site.render_all()
    pages = scan_pages(site, rendered)
    nav, files = nav_ids(site), static_files(site.root)
    parts = (partial(link_errors, site, pages, nav, files), partial(load_errors, site))
    links, load = in_two_copies(parts, lambda share: [error for part in share for error in part()], (),
                                min_items=len(parts) if len(pages) >= MIN_ITEMS else len(parts) + 1)
    return pages, errors + links + load


# Every link, structure and link-rule problem of the site, given its pages, the ids in its nav and its static files.
def site_errors(site: Site, pages: dict[str, PageLinks], nav: set[str], static_files: set[str]) -> list[ContentError]:
    return link_errors(site, pages, nav, static_files) + load_errors(site)


# The problems of the built pages' links and structure, and a site_url in mkdocs.yml at odds with the data's.
def link_errors(site: Site, pages: dict[str, PageLinks], nav: set[str], static_files: set[str]) -> list[ContentError]:
    errors = check_links(pages, site.data, nav, static_files, list(site.data.settings.links.http_allow))
    conflict = site_url_conflict(site.root, site.data.settings.site.url)
    return errors + [conflict] if conflict else errors


# The problems that follow from the load alone: page sources, URLs written in the data, FAQs no page shows. Those of
# each page source and of each data file's URLs are kept (keep) under what they read.
def load_errors(site: Site, keep: Keep = work_out_all) -> list[ContentError]:
    allow = tuple(site.data.settings.links.http_allow)
    errors = page_source_errors(site, keep)
    for records in data_record_groups(site.data):
        if records:  # records are frozen from their file's text alone (nested ones too): its digest stands for both
            key = (tuple(text_digest(text) for text in record_texts(records, site.data, site.root).values()), allow)
            errors.extend(keep(f"data urls {records[0].file}", key, lambda: _url_errors(records, site, allow)))
    return errors + unshown_faqs(site)


# The problems of the URLs written in some records, under the allow-list of plain http:// prefixes.
def _url_errors(records: tuple[Record, ...], site: Site, allow: tuple[str, ...]) -> tuple[ContentError, ...]:
    errors = []
    for use in record_urls(records, site.data, site.root):
        problem = url_problem(use.url, allow)
        if problem:
            errors.append(use.error(*problem))
    return tuple(errors)


# An error for every FAQ that no rendered page shows (search engines may only be told about questions a page
# shows); a FAQ whose own page failed to render is left to that page's error.
def unshown_faqs(site: Site) -> list[ContentError]:
    shown = {key for _source, page in site.prerendered.values() for key, _anchor in page.citations}
    rendered = {page.record.id for _source, page in site.prerendered.values()}
    return [ContentError(faq.file, faq.line, 0, faq.path, f"FAQ {faq.id!r} is never shown on any page",
                         f"add {{{{ faqs() }}}} to {CONTENT_DIR}/{faq.page}.md, or give the FAQ the page that shows it")
            for faq in site.data.all("faqs") if f"faqs:{faq.id}" not in shown and faq.page in rendered]


# The link graph of every content page without MkDocs, from Site.render_all's pages (one missing there failed
# to render: it gets no links and unknown ids). A page's ids are found only if a link's anchor points into it: its
# raw-HTML ids first, and its headings' ids (by converting them) only for an anchor not among those.
def scan_pages(site: Site, rendered: dict[str, RenderedPage]) -> dict[str, PageLinks]:
    convert = markdown_converter(site.root)
    pages: dict[str, PageLinks] = {}
    for src_uri in site.sources():
        page_id, page = src_uri.removesuffix(".md"), rendered.get(src_uri)
        if page is None:
            pages[page_id] = PageLinks(page_id, f"{CONTENT_DIR}/{src_uri}", PackedLinks(), None)
        else:
            pages[page_id] = PageLinks(page_id, page.file, page.links, partial(raw_html_ids, page.markdown),
                                       partial(heading_ids, page.markdown, convert))
    return pages


# The page ids the catalog puts in the nav.
def nav_ids(site: Site) -> set[str]:
    return set(_nav_files(site.nav()))


# Files the built site ships besides pages: content/ files that are not Markdown, theme assets in overrides/, review.json.
def static_files(root: Path) -> set[str]:
    files = {REVIEW_JSON} | {path.relative_to(root / CONTENT_DIR).as_posix() for path in (root / CONTENT_DIR).rglob("*")
             if path.is_file() and path.suffix != ".md"}
    files.update(path.relative_to(root / TEMPLATES_DIR).as_posix() for path in (root / TEMPLATES_DIR).rglob("*")
                 if path.is_file() and path.suffix not in _TEMPLATE_SUFFIXES)
    return files


# The page ids named by a nav structure of {title: "page.md" | [...]} entries.
def _nav_files(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav.removesuffix(".md")]
    if isinstance(nav, dict):
        return [page_id for value in nav.values() for page_id in _nav_files(value)]
    if isinstance(nav, list):
        return [page_id for entry in nav for page_id in _nav_files(entry)]
    return []
