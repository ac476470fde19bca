"""The anchors a page will have, without a build: heading ids from Python-Markdown with the extensions mkdocs.yml
lists, and the ids written in raw HTML (macro output). Only the headings go through Python-Markdown: converting
whole pages full of raw HTML would cost several times more and find the same ids."""
from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any, Callable

import markdown
import yaml

from ..data.files import CONFIG_FILE
from ..markup.htmlscan import element_ids
from .source_map import blank_code

BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t].*)?$|^ {0,3}\S.*\n {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)


class _ConfigLoader(yaml.SafeLoader):
    """Safe loading of mkdocs.yml; tags such as !!python/name read as null (they never change heading ids)."""


_ConfigLoader.add_multi_constructor("", lambda _loader, _suffix, _node: None)


# mkdocs.yml as plain data (tags such as !!python/name read as null).
def load_config(root: Path) -> dict[str, Any]:
    config = yaml.load((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=_ConfigLoader)
    return config if isinstance(config, dict) else {}


# A function converting page Markdown to HTML the way MkDocs would (same extensions and options), which reads
# mkdocs.yml and sets up Python-Markdown on its first call (a check whose anchors all point at raw-HTML ids never
# makes it).
def markdown_converter(root: Path) -> Callable[[str], str]:
    made: list[markdown.Markdown] = []

    # One page's Markdown to HTML; reset clears the ids of the previous page.
    def convert(text: str) -> str:
        if not made:
            names, options = _extensions(load_config(root).get("markdown_extensions") or [])
            made.append(markdown.Markdown(extensions=[_extension(name, options.get(name, {}))
                                                      for name in dict.fromkeys([*BUILTIN_EXTENSIONS, *names])],
                                          extension_configs=options))
        return made[0].reset().convert(text)

    return convert


# The extension a name in mkdocs.yml stands for, made from its module's makeExtension (Python-Markdown's own by their
# short names, others by module path) instead of Python-Markdown's search of every installed package's entry points
# (tens of milliseconds); the name itself, for Python-Markdown to find, when no module by that name makes one.
def _extension(name: str, options: dict[str, Any]) -> markdown.extensions.Extension | str:
    module_name = name if "." in name else f"markdown.extensions.{name}"
    try:
        make = importlib.import_module(module_name).makeExtension
    except (ImportError, AttributeError):
        return name
    return make(**options)


# Every id the page's HTML will have: its headings' ids and its raw-HTML ids.
def page_ids(page_markdown: str, convert: Callable[[str], str]) -> frozenset[str]:
    return heading_ids(page_markdown, convert) | raw_html_ids(page_markdown)


# The ids Python-Markdown gives the page's headings (converted in order, so repeats get the same suffixes).
def heading_ids(page_markdown: str, convert: Callable[[str], str]) -> frozenset[str]:
    headings = "\n\n".join(match.group(0) for match in _HEADING.finditer(blank_code(page_markdown)))
    return element_ids(convert(headings))


# The ids written in the page's raw HTML (macro output), found with the same quick attribute match the build uses on
# the built page; no conversion needed.
def raw_html_ids(page_markdown: str) -> frozenset[str]:
    return element_ids(blank_code(page_markdown))


# Extension names and their options from the mkdocs.yml list (each entry a name or {name: options}).
def _extensions(entries: list[Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    names: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, dict):
            for name, settings in entry.items():
                names.append(name)
                options[name] = {key: value for key, value in (settings or {}).items() if value is not None}
        else:
            names.append(str(entry))
    return names, options
