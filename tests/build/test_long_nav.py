"""A built page of a long section: its nav lists the section's twelve groups, and below them only the group on
the way to the page and its neighbours; the theme marks that path active, and every other page stays reachable."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import Build, build, copy_project, rewrite_data

ADDED = 150  # with the site's 6 guides: 156 entries, 12 groups of 13, each split into 4 of 4, 4, 4 and 1


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


def test_a_page_deep_in_a_long_section_sees_its_group_and_the_groups_beside_it(long_site: Build) -> None:
    # Extra 77 is entry 83: group 6 (entries 78-90 = Extra 72-84), sub-group 1 (Extra 76-79).
    nav = primary_nav(long_site.page("extra-77/"))
    guides = nav.select_one("nav[aria-labelledby='__nav_2_label'] > ul").find_all("li", recursive=False)
    assert len(guides) == 12
    assert labels(guides[0])[0] == "Image generation cost – Extra 6"  # entries 0-12: the 6 guides, Extra 0-6
    open_group = guides[6]
    assert "md-nav__item--active" in open_group["class"]
    assert labels(open_group)[0] == "Extra 72 – Extra 84"
    subgroups = open_group.select_one("nav > ul").find_all("li", recursive=False)
    assert [labels(item)[0] for item in subgroups] == ["Extra 72 – Extra 75", "Extra 76 – Extra 79",
                                                       "Extra 80 – Extra 83"]
    assert [("md-nav__item--active" in item["class"]) for item in subgroups] == [False, True, False]
    pages = [link.get_text(strip=True) for link in subgroups[1].select("nav > ul > li > a.md-nav__link")]
    assert pages == ["Extra 76", "Extra 77", "Extra 78", "Extra 79"]
    assert nav.select_one("a.md-nav__link--active").get_text(strip=True) == "Extra 77"
    # The neighbours are links to their first pages; Extra 84's one-page group is left out of this page's nav.
    assert subgroups[0].a["href"] == "../extra-72/" and subgroups[2].a["href"] == "../extra-80/"
    assert "../extra-84/" not in {link["href"] for link in nav.select("a[href]")}


def test_the_first_page_sees_only_the_group_after_its_own(long_site: Build) -> None:
    nav = primary_nav(long_site.page("image-generation-api-cost/"))
    open_group = nav.select_one("nav[aria-labelledby='__nav_2_label'] > ul > li.md-nav__item--active")
    assert labels(open_group)[0] == "Image generation cost – Extra 6"
    subgroups = open_group.select_one("nav > ul").find_all("li", recursive=False)
    # Entries 0-3 (four of the site's guides) and 4-7 (the other two, Extra 0 and 1).
    assert [labels(item)[0] for item in subgroups] == ["Image generation cost – Failed video generation",
                                                       "Billing transparency – Extra 1"]


def test_a_page_outside_the_long_section_shows_its_groups_closed(long_site: Build) -> None:
    nav = primary_nav(long_site.page("glossary/"))
    assert nav.select("nav[aria-labelledby='__nav_2_label']") == []
    assert "md-nav__item--pruned" in nav.select("ul.md-nav__list > li")[1]["class"]


def test_every_closed_section_in_the_nav_is_counted_by_hand(long_site: Build) -> None:
    # The 11 other groups, the 2 neighbouring sub-groups and Tools, Reference and For editors; the whole
    # section would add Extra 84's sub-group.
    deep = str(primary_nav(long_site.page("extra-77/")))
    assert deep.count('class="md-nav__item md-nav__item--pruned md-nav__item--nested"') == 11 + 2 + 3
