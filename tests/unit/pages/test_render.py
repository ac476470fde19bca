"""Page rendering: macros, escaping, shielded code, errors that name the page line, and the sandbox's attribute
checks (kept per type and name, watched values judged by what they wrap, the read log's bookkeeping out of reach)."""
from __future__ import annotations

from pathlib import Path

import pytest

from costhub.errors import ContentErrors
from costhub.pages.reads import Watched
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


def test_a_syntax_error_in_a_macro_template_names_that_template_and_line(project: Path) -> None:
    (project / "overrides" / "macros" / "glossary.html").write_text(
        "{% macro glossary() %}\n<dl>\n{% for term in %}\n{% endfor %}\n</dl>\n{% endmacro %}\n", encoding="utf-8")
    source = (project / "content" / "glossary.md").read_text(encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        Site.load(project).render_page("glossary.md", source)
    assert [str(error) for error in caught.value.errors] == [
        "overrides/macros/glossary.html:3: template error: Expected an expression, got 'end of statement block' "
        "(used by content/glossary.md)"]


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


# What a hub-page body renders to, after the page's title and header.
def body_of(site: Site, source: str) -> str:
    return site.render("index.md", source).body


def test_a_verdict_kept_for_one_type_is_not_given_to_another(site: Site) -> None:
    env = site.renderer.env
    assert env.is_safe_attribute((1, 2), "pop", None)  # a tuple has no pop to refuse
    assert not env.is_safe_attribute([1, 2], "pop", None)
    assert not env.is_safe_attribute({}, "pop", None)
    assert env.is_safe_attribute({}, "keys", None)
    assert not env.is_safe_attribute((1, 2), "_private", None)
    assert not env.is_safe_attribute((1, 2), "__class__", None)


def test_a_watched_value_is_judged_by_the_value_it_wraps(site: Site) -> None:
    env = site.renderer.env
    mutable = Watched("mutable", {"a": 1}, site.renderer.reads)
    frozen = Watched("frozen", (1, 2), site.renderer.reads)
    assert [env.is_safe_attribute(mutable, name, None) for name in ("clear", "update", "pop", "setdefault", "keys")] \
        == [False, False, False, False, True]
    assert env.is_safe_attribute(frozen, "count", None)
    assert not env.is_safe_attribute(frozen, "_value", None)


@pytest.mark.parametrize("call", ["calculators.clear()", "comparisons.update({})", "calculators.pop('video')",
                                  "calculators.setdefault('x', 1)"])
def test_a_page_cannot_change_the_calculators_or_comparisons(site: Site, call: str) -> None:
    before = dict(site.calculators)
    name = call.split(".")[1].split("(")[0]
    message = error_of(site, f"{{{{ {call} }}}}\n")
    assert message.startswith("content/index.md:1: template error:")
    assert f"access to attribute '{name}' of 'Watched' object is unsafe" in message
    assert site.calculators == before and "video" in site.calculators


@pytest.mark.parametrize("source", ["{{ data.take() }}", "{{ data.note('drop_marks') }}", "{{ data.drop_marks() }}",
                                    "{{ data.note_untracked() }}", "{{ data['take'] }}", "{{ data|attr('note') }}"])
def test_a_page_cannot_reach_the_read_logs_bookkeeping(site: Site, source: str) -> None:
    message = error_of(site, source + "\n")
    assert message.startswith("content/index.md:1: template error:")
    assert "of 'ReadLog' object is unsafe" in message


def test_the_lookups_a_page_may_make_still_work(site: Site) -> None:
    count = len(site.data.all("faqs"))
    assert body_of(site, "{{ data.all('faqs') | length }} {{ calculators.keys() | list | length }}\n") \
        == f"{count} {len(site.calculators)}\n"


def test_a_records_missing_field_reads_as_none_and_its_internals_stay_refused(site: Site) -> None:
    assert body_of(site, "{{ site.no_such_field is none }} {{ site.name }}\n") == \
        f"True {site.data.settings.site.name}\n"
    assert "access to attribute '_values' of 'Record' object is unsafe" in error_of(site, "{{ site._values }}\n")
    assert "access to attribute '_anything' of 'Record' object is unsafe" in error_of(site, "{{ site._anything }}\n")


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
