"""What one page's nav holds. A long section's groups (see `nav_groups`) are all listed at its first level; below
that, only the group on the way down to the page and the groups either side of it are kept, so a page's nav stays
about the same size however far the section grows. Works on any nav items with `children` and `active`."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

# Depth (the top of the nav is 1, a section's first level of groups 2) from which sibling groups are windowed.
WINDOW_DEPTH = 3


class NavItem(Protocol):
    """A nav entry as the theme sees it: a section has children, a page or link has none."""

    @property
    def children(self) -> Sequence[NavItem] | None: ...

    @property
    def active(self) -> bool: ...


Item = TypeVar("Item", bound=NavItem)


# The nav items as the active page should see them; copy(section, children) makes a section holding other children.
def page_view(items: Sequence[Item], copy: Callable[[Item, list[Item]], Item], depth: int = 1) -> list[Item]:
    kept = _window(items) if depth >= WINDOW_DEPTH else list(items)
    return [copy(item, page_view(item.children, copy, depth + 1)) if item.children and item.active else item
            for item in kept]


# Items at one level, with only the active section and its neighbouring sections left (all of them when no
# section at this level is active, as when the page itself is listed here).
def _window(items: Sequence[Item]) -> list[Item]:
    sections = [index for index, item in enumerate(items) if item.children]
    active = next((place for place, index in enumerate(sections) if items[index].active), None)
    if active is None:
        return list(items)
    near = set(sections[max(active - 1, 0):active + 2])
    return [item for index, item in enumerate(items) if not item.children or index in near]
