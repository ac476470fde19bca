"""Record-table rows: every cell labelled with its column heading, cells kept apart, headings escaped."""
from __future__ import annotations

from costhub.markup.tables import label_cells


def test_each_cell_gets_its_column_heading_and_a_line_of_its_own() -> None:
    rows = '<tr id="a"><th scope="row">fal.ai</th><td>Its rule</td></tr><tr><th>B</th><td>x</td><td>extra</td></tr>'
    assert label_cells(rows, ["Provider", "Fact"]) == (
        '<tr id="a">\n<th data-label="Provider" scope="row">fal.ai</th>\n<td data-label="Fact">Its rule</td></tr>'
        '<tr>\n<th data-label="Provider">B</th>\n<td data-label="Fact">x</td>\n<td>extra</td></tr>')


def test_headings_are_escaped_and_nested_tables_words_are_left_alone() -> None:
    rows = "<tr><td>a <thead-like> word</td><TD>b</TD></tr>"
    assert label_cells(rows, ['A & "B"', "<C>"]) == (
        '<tr>\n<td data-label="A &amp; &#34;B&#34;">a <thead-like> word</td>\n<TD data-label="&lt;C&gt;">b</TD></tr>')


def test_text_outside_rows_is_unchanged() -> None:
    assert label_cells("<p><td>not in a row</td></p>", ["A"]) == "<p><td>not in a row</td></p>"
