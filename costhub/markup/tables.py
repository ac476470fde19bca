"""Table rows for every screen: each cell labelled with its column heading (read aloud as cards on phones), and
whitespace between cells so text extracted from the page never runs two cells together."""
from __future__ import annotations

import re

from markupsafe import Markup

_ROW = re.compile(r"<tr\b.*?</tr>", re.DOTALL | re.IGNORECASE)
_CELL_START = re.compile(r"<(t[hd])\b", re.IGNORECASE)


# Rows of table HTML with data-label="<column heading>" on each cell (none past the last heading) and a line break
# before every cell; each heading is escaped once for all the rows.
def label_cells(rows: str, headings: list[str]) -> Markup:
    labels = ["" if heading is None else f' data-label="{Markup.escape(heading)}"' for heading in headings]

    def label_row(row: re.Match[str]) -> str:
        column = iter(labels)
        return _CELL_START.sub(lambda cell: f"\n<{cell.group(1)}{next(column, '')}", row.group(0))

    return Markup(_ROW.sub(label_row, str(rows)))
