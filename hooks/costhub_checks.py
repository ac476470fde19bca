"""MkDocs glue for the build checks: links with file:line, site structure, link rules, review dates, review.json.
Registered in mkdocs.yml after hooks/costhub_hooks.py, whose rendered Markdown it reads."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from costhub.checks.site_checks import site_errors
from costhub.markup.htmlscan import element_ids
from costhub.checks.links import PageLinks, page_links
from costhub.review.book import REVIEW_JSON, WITHIN_GRACE, review_json
from costhub.pages.site import Site

log = logging.getLogger("mkdocs.plugins.costhub")
# Items overdue by less than review.grace are warnings a reader of the log sees but --strict does not count: they go
# to a logger outside MkDocs' own, printed in MkDocs' format.
grace_log = logging.getLogger("costhub.review.grace")
if not grace_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    grace_log.addHandler(_handler)
    grace_log.propagate = False


@dataclass
class _Build:
    """What one build has gathered so far."""

    site: Site
    strict: bool = False
    warnings: list[str] = field(default_factory=list)
    nav: set[str] = field(default_factory=set)
    static_files: set[str] = field(default_factory=set)
    pages: dict[str, PageLinks] = field(default_factory=dict)


_build: _Build | None = None


# Take the site hooks/costhub_hooks.py loaded (it stops the build on data errors first) and report review dates:
# overdue items at the site's level (error stops the build), items due soon as info.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = None
    site = Site.load(Path(config.config_file_path).parent)
    findings = list(site.review.findings())
    overdue_errors = [str(finding) for level, finding in findings if level == "error"]
    if overdue_errors:
        raise PluginError("overdue for review (data/site.yml review.overdue is 'error'):\n" + "\n".join(overdue_errors))
    _build = _Build(site, strict=bool(config.strict))
    for level, finding in findings:
        if level == WITHIN_GRACE:
            grace_log.warning(str(finding))
        elif level == "warning":
            _warn(str(finding))
        else:
            log.info(str(finding))
    return config


# Remember the files the site ships besides pages (review.json is written after the build).
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    build = _current()
    build.static_files = {REVIEW_JSON} | {file.dest_uri for file in files if not file.is_documentation_page()}
    for error in build.site.missing_pages({file.src_uri for file in files if file.is_documentation_page()}):
        _warn(str(error))
    return files


# Remember which pages the nav holds.
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    _current().nav = {page.file.src_uri.removesuffix(".md") for page in nav.pages}
    return nav


# Record the page's links (with the lines that wrote them, from the render hooks/costhub_hooks.py made) and the ids
# its HTML really has.
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _current()
    rendered = build.site.render(page.file.src_uri, page.file.content_string)
    page_id = page.file.src_uri.removesuffix(".md")
    build.pages[page_id] = PageLinks(page_id, rendered.file, page_links(rendered, build.site.renderer.env),
                                     element_ids(html))
    return html


# Report every link problem at once (warnings), write review.json, then fail a strict build that had any of our
# warnings: MkDocs' own count misses warnings under -q and -v (MkDocs #4126, #3991).
def on_post_build(*, config: MkDocsConfig) -> None:
    build = _current()
    for error in sorted(set(site_errors(build.site, build.pages, build.nav, build.static_files))):
        _warn(str(error))
    review = review_json(build.site.review, build.site.data.settings.site.url)
    (Path(config.site_dir) / REVIEW_JSON).write_text(review, encoding="utf-8")
    if build.strict and build.warnings:
        raise PluginError(f"strict mode: the costhub checks found {len(build.warnings)} problem(s):\n"
                          + "\n".join(build.warnings))


# Log a problem as a warning and count it for the strict check at the end of the build.
def _warn(message: str) -> None:
    _current().warnings.append(message)
    log.warning(message)


# The state gathered by this build.
def _current() -> _Build:
    if _build is None:
        raise PluginError("costhub checks: on_config did not run")
    return _build
