"""Loading a site again after an edit (a `mkdocs serve` rebuild) renders only the pages the edit touches, and every
page comes out exactly as a load from scratch renders it."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from jinja2.environment import Template

from costhub.pages.render import PageRenderer
from costhub.pages.site import Site

ALL_PAGES = {"index", "image-generation-api-cost", "video-generation-api-pricing", "realtime-voice-api-cost",
             "failed-video-generation-cost", "billing-transparency", "video-generation-webhooks", "calculator",
             "calculator-method", "checklists", "glossary", "review"}


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    rendered: list[str] = []
    original = PageRenderer.render

    def counting(self: PageRenderer, body: str, display_name: str, page_id: str, line_offset: int = 0) -> str:
        rendered.append(page_id)
        return original(self, body, display_name, page_id, line_offset)

    monkeypatch.setattr(PageRenderer, "render", counting)
    return rendered


# Load the project, apply an edit, load it again; returns the ids of the pages the second load rendered.
def pages_rendered_after(project: Path, renders: list[str], edit: Callable[[Path], None]) -> set[str]:
    Site.load(project)
    assert set(renders) == ALL_PAGES  # the first load renders everything
    renders.clear()
    edit(project)
    site = Site.load(project)
    rendered = set(renders)
    assert_same_as_from_scratch(site, project)
    return rendered


# Every page of an incrementally loaded site equals the render of a load that kept nothing.
def assert_same_as_from_scratch(site: Site, project: Path) -> None:
    fresh = Site._load(project, site.review.today, None)
    assert site.prerendered.keys() == fresh.prerendered.keys()
    for src_uri, (source, page) in fresh.prerendered.items():
        kept_source, kept = site.prerendered[src_uri]
        assert (kept_source, kept.markdown, kept.record.line) == (source, page.markdown, page.record.line), src_uri
        assert kept.links == page.links, src_uri
    assert site.review == fresh.review


# Replace one field of the record with this id in a data file's text, keeping the rest of the file as it is.
def set_field(project: Path, kind: str, record_id: str, name: str, value: str) -> None:
    path = project / "data" / f"{kind}.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {record_id}\n")
    field = re.compile(rf"^(\s+{name}: ).*?(?=^\s+[a-z_]+:|^\s*-|^\s*$|\Z)", re.MULTILINE | re.DOTALL)
    match = field.search(text, start)
    assert match is not None
    path.write_text(text[:match.start()] + match.group(1) + value + "\n" + text[match.end():], encoding="utf-8")


def edit_text(relative: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        path = project / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return edit


def test_a_faq_edit_renders_only_the_page_that_shows_the_faq(project: Path, renders: list[str]) -> None:
    # webhooks-change-spend belongs to video-generation-webhooks, the only page whose faqs() lists it; the folded
    # answer becomes one line, so every later FAQ moves up.
    edit = lambda root: set_field(root, "faqs", "webhooks-change-spend", "answer", "Rewritten <b>answer</b> & more.")
    assert pages_rendered_after(project, renders, edit) == {"video-generation-webhooks"}


CATALOG_PAGES = {"index", "image-generation-api-cost", "video-generation-api-pricing", "realtime-voice-api-cost",
                 "failed-video-generation-cost", "billing-transparency", "video-generation-webhooks", "calculator", "review"}


def test_a_policy_fact_renders_the_pages_that_read_the_catalog(project: Path, renders: list[str]) -> None:
    # The price and policy catalog is one value to the templates: a page that shows a policy fact, a price, a
    # comparison, a preset's sources or the upcoming shutdowns renders again; the glossary and checklists do not.
    edit = lambda root: set_field(root, "policies", "fal-model-apis", "note", "A new note.")
    assert pages_rendered_after(project, renders, edit) == CATALOG_PAGES


def test_a_policy_review_date_renders_the_same_pages(project: Path, renders: list[str]) -> None:
    edit = lambda root: set_field(root, "policies", "fal-model-apis", "last_reviewed", "2026-11-01")
    assert pages_rendered_after(project, renders, edit) == CATALOG_PAGES


def test_a_page_edit_renders_that_page_only(project: Path, renders: list[str]) -> None:
    edit = edit_text("content/glossary.md", lambda text: text + "\nOne more paragraph.\n")
    assert pages_rendered_after(project, renders, edit) == {"glossary"}


def test_a_calculator_edit_renders_the_page_that_embeds_calculators(project: Path, renders: list[str]) -> None:
    # Only content/calculator.md calls calculator() and only content/calculator-method.md calculator_method(); the
    # media guides show comparisons the calculators compute. Calculators carry no review dates, so the dashboard stays.
    edit = edit_text("data/calculators.yml", lambda text: text.replace("title: Video", "title: Edited video", 1))
    assert pages_rendered_after(project, renders, edit) == {"calculator", "calculator-method", "video-generation-api-pricing",
                                                            "image-generation-api-cost", "realtime-voice-api-cost"}


@pytest.mark.parametrize(("relative", "old", "new"), [
    ("data/site.yml", "notice_label: Educational", "notice_label: Edited"),
    ("overrides/macros/faqs.html", "{% endmacro %}", "{# edited #}{% endmacro %}"),
])
def test_settings_and_template_edits_render_every_page(project: Path, renders: list[str], relative: str, old: str,
                                                        new: str) -> None:
    edit = edit_text(relative, lambda text: text.replace(old, new, 1))
    assert pages_rendered_after(project, renders, edit) == ALL_PAGES


def test_a_comment_in_a_data_file_renders_nothing(project: Path, renders: list[str]) -> None:
    edit = edit_text("data/site.yml", lambda text: text + "\n# a comment changes no record\n")
    assert pages_rendered_after(project, renders, edit) == set()


def test_catalog_entries_that_moved_keep_their_renders_with_links_at_the_new_lines(project: Path,
                                                                                 renders: list[str]) -> None:
    # Two comment lines at the top of pages.yml move every entry down by two lines: no page changes, but each
    # header link now belongs to the entry's new line (assert_same_as_from_scratch compares them). Only the review
    # dashboard renders again: it prints each entry's "Edit in data/pages.yml:LINE".
    edit = edit_text("data/pages.yml", lambda text: "# moved\n# down\n" + text)
    assert pages_rendered_after(project, renders, edit) == {"review"}


def test_loading_unchanged_files_again_renders_nothing(project: Path, renders: list[str]) -> None:
    first = Site.load(project)
    renders.clear()
    assert Site.load(project) is first
    assert renders == []


def test_an_edit_that_breaks_a_page_is_reported_and_the_fix_renders_it_again(project: Path, renders: list[str]) -> None:
    Site.load(project)
    path = project / "content" / "glossary.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "\n{{ chcklist('x') }}\n", encoding="utf-8")
    broken = Site.load(project)
    assert "glossary.md" not in broken.prerendered
    assert [error.file for error in broken.render_all()[1]] == ["content/glossary.md"]
    path.write_text(good, encoding="utf-8")
    renders.clear()
    fixed = Site.load(project)
    # The glossary's citations were missing from the broken load, so the dashboard (which lists them) changes too.
    assert set(renders) == {"glossary", "review"}
    assert_same_as_from_scratch(fixed, project)


@pytest.fixture
def units_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    real = Template.make_module

    def counting(self: Template, *args: object, **kwargs: object) -> object:
        if self.name == "macros/units_table.html":
            made.append(str(self.name))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Template, "make_module", counting)
    return made


# Two more pages show the voice units: content/realtime-voice-api-cost.md already does.
def show_voice_units_twice_more(project: Path) -> None:
    for page in ("calculator-method", "checklists"):
        edit_text(f"content/{page}.md", lambda text: text + "\n{{ units_table('voice') }}\n")(project)


def test_a_page_given_a_kept_render_renders_again_when_a_record_in_it_changes(
        project: Path, renders: list[str], units_renders: list[str]) -> None:
    show_voice_units_twice_more(project)
    Site.load(project)
    # Eight calls (the hub and the glossary show every unit; the three media guides theirs; two more pages the voice
    # units) and five renders: every unit on the hub, and on other pages; image, video and voice units once each.
    assert len(units_renders) == 5
    renders.clear()
    set_field(project, "units", "minute", "name", "Edited minute")
    site = Site.load(project)
    for page in ("realtime-voice-api-cost", "calculator-method", "checklists", "glossary", "index"):
        assert page in renders
        assert '<th data-label="Unit" scope="row">Edited minute</th>' in site.prerendered[f"{page}.md"][1].markdown
    assert_same_as_from_scratch(site, project)


def test_a_page_given_a_kept_render_keeps_its_render_when_nothing_it_shows_changes(
        project: Path, renders: list[str], units_renders: list[str]) -> None:
    show_voice_units_twice_more(project)
    edit = lambda root: set_field(root, "faqs", "webhooks-change-spend", "answer", "Rewritten answer.")
    assert pages_rendered_after(project, renders, edit) == {"video-generation-webhooks"}
