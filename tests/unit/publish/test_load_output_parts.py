"""The load output after an edit: each part (a page source's problems, a data file's URL problems, review.json, each
export, the feed) is taken from the build before while what it reads is unchanged, and worked out again exactly
where the edit reaches. Whatever is kept gives the same errors, warnings and files as working everything out."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from costhub.errors import ContentErrors
from costhub.pages import site as site_module
from costhub.pages.kept_parts import KeptParts
from costhub.pages.site import Site
from costhub.publish import load_output as load_output_module
from costhub.publish.load_output import LoadOutput, load_output

from conftest import set_field

ALL_FILES = {"review.json", "prices.atom", "data/v1/prices.json", "data/v1/schemas/prices.schema.json",
             "data/v1/policies.json", "data/v1/schemas/policies.schema.json", "data/v1/units.json",
             "data/v1/schemas/units.schema.json"}
# data/glossary.yml: `- id: job-id` is on line 4, its definition on line 6.
JOB_ID_DEFINITION_LINE = 6
GLOSSARY_TITLE = "Glossary of billing units and terms"


# The parts each load_output call worked out, one list per call that did not take the whole output as kept.
@pytest.fixture
def worked_out(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []

    class Recorded(KeptParts):
        """KeptParts that hands its list of worked-out parts to the test."""

        def __init__(self, *args: object) -> None:
            super().__init__(*args)  # type: ignore[arg-type]
            calls.append(self.worked_out)
    monkeypatch.setattr(load_output_module, "KeptParts", Recorded)
    return calls


# A load as a new process would make it, and its load output (kept parts used where they hold).
def output_of(project: Path) -> LoadOutput:
    site_module._LAST_LOAD.clear()
    return load_output(Site.load(project))


# The load output of the project worked out whole, nothing kept (the reference every kept output must equal).
def scratch_output(project: Path) -> LoadOutput:
    site_module._LAST_LOAD.clear()
    return load_output_module._worked_out(Site.load(project), KeptParts())


# An edit's output: worked out from the kept parts, the same as worked out whole; returns it and the parts it redid.
def after_edit(project: Path, worked_out: list[list[str]]) -> tuple[LoadOutput, list[str]]:
    output = output_of(project)
    redone = list(worked_out[-1])
    assert output == scratch_output(project)
    return output, redone


# (file, line, message) of each error.
def placed(output: LoadOutput) -> list[tuple[str, int, str]]:
    return [(error.file, error.line, error.message) for error in output.errors]


def test_a_first_build_works_out_every_part(project: Path, worked_out: list[list[str]]) -> None:
    output = output_of(project)
    redone = worked_out[-1]
    pages = sorted(path.name for path in (project / "content").glob("*.md"))
    assert sorted(name.removeprefix("page source ") for name in redone if name.startswith("page source ")) == pages
    assert {"review.json", "prices.atom", "export prices", "export policies", "export units",
            "data urls data/site.yml", "data urls data/faqs.yml", "data urls data/glossary.yml"} <= set(redone)
    assert set(output.files) == ALL_FILES and output.errors == ()


def test_a_faq_answer_edit_redoes_only_the_faq_file_urls(project: Path, worked_out: list[list[str]]) -> None:
    before = output_of(project)
    path = project / "data/faqs.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("A chat call is priced", "One chat call is priced", 1),
                    encoding="utf-8")
    output, redone = after_edit(project, worked_out)
    assert redone == ["data urls data/faqs.yml"]
    assert output == before  # an answer shows on a page only: nothing the load output holds changed


def test_a_plain_http_url_in_a_faq_answer_is_reported_at_its_line(project: Path, worked_out: list[list[str]]) -> None:
    output_of(project)
    path = project / "data/faqs.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # faqs.yml: line 8 is the first line of the answer of media-harder-than-chat (the first FAQ, from line 4).
    assert lines[7].startswith("      A chat call is priced")
    lines[7] = lines[7].replace("A chat call", "A chat call (http://example.org/chat)", 1)
    path.write_text("".join(lines), encoding="utf-8")
    output, redone = after_edit(project, worked_out)
    assert redone == ["data urls data/faqs.yml"]
    assert [(file, line) for file, line, _message in placed(output)] == [("data/faqs.yml", 8)]
    assert "link 'http://example.org/chat': plain http:// is not allowed" in output.errors[0].message


def test_lines_moved_above_a_url_move_its_error(project: Path, worked_out: list[list[str]]) -> None:
    set_field(project / "data/glossary.yml", "job-id", "definition", "See http://example.org/jobs for the job list.")
    assert [(file, line) for file, line, _message in placed(output_of(project))] == [("data/glossary.yml", 6)]
    path = project / "data/glossary.yml"
    path.write_text("# one more comment line on top\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    output, redone = after_edit(project, worked_out)
    assert "data urls data/glossary.yml" in redone and "data urls data/faqs.yml" not in redone
    assert [(file, line) for file, line, _message in placed(output)] == [("data/glossary.yml", JOB_ID_DEFINITION_LINE + 1)]


def test_an_allowed_http_prefix_clears_a_kept_url_error(project: Path, worked_out: list[list[str]]) -> None:
    set_field(project / "data/glossary.yml", "job-id", "definition", "See http://example.org/jobs for the job list.")
    assert len(output_of(project).errors) == 1
    path = project / "data/site.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("http_allow: []", 'http_allow: ["http://example.org/"]'),
                    encoding="utf-8")
    output, redone = after_edit(project, worked_out)
    assert "data urls data/glossary.yml" in redone  # its file is unchanged, but the allow-list it is checked against is not
    assert output.errors == ()


def test_a_page_edit_redoes_that_page_source_only(project: Path, worked_out: list[list[str]]) -> None:
    output_of(project)
    path = project / "content/glossary.md"
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())  # the heading goes two lines below the last one (after a blank line)
    path.write_text(text + "\n# Extra heading\n", encoding="utf-8")
    output, redone = after_edit(project, worked_out)
    assert redone == ["page source glossary.md"]
    assert placed(output) == [("content/glossary.md", lines + 2,
                               f"the page writes its own title 'Extra heading'; the catalog title {GLOSSARY_TITLE!r} "
                               "is already its heading")]


def test_a_catalog_title_edit_redoes_the_page_source_it_names(project: Path, worked_out: list[list[str]]) -> None:
    path = project / "content/glossary.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n# Extra heading\n", encoding="utf-8")
    assert GLOSSARY_TITLE in output_of(project).errors[0].message
    set_field(project / "data/pages.yml", "glossary", "title", "Glossary of terms")
    output, redone = after_edit(project, worked_out)
    assert "page source glossary.md" in redone and "page source index.md" not in redone  # same source, new title
    assert [error.message for error in output.errors] == [
        "the page writes its own title 'Extra heading'; the catalog title 'Glossary of terms' is already its heading"]


def test_a_price_rename_redoes_its_export_and_the_feed(project: Path, worked_out: list[list[str]]) -> None:
    output_of(project)
    set_field(project / "data/prices.yml", "openai-sora-2-720p", "name", "Sora 2 renamed")
    output, redone = after_edit(project, worked_out)
    assert {"export prices", "prices.atom", "data urls data/prices.yml"} <= set(redone)
    assert "export policies" not in redone and "export units" not in redone
    names = {price["name"] for price in json.loads(output.files["data/v1/prices.json"])["prices"]}
    assert "Sora 2 renamed" in names and "Sora 2" not in names
    assert "Sora 2 renamed" in output.files["prices.atom"]


def test_a_renamed_faq_id_gives_what_working_it_out_gives(project: Path, worked_out: list[list[str]]) -> None:
    output_of(project)
    path = project / "data/faqs.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("- id: media-harder-than-chat", "- id: media-bills", 1),
                    encoding="utf-8")
    output, redone = after_edit(project, worked_out)
    assert "data urls data/faqs.yml" in redone
    assert "export prices" not in redone and not any(name.startswith("page source") for name in redone)
    assert output.errors == ()


def test_a_deleted_page_leaves_its_part_behind(project: Path, worked_out: list[list[str]]) -> None:
    path = project / "content/glossary.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n# Extra heading\n", encoding="utf-8")
    assert [file for file, _line, _message in placed(output_of(project))] == ["content/glossary.md"]
    path.unlink()
    output, redone = after_edit(project, worked_out)
    assert not any(name.startswith("page source") for name in redone)
    assert output.errors == ()  # its written title went with it
    path.write_text("{{ glossary() }}\n# Extra heading\n", encoding="utf-8")  # back, with other text: not the kept one
    output, redone = after_edit(project, worked_out)
    assert "page source glossary.md" in redone
    assert [(file, line) for file, line, _message in placed(output)] == [("content/glossary.md", 2)]


def test_a_page_that_turns_non_utf8_fails_the_load_and_its_fix_keeps_the_parts(project: Path,
                                                                               worked_out: list[list[str]]) -> None:
    first = output_of(project)
    path = project / "content/glossary.md"
    text = path.read_bytes()
    path.write_bytes(text + b"\n\xff\xfe not UTF-8\n")
    site_module._LAST_LOAD.clear()
    with pytest.raises(ContentErrors) as failed:
        Site.load(project)
    assert [error.file for error in failed.value.errors] == ["content/glossary.md"]
    path.write_bytes(text.replace(b"Short definitions", b"Brief definitions", 1))
    output, redone = after_edit(project, worked_out)
    assert redone == ["page source glossary.md"]
    assert output == first
