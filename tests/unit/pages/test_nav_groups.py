"""Long nav sections are split into groups that collapse: every page stays in the nav in catalog order, and what one
page's nav shows (its groups' titles on the way down and its own group) stays short however long the section is."""
from __future__ import annotations

from typing import Any

import pytest

from costhub.pages.site import NAV_GROUP_LIMIT, nav_groups


def entries(count: int) -> list[dict[str, Any]]:
    return [{f"Guide {i}": f"guide-{i}.md"} for i in range(count)]


# The files of a nav structure in order.
def files(nav: list[dict[str, Any]]) -> list[str]:
    return [item for entry in nav for value in entry.values()
            for item in (files(value) if isinstance(value, list) else [value])]


# The most entries one page's nav shows: the entries at each level on the way down to the longest group.
def shown(nav: list[dict[str, Any]]) -> int:
    return len(nav) + max((shown(value) for entry in nav for value in entry.values() if isinstance(value, list)),
                          default=0)


def test_a_short_section_is_left_as_it_is() -> None:
    assert nav_groups(entries(NAV_GROUP_LIMIT)) == entries(NAV_GROUP_LIMIT)


def test_thirteen_guides_make_four_groups_of_four_labelled_by_their_ends() -> None:
    # 13 entries: ceil(sqrt(13)) = 4 groups of ceil(13 / 4) = 4, the last holding guide 12 alone.
    nav = nav_groups(entries(13))
    assert [next(iter(group)) for group in nav] == ["Guide 0 – Guide 3", "Guide 4 – Guide 7", "Guide 8 – Guide 11",
                                                    "Guide 12"]
    assert nav[1]["Guide 4 – Guide 7"] == entries(8)[4:]


@pytest.mark.parametrize("count, most_shown", [(100, 20), (300, 22), (1000, 31)])
def test_every_page_stays_in_order_and_a_page_nav_stays_short(count: int, most_shown: int) -> None:
    # 100: 10 groups of 10. 300: 12 groups of 25, each 5 of 5. 1000: 12 groups of 84, each 10 of at most 9.
    nav = nav_groups(entries(count))
    assert files(nav) == [f"guide-{i}.md" for i in range(count)]
    assert shown(nav) == most_shown
