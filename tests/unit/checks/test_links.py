"""The link graph: each link traced to the line that wrote it, resolved against pages, anchors and files."""
from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from costhub.checks.site_checks import nav_ids, scan_pages, site_errors, static_files
from costhub.markup.htmlscan import element_ids, scan_html
from costhub.checks import links as links_module
from costhub.checks.links import PageLinks, check_links
from costhub.pages.page_links import Link
from costhub.pages.pagehtml import markdown_converter, page_ids, raw_html_ids
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parents[3]
GUIDES = ["image-generation-api-cost", "video-generation-api-pricing", "realtime-voice-api-cost",
          "failed-video-generation-cost", "billing-transparency", "video-generation-webhooks"]
SOURCE = """\
---
title: ignored
---
Intro with [a link](index.md#the-guides) and {{ "inline" }} [after a tag](checklists.md).

{{ faqs("index") }}

```markdown
[not a link](nope.md) {{ not_jinja }} <a href="nope/">
```

Then [second](calculator.md "title") and `[code](x.md)` and <https://example.org/a>.
<a href="../glossary/#unit-credit">raw</a>

[ref]: <billing-transparency.md>
"""


# The real site, loaded once.
@pytest.fixture(scope="module")
def site() -> Site:
    return Site.load(ROOT)


# A page for check_links with the given links (all written on line 3 of its file) and ids.
def page(page_id: str, *targets: str, ids: set[str] | None = None, markdown: bool = True) -> PageLinks:
    file = f"content/{page_id}.md"
    return PageLinks(page_id, file, tuple(Link(target, file, 3, markdown) for target in targets),
                     lambda: frozenset(ids or ()))


# A minimal linked site: the hub links to every guide, each guide back to the hub.
def linked_site(**extra: PageLinks) -> dict[str, PageLinks]:
    pages = {"index": page("index", *(f"{guide}.md" for guide in GUIDES), ids={"faq-a", "the-guides"})}
    pages.update({guide: page(guide, "index.md", ids={"step-1"}) for guide in GUIDES}, calculator=page("calculator"))
    pages.update(extra)
    return pages


# The messages check_links reports for pages (nav: every page given).
def problems(site: Site, pages: dict[str, PageLinks], nav: set[str] | None = None, allow: tuple[str, ...] = ()) -> list[str]:
    errors = check_links(pages, site.data, set(pages) if nav is None else nav, {"assets/logo.png", "review.json"}, allow)
    return [str(error) for error in errors]


def test_links_are_traced_to_the_lines_that_wrote_them(site: Site) -> None:
    rendered = site.render("glossary.md", SOURCE)
    links = [(link.target, link.line, link.markdown) for link in rendered.links]
    see_also = [f"../{target}/" for faq in site.data.all("faqs") if faq.page == "index" for target in faq.see_also or ()]
    assert see_also and [link for link in links if link[1] == 6] == [(target, 6, False) for target in see_also]
    assert [link for link in links if link[1] != 6] == [
        ("../glossary/#unit-credit", 13, False),
        ("index.md#the-guides", 4, True),
        ("checklists.md", 4, True),
        ("calculator.md", 12, True),
        ("billing-transparency.md", 15, True),
        ("https://example.org/a", 12, True),
    ]


def test_header_links_belong_to_the_catalog_entry(site: Site) -> None:
    rendered = site.render("billing-transparency.md", "Body\n")
    record = site.data.get("pages", "billing-transparency")
    assert [(link.target, link.file, link.line) for link in rendered.links] == [
        ("../", "data/pages.yml", record.line)]


def test_scan_reads_ids_links_and_nearest_ids_of_cited_records() -> None:
    scan = scan_html('<h2 id="top">T</h2>\n<section id="faq-a" data-record="faqs:a"><p data-record="units:x">'
                     '<img src="i.png"><br><a href="#top" name="legacy">x</a></p></section>\n'
                     '<div data-record="owners:o"><input></div>')
    assert scan.ids == {"top", "faq-a", "legacy"}
    assert [(href.target, href.offset) for href in scan.hrefs] == [("i.png", 86), ("#top", 107)]  # line 2 starts at 20
    assert scan.citations == (("faqs:a", "faq-a"), ("units:x", "faq-a"), ("owners:o", ""))


