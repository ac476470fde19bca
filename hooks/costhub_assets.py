"""MkDocs glue: our own scripts and stylesheets (those under the theme's custom_dir) ship minified; Material's
files and every other file are copied as they are."""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from costhub.publish.minify import MINIFIERS, minified


# Give each of our scripts and stylesheets its minified text as content (written into site/ only).
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    if config.theme.custom_dir:
        custom_dir = Path(config.theme.custom_dir).resolve()
        for file in files:
            if _is_ours(file, custom_dir):
                file.content_string = minified(file.src_uri, file.content_string)
    return files


# Whether a file is a script or stylesheet read from the custom_dir.
def _is_ours(file: File, custom_dir: Path) -> bool:
    return (Path(file.src_uri).suffix in MINIFIERS and file.abs_src_path is not None
            and Path(file.abs_src_path).resolve().is_relative_to(custom_dir))
