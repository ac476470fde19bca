"""Position maps are dropped once a load has made its records, and come back (the same) when an error needs one."""
from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

from costhub.data import yamlfile
from costhub.data.yamlfile import load_yaml
from costhub.pages.site import Site
from costhub.review.catalog import Locator

TEXT = """\
plans:
  - id: first
    steps: [a, b]
  - id: second
    note: |
      two lines
      of text
    price: "0.25"
"""


def test_a_dropped_document_gives_the_positions_it_had() -> None:
    document, errors = load_yaml(Path("plans.yml"), "data/plans.yml", TEXT)
    assert errors == []
    # Worked out by hand from TEXT: (line, column), both 1-based.
    expected = {("plans",): (2, 3), ("plans", 0, "steps"): (3, 12), ("plans", 0, "steps", 1): (3, 16),
                ("plans", 1, "note"): (5, 11), ("plans", 1, "price"): (8, 12)}
    assert {path: document.position(path) for path in expected} == expected
    assert document.position(("plans", 1, "price"), key=True) == (8, 5)
    document.drop_marks()
    assert document.value_marks == {} and document.key_marks == {}
    assert {path: document.position(path) for path in expected} == expected
    assert document.position(("plans", 1, "price"), key=True) == (8, 5)
    assert document.position(("plans", 1, "missing", 3)) == (4, 5)  # the nearest parent, as before
    assert document.error(("plans", 0, "steps", 1), "bad step").line == 3


def test_a_loaded_site_keeps_no_position_maps_yet_places_a_later_error() -> None:
    site = Site.load(ROOT)
    assert all(document.marks_dropped for document in site.data.documents.values())
    lines = (ROOT / "data" / "prices.yml").read_text(encoding="utf-8").splitlines()
    first_price = next(number for number, line in enumerate(lines, 1) if line.startswith("  - id: "))
    amount = next(number for number, line in enumerate(lines[first_price:], first_price + 1)
                  if line.startswith("    amount: "))
    where = Locator(site.root, site.data.documents).where("data/prices.yml", ("prices", 0, "amount"))
    assert where == f"data/prices.yml:{amount}"


def test_a_pickled_dropped_document_leaves_its_data_out_and_still_gives_positions() -> None:
    document, _errors = load_yaml(Path("plans.yml"), "data/plans.yml", TEXT)
    whole = pickle.loads(pickle.dumps(document))
    assert whole.data == {"plans": [{"id": "first", "steps": ["a", "b"]},
                                    {"id": "second", "note": "two lines\nof text\n", "price": "0.25"}]}
    document.drop_marks()
    kept = pickle.loads(pickle.dumps(document))
    assert kept.data is None and document.data is not None  # the document itself keeps its data
    assert kept.text == TEXT and kept.file == "data/plans.yml"
    assert kept.position(("plans", 1, "note")) == (5, 11) and kept.position(("plans", 1, "price"), key=True) == (8, 5)


def test_a_text_parsed_again_for_positions_is_parsed_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[str] = []
    real = yamlfile.load_yaml

    def counted(path: Path, display_name: str, text: str | None = None) -> Any:
        parses.append(display_name)
        return real(path, display_name, text)
    monkeypatch.setattr(yamlfile, "load_yaml", counted)
    monkeypatch.setattr(yamlfile, "_REPARSED", {})
    first = real(Path("plans.yml"), "data/plans.yml", TEXT)[0]
    again = real(Path("plans.yml"), "data/plans.yml", TEXT)[0]  # the next load of the same file
    for document in (first, again):
        document.drop_marks()
        assert document.position(("plans", 1, "price")) == (8, 12)
        document.drop_marks()  # a document still drops its maps
        assert document.value_marks == {} and document.position(("plans", 1, "note")) == (5, 11)
    assert parses == ["data/plans.yml"]
    edited = real(Path("plans.yml"), "data/plans.yml", "# a new first line\n" + TEXT)[0]
    edited.drop_marks()
    assert edited.position(("plans", 1, "price")) == (9, 12) and parses == ["data/plans.yml"] * 2
    yamlfile.forget_reparsed()
    first.drop_marks()
    assert first.position(("plans", 1, "price")) == (8, 12) and len(parses) == 3
