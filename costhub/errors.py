"""Content errors that name the file, line and column an editor must fix."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True, order=True, slots=True)
class ContentError:
    """One problem in an editor's file; line and column are 1-based (0 means unknown)."""

    file: str
    line: int
    column: int
    where: str
    message: str
    hint: str = ""

    # Render as `file:line:col: where: message (hint)`.
    def __str__(self) -> str:
        position = f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        where = f" {self.where}:" if self.where else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{position}:{where} {self.message}{hint}"


class ContentErrors(Exception):
    """Every content error found in one pass, raised together."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors: list[ContentError] = sorted(set(errors))
        super().__init__(self.report())

    # All errors, one per line, with a count at the end.
    def report(self) -> str:
        lines = [str(error) for error in self.errors]
        lines.append(f"{len(self.errors)} content error(s) found")
        return "\n".join(lines)


# A "did you mean ...?" hint for a misspelt name, or "" when nothing is close.
def did_you_mean(name: str, choices: Iterable[str]) -> str:
    matches = difflib.get_close_matches(str(name), sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else ""


# Format a data path such as ("faqs", 3, "answer") as "faqs[3].answer".
def format_path(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
