"""`costhub check --release`: placeholders that must not ship: reserved example addresses (such as the `.example`
domain of the starter data and its owner e-mails, which review.json publishes) and `TODO:` texts from `costhub new`."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..errors import ContentError
from ..pages.site import CONTENT_DIR, DATA_DIR
from ..pages.source_map import blank_code

PLACEHOLDER_TEXT = "TODO:"
# Host names reserved for examples and tests (RFC 2606, RFC 6761), in addresses and e-mails.
_RESERVED = re.compile(r"\b(?:[a-z0-9-]+\.)*(?:[a-z0-9-]+\.(?:example|invalid|test|localhost)|example\.(?:com|org|net))\b",
                       re.IGNORECASE)

_MAILBOX = re.compile(r"[\w.+-]+@$")


# Every leftover placeholder in data/*.yml (comments left out) and content/ (code left out), with file:line:column.
def release_problems(root: Path) -> list[ContentError]:
    problems: list[ContentError] = []
    for path in sorted((root / DATA_DIR).glob("*.y*ml")):
        lines = [("" if line.lstrip().startswith("#") else line) for line in path.read_text(encoding="utf-8").splitlines()]
        problems.extend(_scan(path.relative_to(root).as_posix(), lines))
    for path in sorted((root / CONTENT_DIR).rglob("*.md")):
        problems.extend(_scan(path.relative_to(root).as_posix(), blank_code(path.read_text(encoding="utf-8")).splitlines()))
    return problems


# The placeholders on each line of one file.
def _scan(file: str, lines: list[str]) -> Iterator[ContentError]:
    for number, line in enumerate(lines, 1):
        for match in _RESERVED.finditer(line):
            mailbox = _MAILBOX.search(line[:match.start()])
            if mailbox:
                yield ContentError(file, number, mailbox.start() + 1, "",
                                   f"placeholder e-mail {mailbox.group(0) + match.group(0)!r}",
                                   "owner contacts are published in review.json: put a real address here")
            else:
                yield ContentError(file, number, match.start() + 1, "", f"placeholder address {match.group(0)!r}",
                                   "a reserved example domain must not ship: put the real address here")
        column = line.find(PLACEHOLDER_TEXT)
        if column >= 0:
            yield ContentError(file, number, column + 1, "", f"placeholder text {line[column:].strip()[:60]!r}",
                               "write the real text in place of the TODO")
