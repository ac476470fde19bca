"""`costhub review --suggest-spread`: staggered due dates per owner, printed, written only with --write, as text
edits that keep comments, and idempotent."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import add_rates, pin_review_dates, rate

from costhub.cli import main
from costhub.pages.site import Site
from costhub.review.spread import data_path, suggest_spread

OWNER = "  - id: rates-team\n    name: Rates team\n    contact: rates-team@costs.example\n"
# Today is 2030-01-10. Due dates: c 2030-01-31, a/b/d 2030-02-01, e/f 2030-01-11, old 2030-01-05 (overdue).
RATES = (rate("a-rate", "A", review_in="31d", owner="rates-team")
         + rate("b-rate", "B", review_in="31d", owner="rates-team").replace("review_in: 31d", "review_in: 31d  # keep")
         + rate("c-rate", "C", review_in="30d", owner="rates-team")
         + rate("d-rate", "D", review_in="P1M", last_reviewed="2030-01-01", owner="rates-team")
         + rate("e-rate", "E", review_in="2d", last_reviewed="2030-01-09", owner="rates-team")
         + rate("f-rate", "F", review_in="10d", owner="rates-team")
         + rate("old-rate", "Old", review_in="4d", owner="rates-team")
         + rate("old-twin", "Old twin", review_in="4d", owner="rates-team"))
DAY = date(2030, 1, 10)


@pytest.fixture
def spread_project(project: Path) -> Path:
    pin_review_dates(project)
    owners = project / "data/owners.yml"
    owners.write_text(owners.read_text() + OWNER)
    add_rates(project, RATES)
    return project


# The data files' text, by name.
def data_files(project: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted((project / "data").glob("*.yml"))}


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str((DAY - date(1970, 1, 1)).days * 86400 + 43200))


def test_items_sharing_a_day_move_to_the_nearest_free_day_before_it(spread_project: Path) -> None:
    edits = [edit for edit in suggest_spread(Site.load(spread_project, DAY).review, spread_project)
             if edit.item.owner.id == "rates-team"]
    # c keeps 01-31 and a (first by id) keeps 02-01; b falls back past c's day to 01-30, d to 01-29. e keeps 01-11;
    # f has no free day after today, so it stays; the overdue pair stays where it is.
    assert [(edit.item.id, edit.new_review_in, edit.new_due) for edit in edits] == [
        ("b-rate", "29d", date(2030, 1, 30)), ("d-rate", "28d", date(2030, 1, 29))]
    assert [str(edit) for edit in edits][0] == (
        "data/rates.yml:13: rates:b-rate: review_in 31d -> 29d (due 2030-02-01 -> 2030-01-30, owner rates-team)")


def test_suggestions_are_printed_and_never_written_without_write(spread_project: Path, on_day: None,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = data_files(spread_project)
    assert main(["--root", str(spread_project), "review", "--suggest-spread"]) == 0
    out = capsys.readouterr().out
    assert "data/rates.yml:13: rates:b-rate: review_in 31d -> 29d" in out
    assert "not written; add --write to apply them" in out
    assert data_files(spread_project) == before


def test_write_changes_only_the_review_in_values_keeps_comments_and_is_idempotent(spread_project: Path, on_day: None,
                                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = data_files(spread_project)
    assert main(["--root", str(spread_project), "review", "--suggest-spread", "--write"]) == 0
    assert "wrote " in capsys.readouterr().out
    after = data_files(spread_project)
    for name, text in before.items():
        old, new = text.splitlines(), after[name].splitlines()
        assert len(old) == len(new)
        changed = [(a, b) for a, b in zip(old, new) if a != b]
        assert all(a.split(":")[0] == b.split(":")[0] and a.strip().startswith("review_in:") for a, b in changed), name
    rates = after["rates.yml"].splitlines()
    assert rates[12] == "    review_in: 29d  # keep"
    assert rates[24] == "    review_in: 28d"
    site = Site.load(spread_project, DAY)
    for owner in site.data.ids("owners"):
        days = [item.due for item in site.review.items if item.owner.id == owner and item.due > DAY]
        assert len(days) == len(set(days)) or owner == "rates-team"
    assert main(["--root", str(spread_project), "review", "--suggest-spread", "--write"]) == 0
    assert capsys.readouterr().out.strip() == "no edits: no owner has two items due on one day"
    assert data_files(spread_project) == after


def test_spread_never_moves_a_due_date_later(spread_project: Path) -> None:
    for edit in suggest_spread(Site.load(spread_project, DAY).review, spread_project):
        assert DAY < edit.new_due < edit.item.due and edit.item.last_reviewed < edit.new_due


@pytest.mark.parametrize(("text", "path"), [("pages[3]", ("pages", 3)), ("providers[10].facts[0]", ("providers", 10, "facts", 0)),
                                            ("site.review", ("site", "review"))])
def test_data_path_reads_formatted_paths_back(text: str, path: tuple) -> None:
    assert data_path(text) == path
