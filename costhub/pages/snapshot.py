"""A loaded site kept on disk between processes: a build or check of unchanged files reuses the last load instead of
validating and rendering again, and one after an edit re-renders only the pages the edit touched. The key holds
everything a load reads: the files of content/, data/ and overrides/, the review day, this package's code and the
versions of the libraries installed. The snapshot is advisory: any problem reading or writing it
means a normal load."""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from ..data.files import project_files, refuse_outside_links
from .collector import collector_paused

CACHE_DIR = Path(".costhub-cache")
SNAPSHOT_FILE = CACHE_DIR / "site.pickle"
# Set to "off" to load without the snapshot (neither read nor written).
CACHE_SWITCH = "COSTHUB_CACHE"
LOADED_FOLDERS = ("content", "data", "overrides")
_DISTRIBUTION_FOLDERS = (".dist-info", ".egg-info")
_PACKAGE = Path(__file__).resolve().parent.parent
# While writes are held (`mkdocs serve`), each cache file's last key and value by its absolute path, kept in memory
# instead of written; None while each is written at once.
_HELD: dict[Path, tuple[Any, Any]] | None = None


@dataclass(frozen=True)
class LoadKey:
    """What decides a load's result: the project folder, the review day, a digest of each loaded folder (in the
    order of LOADED_FOLDERS, templates last) and the digest of the code."""

    root: Path
    today: date
    folders: tuple[str, ...]
    code: str

    # Whether a load under this key can start from the renders of one under `other`: same project, code and
    # templates (data, pages and the day may differ: every kept render is checked against what it read).
    def can_reuse(self, other: LoadKey) -> bool:
        return (self.root, self.code, self.folders[-1]) == (other.root, other.code, other.folders[-1])

    # One hex digest of the whole key, for caches of what is computed from a load.
    def digest(self) -> str:
        parts = (str(self.root), self.today.isoformat(), self.folders, self.code)
        return hashlib.sha256(repr(parts).encode()).hexdigest()


# The key of a load of the project at root for the review day `today`; ContentErrors when a file or folder links
# outside the project (it is refused before any file is read).
def load_key(root: Path, today: date) -> LoadKey:
    listed = [project_files(root / folder) for folder in LOADED_FOLDERS]
    if any(linked for _names, linked in listed):
        refuse_outside_links(root, LOADED_FOLDERS)
    folders = tuple(_files_digest(root / folder, f"{folder}/", names)
                    for folder, (names, _linked) in zip(LOADED_FOLDERS, listed))
    return LoadKey(root.resolve(), today, folders, code_digest())


# A digest of start, then of each named file under folder as its name after label, its length and its bytes: any
# edit, addition, removal or renaming changes it, and no two sets of files add the same bytes, whatever they hold.
def _files_digest(folder: Path, label: str, names: list[str], start: bytes = b"") -> str:
    digest = hashlib.sha256(start)
    for name in names:
        with open(os.path.join(folder, name), "rb") as file:
            data = file.read()
        digest.update(os.fsencode(label + name) + b"\0%d\0" % len(data))
        digest.update(data)
    return digest.hexdigest()


# A digest of this package's source, the Python version and the distributions installed on the import path (their
# dist-info folders' names, which hold each one's version): installing, upgrading or removing any library that
# could shape a load changes it. Listing the folders costs a millisecond where reading the libraries' metadata
# through importlib.metadata costs some twenty.
@lru_cache(maxsize=1)
def code_digest() -> str:
    start = sys.version.encode() + b"".join(b"\0%s" % os.fsencode(name) for name in installed_distributions())
    return _files_digest(_PACKAGE, "", [name for name in project_files(_PACKAGE)[0] if name.endswith(".py")], start)


# The names of the dist-info and egg-info folders in each folder of the import path, in order (an entry that is no
# folder, such as a zip file, lists nothing).
def installed_distributions() -> list[str]:
    names = []
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        names.extend(sorted(name for name in listing if name.endswith(_DISTRIBUTION_FOLDERS)))
    return names


