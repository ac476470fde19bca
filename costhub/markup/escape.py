"""Escaping for text that templates outside our control print as HTML."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

_SCALARS = (bool, int, float, type(None))


# A page's front matter with every text escaped (themes print meta values as HTML) and anything but text, numbers,
# true/false and lists of those left out.
def escaped_meta(meta: dict[str, Any]) -> dict[str, Any]:
    escaped: dict[str, Any] = {}
    for key, value in meta.items():
        if isinstance(value, str):
            escaped[str(key)] = Markup.escape(value)
        elif isinstance(value, _SCALARS):
            escaped[str(key)] = value
        elif isinstance(value, list) and all(isinstance(item, (str, *_SCALARS)) for item in value):
            escaped[str(key)] = [Markup.escape(item) if isinstance(item, str) else item for item in value]
    return escaped


# An MkDocs nav (lists of {title: file or nested nav}) with every title escaped: the theme prints them as HTML.
def escaped_nav(nav: list[Any]) -> list[Any]:
    return [{Markup.escape(title): escaped_nav(target) if isinstance(target, list) else target
             for title, target in entry.items()} if isinstance(entry, dict) else entry for entry in nav]
