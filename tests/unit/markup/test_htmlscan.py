"""The tag scan on tricky markup: attribute names in any case and quoting, ">" and look-alike attributes inside
quoted values, names that only contain the words the scan reads, comments, entities, unclosed and stray tags."""
from __future__ import annotations

import pytest

from costhub.markup import htmlscan
from costhub.markup.htmlscan import scan_html, tag_attributes


# (target, 1-based line, 0-based column) of every link a scan found, from the offset of its tag.
def _hrefs(markup: str) -> list[tuple[str, int, int]]:
    return [(href.target, markup.count("\n", 0, href.offset) + 1, href.offset - (markup.rfind("\n", 0, href.offset) + 1))
            for href in scan_html(markup).hrefs]


def test_attribute_names_in_any_case_and_any_quoting_are_read() -> None:
    scan = scan_html("<DIV ID='Box' Data-Record=\"faqs:one\"><SPAN data-record=units:two></SPAN></DIV>"
                     "<A NAME=legacy HREF='/x'>a</A>")
    assert scan.ids == {"Box", "legacy"}
    assert scan.citations == (("faqs:one", "Box"), ("units:two", "Box"))
    assert _hrefs("<A NAME=legacy HREF='/x'>a</A>") == [("/x", 1, 0)]


def test_a_quoted_value_may_hold_a_greater_than_sign_or_text_that_looks_like_attributes() -> None:
    markup = '<a title="a > b" href="/x">t</a><p title=\'id="fake" href="/no"\'>p</p>'
    scan = scan_html(markup)
    assert scan.ids == frozenset()
    assert _hrefs(markup) == [("/x", 1, 0)]


def test_names_that_only_contain_the_words_read_are_other_attributes() -> None:
    markup = ('<span data-id="no" xid="no" idx="no" hidden class="grid" aria-hidden="true" width="1">s</span>'
              '<img data-src="/lazy.png" SRC="/real.png"><div src="/not-an-image" data-href="/no"></div>'
              '<span name="field"></span><p data-records="pages:no"></p>')
    scan = scan_html(markup)
    assert scan.ids == frozenset()
    assert [href.target for href in scan.hrefs] == ["/real.png"]
    assert scan.citations == ()


def test_comments_hide_their_tags_and_keep_the_lines_after_them() -> None:
    markup = '<p>x</p><!--\n<img src="/gone.png" id="c">\n--><img src="/kept.png">\n<!-- <a href="/hidden"> -->'
    scan = scan_html(markup)
    assert scan.ids == frozenset()
    assert _hrefs(markup) == [("/kept.png", 3, 3)]


def test_entities_in_values_are_decoded() -> None:
    scan = scan_html('<a href="/a?x=1&amp;y=2" id="q&#38;a">a</a>')
    assert scan.ids == {"q&a"}
    assert [href.target for href in scan.hrefs] == ["/a?x=1&y=2"]


def test_an_end_tag_closes_what_it_encloses_and_a_stray_one_is_ignored() -> None:
    scan = scan_html('<section id="s"><div><p data-record="a:1"></section><li data-record="a:2"></li></b>'
                     '<ul id="u"><li data-record="a:3">')
    assert scan.ids == {"s", "u"}
    assert scan.citations == (("a:1", "s"), ("a:2", ""), ("a:3", "u"))


def test_void_and_self_closing_tags_enclose_nothing() -> None:
    scan = scan_html('<div id="outer"><br><img src="x.png"/><span id="in" /><em data-record="k:1"></em></div>')
    assert scan.ids == {"outer", "in"}
    assert scan.citations == (("k:1", "outer"),)
    assert [href.target for href in scan.hrefs] == ["x.png"]


def test_links_carry_the_line_and_column_of_their_tag_and_a_trimmed_target() -> None:
    assert _hrefs('<p>\n  <a href=" /spaced ">x</a>\n\t<a\nhref="/next">') == [("/spaced", 2, 2), ("/next", 3, 1)]


def test_a_tag_that_never_closes_is_no_tag() -> None:
    markup = '<a href="/unclosed-quote>text</a> <a href="/ok"> <a href="/never-closed" '
    assert _hrefs(markup) == [("/ok", 1, 34)]


def test_attributes_first_one_wins_names_lowered_values_decoded() -> None:
    assert tag_attributes(' ID="a" id="b" Href=\'/x\' data-x=plain checked title="&lt;b&gt;" alt=Tom&amp;Jerry '
                          'empty=""') == {"id": "a", "href": "/x", "data-x": "plain", "checked": "",
                                          "title": "<b>", "alt": "Tom&Jerry", "empty": ""}


def test_page_element_ids_are_found_again_only_for_changed_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    scans: list[str] = []
    real = htmlscan.element_ids
    monkeypatch.setattr(htmlscan, "element_ids", lambda markup: scans.append(markup) or real(markup))
    monkeypatch.setattr(htmlscan, "_KEPT_IDS", {})
    monkeypatch.setattr(htmlscan, "KEPT_IDS_LIMIT", 2)
    page = '<h2 id="fees">Fees</h2><a name="old">x</a>'
    assert htmlscan.page_element_ids(page) == {"fees", "old"}
    assert htmlscan.page_element_ids(page) == {"fees", "old"} and len(scans) == 1
    assert htmlscan.page_element_ids(page.replace("fees", "costs")) == {"costs", "old"} and len(scans) == 2
    assert htmlscan.page_element_ids('<p id="third"></p>') == {"third"} and len(scans) == 3
    assert htmlscan.page_element_ids(page.replace("fees", "costs")) == {"costs", "old"} and len(scans) == 3
    assert htmlscan.page_element_ids(page) == {"fees", "old"} and len(scans) == 4  # the oldest of 2 was let go
