"""Macro output kept for a load: a call another page makes again is rendered once and gives the same HTML and reads,
while anything that depends on the page (its id or record, url_for and is_page answers, a caller, state a template
keeps between calls, a failure and its line) stays the page's own."""
from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.environment import Template
from markupsafe import Markup

from conftest import copy_project
from costhub.errors import ContentErrors
from costhub.pages.memo import Kept, MacroMemo, call_key, shareable
from costhub.pages.site import Site

# Macros and components of our own, added to a copy of the project.
TEMPLATES = {
    "macros/echo.html": "{% macro echo(value=none) %}<p>{{ value }}</p>{% endmacro %}\n",
    "macros/who.html": "{% macro who() %}<p>{{ page_id }}</p>{% endmacro %}\n",
    "macros/title_via.html": ('{% import "components/title_of_page.html" as parts with context %}\n'
                              "{% macro title_via() %}{{ parts.title() }}{% endmacro %}\n"),
    "components/title_of_page.html": "{% macro title() %}<p>{{ page.title }}</p>{% endmacro %}\n",
    "macros/counter.html": ("{% set seen = namespace(calls=0) %}\n"
                            "{% macro counter() %}{% set seen.calls = seen.calls + 1 %}<p>{{ seen.calls }}</p>"
                            "{% endmacro %}\n"),
    "macros/rows.html": ("{% set parity = cycler('odd', 'even') %}\n"
                         "{% macro rows() %}<p>{{ parity.next() }}</p>{% endmacro %}\n"),
    "macros/glossary_link.html": ('{% macro glossary_link() %}<a href="{{ url_for("glossary") }}">g</a>'
                                  "{% endmacro %}\n"),
    "macros/wrapped.html": "{% macro wrapped() %}<div>{{ caller() }}</div>{% endmacro %}\n",
    "macros/dead_branch.html": ("{% macro dead_branch() %}{% if false %}{{ page_id }}{% endif %}<p>x</p>"
                                "{% endmacro %}\n"),
    "macros/page_default.html": "{% macro page_default(title=page.title) %}<p>{{ title }}</p>{% endmacro %}\n",
    "macros/dynamic.html": "{% macro dynamic(name) %}{% include name %}{% endmacro %}\n",
    "macros/loop_a.html": '{% import "macros/loop_b.html" as b %}{% macro loop_a() %}<p>a</p>{% endmacro %}\n',
    "macros/loop_b.html": '{% import "macros/loop_a.html" as a %}{% macro loop_b() %}<p>b</p>{% endmacro %}\n',
}
GUIDE = "video-generation-webhooks.md"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    project = copy_project(tmp_path_factory.mktemp("memo") / "project")
    for name, text in TEMPLATES.items():
        (project / "overrides" / name).write_text(text, encoding="utf-8")
    return Site.load(project)


@pytest.fixture
def macro_renders(site: Site, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(site.renderer, "memo", MacroMemo())  # nothing kept from earlier tests
    made: list[str] = []
    real = Template.make_module

    def counting(self: Template, *args: object, **kwargs: object) -> object:
        made.append(str(self.name))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Template, "make_module", counting)
    return made


# The rendered body of a page given this source.
def body(site: Site, src_uri: str, source: str) -> str:
    return site.render(src_uri, source).body


# The one error a page given this source raises.
def error_of(site: Site, src_uri: str, source: str) -> str:
    with pytest.raises(ContentErrors) as caught:
        site.render(src_uri, source)
    assert len(caught.value.errors) == 1
    return str(caught.value.errors[0])


def test_a_repeated_call_renders_once_per_page_kind_and_replays_its_reads(site: Site, macro_renders: list[str]) -> None:
    source = "Units\n\n{{ units_table('video') }}\n"
    glossary, hub, guide = (site.render(src, source) for src in ("glossary.md", "index.md", GUIDE))
    # The glossary renders it; the hub's table differs (only the hub puts it into the search index); the guide
    # gets the glossary's.
    assert macro_renders.count("macros/units_table.html") == 2
    assert guide.body == glossary.body != hub.body
    assert "data-search-exclude" in guide.body and "data-search-exclude" not in hub.body
    # The units typical for video in data/units.yml, in file order.
    rows = [part.split('"')[0] for part in guide.body.split('data-record="units:')[1:]]
    assert rows == ["credit", "second", "image", "video", "async-task"]
    assert any(read[:2] == ("where", ("units", "typical_for", "video")) for read in guide.body_reads)
    assert {read[:2] for read in guide.body_reads} == {read[:2] for read in glossary.body_reads}