# Whether the snapshot is in use (COSTHUB_CACHE=off turns it off).
def enabled() -> bool:
    return os.environ.get(CACHE_SWITCH, "").lower() != "off"


# The key and state of the project's snapshot, or None when there is none, it cannot be read, or wanted(key) says
# its state is of no use.
def read_snapshot(root: Path, wanted: Callable[[LoadKey], bool]) -> tuple[LoadKey, dict[str, Any]] | None:
    stored = read_keyed(root / SNAPSHOT_FILE, lambda key: isinstance(key, LoadKey) and wanted(key))
    return stored if stored is not None and isinstance(stored[1], dict) else None


# Keep a load's state under its key, replacing the last snapshot.
def write_snapshot(root: Path, key: LoadKey, state: dict[str, Any]) -> None:
    write_keyed(root / SNAPSHOT_FILE, key, state)


# The key and value of a cache file pickled key first, or None when there is none, the cache is off, it cannot be
# read, or wanted(key) says no (an unwanted value is never read).
def read_keyed(path: Path, wanted: Callable[[Any], bool]) -> tuple[Any, Any] | None:
    if not enabled():
        return None
    if _HELD is not None and _absolute(path) in _HELD:
        key, value = _HELD[_absolute(path)]
        return (key, value) if wanted(key) else None
    if not cache_file_usable(path):
        return None
    try:
        with path.open("rb") as stored, collector_paused():  # read as it is unpickled: never the whole file at once
            key = pickle.load(stored)
            if not wanted(key):
                return None
            value = pickle.load(stored)
    except Exception:  # missing, truncated, or written by other code: a cache file is only a shortcut
        return None
    return key, value


# Whether a cache file may be read: a regular file, neither it nor its folder a link (a link could lead out of the
# project, or to a pipe that never ends).
def cache_file_usable(path: Path) -> bool:
    return not path.parent.is_symlink() and not path.is_symlink() and path.is_file()


# Keep value under key in a cache file, key pickled first, replacing the last one (unless the cache is off); a value
# that cannot be pickled goes without.
def write_keyed(path: Path, key: Any, value: Any) -> None:
    if not enabled():
        return
    if _HELD is not None:
        _HELD[_absolute(path)] = (key, value)
        return
    # Pickled straight to the file, never held as bytes; pickle refuses some objects with AttributeError or TypeError.
    with suppress(pickle.PicklingError, RecursionError, AttributeError, TypeError):
        write_cache_file(path, lambda stream: (pickle.dump(key, stream, pickle.HIGHEST_PROTOCOL),
                                               pickle.dump(value, stream, pickle.HIGHEST_PROTOCOL)))


# From now on, hold each cache file in memory (read back from there) until write_held_caches: for a process that loads
# again after every edit (`mkdocs serve`), where only the last write of each file is of use to a later process.
# Files already held stay held.
def hold_cache_writes() -> None:
    global _HELD
    if _HELD is None:
        _HELD = {}


# Write each held cache file, and write each later one at once again.
def write_held_caches() -> None:
    global _HELD
    held, _HELD = _HELD or {}, None
    for path, (key, value) in held.items():
        write_keyed(path, key, value)


# A path made absolute as it is written (links are not followed), the same however the project folder was named.
def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


# Write a cache file whole through write(stream), then move it into place (a reader never sees half of it); a folder
# that cannot be written, or a cache folder or file that is a link, just goes without, and no partial file is left.
def write_cache_file(target: Path, write: Callable[[BinaryIO], object]) -> None:
    if target.parent.is_symlink() or target.is_symlink():
        return
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        target.parent.mkdir(exist_ok=True)
        with partial.open("wb") as stream:
            write(stream)
        os.replace(partial, target)
    except OSError:
        return
    finally:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
