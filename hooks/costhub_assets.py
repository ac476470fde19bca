"""MkDocs glue: our own scripts and stylesheets (those under the theme's custom_dir) ship minified; Material's
files and every other file are copied as they are."""
from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from costhub.publish.minify import MINIFIERS, minified


# Give each of our scripts and stylesheets its minified text as content (written into site/ only).
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    if config.theme.custom_dir:
        custom_dir = Path(config.theme.custom_dir).resolve()
        folders: dict[str, bool] = {}
        for file in files:
            if _is_ours(file, custom_dir, folders):
                file.content_string = minified(file.src_uri, file.content_string)
    return files


# Whether a file is a script or stylesheet read from the custom_dir (its path with every link resolved lies there).
# folders keeps whether each folder seen resolves into the custom_dir, so only a file that is itself a link is
# resolved whole.
def _is_ours(file: File, custom_dir: Path, folders: dict[str, bool]) -> bool:
    if Path(file.src_uri).suffix not in MINIFIERS or file.abs_src_path is None:
        return False
    if os.path.islink(file.abs_src_path):
        return Path(file.abs_src_path).resolve().is_relative_to(custom_dir)
    folder = os.path.dirname(file.abs_src_path)
    if folder not in folders:
        folders[folder] = Path(folder).resolve().is_relative_to(custom_dir)
    return folders[folder]