def test_watched_reads_are_replayed_too(site: Site, macro_renders: list[str]) -> None:
    source = "{{ provider_examples(media='video') }}\n"
    first, second = site.render("glossary.md", source), site.render(GUIDE, source)
    assert macro_renders.count("macros/provider_examples.html") == 1
    assert ("watched", ("catalog",)) in {read[:2] for read in second.body_reads}
    assert first.body == second.body


def test_url_for_answers_decide_which_render_a_page_gets(site: Site, macro_renders: list[str]) -> None:
    source = "{{ glossary_link() }}\n"
    bodies = [body(site, src, source) for src in (GUIDE, "index.md", "checklists.md", "calculator.md")]
    # Pages live at /<id>/ and the hub at /: from the hub the glossary is glossary/, from any other page ../glossary/.
    assert bodies == ['<a href="../glossary/">g</a>\n', '<a href="glossary/">g</a>\n',
                      '<a href="../glossary/">g</a>\n', '<a href="../glossary/">g</a>\n']
    assert macro_renders.count("macros/glossary_link.html") == 2


@pytest.mark.parametrize(("source", "expected"), [
    ("{{ echo(1) }}{{ echo(True) }}{{ echo(1.0) }}{{ echo('1') }}", "<p>1</p><p>True</p><p>1.0</p><p>1</p>"),
    ("{{ echo(0.0) }}{{ echo(-0.0) }}{{ echo() }}{{ echo(none) }}", "<p>0.0</p><p>-0.0</p><p>None</p><p>None</p>"),
    ("{{ echo([1, '1']) }}{{ echo((1, '1')) }}", "<p>[1, &#39;1&#39;]</p><p>(1, &#39;1&#39;)</p>"),
    ("{{ echo('<b>') }}{{ echo('<b>' | safe) }}", "<p>&lt;b&gt;</p><p><b></p>"),
])
def test_odd_arguments_are_told_apart(site: Site, macro_renders: list[str], source: str, expected: str) -> None:
    assert body(site, "glossary.md", source + "\n") == expected + "\n"
    assert body(site, GUIDE, source + "\n") == expected + "\n"


def test_what_depends_on_the_page_stays_the_pages(site: Site, macro_renders: list[str]) -> None:
    pages = {"glossary.md": "Glossary of billing units and terms",
             GUIDE: "Video generation webhooks: callbacks, polling and request ids"}
    for src_uri, title in pages.items():
        page_id = src_uri.removesuffix(".md")
        assert body(site, src_uri, "{{ who() }}\n") == f"<p>{page_id}</p>\n"
        assert body(site, src_uri, "{{ title_via() }}\n") == f"<p>{title}</p>\n"
        assert body(site, src_uri, "{{ page_default() }}\n") == f"<p>{title}</p>\n"
        # A namespace outside the macro counts the page's calls, as it did before any render was kept.
        assert body(site, src_uri, "{{ counter() }}{{ counter() }}{{ counter() }}\n") == "<p>1</p><p>2</p><p>3</p>\n"
        assert body(site, src_uri, "{{ rows() }}{{ rows() }}{{ rows() }}\n") == "<p>odd</p><p>even</p><p>odd</p>\n"
        # (the closing tag takes the newline after it)
        assert body(site, src_uri, f"{{% call wrapped() %}}{page_id}{{% endcall %}}\n") == f"<div>{page_id}</div>"


def test_a_failing_call_fails_on_every_page_at_its_own_line(site: Site, macro_renders: list[str]) -> None:
    assert error_of(site, "glossary.md", "A\n\n{{ units_table(1) }}\n") == \
        "content/glossary.md:3: template error: units_table(): no billing unit is typical for 1"
    assert error_of(site, GUIDE, "A\n\nB\n\nC\n{{ units_table(1) }}\n") == \
        f"content/{GUIDE}:6: template error: units_table(): no billing unit is typical for 1"
    assert macro_renders.count("macros/units_table.html") == 2
    # An undefined argument is no key: the call renders, and fails where the page's call is.
    assert error_of(site, GUIDE, "x\n{{ units_table(nosuch) }}\n").startswith(
        f"content/{GUIDE}:2: unknown macro or name 'nosuch'")
    # A bad argument of another type fails with its own text, and a good call still renders after them.
    assert error_of(site, GUIDE, "{{ units_table(True) }}\n").endswith("no billing unit is typical for True")
    assert 'data-record="units:megapixel"' in body(site, GUIDE, "{{ units_table('image') }}\n")


