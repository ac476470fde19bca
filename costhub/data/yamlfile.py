"""Safe YAML loading that remembers where every value and key came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from ..errors import ContentError, ContentErrors, format_path

DataPath = tuple[str | int, ...]

_CONSTRUCTOR = SafeConstructor()
# The fastest safe loader PyYAML has here (its C loader when built with libyaml).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAX_ALIAS_ERRORS = 20
# The position maps of each file's text last parsed again for them (see _marks_again), by file.
_REPARSED: dict[str, tuple[str, dict[DataPath, tuple[int, int]], dict[DataPath, tuple[int, int]]]] = {}
MAX_DEPTH = 64
_KEY_PROBLEM = {"merge": "YAML merge keys (<<) are not allowed; write every key out",
                "complex": "keys must be plain text (a list or mapping cannot be a key)"}
# Fragments of PyYAML's messages, and what they mean for an editor (first match wins).
_PLAIN_PROBLEMS = (
    ("tab character", "a tab character is used for indentation; indent with spaces only"),
    ("mapping values are not allowed", "a value contains ': ' (a colon and a space); put the whole value in quotes"),
    ("could not find expected ':'", "a line has no 'key:' colon, or a long value continues on a line that is not "
                                    "indented further than its key"),
    ("found undefined alias", "'*' starts a value; put the value in quotes"),
    ("while scanning a quoted scalar", "a quoted value is not closed: its closing quote is missing"),
    ("expected <block end>", "the indentation does not line up: this line is indented differently from the lines "
                             "it belongs with"),
    ("did not find expected key", "the indentation does not line up: this line is indented differently from the "
                                  "lines it belongs with"),
    ("did not find expected '-'", "the indentation does not line up: a line inside a list item is indented "
                                   "differently from the item's first line, or the items' '-' are not in one column"),
    ("expected ',' or ']'", "a [ ... ] list is not closed, or an item in it needs quotes"),
    ("expected ',' or '}'", "a { ... } mapping is not closed, or a value in it needs quotes"),
)


@dataclass
class YamlDocument:
    """Plain data from one YAML file plus the 1-based line/column of every value and key, and its text. Once the
    records are made, the position maps may be dropped (they are the largest part of a document); a later error
    that needs a position parses the kept text again for them."""

    file: str
    data: Any = None
    text: str = field(default="", repr=False)
    value_marks: dict[DataPath, tuple[int, int]] = field(default_factory=dict, repr=False)
    key_marks: dict[DataPath, tuple[int, int]] = field(default_factory=dict, repr=False)
    marks_dropped: bool = field(default=False, repr=False)

    # Drop the position maps: the records carry their lines, and errors after this point are rare.
    def drop_marks(self) -> None:
        self.value_marks, self.key_marks, self.marks_dropped = {}, {}, True

    # What a pickle (the site snapshot) keeps: once the maps are dropped the records are made, and nothing reads the
    # plain data again (positions come from the text), so it is left out.
    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "data": None} if self.marks_dropped else dict(self.__dict__)

    # Where the value (or, with key=True, the key) at path starts; falls back to the nearest parent.
    def position(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        if self.marks_dropped:
            self.value_marks, self.key_marks = _marks_again(self.file, self.text)
            self.marks_dropped = False
        if key and path in self.key_marks:
            return self.key_marks[path]
        while path and path not in self.value_marks:
            path = path[:-1]
        return self.value_marks.get(path, (1, 1))

    # A ContentError located at the value (or key) found at path.
    def error(self, path: DataPath, message: str, hint: str = "", *, key: bool = False) -> ContentError:
        line, column = self.position(path, key=key)
        return ContentError(self.file, line, column, format_path(path), message, hint)


# The position maps of a file's text parsed again, or those of the last time this text of the file was (a process
# that loads the same files again, as `mkdocs serve` does, parses each once for its positions).
def _marks_again(file: str, text: str) -> tuple[dict[DataPath, tuple[int, int]], dict[DataPath, tuple[int, int]]]:
    known = _REPARSED.get(file)
    if known is None or known[0] != text:
        again = load_yaml(Path(file), file, text)[0]
        known = _REPARSED[file] = (text, again.value_marks, again.key_marks)
    return known[1], known[2]


# Forget the position maps kept by _marks_again (for a process that loads no more).
def forget_reparsed() -> None:
    _REPARSED.clear()


# Load one YAML file (or its text, when already read) safely; bad UTF-8, syntax errors, aliases, duplicate keys and
# unsafe tags become ContentErrors.
def load_yaml(path: Path, display_name: str, text: str | None = None) -> tuple[YamlDocument, list[ContentError]]:
    document = YamlDocument(display_name)
    try:
        document.text = text = read_text(path, display_name) if text is None else text
        alias_errors = _aliases(text, display_name) if "*" in text else []
        if alias_errors:
            return document, alias_errors
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except ContentErrors as exc:
        return document, exc.errors
    except yaml.MarkedYAMLError as exc:
        return document, [_syntax_error(display_name, exc, text)]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return document, [ContentError(display_name, line, column, "",
                                       f"control character U+{code:04X} is not allowed in YAML", "remove it")]
    errors: list[ContentError] = []
    document.data = {} if node is None else _build(node, (), document, errors)
    return document, errors


# A file's text as UTF-8; ContentErrors naming the line and column of the first byte that is not UTF-8.
def read_text(path: Path, display_name: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentErrors([ContentError(display_name, line, column, "",
                                          f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                                          "save the file as UTF-8")]) from None


# One error per alias (*name): aliases can build recursive or exponentially large data, so data files write
# every value out. Scanning events is linear in the file's size, so an alias bomb is refused at once.
def _aliases(text: str, display_name: str) -> list[ContentError]:
    errors: list[ContentError] = []
    anchors: set[str] = set()
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            message, hint = ((f"YAML alias *{event.anchor} is not allowed", "write the value out in full instead of "
                              "&anchor / *alias") if event.anchor in anchors
                             else ("'*' starts a value; put the value in quotes", f"*{event.anchor} reads as an alias"))
            errors.append(ContentError(display_name, mark.line + 1, mark.column + 1, "", message, hint))
            if len(errors) >= _MAX_ALIAS_ERRORS:
                break
        elif getattr(event, "anchor", None):
            anchors.add(event.anchor)
    return errors


# A ContentError for a YAML syntax error, at its mark, in plain words with the parser's own as a hint.
def _syntax_error(display_name: str, exc: yaml.MarkedYAMLError, text: str) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = " ".join(part for part in (exc.context, exc.problem) if part)
    at = text[mark.index] if mark and mark.index < len(text) else ""
    return ContentError(display_name, line, column, "", f"YAML syntax error: {plain_yaml_problem(problem, at)}",
                        f"the parser says: {problem}")


# The parser's complaint in plain words, with what usually causes it (`at`: the character where it stopped).
def plain_yaml_problem(problem: str, at: str = "") -> str:
    if "cannot start any token" in problem:
        return ("a tab character is used for indentation; indent with spaces only" if at == "\t"
                else f"{at!r} cannot start a value; put the value in quotes")
    for fragment, plain in _PLAIN_PROBLEMS:
        if fragment in problem:
            return plain
    return "this line cannot be read as YAML; check its indentation, colons and quotes"


# Turn a composed node into plain data, recording marks and reporting duplicate keys.
def _build(node: yaml.Node, path: DataPath, document: YamlDocument, errors: list[ContentError]) -> Any:
    document.value_marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if len(path) > MAX_DEPTH:
        errors.append(document.error(path, f"nested more than {MAX_DEPTH} levels deep"))
        return None
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
        errors.append(document.error(path, f"unsupported YAML tag {node.tag!r}"))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                errors.append(ContentError(document.file, *position, format_path(path), _KEY_PROBLEM[
                    "merge" if isinstance(key_node, yaml.ScalarNode) else "complex"]))
                continue
            key = str(_scalar(key_node, path, document, errors))
            key_path = path + (key,)
            if key in result:
                first = document.key_marks[key_path][0]
                errors.append(ContentError(document.file, *position, format_path(key_path),
                                           f"duplicate key {key!r}", f"first defined on line {first}"))
                continue
            document.key_marks[key_path] = position
            result[key] = _build(value_node, key_path, document, errors)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (index,), document, errors) for index, item in enumerate(node.value)]
    return _scalar(node, path, document, errors)


# Resolve a scalar as SafeLoader would, keeping dates as ISO text for the schema to check.
def _scalar(node: yaml.Node, path: DataPath, document: YamlDocument, errors: list[ContentError]) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        errors.append(document.error(path, "keys must be plain text"))
        return ""
    if node.tag == _TIMESTAMP_TAG:
        return node.value
    constructor = SafeConstructor.yaml_constructors.get(node.tag)
    if constructor is None:
        errors.append(document.error(path, f"unsupported YAML tag {node.tag!r}"))
        return node.value
    try:
        return constructor(_CONSTRUCTOR, node)
    except (ValueError, yaml.constructor.ConstructorError) as exc:  # a number past Python's 4300-digit limit, bad base64
        errors.append(document.error(path, f"cannot read {node.value[:20]!r}...: {str(exc).splitlines()[0][:80]}"))
        return node.value
