"""Turn page Markdown into HTML with the Markdown extensions mkdocs.yml lists, to find anchors without a build."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import markdown
import yaml

CONFIG_FILE = "mkdocs.yml"
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")


class _ConfigLoader(yaml.SafeLoader):
    """Safe loading of mkdocs.yml; tags such as !!python/name read as null (they never change heading ids)."""


_ConfigLoader.add_multi_constructor("", lambda _loader, _suffix, _node: None)


# A function converting page Markdown to HTML the way MkDocs would (same extensions and options).
def markdown_converter(root: Path) -> Callable[[str], str]:
    config = yaml.load((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    names, options = _extensions(config.get("markdown_extensions") or [])
    converter = markdown.Markdown(extensions=list(dict.fromkeys([*BUILTIN_EXTENSIONS, *names])),
                                  extension_configs=options)

    # One page's Markdown to HTML; reset clears the ids of the previous page.
    def convert(text: str) -> str:
        return converter.reset().convert(text)

    return convert


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
