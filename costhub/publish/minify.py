"""Our own scripts and stylesheets as the site ships them: comments and spacing taken out by the pinned rjsmin and
rcssmin, into site/ only; the sources under overrides/assets stay as written."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import rcssmin
import rjsmin

MINIFIERS: dict[str, Callable[[str], str]] = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


# The text a browser is sent for the script or stylesheet named name (any other name is a ValueError).
def minified(name: str, text: str) -> str:
    suffix = Path(name).suffix
    if suffix not in MINIFIERS:
        raise ValueError(f"{name}: only {', '.join(sorted(MINIFIERS))} files are minified")
    return MINIFIERS[suffix](text)


# Every script and stylesheet under assets_dir as shipped, by its path relative to assets_dir ("javascripts/x.js").
def shipped_assets(assets_dir: Path) -> dict[str, str]:
    return {path.relative_to(assets_dir).as_posix(): minified(path.name, path.read_text(encoding="utf-8"))
            for path in sorted(assets_dir.rglob("*")) if path.suffix in MINIFIERS and path.is_file()}
