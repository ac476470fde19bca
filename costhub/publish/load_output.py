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
    kept_digest, kept_output, kept_parts = _kept(site)
    if kept_digest == site.key.digest():
        return kept_output
    parts = KeptParts(kept_parts)
    return keep_output(site, _worked_out(site, parts), parts.parts)


# The load output worked out from the kept parts that still hold, and its parts, without writing anything: for a
# process that works it out for another, which keeps it (keep_output).
def output_and_parts(site: Site) -> tuple[LoadOutput, dict[str, tuple[Any, Any]]]:
    parts = KeptParts(_kept(site)[2] if site.key is not None else None)
    return _worked_out(site, parts), parts.parts


# Keep a load output and its parts under the site's load key (when it has one) for the next build; returns the output.
def keep_output(site: Site, output: LoadOutput, parts: dict[str, tuple[Any, Any]]) -> LoadOutput:
    if site.key is not None:
        write_keyed(site.root / OUTPUT_FILE, _code_key(site), (site.key.digest(), output, parts))
    return output


# The kept (load digest, output, parts by name) of the site's project, or empty ones (parts kept by other code are
# never used).
def _kept(site: Site) -> tuple[str, LoadOutput | None, dict[str, tuple[Any, Any]]]:
    assert site.key is not None
    kept = read_keyed(site.root / OUTPUT_FILE, lambda key: key == _code_key(site))
    return kept[1] if kept is not None and _is_kept_output(kept[1]) else ("", None, {})


# What the load output is kept under beside the load digest: the project folder and the code.
def _code_key(site: Site) -> tuple[str, Any]:
    assert site.key is not None
    return str(site.key.root), site.key.code


# The load output worked out, each part from keep where it is kept.
def _worked_out(site: Site, keep: KeptParts) -> LoadOutput:
    pages = [page for _source, page in site.prerendered.values()]
    return LoadOutput(tuple(load_errors(site, keep)), tuple(lifecycle_warnings(site, pages)), published_files(site, keep))


# Whether a kept value is what load_output keeps: (load digest, output, parts by name).
def _is_kept_output(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], LoadOutput | None) and isinstance(value[2], dict))