@pytest.mark.parametrize(("name", "expected"), [
    ("units_table", True), ("provider_examples", True), ("glossary", True), ("cta", True), ("echo", True),
    ("glossary_link", True), ("loop_a", True),
    ("faqs", False), ("guide_intro", False), ("who", False), ("title_via", False), ("counter", False), ("rows", False),
    ("dead_branch", False), ("page_default", False), ("dynamic", False),
])
def test_which_macros_may_be_kept(site: Site, name: str, expected: bool) -> None:
    env = site.renderer.env
    assert shareable(env.get_template(f"macros/{name}.html"), env.get_template) is expected


def test_call_keys_tell_types_and_forms_apart() -> None:
    keys = [call_key("m", args, kwargs) for args, kwargs in [
        ((1,), {}), ((True,), {}), ((1.0,), {}), (("1",), {}), ((0.0,), {}), ((-0.0,), {}), ((), {"value": 1}),
        (([1],), {}), (((1,),), {}), ((None,), {})]]
    assert None not in keys and len(set(keys)) == len(keys)
    assert call_key("m", ("a",), {}) == call_key("m", ("a",), {}) != call_key("n", ("a",), {})
    for odd in (Markup("a"), [[1]], {"a": 1}, object(), len):
        assert call_key("m", (odd,), {}) is None
        assert call_key("m", (), {"value": odd}) is None


@pytest.mark.parametrize("source", ["{{ data.capture(none) }}", "{{ data.replay(()) }}", "{{ data|attr('capture') }}"])
def test_a_page_cannot_reach_the_capture(site: Site, source: str) -> None:
    message = error_of(site, "index.md", source + "\n")
    assert message.startswith("content/index.md:1: template error:") and "of 'ReadLog' object is unsafe" in message


def test_a_load_lets_go_of_its_kept_renders_once_every_page_is_rendered(site: Site) -> None:
    loaded = Site._load(site.root, site.review.today, None)
    # content/video-generation-api-pricing.md calls units_table("video"): the load rendered it, then forgot it.
    assert "units_table(\"video\")" in (site.root / "content" / "video-generation-api-pricing.md").read_text()
    assert loaded.renderer.memo.find(call_key("units_table", ("video",), {}), lambda kept: True) is None
    assert 'data-record="units:async-task"' in loaded.prerendered["video-generation-api-pricing.md"][1].markdown


def test_the_memo_lets_the_least_recently_used_call_go() -> None:
    memo = MacroMemo(max_calls=2)
    renders = {name: Kept(Markup(f"<p>{name}</p>"), (), ()) for name in "abc"}
    memo.keep(("a",), renders["a"])
    memo.keep(("b",), renders["b"])
    assert memo.find(("a",), lambda kept: True) is renders["a"]  # a is now used after b
    memo.keep(("c",), renders["c"])  # a third call: b, used least recently, goes
    assert memo.find(("b",), lambda kept: True) is None
    assert memo.find(("a",), lambda kept: True) is renders["a"]
    assert memo.find(("c",), lambda kept: True) is renders["c"]
    memo.keep(("a",), Kept(Markup("<p>a again</p>"), (), (("url_for", ("x",), "../x/"),)))  # a second variant of a
    assert memo.find(("c",), lambda kept: True) is renders["c"]
    assert memo.find(("a",), lambda kept: bool(kept.answers)).html == "<p>a again</p>"


def test_a_render_longer_than_64_kib_is_not_kept() -> None:
    memo = MacroMemo()
    memo.keep(("long",), Kept(Markup("x" * (64 * 1024 + 1)), (), ()))
    memo.keep(("edge",), Kept(Markup("x" * (64 * 1024)), (), ()))
    assert memo.find(("long",), lambda kept: True) is None
    assert len(memo.find(("edge",), lambda kept: True).html) == 65536
