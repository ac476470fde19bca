"""Plain page bodies (texts and macro calls with quoted-string or list arguments) are read without compiling a
template, and render exactly as Jinja renders them: the same Markdown, reads, citations, links and errors. Anything
else is left to Jinja."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from costhub.errors import ContentErrors
from costhub.pages import render as render_module
from costhub.pages.plain_calls import MacroCall, PlainBody, plain_body
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parents[3]
MACROS = {"faqs", "checklist", "units_table", "provider_examples", "none", "self"}


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.load(ROOT)


def test_texts_and_calls_are_read_with_their_lines() -> None:
    body = 'Intro.\n\n{{ checklist("video-pricing") }}\n\nMore {{faqs()}} end.\n'
    assert plain_body(body, MACROS) == PlainBody(
        ("Intro.\n\n", "\n\nMore ", " end.\n"),
        (MacroCall("checklist", ("video-pricing",), (), 3), MacroCall("faqs", (), (), 5)))


def test_keyword_lists_quotes_and_spacing_are_read() -> None:
    body = """{{  provider_examples( "a" ,  topics = [ "failures", 'bal"ance' ] , media='' ) }}"""
    assert plain_body(body, MACROS) == PlainBody(
        ("", ""), (MacroCall("provider_examples", ("a",), (("topics", ("failures", 'bal"ance')), ("media", "")), 1),))


def test_a_string_may_hold_braces_and_a_body_without_calls_is_one_text() -> None:
    assert plain_body('{{ checklist("}}{{%") }}', MACROS) == PlainBody(("", ""), (MacroCall("checklist", ("}}{{%",), (), 1),))
    assert plain_body("Just { text } with % and # and }}.\n", MACROS) == PlainBody(("Just { text } with % and # and }}.\n",), ())
    assert plain_body("", MACROS) == PlainBody(("",), ())


@pytest.mark.parametrize("body", [
    "{% if x %}a{% endif %}", "{# note #}", "{{ faqs() | safe }}", "{{ faqs(1) }}", '{{ checklist("a\\nb") }}',
    "{{- faqs() }}", "{{ faqs() -}}", "{{ faqs }}", "{{ nosuch() }}", "{{ none() }}", "{{ self() }}",
    '{{ checklist(a="1", "2") }}', '{{ checklist(a="1", a="2") }}', '{{ checklist(for="x") }}', "{{{ faqs() }}",
    "{{ faqs() }}}", "a\r\nb", "{{ faqs(\n) }}", '{{ checklist("a",) }}', "{{ faqs() }} and {{ x }}",
    '{{ checklist(["a", 1]) }}', "{{ faqs()}} {% raw %}", '{{ checklist("a" "b") }}', "{{ faqs.x() }}",
    '{{ checklist(x=["a",]) }}', "{{ faqs() }}{#", "{{ faqs ( ) ( ) }}", "{{ faqs() }}{{",
])
def test_anything_else_is_left_to_jinja(body: str) -> None:
    assert plain_body(body, MACROS) is None


TEXTS = ["Intro.", "\n", "\n\n", "  ", "\t", "{", "}", "{ x }", "%}", "#}", "}}", "{x", "a{", "}b", "é 😀", "`{{ faqs() }}`",
         "```\n{% if %}\n```\n", "<div id=\"box\">", "</div>", "[hub](index.md)", "[x](glossary.md#nowhere)", "50 % off", "#"]
CALLS = ["{{ faqs() }}", "{{faqs()}}", "{{ checklist('hub-cost-review') }}", '{{ checklist( "hub-cost-review" ) }}',
         '{{ units_table("video") }}', '{{ provider_examples(topics=["failures", "balance"]) }}',
         '{{ provider_examples(media="voice") }}', '{{ provider_examples(topics=[]) }}', '{{ checklist("hub-cost-reveiw") }}',
         '{{ units_table(kind="x") }}', '{{ units_table("a", "b", "c", "d", "e") }}', "{{ faqs() | length }}",
         '{{ failure_modes(ids=["polling-overhead", "client-timeout"]) }}', '{{ checklist("}}") }}', "{{ glossary() }}",
         "{{ chcklist('hub-cost-review') }}", "{{- faqs() }}", "{# a comment #}", '{{ cost_drivers("voice") }}',
         '{{ provider_examples(media="nope") }}', "{{ cta() }}", "{{ faqs('x', 'y', 'z', 'w') }}"]


# What rendering a hub body gives: its Markdown, reads (in any order: a macro render kept from an earlier page
# replays its reads together), citations and links, or its error messages.
def outcome(site: Site, body: str) -> object:
    try:
        page = site.render("index.md", body)
    except ContentErrors as exc:
        return [str(error) for error in exc.errors]
    return page.markdown, sorted(map(repr, page.body_reads)), page.citations, tuple(page.links)


def test_random_bodies_render_as_jinja_renders_them(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    chooser = random.Random(20261201)
    bodies = ["".join(chooser.choice(CALLS if chooser.random() < 0.4 else TEXTS) for _ in range(chooser.randint(1, 9)))
              for _ in range(250)]
    plain = [plain_body(render_module.shield_code(body)[0], site.renderer.macro_names) is not None for body in bodies]
    assert 60 < sum(plain) < 240  # both paths are exercised
    fast = [outcome(site, body) for body in bodies]
    monkeypatch.setattr(render_module, "plain_body", lambda body, macros: None)
    compiled = [outcome(site, body) for body in bodies]
    for body, mine, jinja in zip(bodies, fast, compiled):
        assert mine == jinja, body


def test_every_shipped_page_is_read_as_plain_calls() -> None:
    macros = sorted(path.stem for path in (ROOT / "overrides/macros").glob("*.html"))
    for path in sorted((ROOT / "content").glob("*.md")):
        assert plain_body(render_module.shield_code(path.read_text(encoding="utf-8"))[0], macros) is not None, path.name


def test_a_failing_call_names_its_own_line_counting_the_front_matter(site: Site) -> None:
    with pytest.raises(ContentErrors) as caught:
        site.render("index.md", "---\ntitle: x\n---\nIntro\n\n{{ faqs() }}\n\n{{ checklist('hub-cost-reveiw') }}\n")
    assert str(caught.value.errors[0]).startswith("content/index.md:8: template error: no checklists record with id "
                                                  "'hub-cost-reveiw'")


def test_long_runs_of_blanks_are_read_one_way() -> None:
    # Each run of blanks sits where only one part of the pattern can read it, so a long one costs one pass.
    blanks = " " * 200_000
    assert plain_body("{{ checklist([" + blanks, MACROS) is None
    assert plain_body("{{ checklist(" + blanks, MACROS) is None
    assert plain_body(f"{{{{ checklist({blanks}\"a\"{blanks}) }}}}", MACROS).calls == (MacroCall("checklist", ("a",), (), 1),)
    assert plain_body(f'{{{{ checklist(["a"{blanks},{blanks}"b"{blanks}]) }}}}', MACROS).calls == (
        MacroCall("checklist", (("a", "b"),), (), 1),)
    assert plain_body(f"{{{{ checklist([{blanks}]) }}}}", MACROS).calls == (MacroCall("checklist", ((),), (), 1),)
