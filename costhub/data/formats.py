"""The string formats our schemas name, each decided as the jsonschema validation of data/ decides it."""
from __future__ import annotations

import re
from datetime import date

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


# What is wrong with an item of a list of sentences ("" when nothing): a lower-case start or no full stop at the end.
def sentence_problem(text: str) -> str:
    stripped = text.strip()
    if stripped[:1].islower():
        return "starts in lower case"
    if not stripped.endswith("."):
        return "does not end in a full stop"
    return ""


# The "sentence" format: any value but text passes; text passes when it reads as a whole sentence.
def is_sentence(value: object) -> bool:
    return not isinstance(value, str) or not sentence_problem(value)


# The "date" format as jsonschema's FormatChecker checks it: any value but text passes; text must be YYYY-MM-DD in
# ASCII digits and a day of the calendar.
def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
