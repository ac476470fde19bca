"""Staggered review dates: shorten some `review_in` values so that no owner has two items due on the same day, and
write those edits into data/ as text (comments and layout kept) only when asked."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from ..data.yamlfile import DataPath, YamlDocument, load_yaml
from .book import ReviewBook, ReviewItem

_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")
_REVIEW_IN_LINE = re.compile(r"^(?P<lead>\s*(?:-\s+)?review_in:\s*)(?P<value>'[^']*'|\"[^\"]*\"|[^\s#]+)(?P<rest>.*)$")


@dataclass(frozen=True)
class SpreadEdit:
    """One proposed change: the item, the line of its review_in, and the old and new interval and due date."""

    item: ReviewItem
    line: int
    new_review_in: str
    new_due: date

    # The edit as one line for the terminal.
    def __str__(self) -> str:
        return (f"{self.item.file}:{self.line}: {self.item.key}: review_in {self.item.review_in} -> {self.new_review_in} "
                f"(due {self.item.due.isoformat()} -> {self.new_due.isoformat()}, owner {self.item.owner.id})")


# The edits that give each owner at most one item due per day: items sharing a day move to the nearest free day
# before it (never after, never onto today or earlier, never before their last review). Already spread: no edits.
def suggest_spread(book: ReviewBook, root: Path) -> list[SpreadEdit]:
    moves: list[tuple[ReviewItem, date]] = []
    by_owner: dict[str, list[ReviewItem]] = {}
    for item in book.items:
        by_owner.setdefault(item.owner.id, []).append(item)
    for items in by_owner.values():
        taken: set[date] = set()
        for item in sorted(items, key=lambda item: (item.due, item.key)):
            day = _free_day(item, taken, book.today)
            taken.add(day)
            if day != item.due:
                moves.append((item, day))
    return _located(moves, root)


# The latest day on or before the item's due date that the owner has free, after today and its last review;
# the due date itself when there is none (or when the item is already overdue).
def _free_day(item: ReviewItem, taken: set[date], today: date) -> date:
    day = item.due
    while day in taken and day - timedelta(days=1) > max(today, item.last_reviewed):
        day -= timedelta(days=1)
    return item.due if day in taken or item.due <= today else day


# Each move as an edit on the line that holds the item's review_in.
def _located(moves: Iterable[tuple[ReviewItem, date]], root: Path) -> list[SpreadEdit]:
    documents: dict[str, YamlDocument] = {}
    edits = []
    for item, day in moves:
        if item.file not in documents:
            documents[item.file] = load_yaml(root / item.file, item.file)[0]
        line = documents[item.file].position(data_path(item.where) + ("review_in",), key=True)[0]
        edits.append(SpreadEdit(item, line, f"{(day - item.last_reviewed).days}d", day))
    return sorted(edits, key=lambda edit: (edit.item.file, edit.line))


# "pages[3].review_in"-style text back to a data path ("pages", 3, "review_in").
def data_path(text: str) -> DataPath:
    return tuple(int(index) if index else name for index, name in _PATH_PART.findall(text))


# Write the edits into their files, changing only the value on each review_in line; returns the files changed.
def write_spread(edits: Iterable[SpreadEdit], root: Path) -> list[str]:
    by_file: dict[str, list[SpreadEdit]] = {}
    for edit in edits:
        by_file.setdefault(edit.item.file, []).append(edit)
    for file, file_edits in by_file.items():
        path = root / file
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for edit in file_edits:
            lines[edit.line - 1] = _replace_value(lines[edit.line - 1], edit)
        path.write_text("".join(lines), encoding="utf-8")
    return sorted(by_file)


# One review_in line with its value replaced, keeping indentation, any comment and the line ending.
def _replace_value(line: str, edit: SpreadEdit) -> str:
    body = line.rstrip("\r\n")
    match = _REVIEW_IN_LINE.match(body)
    if match is None:
        raise ValueError(f"{edit.item.file}:{edit.line}: expected a review_in line, found {body.strip()!r}")
    return f"{match['lead']}{edit.new_review_in}{match['rest']}{line[len(body):]}"
