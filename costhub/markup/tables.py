"""Table rows for every screen: each cell labelled with its column heading (read aloud as cards on phones), and
whitespace between cells so text extracted from the page never runs two cells together."""
from __future__ import annotations

import re

from markupsafe import Markup

_ROW = re.compile(r"<tr\b.*?</tr>", re.DOTALL | re.IGNORECASE)
_CELL_START = re.compile(r"<(t[hd])\b", re.IGNORECASE)


# Rows of table HTML with data-label="<column heading>" on each cell (none past the last heading) and a line break
# before every cell.
def label_cells(rows: str, headings: list[str]) -> Markup:
    def label_row(row: re.Match[str]) -> str:
        column = iter(headings)

        def label(cell: re.Match[str]) -> str:
            heading = next(column, None)
            attribute = "" if heading is None else f' data-label="{Markup.escape(heading)}"'
            return f"\n<{cell.group(1)}{attribute}"

        return _CELL_START.sub(label, row.group(0))

    return Markup(_ROW.sub(label_row, str(rows)))
