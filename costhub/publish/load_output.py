"""What a build reports and ships that follows from its load alone: the problems in the page sources and the data's
URLs, FAQs no page shows, price lifecycle warnings, and the files beside the pages (review.json, the open-data
exports, the price feed). It is kept beside the site snapshot under the load's key, so a build of unchanged files
writes and reports it again without working it out. Like the snapshot, it is only a shortcut: any problem reading
or writing it means working it out."""
from __future__ import annotations

from dataclasses import dataclass

from ..checks.lifecycle import lifecycle_warnings
from ..checks.site_checks import load_errors
from ..errors import ContentError
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


# The site's load output: the one kept under its load key, or worked out (and kept, when the site has a key).
def load_output(site: Site) -> LoadOutput:
    digest = site.key.digest() if site.key is not None else None
    kept = read_keyed(site.root / OUTPUT_FILE, lambda key: key == digest) if digest is not None else None
    if kept is not None and isinstance(kept[1], LoadOutput):
        return kept[1]
    pages = [page for _source, page in site.prerendered.values()]
    output = LoadOutput(tuple(load_errors(site)), tuple(lifecycle_warnings(site, pages)), published_files(site))
    if digest is not None:
        write_keyed(site.root / OUTPUT_FILE, digest, output)
    return output
