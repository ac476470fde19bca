"""Errors that tell an editor how to fix them, as `costhub check` prints them."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import catalog_entry, set_field

from costhub.cli import main

GUIDE = "video-generation-webhooks"


# Run `costhub check` in-process; returns (exit code, stderr lines).
def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["--root", str(project), "check"])
    return code, capsys.readouterr().err.splitlines()


def test_a_page_outside_the_catalog_is_told_to_add_an_entry_and_offered_a_rename(project: Path, capsys) -> None:
    (project / "content/billing-transparncy.md").write_text("Notes.\n")
    code, err = check(project, capsys)
    assert code == 1
    assert ("content/billing-transparncy.md:1: page is not in the page catalog (add an entry with id "
            "'billing-transparncy' to data/pages.yml; `costhub new guide billing-transparncy --title ... --owner ...` "
            "writes one, or rename the file: did you mean 'billing-transparency'?)") in err


def test_a_page_that_writes_its_own_title_gets_a_warning_but_code_and_sections_do_not(project: Path, capsys) -> None:
    glossary = project / "content/glossary.md"
    text = glossary.read_text()
    glossary.write_text("```markdown\n# not a title, an example\n```\n\n# Glossary, again\n\n" + text)
    code, err = check(project, capsys)
    assert code == 1
    assert [line for line in err if "its own title" in line] == [
        "content/glossary.md:5: the page writes its own title 'Glossary, again'; the catalog title 'Glossary of "
        "billing units and terms' is already its heading (remove this line, or change `title` in data/pages.yml; "
        "use ## for sections)"]


def test_a_setext_title_is_found_too(project: Path, capsys) -> None:
    glossary = project / "content/glossary.md"
    glossary.write_text(glossary.read_text() + "\nTerms\n=====\n")
    code, err = check(project, capsys)
    lines = glossary.read_text().splitlines()
    assert code == 1 and any(line.startswith(f"content/glossary.md:{len(lines) - 1}: the page writes its own title 'Terms'")
                             for line in err)


def test_a_guide_without_guide_intro_is_told_what_it_misses(project: Path, capsys) -> None:
    page = project / f"content/{GUIDE}.md"
    page.write_text(page.read_text().replace("{{ guide_intro() }}\n", "", 1))
    code, err = check(project, capsys)
    assert code == 1
    assert (f"content/{GUIDE}.md:1: guide has no {{{{ guide_intro() }}}}: its summary, quick answer and audience from "
            "data/pages.yml are not shown (put {{ guide_intro() }} on the first line of the page)") in err


def test_review_in_as_a_bare_number_suggests_days(project: Path, capsys) -> None:
    line = set_field(project / "data/pages.yml", "glossary", "review_in", "60")
    index = catalog_entry(project, "glossary")[1]
    code, err = check(project, capsys)
    assert code == 1
    assert (f"data/pages.yml:{line}:16: pages[{index}].review_in: expected string, got a whole number (did you mean "
            "'60d'? an interval needs its unit, such as 60d or P3M)") in err


def test_too_short_says_the_minimum(project: Path, capsys) -> None:
    line = set_field(project / "data/pages.yml", "glossary", "summary", "Too brief.")
    index = catalog_entry(project, "glossary")[1]
    code, err = check(project, capsys)
    assert code == 1
    assert f"data/pages.yml:{line}:14: pages[{index}].summary: too short: at least 20 characters, has 10" in err


def test_too_few_items_says_the_minimum(project: Path, capsys) -> None:
    pages = project / "data/pages.yml"
    text = pages.read_text()
    start = text.index("  - id: failed-video-generation-cost")
    quick = text.index("    quick_answer:\n", start)
    end = text.index("    related:", quick)
    pages.write_text(text[:quick] + "    quick_answer:\n      - Only one step.\n" + text[end:])
    code, err = check(project, capsys)
    assert code == 1
    assert any(line.endswith(".quick_answer: too short: at least 3 items, has 1") for line in err)


def test_a_broken_anchor_lists_the_closest_anchors(project: Path, capsys) -> None:
    glossary = project / "content/glossary.md"
    glossary.write_text(glossary.read_text().replace("[hub](index.md)", "[hub](index.md#the-guide)", 1))
    code, err = check(project, capsys)
    assert code == 1
    found = [line for line in err if "broken anchor 'index.md#the-guide'" in line]
    assert len(found) == 1 and found[0].startswith("content/glossary.md:4: ")
    assert "(closest anchors there: #the-guides" in found[0]


def test_a_yaml_syntax_error_is_in_plain_words(project: Path, capsys) -> None:
    owners = project / "data/owners.yml"
    owners.write_text(owners.read_text().replace("    name: Pricing desk", "\tname: Pricing desk"))
    code, err = check(project, capsys)
    assert code == 1
    assert err[0] == ("data/owners.yml:4:1: YAML syntax error: a tab character is used for indentation; indent with "
                      "spaces only (the parser says: while scanning a plain scalar found a tab character that violates "
                      "indentation)")


@pytest.mark.parametrize(("text", "plain"), [
    ("owners:\n  - id: a\n    name: Desk: prices\n", "a value contains ': ' (a colon and a space); put the whole value in quotes"),
    ("owners:\n  - id: a\n    name: 'Desk\n", "a quoted value is not closed: its closing quote is missing"),
    ("owners:\n  - id: a\n   name: Desk\n", "the indentation does not line up"),
    ("owners: [a, b\n", "a [ ... ] list is not closed, or an item in it needs quotes"),
])
def test_other_yaml_mistakes_are_explained(project: Path, capsys, text: str, plain: str) -> None:
    (project / "data/owners.yml").write_text(text)
    code, err = check(project, capsys)
    assert code == 1 and err[0].startswith("data/owners.yml:") and f"YAML syntax error: {plain}" in err[0]


def test_a_page_that_fails_to_render_is_not_also_said_to_miss_its_hub_link(project: Path, capsys) -> None:
    page = project / f"content/{GUIDE}.md"
    page.write_text(page.read_text().replace("{{ lifecycle() }}", "{{ lifecycel() }}"))
    code, err = check(project, capsys)
    assert code == 1
    assert any("unknown macro or name 'lifecycel' (did you mean 'lifecycle'?)" in line for line in err)
    assert not [line for line in err if "does not link back to the hub" in line or "orphan page" in line]
    assert err[-1] == "1 content error(s) found"
