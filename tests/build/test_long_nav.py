"""A built page of a long section: its nav lists nine of the section's thirteen groups, its own near the middle, and
that group's pages; the theme marks that path active, and every other page stays reachable through the groups."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import Build, build, copy_project, rewrite_data

ADDED = 150  # with the site's 6 guides: 156 entries, 13 groups of 12 (group g holds entries 12g to 12g + 11)


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = copy_project(tmp_path_factory.mktemp("long-nav") / "project")
    newest = "2026-11-21"

    def pages(document: dict[str, Any]) -> None:
        for i in range(ADDED):
            document["pages"].append({
                "id": f"extra-{i}", "section": "guides", "title": f"Extra guide {i}", "nav_title": f"Extra {i}",
                "summary": f"What extra guide {i} of the long section costs.", "media": "image", "owner": "pricing-desk", "last_reviewed": newest,
                "review_in": "90d", "audience": "Readers.", "quick_answer": ["Name the unit.", "Count the failures.", "Prove it."],
                "related": ["index"]})

    rewrite_data(project, "pages", pages)
    for i in range(ADDED):
        (project / "content" / f"extra-{i}.md").write_text(f"{{{{ guide_intro() }}}}\n\nGuide {i} of the long section.\n",
                                                           encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.log
    return result


# The primary nav of a built page.
def primary_nav(page: BeautifulSoup) -> Any:
    return page.select_one("nav.md-nav--primary")


# Every entry label in a nav element, in order.
def labels(nav: Any) -> list[str]:
    return [span.get_text(" ", strip=True) for span in nav.select(".md-ellipsis")]


# The label of each entry of an open group, in order (the active page's table of contents left out).
def group_pages(group: Any) -> list[str]:
    return [labels(item)[0] for item in group.select_one("nav > ul").find_all("li", recursive=False)]


def test_a_page_deep_in_a_long_section_sees_its_group_and_four_groups_either_side(long_site: Build) -> None:
    # Extra 77 is entry 83: group 6 (entries 72-83 = Extra 66-77); the nine groups shown are 2 to 10.
    nav = primary_nav(long_site.page("extra-77/"))
    guides = nav.select_one("nav[aria-labelledby='__nav_2_label'] > ul").find_all("li", recursive=False)
    assert [labels(item)[0] for item in guides] == [f"Extra {12 * g - 6} – Extra {12 * g + 5}" for g in range(2, 11)]
    open_group = guides[4]
    assert "md-nav__item--active" in open_group["class"]
    assert [("md-nav__item--active" in item["class"]) for item in guides].count(True) == 1
    assert group_pages(open_group) == [f"Extra {i}" for i in range(66, 78)]
    assert nav.select_one("a.md-nav__link--active").get_text(strip=True) == "Extra 77"
    # A closed group links to its first page; groups 0, 1, 11 and 12 are left out of this page's nav.
    assert guides[3].a["href"] == "../extra-54/" and guides[5].a["href"] == "../extra-78/"
    hrefs = {link["href"] for link in nav.select("a[href]")}
    assert not {"../extra-0/", "../extra-6/", "../extra-126/", "../extra-138/"} & hrefs


def test_the_first_page_sees_its_group_and_the_eight_after_it(long_site: Build) -> None:
    nav = primary_nav(long_site.page("image-generation-api-cost/"))
    guides = nav.select_one("nav[aria-labelledby='__nav_2_label'] > ul").find_all("li", recursive=False)
    assert len(guides) == 9 and "md-nav__item--active" in guides[0]["class"]
    assert labels(guides[0])[0] == "Image generation cost – Extra 5"
    assert labels(guides[8])[0] == "Extra 90 – Extra 101"
    pages = group_pages(guides[0])
    assert len(pages) == 12 and pages[0] == "Image generation cost" and pages[6:] == [f"Extra {i}" for i in range(6)]


def test_a_page_outside_the_long_section_shows_its_groups_closed(long_site: Build) -> None:
    nav = primary_nav(long_site.page("glossary/"))
    assert nav.select("nav[aria-labelledby='__nav_2_label']") == []
    assert "md-nav__item--pruned" in nav.select("ul.md-nav__list > li")[1]["class"]


def test_every_closed_section_in_the_nav_is_counted_by_hand(long_site: Build) -> None:
    # The 8 other groups shown, and Tools, Reference and For editors.
    deep = str(primary_nav(long_site.page("extra-77/")))
    assert deep.count('class="md-nav__item md-nav__item--pruned md-nav__item--nested"') == 8 + 3