def test_element_ids_reads_quoted_ids_and_anchor_names_only() -> None:
    markup = ('<h2 ID="Top">T</h2><a class="x" name="legacy">x</a><input name="field" id=\'box\'>'
              '<span data-id="not-an-id">text</span><!-- <p id="commented"> -->'
              '<p id="">empty</p><h3 id="q&amp;a">Q</h3><A id="both" NAME="named">b</A>'
              '<a name="first-attribute">f</a><a\tname=\'after-a-tab\'>t</a><a data-name="not-a-name">d</a>'
              '<abbr name="not-an-anchor">a</abbr>')
    assert element_ids(markup) == {"Top", "legacy", "box", "q&a", "both", "named", "first-attribute", "after-a-tab"}
    assert element_ids(markup) == scan_html(markup).ids


@pytest.mark.parametrize(("markup", "ids"), [
    ('<p id="a">x</p><p\tid="b">y</p>\n<p\nid = \'c\'>z</p>', {"a", "b", "c"}),
    ('<p id="a">x</p><p ID="b">y</p>', {"a", "b"}),  # one id in capitals: every case is read
    ('<p Id="a"></p><p iD="b"></p><p valid="no" did="no" data-id="no"></p>', {"a", "b"}),
    ('<p valid="no" did="no" data-id="no" id=unquoted></p>', set()),
    ('id="at-the-start"<p\u00a0id="after-a-no-break-space"></p>', {"after-a-no-break-space"}),
    ('<p title=\' id="inside-a-value"\' id="x"></p>', {"inside-a-value", "x"}),
    ('<p id="a id=\'b\'"></p><p id="c ID=\'d\'"></p>', {"a id='b'", "c ID='d'"}),  # a match's own text is not read again
    ('<p id="one"id="two"></p>', {"one"}),  # no space before the second
])
def test_element_ids_read_an_id_attribute_in_any_case_after_any_space(markup: str, ids: set[str]) -> None:
    assert element_ids(markup) == ids
    assert element_ids(markup.replace("id=", "id =")) == {value.replace("id=", "id =") for value in ids}


