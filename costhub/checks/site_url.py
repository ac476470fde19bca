"""One source for the site's address: data/site.yml `site.url`. A `site_url` in mkdocs.yml that says otherwise is an
error rather than something the build silently overwrites."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import ContentError
from ..data.files import CONFIG_FILE
from ..data.yamlfile import SAFE_LOADER


# The error for a site_url in mkdocs.yml that differs from data/site.yml's site.url (None when absent or equal).
def site_url_conflict(root: Path, site_url: str) -> ContentError | None:
    path = root / CONFIG_FILE
    if not path.is_file():
        return None
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return None  # MkDocs itself reports a broken mkdocs.yml
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "site_url" and isinstance(value, yaml.ScalarNode):
            written = value.value.strip()
            if written and written.rstrip("/") != site_url.rstrip("/"):
                return ContentError(CONFIG_FILE, key.start_mark.line + 1, key.start_mark.column + 1, "site_url",
                                    f"{written!r} disagrees with site.url {site_url!r} in data/site.yml",
                                    "the site's address comes from data/site.yml only: remove site_url from mkdocs.yml")
    return None
