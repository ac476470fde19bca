"""One page's view of the nav: at a level of more than nine sections only nine consecutive ones around the section
on the way to the page are kept (fewer at either end is never the case: the window shifts inward), pages beside
them stay, and nothing outside that path is copied or reordered."""
from __future__ import annotations

from dataclasses import dataclass

from costhub.pages.nav_view import page_view


@dataclass(eq=False)
class Item:
    """A nav entry: a section when it has children."""

    title: str
    children: list[Item] | None = None
    active: bool = False
    copied: bool = False


# A copy of a section holding other children, marked so tests can tell copies from the originals.
def copy(section: Item, children: list[Item]) -> Item:
    return Item(section.title, children, active=True, copied=True)


# A section of three pages named prefix.1..3, active (with its middle page) when `active`.
def leaf(prefix: str, active: bool = False) -> Item:
    return Item(prefix, [Item(f"{prefix}.{n}", active=active and n == 2) for n in (1, 2, 3)], active=active)


# The titles of a view, nested as lists where a section was kept open.
def titles(items: list[Item]) -> list[object]:
    return [[item.title, titles(item.children)] if item.copied and item.children else item.title for item in items]


# Home, and Guides: `count` groups G0.. of three pages each, group `active` holding the page (none when -1).
def guides(count: int, active: int) -> list[Item]:
    groups = [leaf(f"G{g}", g == active) for g in range(count)]
    return [Item("Home"), Item("Guides", groups, active=active >= 0)]


# The titles of the groups a page in group `active` of `count` sees, its own group as "open".
def groups_seen(count: int, active: int) -> list[str]:
    return [entry if isinstance(entry, str) else "open" for entry in titles(page_view(guides(count, active), copy))[1][1]]


def test_a_level_of_nine_sections_or_fewer_stays_whole() -> None:
    assert groups_seen(9, 8) == ["G0", "G1", "G2", "G3", "G4", "G5", "G6", "G7", "open"]
    assert groups_seen(3, 0) == ["open", "G1", "G2"]


def test_a_page_in_the_middle_sees_four_groups_either_side_of_its_own() -> None:
    # 20 groups, the page in G10: G6..G14.
    assert groups_seen(20, 10) == ["G6", "G7", "G8", "G9", "open", "G11", "G12", "G13", "G14"]
    view = page_view(guides(20, 10), copy)
    assert titles(view)[1][1][4] == ["G10", ["G10.1", "G10.2", "G10.3"]]


def test_near_either_end_the_window_shifts_to_keep_nine_groups() -> None:
    assert groups_seen(20, 0) == ["open", "G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8"]
    assert groups_seen(20, 2) == ["G0", "G1", "open", "G3", "G4", "G5", "G6", "G7", "G8"]
    assert groups_seen(20, 17) == ["G11", "G12", "G13", "G14", "G15", "G16", "open", "G18", "G19"]
    assert groups_seen(20, 19) == ["G11", "G12", "G13", "G14", "G15", "G16", "G17", "G18", "open"]
    assert groups_seen(10, 5) == ["G1", "G2", "G3", "G4", "open", "G6", "G7", "G8", "G9"]


def test_the_view_holds_as_many_entries_at_any_length_of_section() -> None:
    # Home, Guides, nine groups and the open group's three pages, whether there are 10, 100 or 1,000 groups.
    def count(items: list[Item]) -> int:
        return sum(1 + (count(item.children) if item.copied and item.children else 0) for item in items)
    assert {count(page_view(guides(size, size // 2), copy)) for size in (10, 100, 1000)} == {2 + 9 + 3}


def test_sections_off_the_path_are_the_original_items_untouched() -> None:
    nav = guides(12, 5)
    view = page_view(nav, copy)
    assert view[0] is nav[0]
    kept = view[1].children
    assert [item for item in kept if not item.copied] == nav[1].children[1:5] + nav[1].children[6:10]
    assert len(nav[1].children) == 12 and len(nav[1].children[5].children) == 3  # the originals keep all theirs
    assert kept[4].children[0] is nav[1].children[5].children[0]


def test_a_nav_without_an_active_page_is_left_as_it_is() -> None:
    nav = guides(30, -1)
    view = page_view(nav, copy)
    assert [item is original for item, original in zip(view, nav)] == [True, True]
    assert len(view[1].children) == 30


def test_pages_beside_the_groups_stay_and_a_level_without_an_active_section_is_whole() -> None:
    # A level mixing pages and eleven sections keeps every page and nine sections; when the page itself is listed
    # at a level, every section there stays.
    mixed = [Item("P0"), *(leaf(f"S{s}", active=s == 9) for s in range(11)), Item("P1")]
    deep = [Item("Top", [Item("Group", mixed, active=True)], active=True)]
    group = titles(page_view(deep, copy))[0][1][0][1]
    assert group == ["P0", "S2", "S3", "S4", "S5", "S6", "S7", "S8", ["S9", ["S9.1", "S9.2", "S9.3"]], "S10", "P1"]
    flat = [Item("Top", [Item("Group", [*(leaf(f"S{s}") for s in range(11)), Item("Here", active=True)],
                              active=True)], active=True)]
    assert len(titles(page_view(flat, copy))[0][1][0][1]) == 12
