"""`costhub schemas`: bring data/schemas/editor/ and the first line of every data file in line with the data."""
from __future__ import annotations

from pathlib import Path

from ..data.schemagen import EDITOR_DIR, editor_schemas, with_modeline
from ..pages.site import DATA_DIR, Site
from .edits import FileEdit

SCHEMAS_DIR = f"{DATA_DIR}/schemas"


# The edits that make the editor schemas and the data files' schema lines current (none when they are).
def schema_edits(site: Site) -> list[FileEdit]:
    root = site.root
    edits = []
    for kind, text in editor_schemas(root / SCHEMAS_DIR, site.data).items():
        path = f"{SCHEMAS_DIR}/{EDITOR_DIR}/{kind}.schema.json"
        current = root / path
        if not current.exists() or current.read_text(encoding="utf-8") != text:
            edits.append(FileEdit(path, text))
        data_file = root / DATA_DIR / f"{kind}.yml"
        if data_file.exists():
            old = data_file.read_text(encoding="utf-8")
            new = with_modeline(old, kind)
            if new != old:
                edits.append(FileEdit(f"{DATA_DIR}/{kind}.yml", new))
    return edits


# Editor schemas left over for kinds that have no hand-maintained schema any more.
def stale_schemas(root: Path) -> list[Path]:
    kinds = {path.name for path in (root / SCHEMAS_DIR).glob("*.schema.json")}
    return sorted(path for path in (root / SCHEMAS_DIR / EDITOR_DIR).glob("*.schema.json") if path.name not in kinds)
