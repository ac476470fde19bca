"""What one page's nav holds. At any level with more than GROUPS_SHOWN sections (a long section's groups, see
`nav_groups`), only GROUPS_SHOWN consecutive ones around the section on the way to the page are kept, so a page's
nav holds the same number of entries however far the section grows. Works on any nav items with `children` and
`active`."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

# The most sections one level of a page's nav lists (with the section on the way to the page near the middle).
GROUPS_SHOWN = 9


class NavItem(Protocol):
    """A nav entry as the theme sees it: a section has children, a page or link has none."""

    @property
    def children(self) -> Sequence[NavItem] | None: ...

    @property
    def active(self) -> bool: ...


Item = TypeVar("Item", bound=NavItem)


# The nav items as the active page should see them; copy(section, children) makes a section holding other children.
def page_view(items: Sequence[Item], copy: Callable[[Item, list[Item]], Item]) -> list[Item]:
    return [copy(item, page_view(item.children, copy)) if item.children and item.active else item
            for item in _window(items)]


# Items at one level, with at most GROUPS_SHOWN consecutive sections around the active one left (all of them when
# no section at this level is active, as when the page itself is listed here); pages at the level all stay.
def _window(items: Sequence[Item]) -> list[Item]:
    sections = [index for index, item in enumerate(items) if item.children]
    active = next((place for place, index in enumerate(sections) if items[index].active), None)
    if active is None or len(sections) <= GROUPS_SHOWN:
        return list(items)
    first = min(max(active - GROUPS_SHOWN // 2, 0), len(sections) - GROUPS_SHOWN)
    near = set(sections[first:first + GROUPS_SHOWN])
    return [item for index, item in enumerate(items) if not item.children or index in near]
