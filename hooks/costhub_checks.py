"""MkDocs glue for the build checks: links with file:line, site structure, link rules, review dates, price lifecycle;
then what ships beside the pages: review.json, the open-data exports and the price feed. Registered in mkdocs.yml
after hooks/costhub_hooks.py, whose rendered Markdown it reads. A strict build stops here when any check warned,
since -q and -v defeat MkDocs' own warning count (MkDocs #4126, #3991)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from costhub.checks.site_checks import link_errors
from costhub.publish.load_output import keep_output, load_output
from costhub.publish.site_files import published_paths
from costhub.markup.htmlscan import page_element_ids
from costhub.checks.links import PageLinks, keep_link_resolutions
from costhub.review.book import REVIEW_JSON, WITHIN_GRACE
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
    nav: set[str] = field(default_factory=set)
    static_files: set[str] = field(default_factory=set)
    pages: dict[str, PageLinks] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    # Log a problem that --strict must catch, and keep it for the strict stop (which -q would otherwise hide).
    def warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning(message)


_build: _Build | None = None


# In `mkdocs serve`, keep the links' resolutions from one rebuild's checks to the next (see LinkResolutions).
def on_startup(*, command: str, dirty: bool) -> None:
    if command == "serve":
        keep_link_resolutions()


# Take the site hooks/costhub_hooks.py loaded for this build (it stops the build on data errors first) and report
# review dates: overdue items at the site's level (error stops the build), items due soon as info.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = None
    site = Site.last_loaded(Path(config.config_file_path).parent)
    findings = list(site.review.findings())
    overdue_errors = [str(finding) for level, finding in findings if level == "error"]
    if overdue_errors:
        raise PluginError("overdue for review (data/site.yml review.overdue is 'error'):\n" + "\n".join(overdue_errors))
    _build = _Build(site)
    for level, finding in findings:
        if level == WITHIN_GRACE:
            grace_log.warning(str(finding))
        elif level == "warning":
            _build.warn(str(finding))
        else:
            log.info(str(finding))
    return config


# Remember the files the site ships besides pages (review.json is written after the build).
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    _current().static_files = {REVIEW_JSON, *published_paths()} | {file.dest_uri for file in files
                                                                    if not file.is_documentation_page()}
    for error in _current().site.missing_pages({file.src_uri for file in files if file.is_documentation_page()}):
        _current().warn(str(error))
    return files


# Remember which pages the nav holds.
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    _current().nav = {page.file.src_uri.removesuffix(".md") for page in nav.pages}
    return nav


# Record the page's links (with the lines that wrote them, from the render hooks/costhub_hooks.py made) and how to
# find the ids its HTML really has (from the HTML MkDocs keeps anyway, only if a link's anchor points into the page).
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _current()
    if build.site.waits_for_citations(page.file.src_uri):  # put off: it is read again once rendered
        return html
    rendered = build.site.render(page.file.src_uri, page.file.content_string)
    page_id = page.file.src_uri.removesuffix(".md")
    build.pages[page_id] = PageLinks(page_id, rendered.file, rendered.links, partial(page_element_ids, html))
    return html


# Report every link and lifecycle problem at once (warnings), write what ships beside the pages (what follows from
# the load alone is kept between builds: load_output.py), then stop a strict build that warned.
def on_post_build(*, config: MkDocsConfig) -> None:
    build = _current()
    build.site = build.site.complete()  # every page rendered, with the citations
    made = build.site.worked_out_ahead  # the load output and its parts, when the copy rendering the pages made them
    output = keep_output(build.site, *made) if made is not None else load_output(build.site)
    for error in sorted(set(link_errors(build.site, build.pages, build.nav, build.static_files)) | set(output.errors)):
        build.warn(str(error))
    for warning in output.warnings:
        build.warn(str(warning))
    for path, text in output.files.items():
        target = Path(config.site_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if config.strict and build.warnings:
        raise PluginError(f"{len(build.warnings)} warning(s) from the costhub checks in strict mode:\n"
                          + "\n".join(build.warnings))


# The state gathered by this build.
def _current() -> _Build:
    if _build is None:
        raise PluginError("costhub checks: on_config did not run")
    return _build
