"""The files of the project's folders, walked without following links, links that leave the project refused, and
the name of its MkDocs configuration."""
from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import Iterable

from ..errors import ContentError, ContentErrors

# The MkDocs configuration file at the project's root.
CONFIG_FILE = "mkdocs.yml"


# Every regular file under folder (links to files included, links to folders not followed) by its path relative to
# folder ("assets/x.js"), sorted, and whether any file or folder under it is a link (only then can one lead outside).
def project_files(folder: Path) -> tuple[list[str], bool]:
    found: list[str] = []
    linked = _walk(os.fspath(folder), "", found)
    return sorted(found), linked


# Add the regular files under directory to found, named from prefix on; whether any entry there is a link. A folder
# that is gone or cannot be read holds nothing (as for os.walk).
def _walk(directory: str, prefix: str, found: list[str]) -> bool:
    try:
        with os.scandir(directory) as listing:
            entries = list(listing)
    except OSError:
        return False
    linked = False
    for entry in entries:
        if entry.is_symlink():
            linked = True
            with suppress(OSError):  # a link in a loop: refuse_outside_links names it
                if entry.is_file():
                    found.append(prefix + entry.name)
        elif entry.is_dir(follow_symlinks=False):
            linked = _walk(entry.path, f"{prefix}{entry.name}/", found) or linked
        elif entry.is_file(follow_symlinks=False):
            found.append(prefix + entry.name)
    return linked


# ContentErrors naming every link under the folders that resolves outside root (or nowhere): a page or data file
# that is a link to /etc/passwd, or a linked folder, would otherwise be published.
def refuse_outside_links(root: Path, folders: Iterable[str]) -> None:
    project = root.resolve()
    errors: list[ContentError] = []
    for folder in folders:
        for current, dirs, files in os.walk(root / folder, followlinks=False):
            for name in sorted(dirs + files):
                path = Path(current) / name
                if path.is_symlink():
                    errors.extend(_outside(path, root, project))
    if errors:
        raise ContentErrors(errors)


# An error for a link that resolves outside the project (or cannot be resolved), else nothing.
def _outside(link: Path, root: Path, project: Path) -> list[ContentError]:
    display = link.relative_to(root).as_posix()
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return [ContentError(display, 1, 0, "", f"link to {os.readlink(link)!r} leads nowhere",
                             "replace the link with the file itself")]
    if target == project or project in target.parents:
        return []
    return [ContentError(display, 1, 0, "", f"link resolves outside the project (to {target.as_posix()})",
                         "copy the file into the project instead of linking to it")]
