"""The read log of a render: every lookup noted with its answer, each distinct lookup kept once."""
from __future__ import annotations

import pytest
from conftest import ROOT

from costhub.pages.reads import UNTRACKED, ReadLog
from costhub.pages.site import Site


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.load(ROOT)


def test_repeated_lookups_are_kept_once_in_first_order(site: Site) -> None:
    log = ReadLog(site.data)
    hub = log.get("pages", "index")
    log.all("faqs")
    log.get("pages", "index")
    log.note_untracked()
    log.get("pages", "glossary")
    log.note_untracked()
    log.all("faqs")
    reads = log.take()
    assert [(method, args) for method, args, _answer in reads] == [
        ("get", ("pages", "index")), ("all", ("faqs",)), UNTRACKED[:2], ("get", ("pages", "glossary"))]
    assert reads[0][2] is hub and reads[1][2] == site.data.all("faqs")
    assert log.take() == ()  # the next render starts a new log



def test_a_read_two_renders_make_with_the_same_answer_is_held_once(site: Site) -> None:
    log = ReadLog(site.data)
    log.get("pages", "index")
    log.note_value("review", site.review)
    first = log.take()
    log.note_value("review", site.review)
    log.get("pages", "index")
    log.get("pages", "glossary")
    second = log.take()
    assert second[1] is first[0] and second[0] is first[1]  # the same tuples, in the second render's order
    log.note_value("review", object())  # another answer to the same lookup: its own read
    third = log.take()
    assert third[0] is not first[1] and third[0][:2] == ("watched", ("review",))
