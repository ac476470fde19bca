"""`costhub render`: the site as plain MkDocs input, for engines that ignore hooks (Zensical, or MkDocs without our
hooks): every page's Markdown fully rendered, the theme assets as plain files, review.json, and a mkdocs.yml
without hooks or theme overrides."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentErrors
from ..data.files import CONFIG_FILE
from ..pages.pagehtml import load_config
from ..pages.site import CONTENT_DIR, TEMPLATES_DIR, Site
from ..review.book import REVIEW_JSON, review_json

DOCS_DIR = "docs"
MARKER = "# Written by `costhub render`: plain MkDocs input, no hooks. Do not edit; render again instead.\n"
ASSETS_DIR = "assets"
# The scripts every rendered page loads, in the order they depend on each other (our theme loads some per page).
SCRIPTS = ("costhub-review.js", "checklists.js", "costhub-formula.js", "calculator-runtime.js", "calculator.js")
_DROPPED_KEYS = ("hooks", "watch", "extra_javascript", "extra_css")


# Write the rendered site into out (a new or empty folder, or one written by this command before); returns the number
# of pages written. Raises ContentErrors when a page does not render, ValueError for an unusable folder.
def render_site(site: Site, out: Path) -> int:
    _check_target(site.root, out)
    rendered, errors = site.render_all()
    if errors:
        raise ContentErrors(errors)
    if out.exists():
        shutil.rmtree(out / DOCS_DIR, ignore_errors=True)
    docs = out / DOCS_DIR
    docs.mkdir(parents=True)
    content = site.root / CONTENT_DIR
    for path in sorted(content.rglob("*")):
        if path.is_file() and path.suffix != ".md":
            (docs / path.relative_to(content)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, docs / path.relative_to(content))
    for src_uri, page in rendered.items():
        (docs / src_uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / src_uri).write_text(page.markdown, encoding="utf-8")
    shutil.copytree(site.root / TEMPLATES_DIR / ASSETS_DIR, docs / ASSETS_DIR, dirs_exist_ok=True)
    (docs / REVIEW_JSON).write_text(review_json(site.review, site.data.settings.site.url), encoding="utf-8")
    (out / CONFIG_FILE).write_text(MARKER + yaml.safe_dump(plain_config(site), sort_keys=False, allow_unicode=True),
                                   encoding="utf-8")
    return len(rendered)


# The mkdocs.yml for the rendered pages: ours without hooks, watch and theme overrides, with the values the hooks set
# (name, URL, description, nav) written out and our stylesheets and scripts listed as plain extras.
def plain_config(site: Site) -> dict[str, Any]:
    config = {key: value for key, value in load_config(site.root).items() if key not in _DROPPED_KEYS}
    settings = site.data.settings.site
    config.update(site_name=settings.name, site_url=settings.url, site_description=settings.description,
                  docs_dir=DOCS_DIR, nav=site.nav())
    theme = dict(config.get("theme") or {})
    theme.pop("custom_dir", None)
    config["theme"] = theme
    assets = site.root / TEMPLATES_DIR / ASSETS_DIR
    config["extra_css"] = [f"{ASSETS_DIR}/stylesheets/{path.name}" for path in sorted((assets / "stylesheets").glob("*.css"))
                           if path.name != "print.css"]
    config["extra_javascript"] = [f"{ASSETS_DIR}/javascripts/{name}" for name in SCRIPTS
                                  if (assets / "javascripts" / name).is_file()]
    return config


# A ValueError unless out is new, empty or written by this command, and outside the folders editors write.
def _check_target(root: Path, out: Path) -> None:
    resolved = out.resolve()
    for folder in (root / CONTENT_DIR, root / "data", root / TEMPLATES_DIR):
        if resolved == folder.resolve() or folder.resolve() in resolved.parents:
            raise ValueError(f"{out} is inside {folder.relative_to(root)}/; render into a folder of its own")
    if out.is_dir() and any(out.iterdir()):
        config = out / CONFIG_FILE
        if not (config.is_file() and config.read_text(encoding="utf-8").startswith(MARKER)):
            raise ValueError(f"{out} is not empty and was not written by costhub render; choose an empty folder")
