"""The typed, immutable model of everything in data/."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
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

    # The fields by name, read-only in spirit: for the template sandbox's fast path.
    @property
    def values_by_name(self) -> Mapping[str, Any]:
        return self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    # Fields read as attributes; a missing optional field reads as None.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._values.get(name)

    # Equal when the values are; the same object (a record reused from an unchanged file) is equal at once.
    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Record) and self._values == other._values)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Record({self.path} @ {self.location})"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    # Pickled as its values and position (a snapshot, or records sent from a copy): faster than the slots' default.
    def __reduce__(self) -> tuple[type[Record], tuple[Mapping[str, Any], str, int, str]]:
        return Record, (self._values, self.file, self.line, self.path)


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
    """Every data kind as a tuple of Records, indexed by kind and id and (on first use) by any field a macro filters
    on; `settings` is data/site.yml, `documents` the parsed files by path, with the position of every value."""

    settings: Record
    kinds: Mapping[str, tuple[Record, ...]]
    documents: Mapping[str, YamlDocument] = field(default_factory=dict, repr=False, compare=False)
    _by_id: dict[str, dict[str, Record]] = field(init=False, repr=False, compare=False)
    _by_field: dict[tuple[str, str], dict[Any, tuple[Record, ...]]] = field(init=False, repr=False, compare=False)

    # Index every kind by id once; the first record with an id wins, as a scan in file order would.
    def __post_init__(self) -> None:
        by_id: dict[str, dict[str, Record]] = {}
        for kind, records in self.kinds.items():
            index: dict[str, Record] = {}
            for record in records:
                if "id" in record:
                    index.setdefault(record["id"], record)
            by_id[kind] = index
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_field", {})

    # Drop every document's position maps once the loaders have placed their records (see YamlDocument).
    def drop_marks(self) -> None:
        for document in self.documents.values():
            document.drop_marks()

    # All records of one kind, in file order.
    def all(self, kind: str) -> tuple[Record, ...]:
        return self.kinds.get(kind, ())

    # The record of a kind with the given id, or None.
    def get(self, kind: str, record_id: str) -> Record | None:
        return self._by_id.get(kind, {}).get(record_id)

    # The records of a kind whose field equals value, or (for a list field) holds it, in file order.
    def where(self, kind: str, name: str, value: Any) -> tuple[Record, ...]:
        key = (kind, name)
        if key not in self._by_field:
            self._by_field[key] = _field_index(self.all(kind), name)
        return self._by_field[key].get(value, ())

    # The records of a kind matching any of values (as where() does), each once, in file order.
    def where_any(self, kind: str, name: str, values: Iterable[Any]) -> tuple[Record, ...]:
        values = (values,) if isinstance(values, str) else values
        found = {id(record): record for value in values for record in self.where(kind, name, value)}
        return tuple(sorted(found.values(), key=lambda record: record.line))

    # The ids of one kind, in file order.
    def ids(self, kind: str) -> list[str]:
        return list(self._by_id.get(kind, {}))


# Records grouped by the value of one field (each item of a list field counts), keeping file order in each group.
def _field_index(records: tuple[Record, ...], name: str) -> dict[Any, tuple[Record, ...]]:
    groups: dict[Any, list[Record]] = {}
    for record in records:
        value = record.get(name)
        for item in dict.fromkeys(value) if isinstance(value, tuple) else (value,):
            try:
                groups.setdefault(item, []).append(record)
            except TypeError:  # an unhashable value (a nested record) is never a filter key
                continue
    return {value: tuple(group) for value, group in groups.items()}
