"""MkDocs glue: load the data once per build and render every page through the core."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from costhub.errors import ContentErrors
from costhub.site import Site

_site: Site | None = None


# Load and validate data/, then take site name, URL and nav from it.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site
    _site = None
    try:
        _site = Site.load(Path(config.config_file_path).parent)
    except ContentErrors as exc:
        raise PluginError(f"data/ has errors:\n{exc.report()}") from None
    settings = _site.data.settings.site
    config.site_name = settings.name
    config.site_url = settings.url
    config.site_description = settings.description
    config.nav = _site.nav()
    return config


# Render the page's macro calls into Markdown.
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        return _current().render_page(page.file.src_uri, page.file.content_string)
    except ContentErrors as exc:
        raise PluginError(f"page has errors:\n{exc.report()}") from None


# Give the theme templates the site settings.
def on_env(env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
    env.globals["costhub"] = _current().data.settings
    return env


# The site loaded by on_config for this build.
def _current() -> Site:
    if _site is None:
        raise PluginError("costhub hooks: on_config did not run")
    return _site