def test_element_ids_equal_the_full_scan_on_every_built_page(site_build) -> None:
    for path in sorted(site_build.site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert element_ids(html) == scan_html(html).ids, path


def test_a_linked_site_has_no_problems(site: Site) -> None:
    assert problems(site, linked_site()) == []


@pytest.mark.parametrize(("target", "markdown", "message"), [
    ("index.md#faq-b", True, "content/glossary.md:3: broken anchor 'index.md#faq-b': content/index.md has no element "
                             "with id 'faq-b' (closest anchors there: #faq-a)"),
    ("#step-2", True, "content/glossary.md:3: broken anchor '#step-2': content/glossary.md has no element with id "
                      "'step-2' (closest anchors there: #step-1)"),
    ("billing-transparncy.md", True, "content/glossary.md:3: broken link 'billing-transparncy.md': there is no page "
                                     "content/billing-transparncy.md (did you mean 'billing-transparency.md'?)"),
    ("glossary/", True, "content/glossary.md:3: broken link 'glossary/': the site has no page or file 'glossary' "
                        "(link to a page's .md file, e.g. glossary.md)"),
    ("../billing-transparncy/", False, "content/glossary.md:3: broken link '../billing-transparncy/': there is no page at "
                                       "/billing-transparncy/ (did you mean 'billing-transparency/'?)"),
    ("../index.md", False, "content/glossary.md:3: broken link '../index.md': an HTML link is not rewritten by MkDocs, "
                           "so the .md file is not on the site (link to the page's address instead, such as ../index/)"),
    ("../calculator", False, "content/glossary.md:3: broken link '../calculator': a page address needs its trailing slash "
                             "(write ../calculator/ so it works on every host)"),
    ("../index/", False, "content/glossary.md:3: broken link '../index/': there is no page at /index/"),
    ("/calculator/", False, "content/glossary.md:3: absolute link '/calculator/' (use a relative link such as glossary.md, "
                            "so the site works under any path)"),
    ("", True, "content/glossary.md:3: empty link"),
    ("http://example.org/", True, "content/glossary.md:3: link 'http://example.org/': plain http:// is not allowed "
                                  "(use https://, or add an address prefix to links.http_allow in data/site.yml)"),
    ("javascript:alert(1)", False, "content/glossary.md:3: link 'javascript:alert(1)': javascript: URLs are not allowed "
                                   "(link to an https:// page instead)"),
])
def test_each_broken_link_is_reported_with_its_line(site: Site, target: str, markdown: bool, message: str) -> None:
    pages = linked_site(glossary=page("glossary", target, ids={"step-1"}, markdown=markdown))
    assert problems(site, pages) == [message]


@pytest.mark.parametrize(("target", "markdown"), [
    ("../", False), ("../#faq-a", False), ("../index.html", False), ("../calculator/index.html", False), ("./", False),
    ("calculator.md", True), ("../assets/logo.png", False), ("assets/logo.png", True), ("../review.json", False),
    ("#step-1", True), ("https://example.org/x?y=1#z", True), ("mailto:desk@example.org", True),
    ("http://127.0.0.1:8000/ok", True),
])
def test_good_links_resolve(site: Site, target: str, markdown: bool) -> None:
    pages = linked_site(glossary=page("glossary", target, ids={"step-1"}, markdown=markdown))
    assert problems(site, pages, allow=("http://127.0.0.1:8000/",)) == []


def test_the_hub_must_link_to_every_guide(site: Site) -> None:
    pages = linked_site()
    pages["index"] = page("index", *(f"{guide}.md" for guide in GUIDES[1:]))
    guide = site.data.get("pages", GUIDES[0])
    assert problems(site, pages) == [
        f"data/pages.yml:{guide.line}: {guide.path}: guide '{GUIDES[0]}' is not linked from the hub (content/index.md) "
        "(the hub lists every guide with guide_cards(); or link to the guide from the hub)"]


def test_a_link_with_a_broken_anchor_still_links_its_page(site: Site) -> None:
    pages = linked_site()
    pages["index"] = page("index", *(f"{guide}.md#gone" for guide in GUIDES))
    reported = problems(site, pages)
    assert len(reported) == len(GUIDES) and all("broken anchor" in message for message in reported)


def test_every_guide_must_link_back_to_the_hub(site: Site) -> None:
    pages = linked_site()
    pages[GUIDES[2]] = page(GUIDES[2], f"{GUIDES[3]}.md")
    assert problems(site, pages) == [f"content/{GUIDES[2]}.md:1: guide does not link back to the hub (link to index.md from the guide)"]


def test_a_page_outside_the_nav_needs_an_incoming_link(site: Site) -> None:
    pages = linked_site(notes=page("notes", "index.md"), linked=page("linked", "notes.md"))
    assert problems(site, pages, nav=set(pages) - {"notes", "linked"}) == [
        "content/linked.md:1: orphan page: it is not in the nav and no page links to it "
        "(add it to data/pages.yml (the nav is built from it) or link to it from another page)"]


def test_a_self_link_does_not_rescue_an_orphan(site: Site) -> None:
    pages = linked_site(notes=page("notes", "notes.md"))
    assert len(problems(site, pages, nav=set(pages) - {"notes"})) == 1


def test_pages_that_failed_to_render_get_no_anchor_checks(site: Site) -> None:
    pages = linked_site(glossary=page("glossary", "broken.md#anything"),
                        broken=PageLinks("broken", "content/broken.md", (), None))
    assert problems(site, pages) == []


def test_anchors_without_a_build_match_the_markdown_extensions(tmp_path: Path) -> None:
    convert = markdown_converter(ROOT)
    html = convert("# Title\n\n## Cost per second {#per-second}\n\n### Why it matters\n\n## Why it matters\n")
    assert scan_html(html).ids == {"title", "per-second", "why-it-matters", "why-it-matters_1"}
    (tmp_path / "mkdocs.yml").write_text("markdown_extensions:\n  - toc:\n      slugify: !!python/name:x.y\n  - attr_list\n")
    assert scan_html(markdown_converter(tmp_path)("## A b {#c}\n")).ids == {"c"}


def test_fast_anchors_equal_a_full_conversion_on_every_real_page(site: Site) -> None:
    convert = markdown_converter(ROOT)
    for src_uri, rendered in site.render_all()[0].items():
        assert page_ids(rendered.markdown, convert) == scan_html(convert(rendered.markdown)).ids, src_uri


def test_fast_anchors_equal_a_full_conversion_on_tricky_markup() -> None:
    convert = markdown_converter(ROOT)
    markdown = ("# Title\n\n<div class=\"card\" id='single-quoted'><a name=\"legacy\" href=\"#x\">x</a></div>\n\n"
                "```html\n<span id=\"in-a-fence\">no</span>\n```\n\nText with `<b id=\"in-code\">` inline.\n\n"
                "<!-- <p id=\"in-a-comment\"></p> -->\n\n<p data-id=\"not-an-id\" ID=\"upper\">A &amp; B</p>\n\n"
                "<p id=\"a&amp;b\"></p>\n\n## Repeated\n\n## Repeated\n")
    expected = {"title", "single-quoted", "legacy", "upper", "a&b", "repeated", "repeated_1"}
    assert scan_html(convert(markdown)).ids == expected
    assert page_ids(markdown, convert) == expected


def test_the_real_site_passes_every_link_check(site: Site) -> None:
    pages = scan_pages(site, site.render_all()[0])
    assert site_errors(site, pages, nav_ids(site), static_files(ROOT)) == []
    assert nav_ids(site) == set(site.data.ids("pages")) == set(pages)
    assert {"assets/stylesheets/costhub.css", "assets/javascripts/costhub-review.js", "review.json"} <= static_files(ROOT)


def test_a_pages_ids_are_found_only_when_an_anchor_points_into_it_and_then_once(site: Site) -> None:
    found: list[str] = []

    # A page whose ids note each time they are found.
    def counted(page_id: str, *targets: str, ids: set[str]) -> PageLinks:
        file = f"content/{page_id}.md"
        return PageLinks(page_id, file, tuple(Link(target, file, 3, True) for target in targets),
                         lambda: found.append(page_id) or frozenset(ids))

    pages = linked_site(glossary=counted("glossary", "calculator.md", ids={"terms"}),
                        checklists=counted("checklists", "notes.md#b", "notes.md#a", "notes.md#missing", ids=set()),
                        notes=counted("notes", ids={"a", "b"}))
    assert problems(site, pages) == [
        "content/checklists.md:3: broken anchor 'notes.md#missing': content/notes.md has no element with id 'missing' "
        "(check the heading text or the macro that makes the anchor)"]
    assert found == ["notes"]


def test_a_pages_heading_ids_are_found_only_for_an_anchor_its_raw_html_ids_lack(site: Site) -> None:
    found: list[str] = []

    # A page not built: raw-HTML ids first, heading ids (noted when found) only if those lack an anchor.
    def unbuilt(page_id: str, *targets: str, raw: set[str], headings: set[str]) -> PageLinks:
        file = f"content/{page_id}.md"
        return PageLinks(page_id, file, tuple(Link(target, file, 3, True) for target in targets),
                         lambda: frozenset(raw), lambda: found.append(page_id) or frozenset(headings))

    pages = linked_site(glossary=unbuilt("glossary", "notes.md#faq-a", "notes.md#faq-b", "terms.md#unit-cost",
                                         "terms.md#unit-costs", raw={"g"}, headings=set()),
                        notes=unbuilt("notes", raw={"faq-a", "faq-b"}, headings={"never-needed"}),
                        terms=unbuilt("terms", raw={"table-1"}, headings={"unit-cost", "retries"}))
    assert problems(site, pages) == [
        "content/glossary.md:3: broken anchor 'terms.md#unit-costs': content/terms.md has no element with id "
        "'unit-costs' (closest anchors there: #unit-cost)"]
    assert found == ["terms"]  # notes' anchors are all among its raw-HTML ids; terms' headings are found once


def test_a_check_whose_anchors_are_all_raw_html_ids_never_sets_up_markdown(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("markdown_extensions: [no_such_extension]\n", encoding="utf-8")
    convert = markdown_converter(tmp_path)  # nothing is read or set up yet, so the unknown extension is no error
    assert raw_html_ids("<div id=\"x\">\n\n```\n<b id=\"code\">\n```\n") == {"x"}
    with pytest.raises(Exception, match="no_such_extension"):
        convert("## Heading\n")


def test_extensions_made_from_their_modules_are_those_python_markdown_finds_by_name(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "markdown_extensions:\n  - admonition\n  - attr_list\n  - toc:\n      permalink: '#'\n      toc_depth: 3\n"
        "  - pymdownx.superfences\n  - markdown.extensions.abbr:AbbrExtension\n  - markdown.extensions.def_list\n",
        encoding="utf-8")
    text = "# T\n\n*[HTML]: Hyper\n\nHTML here\n\nTerm\n: Defined\n\n!!! note\n    Body\n\n## Deep {#deep}\n"
    ours = markdown_converter(tmp_path)
    by_name = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "admonition", "attr_list",
                                            "pymdownx.superfences",
                                            "markdown.extensions.abbr:AbbrExtension", "markdown.extensions.def_list"],
                                extension_configs={"toc": {"permalink": "#", "toc_depth": 3}})
    assert ours(text) == by_name.convert(text)
    assert '<a class="headerlink" href="#deep"' in ours(text) and "<abbr" in ours(text) and "<dl>" in ours(text)


