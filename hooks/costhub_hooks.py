"""MkDocs glue: load the data once per build and render every page through the core."""
from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.commands.build import _populate_page  # MkDocs' step that reads one page (also in ProperDocs)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from costhub.checks.site_url import site_url_conflict
from costhub.errors import ContentErrors
from costhub.markup.escape import escaped_meta, escaped_nav
from costhub.data.model import Record
from costhub.pages.nav_view import page_view
from costhub.pages.site import Site
from costhub.pages.snapshot import hold_cache_writes, write_held_caches
from costhub.publish.load_output import output_and_parts
from costhub.publish.structured_data import page_json_ld, script_json

_site: Site | None = None
# Pages put off until every other page is rendered (they wait for the citations: see on_page_markdown).
_put_off: list[Page] = []
_one_shot = False
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


# Remember whether this process builds once (`mkdocs build` or `gh-deploy`; `serve` loads again after each edit, and
# writes the cache files of its last build only when it stops: see on_shutdown).
def on_startup(*, command: str, dirty: bool) -> None:
    global _one_shot
    _one_shot = command != "serve"
    if not _one_shot:
        hold_cache_writes()


# Write the cache files (site snapshot, load output) of the last build `serve` made, so a later build or check starts
# from them.
def on_shutdown() -> None:
    write_held_caches()


# Load and validate data/, then take site name, URL and nav from it.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site
    _site = None
    try:
        # A one-shot build renders the pages in a copy while it builds them, and the copy works out the load's
        # output too (serve renders each edit's few pages).
        _site = Site.load(Path(config.config_file_path).parent, ahead=_one_shot, then=output_and_parts)
        if _one_shot:
            _site.forget_for_later_loads()
            gc.freeze()  # the site lives as long as the process: the collector need not walk it again and again
    except ContentErrors as exc:
        raise PluginError(f"data/ has errors:\n{exc.report()}") from None
    except ValueError as exc:  # SOURCE_DATE_EPOCH that is not a date
        raise PluginError(str(exc)) from None
    settings = _site.data.settings.site
    conflict = site_url_conflict(_site.root, settings.url)
    if conflict:
        raise PluginError(str(conflict))
    # The theme prints these as HTML without escaping: they go in escaped (and marked safe, so never twice).
    config.site_name = Markup.escape(settings.name)
    config.site_url = settings.url
    config.site_description = Markup.escape(settings.description or "")
    config.nav = escaped_nav(_site.nav())
    return config


# Render the page's macro calls into Markdown.
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    page.meta = escaped_meta(page.meta)
    if _current().waits_for_citations(page.file.src_uri):  # built in on_env, once the copy has rendered the rest
        _put_off.append(page)
        return ""
    try:
        return _current().render_page(page.file.src_uri, page.file.content_string)
    except ContentErrors as exc:
        raise PluginError(f"page has errors:\n{exc.report()}") from None


# Describe the page from its catalog entry; runs before sitemap.xml is written, which reads update_date.
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    record = _catalog_entry(page)
    page.meta["description"] = Markup.escape(record.summary)
    page.update_date = record.last_reviewed
    return html


# Read the pages put off (see on_page_markdown), then give the theme templates the site settings and the catalog.
def on_env(env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
    global _site
    if _put_off:  # every other page has been read: render the pages put off with the citations, and read them
        _site = _current().complete()
        for page in _put_off:
            _populate_page(page, config, files)
        _put_off.clear()
    env.globals["costhub"] = _current().data.settings
    env.globals["costhub_pages"] = _current().data.all("pages")
    return env


# Give the page template its catalog entry and its JSON-LD objects, serialised.
def on_page_context(context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
    record = _catalog_entry(page)
    citations = _current().render(page.file.src_uri, page.file.content_string).citations
    context["catalog_page"] = record
    context["json_ld"] = [Markup(script_json(item)) for item in page_json_ld(_current().data, record, citations)]
    context["nav"] = Navigation(page_view(nav.items, _active_copy), nav.pages)
    return context


# An active section holding other children (for one page's view of the nav).
def _active_copy(section: Section, children: list[Any]) -> Section:
    copy = Section(section.title, children)
    copy.active = True
    return copy


# Name the theme's search dialog, which it leaves unnamed (an accessibility failure: dialogs need a name).
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"'), 1)


# The site loaded by on_config for this build.
def _current() -> Site:
    if _site is None:
        raise PluginError("costhub hooks: on_config did not run")
    return _site


# The catalog entry of a page; on_page_markdown has already stopped the build for a page without one.
def _catalog_entry(page: Page) -> Record:
    record = _current().page_for(page.file.src_uri)
    if record is None:
        raise PluginError(f"{page.file.src_uri} is not in the page catalog")
    return record
