"""Page rendering: macros, escaping, shielded code and errors that name the page line."""
from __future__ import annotations

from pathlib import Path

import pytest

from costhub.errors import ContentErrors
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.load(ROOT)


# Render a hub-page body and return the single error message it raises.
def error_of(site: Site, source: str) -> str:
    with pytest.raises(ContentErrors) as caught:
        site.render_page("index.md", source)
    assert len(caught.value.errors) == 1
    return str(caught.value.errors[0])


def test_macro_output_comes_from_data(site: Site) -> None:
    html = site.render_page("index.md", "Intro\n\n{{ checklist('hub-cost-review') }}\n")
    for item in site.data.get("checklists", "hub-cost-review")["items"]:
        assert f'data-item="{item.id}"' in html
    assert "\n\n<section" in html and "\n\n" not in html.split("<section", 1)[1]


def test_title_comes_from_catalog_as_an_escaped_heading(site: Site) -> None:
    assert site.render_page("index.md", "Body\n").startswith('<h1 id="media-api-cost-review">Media API cost review</h1>\n')


def test_fenced_and_inline_code_are_left_alone(site: Site) -> None:
    source = "Use `{{ faqs() }}` like this:\n\n```jinja\n{{ checklist('x') }}\n{% if %}\n```\n\n~~~\n{{ 7*7 }}\n~~~\n"
    rendered = site.render_page("index.md", source)
    assert rendered.endswith(source)


def test_unknown_macro_names_line_and_suggests(site: Site) -> None:
    message = error_of(site, "Intro\n\nMore\n{{ chcklist('hub-cost-review') }}\n")
    assert message == "content/index.md:4: unknown macro or name 'chcklist' (did you mean 'checklist'?)"


def test_bad_macro_argument_names_line_of_call(site: Site) -> None:
    message = error_of(site, "Intro\n\n{{ checklist('hub-cost-reveiw') }}\n")
    assert message.startswith("content/index.md:3: template error: no checklists record with id 'hub-cost-reveiw'")
    assert "did you mean 'hub-cost-review'?" in message


def test_syntax_error_line_counts_front_matter(site: Site) -> None:
    message = error_of(site, "---\ntitle: x\n---\nIntro\n\n{{ faqs( }}\n")
    assert message.startswith("content/index.md:6: template error:")


def test_sandbox_blocks_python_internals(site: Site) -> None:
    message = error_of(site, "{{ ''.__class__.__mro__ }}\n")
    assert message.startswith("content/index.md:1: template error:")


def test_page_missing_from_catalog_is_an_error(site: Site) -> None:
    with pytest.raises(ContentErrors) as caught:
        site.render_page("pricing-notes.md", "Body\n")
    assert str(caught.value.errors[0]) == ("content/pricing-notes.md:1: page is not in the page catalog "
                                           "(add an entry with id 'pricing-notes' to data/pages.yml; "
                                           "`costhub new guide pricing-notes --title ... --owner ...` writes one)")


def test_a_page_holds_its_header_once_inside_its_markdown(site: Site) -> None:
    source = (ROOT / "content" / "glossary.md").read_text(encoding="utf-8")
    page = site.render("glossary.md", source)
    heading = '<h1 id="glossary-of-billing-units-and-terms">Glossary of billing units and terms</h1>\n\n'
    assert page.markdown.startswith(heading) and page.header_start == len(heading)
    assert page.markdown == heading + page.header + "\n\n" + page.body
    assert page.header.startswith("<") and page.header.endswith(">") and "\n\n" not in page.header
    assert page.body_start == len(heading) + len(page.header) + 2


def test_page_code_keeps_the_most_recently_used_bodies(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from costhub.pages import render as render_module
    monkeypatch.setattr(render_module, "PAGE_CODE_LIMIT", 2)
    monkeypatch.setattr(render_module, "_PAGE_CODE", {})
    compiles: list[str] = []
    real = site.renderer.env.compile
    monkeypatch.setattr(site.renderer.env, "compile", lambda tree, **kw: compiles.append(kw["name"]) or real(tree, **kw))
    for body in ("A {{ 1 }}", "B {{ 2 }}", "A {{ 1 }}", "C {{ 3 }}", "A {{ 1 }}", "B {{ 2 }}"):
        site.renderer._compiled(body, f"content/{body[0]}.md")
    # a, b compiled; a used again (b is now the oldest); c pushes b out; a kept; b compiled again, pushing c out.
    assert compiles == ["content/A.md", "content/B.md", "content/C.md", "content/B.md"]
    assert [name for name, _body in render_module._PAGE_CODE] == ["content/A.md", "content/B.md"]
