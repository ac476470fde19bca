"""What a page render read from the data, so a later load can tell whether the page would render the same."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Callable, TypeVar

from ..data.model import Record, SiteData

# One read: the SiteData method, its arguments, and what it returned.
Read = tuple[str, tuple[Any, ...], Any]
# The log's own bookkeeping and the one SiteData method that changes it: a page template may use none of them (a
# page that took the log, or noted a read of its own, would make a later load reuse a render it should redo).
BOOKKEEPING = frozenset({"take", "note", "note_untracked", "note_value", "capture", "replay", "drop_marks"})
# A read whose answer is not kept: the page is rendered again on every load.
UNTRACKED = ("untracked", (), None)
# The method name of a read of a watched value (its argument is the value's name).
WATCHED = "watched"
T = TypeVar("T")


class ReadLog:
    """The data as templates see it: SiteData's lookups, each answer noted in the log of the render under way."""

    def __init__(self, data: SiteData) -> None:
        self._data = data
        self._reads: list[Read] = []
        self._values_noted: set[tuple[str, int]] = set()  # (name, id of the value) of the watched reads in _reads
        self._shared: dict[tuple[str, tuple[Any, ...]], Read] = {}

    # Start a new log for the next render, returning the reads of the previous one, each distinct lookup once (the
    # data does not change during a render, so a repeated lookup had the same answer; a lookup whose arguments
    # could not be a key failed in SiteData before it was noted). A read another render made with the same answer
    # is given as that render's tuple, so a site holds each once.
    def take(self) -> tuple[Read, ...]:
        distinct = _distinct(self._reads)
        self._reads = []
        self._values_noted = set()
        return tuple(self._share(read) for read in distinct)

    # The read as first made with the same lookup and the same answer (the very object), else this one.
    def _share(self, read: Read) -> Read:
        known = self._shared.get(read[:2])
        if known is not None and known[2] is read[2]:
            return known
        self._shared[read[:2]] = read
        return read

    # Run render with a log of its own, then note its reads in the render under way as well; its result and its
    # reads, each distinct lookup once (the reads made before a failure are noted, then the failure goes on).
    def capture(self, render: Callable[[], T]) -> tuple[T, tuple[Read, ...]]:
        outer, outer_values = self._reads, self._values_noted
        self._reads, self._values_noted = [], set()
        try:
            result = render()
        finally:
            captured = _distinct(self._reads)
            self._reads, self._values_noted = outer, outer_values
            self.replay(captured)
        return result, captured

    # Note reads another render made, as if this render had made them.
    def replay(self, reads: tuple[Read, ...]) -> None:
        for read in reads:
            if read[0] == WATCHED:
                self.note_value(read[1][0], read[2])
            else:
                self._reads.append(read)

    # Note one read and return its answer.
    def note(self, method: str, *args: Any) -> Any:
        answer = getattr(self._data, method)(*args)
        self._reads.append((method, args, answer))
        return answer

    # Note that the render read something whose answer is not kept.
    def note_untracked(self) -> None:
        self._reads.append(UNTRACKED)

    # Note that the render used a watched value (once per render).
    def note_value(self, name: str, value: Any) -> None:
        if (name, id(value)) not in self._values_noted:
            self._values_noted.add((name, id(value)))
            self._reads.append((WATCHED, (name,), value))

    # All records of one kind, in file order.
    def all(self, kind: str) -> tuple[Record, ...]:
        return self.note("all", kind)

    # The record of a kind with the given id, or None.
    def get(self, kind: str, record_id: str) -> Record | None:
        return self.note("get", kind, record_id)

    # The records of a kind whose field equals (or, for a list, holds) value.
    def where(self, kind: str, name: str, value: Any) -> tuple[Record, ...]:
        return self.note("where", kind, name, value)

    # The records of a kind matching any of values, in file order.
    def where_any(self, kind: str, name: str, values: Any) -> tuple[Record, ...]:
        return self.note("where_any", kind, name, (values,) if isinstance(values, str) else tuple(values))

    # The ids of one kind, in file order.
    def ids(self, kind: str) -> list[str]:
        return self.note("ids", kind)

    # Anything else SiteData has is passed through, and the page is never reused.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        self.note_untracked()
        return getattr(self._data, name)


# Each distinct lookup of the reads once, as first made (the data does not change during a load, so a repeated lookup
# had the same answer).
def _distinct(reads: list[Read]) -> tuple[Read, ...]:
    distinct: dict[tuple[str, tuple[Any, ...]], Read] = {}
    for read in reads:
        distinct.setdefault(read[:2], read)
    return tuple(distinct.values())


class Watched:
    """A value computed from the data in Python (the checked calculators, the review book), as templates see it: any
    use of it notes the whole value, so a later load renders the page again unless the value is equal."""

    def __init__(self, name: str, value: Any, log: ReadLog) -> None:
        self._name = name
        self._value = value
        self._log = log

    # Note that the render used the value.
    def _note(self) -> None:
        self._log.note_value(self._name, self._value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        self._note()
        return getattr(self._value, name)

    def __getitem__(self, key: Any) -> Any:
        self._note()
        return self._value[key]

    def __iter__(self) -> Iterator[Any]:
        self._note()
        return iter(self._value)

    def __len__(self) -> int:
        self._note()
        return len(self._value)

    def __contains__(self, item: Any) -> bool:
        self._note()
        return item in self._value


# The value a Watched wraps, without noting a use of it (for the sandbox's checks).
def watched_value(watched: Watched) -> Any:
    return watched._value


# Whether the reads include a use of the watched value with this name.
def uses_value(reads: tuple[Read, ...], name: str) -> bool:
    return any(method == WATCHED and args == (name,) for method, args, _answer in reads)


# Whether every read gives the same answer on new data and watched values (an untracked read never does).
def reads_unchanged(reads: tuple[Read, ...], data: SiteData, watched: Mapping[str, Any]) -> bool:
    for method, args, answer in reads:
        if method == UNTRACKED[0]:
            return False
        now = watched.get(args[0]) if method == WATCHED else getattr(data, method)(*args)
        if now != answer:
            return False
    return True
