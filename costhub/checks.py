"""The link checks as one call, shared by the MkDocs hook (on built HTML) and `costhub check` (without a build)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ContentError, ContentErrors
from .htmlscan import scan_html
from .links import PageLinks, check_links, page_links
from .pagehtml import markdown_converter
from .review import REVIEW_JSON
from .site import CONTENT_DIR, DATA_DIR, TEMPLATES_DIR, Site
from .urls import UrlUse, data_urls, url_problem

_TEMPLATE_SUFFIXES = (".html", ".py", ".pyc")


# Every link, structure and link-rule problem of the site, given its pages, the ids in its nav and its static files.
def site_errors(site: Site, pages: dict[str, PageLinks], nav: set[str], static_files: set[str]) -> list[ContentError]:
    allow = list(site.data.settings.links.http_allow)
    errors = check_links(pages, site.data, nav, static_files, allow)
    for use in data_url_uses(site):
        problem = url_problem(use.url, allow)
        if problem:
            errors.append(use.error(*problem))
    return errors


# Every URL written in data/.
def data_url_uses(site: Site) -> list[UrlUse]:
    return data_urls(site.root / DATA_DIR, site.root)


# Render every content page and its HTML without MkDocs, keyed by page id (pages that fail have no links or ids).
def scan_pages(site: Site) -> dict[str, PageLinks]:
    convert = markdown_converter(site.root)
    pages: dict[str, PageLinks] = {}
    for src_uri, path in site.sources().items():
        page_id, display = src_uri.removesuffix(".md"), f"{CONTENT_DIR}/{src_uri}"
        try:
            rendered = site.render(src_uri, path.read_text(encoding="utf-8"))
        except ContentErrors:
            pages[page_id] = PageLinks(page_id, display, (), None)
            continue
        ids = scan_html(convert(rendered.markdown)).ids
        pages[page_id] = PageLinks(page_id, display, page_links(rendered, site.renderer.env), ids)
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
