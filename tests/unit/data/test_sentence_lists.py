"""Lists of sentences (what varies, traps, actions, quick answers): an item that starts in lower case or does not end
in a full stop is a content error at its line and column, which is what a comma inside a `[a, b]` list produces."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import data_errors_after

from costhub.data.formats import sentence_problem


# Copy data/ under tmp_path, replace one line of data/<kind>.yml, and return the report of loading it.
def report_after(tmp_path: Path, kind: str, old: str, new: str) -> str:
    return data_errors_after(tmp_path, kind, old, new).report()


@pytest.mark.parametrize(("text", "problem"), [
    ("Ends well.", ""), ("`code` first is fine.", ""), ("42 seconds is a sentence.", ""),
    ("capacity limits", "starts in lower case"), ("  lower after spaces.", "starts in lower case"),
    ("No full stop", "does not end in a full stop"), ("A question?", "does not end in a full stop"),
    ("Trailing spaces.   ", ""), ("élan starts lower.", "starts in lower case"),
])
def test_sentence_problem(text: str, problem: str) -> None:
    assert sentence_problem(text) == problem


def test_a_comma_in_a_flow_list_is_reported_per_broken_item_with_line_and_column(tmp_path: Path) -> None:
    report = report_after(tmp_path, "api_kinds",
                          "    varies:\n      - New versions tend to launch here before anywhere else.\n"
                          "      - Account tiers decide rate limits and which models you may call.\n",
                          "    varies: [Prices differ, rate limits differ.]\n")
    assert report.splitlines()[:2] == [
        "data/api_kinds.yml:8:14: api_kinds[0].varies[0]: list item does not end in a full stop: 'Prices differ' "
        "(each item is a whole sentence; in a `[a, b]` list a comma splits a sentence, so write one `- item` per line)",
        "data/api_kinds.yml:8:29: api_kinds[0].varies[1]: list item starts in lower case: 'rate limits differ.' "
        "(each item is a whole sentence; in a `[a, b]` list a comma splits a sentence, so write one `- item` per line)",
    ]


@pytest.mark.parametrize(("kind", "old", "new", "where"), [
    ("failure_modes", "      - Read the provider's timeout policy before you launch a batch.",
     "      - read the provider's timeout policy", "failure_modes[0].actions[0]: list item starts in lower case"),
    ("pages", "      - Name the billing unit of every workflow; media APIs rarely bill in tokens alone.",
     "      - Name the billing unit of every workflow", "pages[0].quick_answer[0]: list item does not end in a full stop"),
])
def test_other_sentence_lists_are_checked_too(tmp_path: Path, kind: str, old: str, new: str, where: str) -> None:
    assert where in report_after(tmp_path, kind, old, new)
