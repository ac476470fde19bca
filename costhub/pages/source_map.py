"""Map positions in a page's rendered body back to the lines of the Markdown the editor wrote."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from jinja2 import Environment

from ..markup.markdown_source import blank_code_spans, indented_code_lines, shield_code, unshield_code

_TAG_STARTS = ("variable_begin", "block_begin")


@dataclass(frozen=True)
class _Segment:
    """A stretch of the rendered body: literal text copied from the source, or the output of a template tag."""

    start: int
    line: int
    literal: bool


class SourceMap:
    """Offsets in a rendered body -> source lines: literal text keeps its own lines, tag output takes the tag's line."""

    # Keep the rendered text (to count lines) and the segments sorted by start offset.
    def __init__(self, rendered: str, segments: list[_Segment], first_line: int) -> None:
        self._rendered = rendered
        self._segments = segments
        self._starts = [segment.start for segment in segments]
        self._first_line = first_line

    # The 1-based line of the source that produced the rendered text at offset.
    def line(self, offset: int) -> int:
        segment = self._segment(offset)
        if segment is None:
            return self._first_line
        if not segment.literal:
            return segment.line
        return segment.line + self._rendered.count("\n", segment.start, offset)

    # Whether the text at offset was written by the editor (not produced by a macro or other template tag).
    def is_literal(self, offset: int) -> bool:
        segment = self._segment(offset)
        return segment is None or segment.literal

    # The segment holding offset, or None before the first one.
    def _segment(self, offset: int) -> _Segment | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        return self._segments[index] if index >= 0 else None


# Align the template's literal text with its rendered body; line_offset counts the front matter lines.
def build_source_map(env: Environment, template: str, rendered: str, line_offset: int = 0) -> SourceMap:
    shielded, code = shield_code(template)
    segments: list[_Segment] = []
    cursor, tag_line = 0, 0
    for line, token, value in env.lex(shielded):
        if token in _TAG_STARTS:
            tag_line = tag_line or line
            continue
        text = unshield_code(value, code) if token == "data" else ""
        core = text.strip()
        found = rendered.find(core, cursor) if core else -1
        if found < 0:
            continue
        if tag_line and found > cursor:
            segments.append(_Segment(cursor, tag_line + line_offset, False))
        lead = len(text) - len(text.lstrip())
        segments.append(_Segment(found, line + text.count("\n", 0, lead) + line_offset, True))
        cursor, tag_line = found + len(core), 0
    if tag_line and cursor < len(rendered):
        segments.append(_Segment(cursor, tag_line + line_offset, False))
    return SourceMap(rendered, segments, segments[0].line if segments else line_offset + 1)


# The text with every code span, fenced block and indented code block blanked to spaces, keeping each offset and
# line in place.
def blank_code(text: str) -> str:
    blanked = blank_code_spans(text)
    indented = indented_code_lines(blanked)
    if not indented:
        return blanked
    return "\n".join(" " * len(line) if number in indented else line for number, line in enumerate(blanked.split("\n")))
