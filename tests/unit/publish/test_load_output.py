"""The load's output (its checks' problems, lifecycle warnings and the files beside the pages) kept under the load's
key: a later build of unchanged files gets the same output without working it out; an edit, a damaged or foreign
file, a link, or COSTHUB_CACHE=off means working it out again."""
from __future__ import annotations

import json
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from costhub.pages import site as site_module
from costhub.pages.kept_parts import Keep
from costhub.pages.site import Site
from costhub.pages.snapshot import CACHE_SWITCH
from costhub.publish import load_output as load_output_module
from costhub.publish.load_output import OUTPUT_FILE, LoadOutput, load_output

from conftest import set_field

PRICES = "data/v1/prices.json"
# data/glossary.yml: `- id: job-id` is on line 4, its term on line 5 and its definition on line 6.
JOB_ID_DEFINITION_LINE = 6


# Count how often the output is worked out (published_files runs once for each time).
@pytest.fixture
def workings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = load_output_module.published_files

    def counted(site: Site, keep: Keep) -> dict[str, str]:
        calls.append(site.root.name)
        return real(site, keep)
    monkeypatch.setattr(load_output_module, "published_files", counted)
    return calls


# A load as a new process would make it (nothing loaded in this one yet).
def fresh_load(project: Path) -> Site:
    site_module._LAST_LOAD.clear()
    return Site.load(project)


# The price names in the prices export of an output.
def export_names(output: LoadOutput) -> set[str]:
    return {price["name"] for price in json.loads(output.files[PRICES])["prices"]}


def test_a_later_load_of_unchanged_files_gets_the_kept_output(project: Path, workings: list[str]) -> None:
    first = load_output(fresh_load(project))
    assert len(workings) == 1 and (project / OUTPUT_FILE).is_file()
    again = load_output(fresh_load(project))
    assert len(workings) == 1
    assert again == first
    assert {"review.json", PRICES, "data/v1/policies.json", "data/v1/units.json"} <= set(again.files)
    assert "Sora 2" in export_names(again)


def test_an_edit_works_the_output_out_again_and_its_problems_stay_kept(project: Path, workings: list[str]) -> None:
    assert load_output(fresh_load(project)).errors == ()
    line = set_field(project / "data/glossary.yml", "job-id", "definition", "See http://example.org/jobs for the job list.")
    assert line == JOB_ID_DEFINITION_LINE
    set_field(project / "data/prices.yml", "openai-sora-2-720p", "name", "Sora 2 renamed")
    edited = load_output(fresh_load(project))
    assert len(workings) == 2
    assert [(error.file, error.line) for error in edited.errors] == [("data/glossary.yml", JOB_ID_DEFINITION_LINE)]
    assert "plain http:// is not allowed" in edited.errors[0].message
    assert "Sora 2 renamed" in export_names(edited) and "Sora 2" not in export_names(edited)
    kept = load_output(fresh_load(project))
    assert len(workings) == 2 and kept.errors == edited.errors and kept.files == edited.files


@pytest.mark.parametrize("damage", ["truncated", "other key", "not an output", "garbage"])
def test_a_damaged_or_foreign_output_file_is_worked_out_again(project: Path, workings: list[str], damage: str) -> None:
    first = load_output(fresh_load(project))
    path = project / OUTPUT_FILE
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:40])
    elif damage == "other key":
        path.write_bytes(pickle.dumps("0" * 64) + pickle.dumps(first))
    elif damage == "not an output":
        path.write_bytes(pickle.dumps(pickle.loads(path.read_bytes())) + pickle.dumps({"files": {}}))
    else:
        path.write_bytes(b"\x80\x05 not a pickle at all")
    again = load_output(fresh_load(project))
    assert len(workings) == 2 and again == first


def test_an_output_file_that_is_a_link_is_neither_read_nor_replaced(project: Path, tmp_path: Path,
                                                                    workings: list[str]) -> None:
    first = load_output(fresh_load(project))
    outside = tmp_path / "outside.pickle"
    outside.write_bytes((project / OUTPUT_FILE).read_bytes())
    (project / OUTPUT_FILE).unlink()
    (project / OUTPUT_FILE).symlink_to(outside)
    before = outside.read_bytes()
    assert load_output(fresh_load(project)) == first
    assert len(workings) == 2 and outside.read_bytes() == before and (project / OUTPUT_FILE).is_symlink()


def test_with_the_cache_off_nothing_is_kept_or_read(project: Path, workings: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    load_output(fresh_load(project))
    monkeypatch.setenv(CACHE_SWITCH, "off")
    load_output(fresh_load(project))
    assert len(workings) == 2
    (project / OUTPUT_FILE).unlink()
    load_output(fresh_load(project))
    assert len(workings) == 3 and not (project / OUTPUT_FILE).exists()


def test_a_site_without_a_load_key_works_it_out_and_keeps_nothing(project: Path, workings: list[str]) -> None:
    site = replace(fresh_load(project), key=None)
    (project / OUTPUT_FILE).unlink(missing_ok=True)
    output = load_output(site)
    assert len(workings) == 1 and not (project / OUTPUT_FILE).exists()
    assert "Sora 2" in export_names(output)
