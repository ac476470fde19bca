"""File edits prepared in memory, proven in a scratch copy of the project, then written all at once or not at all."""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from ..checks.site_checks import check_site
from ..errors import ContentError, ContentErrors
from ..pages.site import CONTENT_DIR, DATA_DIR, TEMPLATES_DIR, Site

PROJECT_FILES = (CONTENT_DIR, DATA_DIR, TEMPLATES_DIR, "mkdocs.yml")


@dataclass(frozen=True)
class FileEdit:
    """The whole new text of one file under the project root (a new file, or an existing one with text appended)."""

    path: str
    text: str


# An edit that creates a file; refuses one that exists.
def create(root: Path, path: str, text: str) -> FileEdit:
    if (root / path).exists():
        raise ValueError(f"{path} already exists")
    return FileEdit(path, text)


# An edit that appends YAML list items (as text, so the file's comments and layout stay) to the list under the
# top-level key of a data file (`key: []` becomes the start of a block list).
def append(root: Path, path: str, items: str, key: str) -> FileEdit:
    text = (root / path).read_text(encoding="utf-8")
    text = re.sub(rf"(?m)^{re.escape(key)}:[ \t]*\[\][ \t]*(#.*)?$", lambda match: f"{key}:" + (
        f" {match.group(1)}" if match.group(1) else ""), text, count=1)
    if text and not text.endswith("\n"):
        text += "\n"
    return FileEdit(path, f"{text}\n{items}" if text.strip() else items)


# A YAML scalar for text an editor typed: always double-quoted (JSON strings are valid YAML).
def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# The problems `costhub check` would report once the edits are made, found in a scratch copy of the project, and
# the edits completed with what `complete` adds for the edited project (such as its editor schemas).
def problems_after(root: Path, edits: list[FileEdit], today: date,
                   complete: Callable[[Site], list[FileEdit]] | None = None) -> tuple[list[ContentError], list[FileEdit]]:
    with tempfile.TemporaryDirectory(prefix="costhub-new-") as scratch:
        copy = Path(scratch)
        for part in PROJECT_FILES:
            source = root / part
            if source.is_dir():
                shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
            elif source.exists():
                shutil.copy2(source, copy / part)
        for edit in edits:
            (copy / edit.path).parent.mkdir(parents=True, exist_ok=True)
            (copy / edit.path).write_text(edit.text, encoding="utf-8")
        try:
            site = Site.load(copy, today)
        except ContentErrors as exc:
            return list(exc.errors), edits
        problems = check_site(site)[1]
        extra = complete(site) if complete and not problems else []
        by_path = {edit.path: edit for edit in edits} | {edit.path: edit for edit in extra}
        return problems, list(by_path.values())


# Write every edit or none: each new text goes to a temporary file beside its target first, and the targets are
# replaced only once all of them were written. Raises OSError (nothing changed) when a folder is not writable.
def write_all(root: Path, edits: list[FileEdit]) -> None:
    staged: list[tuple[str, Path]] = []
    made: list[Path] = []
    try:
        for edit in edits:
            target = root / edit.path
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True)
                made.append(target.parent)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent)
            staged.append((temporary, target))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(edit.text)
            if target.exists():
                shutil.copymode(target, temporary)
    except OSError:
        for temporary, _target in staged:
            Path(temporary).unlink(missing_ok=True)
        for folder in reversed(made):
            folder.rmdir()
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
