"""Parts of a build's output kept from the build before, each under a key of exactly what working it out reads: a
part whose key is unchanged is taken as it was, any other is worked out again. A build after one edit (a
`mkdocs serve` rebuild) so redoes only the parts that read what the edit changed."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Keep(Protocol):
    """How a check or writer gets one part of its output: keep(name, key, work_out) gives work_out()'s value, or the
    value kept under the same name and an equal key."""

    def __call__(self, name: str, key: Any, work_out: Callable[[], T], /) -> T: ...


# A Keep that keeps nothing: every part is worked out.
def work_out_all(name: str, key: Any, work_out: Callable[[], T], /) -> T:
    return work_out()


class KeptParts:
    """The parts of the build before (name -> (key, value)), and those of this build as it asks for them; a part
    this build does not ask for is not kept for the next."""

    # Start from the parts of the build before (none for a first build).
    def __init__(self, earlier: Mapping[str, tuple[Any, Any]] | None = None) -> None:
        self.earlier = dict(earlier or {})
        self.parts: dict[str, tuple[Any, Any]] = {}
        self.worked_out: list[str] = []

    # The earlier value of the part when its key is equal, else work_out()'s (noted in worked_out).
    def __call__(self, name: str, key: Any, work_out: Callable[[], T], /) -> T:
        earlier = self.earlier.get(name)
        if earlier is not None and earlier[0] == key:
            value = earlier[1]
        else:
            value = work_out()
            self.worked_out.append(name)
        self.parts[name] = (key, value)
        return value