def test_a_citation_made_on_many_pages_is_held_once() -> None:
    first = scan_html('<section id="faq"><p data-record="faqs:retry-cost">A</p></section>').citations
    second = scan_html('<div>\n<section id="faq">\n<span data-record="faqs:retry-cost">B</span>\n</section></div>').citations
    other = scan_html('<p id="x" data-record="faqs:retry-cost">C</p>').citations
    assert first == second == (("faqs:retry-cost", "faq"),) and other == (("faqs:retry-cost", "x"),)
    assert first[0] is second[0] and first[0][0] is other[0][0]


# The problems of a site whose calculator page links to the hub's anchors, a missing page and a plain http:// URL.
def calculator_links(**extra: PageLinks) -> dict[str, PageLinks]:
    return linked_site(calculator=page("calculator", "index.md#the-guides", "index.md#gone", "nope.md",
                                       "http://example.org/x"), **extra)


def test_kept_resolutions_give_the_same_problems_and_anchors_are_looked_for_each_time(
        site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(links_module, "_KEPT", None)
    links_module.keep_link_resolutions()
    kept = links_module._KEPT
    links_module.keep_link_resolutions()  # a second call keeps what is kept
    assert links_module._KEPT is kept
    resolved: list[str] = []
    real = links_module._resolve
    monkeypatch.setattr(links_module, "_resolve", lambda link, *rest: resolved.append(link.target) or real(link, *rest))
    first = problems(site, calculator_links())
    # 6 guides link to index.md (one resolution each: the page differs), the hub to each guide, the calculator 4 times.
    assert len(resolved) == 6 + 6 + 4
    assert [message.split(": ", 1)[0] for message in first] == ["content/calculator.md:3"] * 3
    assert "broken anchor 'index.md#gone': content/index.md has no element with id 'gone'" in first[0]
    assert "broken link 'nope.md': there is no page content/nope.md" in first[1]
    assert "link 'http://example.org/x': plain http:// is not allowed" in first[2]
    resolved.clear()
    assert problems(site, calculator_links()) == first and resolved == []
    # The hub's ids change: nothing is resolved again, but the anchor is looked for in the new ids.
    index = page("index", *(f"{guide}.md" for guide in GUIDES), ids={"faq-a", "the-guides", "gone"})
    assert problems(site, calculator_links(index=index)) == first[1:] and resolved == []
    # A page goes: every link is resolved again against the pages left.
    pages = calculator_links()
    del pages[GUIDES[0]]
    gone = problems(site, pages)
    assert len(resolved) == 5 + 6 + 4
    assert any(f"broken link '{GUIDES[0]}.md': there is no page content/{GUIDES[0]}.md" in message for message in gone)


def test_without_kept_resolutions_each_check_resolves_every_link(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(links_module, "_KEPT", None)
    resolved: list[str] = []
    real = links_module._resolve
    monkeypatch.setattr(links_module, "_resolve", lambda link, *rest: resolved.append(link.target) or real(link, *rest))
    assert problems(site, calculator_links()) == problems(site, calculator_links())
    assert len(resolved) == 2 * (6 + 6 + 4)
