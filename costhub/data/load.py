"""Load, validate and cross-check every file in data/ into one SiteData."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import ContentError, ContentErrors, did_you_mean
from .model import Record, SiteData, freeze
from .yamlfile import DataPath, YamlDocument, forget_reparsed, load_yaml, read_text

SETTINGS_KIND = "site"


@dataclass
class _Parsed:
    """One data file parsed and validated against its schema, with what later loads reuse while neither changes."""

    text: str
    schema_text: str
    document: YamlDocument
    schema: dict[str, Any] | None
    errors: list[ContentError]
    frozen: Any = field(default=None, repr=False)


# The last parse of each data file for the whole process, by path: `mkdocs serve` re-parses only edited files.
_PARSED: dict[Path, _Parsed] = {}


# Forget every kept parse (and parse again for positions), and the plain data of the loaded documents (only a
# later load of the same files reads it): for a process that loads once.
def forget_parses(data: SiteData) -> None:
    _PARSED.clear()
    forget_reparsed()
    for document in data.documents.values():
        document.data = None


# Load data_dir (YAML plus schemas/); raise ContentErrors listing every problem at once.
def load_site_data(data_dir: Path, root: Path) -> SiteData:
    errors: list[ContentError] = []
    schemas = {path.name.removesuffix(".schema.json"): path for path in sorted((data_dir / "schemas").glob("*.schema.json"))}
    documents: dict[str, tuple[YamlDocument, dict[str, Any]]] = {}
    parsed_kinds: dict[str, _Parsed] = {}
    files: dict[str, str] = {}
    for path in sorted(data_dir.glob("*.y*ml"), key=lambda path: (path.stem, path.suffix != ".yml", path.name)):
        display = path.relative_to(root).as_posix()
        kind = path.stem
        if kind not in schemas:
            errors.append(ContentError(display, 1, 1, "", f"no schema for data kind {kind!r}",
                                       did_you_mean(kind, schemas) or f"add data/schemas/{kind}.schema.json"))
            continue
        if kind in files:
            errors.append(ContentError(display, 1, 1, "", f"a second file for data kind {kind!r} beside {files[kind]}",
                                       f"keep one file per kind: merge it into {files[kind]}"))
            continue
        files[kind] = display
        parsed = _parse(path, display, schemas[kind], schemas[kind].relative_to(root).as_posix())
        errors.extend(parsed.errors)
        if parsed.schema is None:
            continue
        documents[kind] = (parsed.document, parsed.schema)
        parsed_kinds[kind] = parsed
    for kind in sorted(set(schemas) - set(files)):
        errors.append(ContentError(f"{data_dir.relative_to(root).as_posix()}/{kind}.yml", 0, 0, "",
                                   "missing data file (a schema exists for it)"))
    if errors:
        raise ContentErrors(errors)
    errors.extend(_duplicate_ids(documents))
    errors.extend(_dangling_references(documents))
    if errors:
        raise ContentErrors(errors)
    return _freeze_all(parsed_kinds)


# A data file parsed and validated, or the same result as the last load when neither it nor its schema changed;
# a file or schema that cannot be read comes back with its errors and no schema (and is not kept).
def _parse(path: Path, display: str, schema_path: Path, schema_display: str) -> _Parsed:
    from .schema import load_schema, validate  # imported here: a build from the site snapshot validates nothing
    try:
        text = read_text(path, display)
        schema_text = read_text(schema_path, schema_display)
    except ContentErrors as exc:
        return _Parsed("", "", YamlDocument(display), None, exc.errors)
    known = _PARSED.get(path)
    if known is None or known.text != text or known.schema_text != schema_text or known.document.file != display:
        document, load_errors = load_yaml(path, display, text)
        try:
            schema = load_schema(schema_path, schema_display, schema_text)
        except ContentErrors as exc:
            return _Parsed(text, schema_text, document, None, [*load_errors, *exc.errors])
        known = _PARSED[path] = _Parsed(text, schema_text, document, schema, load_errors or validate(document, schema))
    return known


# Records of a kind are the list under the top-level key named after the kind.
def _records(kind: str, document: YamlDocument) -> list[Any]:
    records = document.data.get(kind, []) if isinstance(document.data, dict) else []
    return records if isinstance(records, list) else []


# Every id must be unique within its kind.
def _duplicate_ids(documents: dict[str, tuple[YamlDocument, dict[str, Any]]]) -> Iterator[ContentError]:
    for kind, (document, _schema) in documents.items():
        seen: dict[str, int] = {}
        for index, record in enumerate(_records(kind, document)):
            record_id = record.get("id") if isinstance(record, dict) else None
            if record_id is None:
                continue
            if record_id in seen:
                first = document.position((kind, seen[record_id], "id"))[0]
                yield document.error((kind, index, "id"), f"duplicate id {record_id!r}", f"first used on line {first}")
            else:
                seen[record_id] = index


# Every value whose schema says `"x-ref": "<kind>"` must name an existing record of that kind.
def _dangling_references(documents: dict[str, tuple[YamlDocument, dict[str, Any]]]) -> Iterator[ContentError]:
    ids = {kind: {record.get("id") for record in _records(kind, document) if isinstance(record, dict)}
           for kind, (document, _schema) in documents.items()}
    for document, schema in documents.values():
        for path, value, target in _references(schema, schema, document.data, ()):
            if value not in ids.get(target, set()):
                yield document.error(path, f"unknown {target} id {value!r}",
                                     did_you_mean(value, ids.get(target, set())) or f"see data/{target}.yml")


# Walk a schema and its instance together, yielding (path, value, target kind) for each x-ref.
def _references(root: dict[str, Any], schema: dict[str, Any], value: Any, path: DataPath) -> Iterator[tuple[DataPath, Any, str]]:
    if "$ref" in schema:
        schema = _resolve(root, schema["$ref"])
    if "x-ref" in schema and isinstance(value, str):
        yield path, value, schema["x-ref"]
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                yield from _references(root, properties[key], item, path + (key,))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from _references(root, schema["items"], item, path + (index,))


# Resolve a local "#/$defs/name" reference inside a schema.
def _resolve(root: dict[str, Any], pointer: str) -> dict[str, Any]:
    node: Any = root
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part]
    return node


# A file's frozen records, made once per parse (an unchanged file gives the same Record objects again).
def _frozen(parsed: _Parsed, make: Callable[[], Any]) -> Any:
    if parsed.frozen is None:
        parsed.frozen = make()
    return parsed.frozen


# Freeze each document; settings come from site.yml, every other kind from its list.
def _freeze_all(parsed_kinds: dict[str, _Parsed]) -> SiteData:
    kinds: dict[str, tuple[Record, ...]] = {}
    settings = Record({}, "data/site.yml", 1, "")
    for kind, parsed in parsed_kinds.items():
        document = parsed.document
        if kind == SETTINGS_KIND:
            settings = _frozen(parsed, lambda: freeze(document.data, document))
        else:
            kinds[kind] = _frozen(parsed, lambda: freeze(_records(kind, document), document, (kind,)))
    return SiteData(settings=settings, kinds=kinds,
                    documents={parsed.document.file: parsed.document for parsed in parsed_kinds.values()})
