"""Long nav sections are split into groups of twelve that collapse: every page stays in the nav in catalog order,
each group is labelled by its first and last entries, and a group never holds more than twelve."""
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


def test_a_short_section_is_left_as_it_is() -> None:
    assert NAV_GROUP_LIMIT == 12
    assert nav_groups(entries(12)) == entries(12)


def test_thirteen_guides_make_a_group_of_twelve_and_one_of_one() -> None:
    nav = nav_groups(entries(13))
    assert [next(iter(group)) for group in nav] == ["Guide 0 – Guide 11", "Guide 12"]
    assert nav[0]["Guide 0 – Guide 11"] == entries(12)
    assert nav[1]["Guide 12"] == [{"Guide 12": "guide-12.md"}]


@pytest.mark.parametrize("count, groups, last", [(24, 2, 12), (100, 9, 4), (156, 13, 12), (1000, 84, 4)])
def test_every_page_stays_in_order_in_groups_of_at_most_twelve(count: int, groups: int, last: int) -> None:
    # 100 = 8 × 12 + 4; 1,000 = 83 × 12 + 4.
    nav = nav_groups(entries(count))
    assert files(nav) == [f"guide-{i}.md" for i in range(count)]
    sizes = [len(value) for group in nav for value in group.values()]
    assert len(sizes) == groups and sizes[:-1] == [12] * (groups - 1) and sizes[-1] == last
    assert all(isinstance(entry, dict) and isinstance(next(iter(entry.values())), str)
               for group in nav for value in group.values() for entry in value)  # one level: no group in a group
