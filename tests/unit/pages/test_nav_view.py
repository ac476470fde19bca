"""One page's view of the nav: a section's first level of groups stays whole, deeper levels keep only the group on
the way to the page and its neighbours, and nothing outside that path is copied or reordered."""
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


# A section of three pages named prefix 1..3, active (with its middle page) when `active`.
def leaf(prefix: str, active: bool = False) -> Item:
    return Item(prefix, [Item(f"{prefix}.{n}", active=active and n == 2) for n in (1, 2, 3)], active=active)


# The titles of a view, nested as lists where a section was kept open.
def titles(items: list[Item]) -> list[object]:
    return [[item.title, titles(item.children)] if item.copied and item.children else item.title for item in items]


def guides(active_group: int, active_sub: int) -> list[Item]:
    # Home, and Guides: groups G0..G4, each with sub-groups S0..S4 of three pages.
    groups = [Item(f"G{g}", [leaf(f"G{g}S{s}", g == active_group and s == active_sub) for s in range(5)],
                   active=g == active_group) for g in range(5)]
    return [Item("Home"), Item("Guides", groups, active=active_group >= 0)]


def test_deeper_levels_keep_only_the_active_group_and_its_two_neighbours() -> None:
    view = page_view(guides(2, 2), copy)
    # G2 is open with S1, S2 (open) and S3; S0 and S4 are left out; G0, G1, G3, G4 stay as they were.
    assert titles(view) == ["Home", ["Guides", ["G0", "G1", ["G2", ["G2S1", ["G2S2", ["G2S2.1", "G2S2.2", "G2S2.3"]],
                                                                    "G2S3"]], "G3", "G4"]]]


def test_a_group_at_either_end_keeps_its_one_neighbour() -> None:
    assert titles(page_view(guides(0, 0), copy))[1][1][0] == ["G0", [["G0S0", ["G0S0.1", "G0S0.2", "G0S0.3"]], "G0S1"]]
    assert titles(page_view(guides(4, 4), copy))[1][1][4] == ["G4", ["G4S3", ["G4S4", ["G4S4.1", "G4S4.2", "G4S4.3"]]]]


def test_sections_off_the_path_are_the_original_items_untouched() -> None:
    nav = guides(1, 3)
    view = page_view(nav, copy)
    assert view[0] is nav[0]
    assert [item is original for item, original in zip(view[1].children, nav[1].children)] == [True, False, True, True,
                                                                                              True]
    assert len(nav[1].children[1].children) == 5  # the original keeps all its sub-groups
    assert view[1].children[1].children[1].children is not None
    assert view[1].children[1].children[1].children[1] is nav[1].children[1].children[3].children[1]


def test_a_nav_without_an_active_page_is_left_as_it_is() -> None:
    nav = guides(-1, -1)
    assert [item is original for item, original in zip(page_view(nav, copy), nav)] == [True, True]


def test_pages_beside_the_groups_stay_and_a_level_without_an_active_section_is_whole() -> None:
    # A level mixing pages and sections keeps its pages; when the page itself is listed at a level, every
    # section there stays.
    mixed = [Item("P0"), leaf("A"), Item("P1"), leaf("B"), leaf("C"), leaf("D", active=True), Item("P2")]
    deep = [Item("Top", [Item("Group", mixed, active=True)], active=True)]
    assert titles(page_view(deep, copy)) == [["Top", [["Group", ["P0", "P1", "C", ["D", ["D.1", "D.2", "D.3"]], "P2"]]]]]
    flat = [Item("Top", [Item("Group", [leaf("A"), Item("Here", active=True), leaf("B"), leaf("C")], active=True)],
                 active=True)]
    assert titles(page_view(flat, copy)) == [["Top", [["Group", ["A", "Here", "B", "C"]]]]]
