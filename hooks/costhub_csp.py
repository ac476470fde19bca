"""MkDocs glue for the Content-Security-Policy: each page (and 404.html) gets its policy as a <meta> element, and
the build writes every page's policy to `_headers`. `mkdocs serve` injects its own live-reload script into pages,
so while serving the pages carry no <meta> policy."""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from costhub.publish.csp import HEADERS_FILE, PagePolicy, add_policy_meta, headers_file

_serving = False
_policies: dict[str, PagePolicy] = {}


# Remember whether this process serves the site (set once per process, before any build).
def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


# Start every build with no policies.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _policies.clear()
    return config


# Add the page's policy to its HTML and remember it for _headers.
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    return _secure(output, "/" + page.url)


# The same for the theme's 404.html.
def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    return _secure(output_content, f"/{template_name}") if template_name.endswith(".html") else output_content


# Write _headers beside the pages.
def on_post_build(*, config: MkDocsConfig) -> None:
    (Path(config.site_dir) / HEADERS_FILE).write_text(headers_file(_policies), encoding="utf-8")


# The HTML with its <meta> policy (none while serving), keeping the header policy for path.
def _secure(html: str, path: str) -> str:
    secured, policy = add_policy_meta(html)
    _policies[path] = policy
    return html if _serving else secured
