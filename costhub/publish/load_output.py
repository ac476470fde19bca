"""What a build reports and ships that follows from its load alone: the problems in the page sources and the data's
URLs, FAQs no page shows, price lifecycle warnings, and the files beside the pages (review.json, the open-data
exports, the price feed). It is kept beside the site snapshot under the load's key, so a build of unchanged files
writes and reports it again without working it out. Like the snapshot, it is only a shortcut: any problem reading
or writing it means working it out."""
from __future__ import annotations

import pickle
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ..checks.lifecycle import lifecycle_warnings
from ..checks.site_checks import load_errors
from ..errors import ContentError
from ..pages.site import Site
from ..pages.snapshot import CACHE_DIR, cache_file_usable, enabled, write_cache_file
from .site_files import published_files

OUTPUT_FILE = CACHE_DIR / "load-output.pickle"


@dataclass(frozen=True)
class LoadOutput:
    """The problems the load's checks found, the lifecycle warnings, and each file to write by its path under site/."""

    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]
    files: dict[str, str]


# The site's load output: the one kept under its load key, or worked out (and kept, when the site has a key).
def load_output(site: Site) -> LoadOutput:
    digest = site.key.digest() if site.key is not None else None
    kept = _kept(site.root, digest) if digest is not None else None
    if kept is not None:
        return kept
    pages = [page for _source, page in site.prerendered.values()]
    output = LoadOutput(tuple(load_errors(site)), tuple(lifecycle_warnings(site, pages)), published_files(site))
    if digest is not None and enabled():
        with suppress(pickle.PicklingError, RecursionError, AttributeError, TypeError):
            write_cache_file(site.root / OUTPUT_FILE, lambda stream: (pickle.dump(digest, stream, pickle.HIGHEST_PROTOCOL),
                                                                     pickle.dump(output, stream, pickle.HIGHEST_PROTOCOL)))
    return output


# The output kept under digest, or None (none kept, another key, unreadable, or the cache is off).
def _kept(root: Path, digest: str) -> LoadOutput | None:
    path = root / OUTPUT_FILE
    if not enabled() or not cache_file_usable(path):
        return None
    try:
        with path.open("rb") as stored:
            if pickle.load(stored) != digest:
                return None
            output = pickle.load(stored)
    except Exception:  # missing, truncated, or written by other code: the kept output is only a shortcut
        return None
    return output if isinstance(output, LoadOutput) else None
