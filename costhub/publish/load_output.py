"""What a build reports and ships that follows from its load alone: the problems in the page sources and the data's
URLs, FAQs no page shows, price lifecycle warnings, and the files beside the pages (review.json, the open-data
exports, the price feed). It is kept beside the site snapshot under the load's key, so a build of unchanged files
writes and reports it again without working it out. A build after an edit takes each part whose key (what the part
reads: a page source's digest, a data file's records and text, an export's records...) is unchanged from the parts
kept with it (kept_parts.py), and works out only the others. Like the snapshot, it is only a shortcut: any problem
reading or writing it means working it out."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..checks.lifecycle import lifecycle_warnings
from ..checks.site_checks import load_errors
from ..errors import ContentError
from ..pages.kept_parts import KeptParts
from ..pages.site import Site
from ..pages.snapshot import CACHE_DIR, read_keyed, write_keyed
from .site_files import published_files

OUTPUT_FILE = CACHE_DIR / "load-output.pickle"


@dataclass(frozen=True)
class LoadOutput:
    """The problems the load's checks found, the lifecycle warnings, and each file to write by its path under site/."""

    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]
    files: dict[str, str]


# The site's load output: the one kept under its load key, or worked out (and kept, when the site has a key) from the
# kept parts that still hold.
def load_output(site: Site) -> LoadOutput:
    if site.key is None:
        return _worked_out(site, KeptParts())
    digest, code = site.key.digest(), (str(site.key.root), site.key.code)
    kept = read_keyed(site.root / OUTPUT_FILE, lambda key: key == code)  # parts kept by other code are never used
    if kept is None or not _is_kept_output(kept[1]):
        kept = (code, ("", None, {}))
    kept_digest, kept_output, kept_parts = kept[1]
    if kept_digest == digest:
        return kept_output
    parts = KeptParts(kept_parts)
    output = _worked_out(site, parts)
    write_keyed(site.root / OUTPUT_FILE, code, (digest, output, parts.parts))
    return output


# The load output worked out, each part from keep where it is kept.
def _worked_out(site: Site, keep: KeptParts) -> LoadOutput:
    pages = [page for _source, page in site.prerendered.values()]
    return LoadOutput(tuple(load_errors(site, keep)), tuple(lifecycle_warnings(site, pages)), published_files(site, keep))


# Whether a kept value is what load_output keeps: (load digest, output, parts by name).
def _is_kept_output(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], LoadOutput | None) and isinstance(value[2], dict))
