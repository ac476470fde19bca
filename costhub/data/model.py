"""The typed, immutable model of everything in data/."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import format_path
from .yamlfile import DataPath, YamlDocument

# The page id of the hub (content/index.md), the root every guide links back to.
HUB_ID = "index"


class Record(Mapping[str, Any]):
    """An immutable mapping with attribute access that remembers the file and line it came from."""

    __slots__ = ("_values", "file", "line", "path")

    def __init__(self, values: Mapping[str, Any], file: str, line: int, path: str) -> None:
        self._values = dict(values)
        self.file = file
        self.line = line
        self.path = path

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    # Fields read as attributes; a missing optional field reads as None.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._values.get(name)

    def __repr__(self) -> str:
        return f"Record({self.path} @ {self.location})"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


# Freeze plain data into Records and tuples, remembering each mapping's position.
def freeze(value: Any, document: YamlDocument, path: DataPath = ()) -> Any:
    if isinstance(value, dict):
        frozen = {key: freeze(item, document, path + (key,)) for key, item in value.items()}
        return Record(frozen, document.file, document.position(path)[0], format_path(path))
    if isinstance(value, list):
        return tuple(freeze(item, document, path + (index,)) for index, item in enumerate(value))
    return value


@dataclass(frozen=True)
class SiteData:
    """Every data kind as a tuple of Records, plus id lookups; `settings` is data/site.yml."""

    settings: Record
    kinds: Mapping[str, tuple[Record, ...]]

    # All records of one kind, in file order.
    def all(self, kind: str) -> tuple[Record, ...]:
        return self.kinds.get(kind, ())

    # The record of a kind with the given id, or None.
    def get(self, kind: str, record_id: str) -> Record | None:
        return next((record for record in self.all(kind) if record.get("id") == record_id), None)

    # The ids of one kind, in file order.
    def ids(self, kind: str) -> list[str]:
        return [record["id"] for record in self.all(kind) if "id" in record]
