"""Macro output kept for one load: when another page makes the same call, it gets the HTML and the reads of the first
render, provided the macro learns nothing of the page except through the page functions, and those give this page
the answers they gave the first."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Template
from markupsafe import Markup

from .reads import Read

# Names a kept macro (or any template it imports) may not read: the page's record and id are the page itself; a
# namespace, cycler or joiner outside a macro is state one call hands to the next, and lipsum is random.
UNSHAREABLE_NAMES = frozenset({"page", "page_id", "namespace", "cycler", "joiner", "lipsum"})
# Outputs kept per call: one for each way the page functions answered (the hub and the other pages, usually).
MAX_VARIANTS = 8
# Calls kept at once, the least recently used let go first: a call every page makes (a media type's provider
# table) stays, while the many made once (each guide's own checklist) pass through; keeping all of them held about
# 8 MB of HTML at 1,000 guides.
MAX_CALLS = 64
# The longest render kept: a longer one is a whole page's worth (the review dashboard runs to 3 MB at 1,000 guides),
# made on one page only, and keeping it with its reads until the load ends raised a build's peak memory by 20 MB.
MAX_KEPT_TEXT = 64 * 1024
# What a template's code holds besides Jinja's own: the names it reads, and the templates it imports, includes or
# extends ("" for one named only at run time).
NAMES_READ = "costhub_names_read"
TEMPLATES_USED = "costhub_templates_used"
# One answer of a page function during a render: the function's name, its arguments and its answer.
Answer = tuple[str, tuple[Any, ...], Any]


@dataclass(frozen=True)
class Kept:
    """One render of a macro call: its HTML, the reads it made and the page functions' answers it used."""

    html: Markup
    reads: tuple[Read, ...]
    answers: tuple[Answer, ...]


class MacroMemo:
    """The kept renders of one load, by macro and arguments, each call with at most MAX_VARIANTS renders, for the
    MAX_CALLS calls made most recently (least recently used first)."""

    def __init__(self, max_calls: int = MAX_CALLS) -> None:
        self._kept: dict[tuple[Any, ...], list[Kept]] = {}
        self._max_calls = max_calls

    # The first render kept for this call that fits the page rendering now, or None; the call is now the most
    # recently used.
    def find(self, key: tuple[Any, ...], fits: Callable[[Kept], bool]) -> Kept | None:
        variants = self._kept.pop(key, None)
        if variants is None:
            return None
        self._kept[key] = variants
        return next((kept for kept in variants if fits(kept)), None)

    # Forget every kept render.
    def clear(self) -> None:
        self._kept.clear()

    # Keep a render for this call (past MAX_VARIANTS the call is rendered on every page that makes it, and a render
    # longer than MAX_KEPT_TEXT is never kept); a new call past the limit of calls lets the least recently used go.
    def keep(self, key: tuple[Any, ...], kept: Kept) -> None:
        if len(kept.html) > MAX_KEPT_TEXT:
            return
        if key not in self._kept and len(self._kept) >= self._max_calls:
            del self._kept[next(iter(self._kept))]
        variants = self._kept.setdefault(key, [])
        if len(variants) < MAX_VARIANTS:
            variants.append(kept)


class NameNotingCodeGenerator(CodeGenerator):
    """Writes into each template's code the names it reads and the templates it uses (see NAMES_READ), so a loaded
    template, compiled now or taken from the bytecode cache, tells what it depends on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._names_read: set[str] = set()
        self._templates_used: set[str] = set()

    # Note every name the template reads.
    def visit_Name(self, node: nodes.Name, frame: Frame) -> None:
        if node.ctx == "load":
            self._names_read.add(node.name)
        super().visit_Name(node, frame)

    # The template's code, then the names and templates it noted.
    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for used in node.find_all((nodes.Import, nodes.FromImport, nodes.Include, nodes.Extends)):
            constant = isinstance(used.template, nodes.Const) and isinstance(used.template.value, str)
            self._templates_used.add(used.template.value if constant else "")
        super().visit_Template(node, frame)
        self.writeline(f"{NAMES_READ} = {tuple(sorted(self._names_read))!r}")
        self.writeline(f"{TEMPLATES_USED} = {tuple(sorted(self._templates_used))!r}")


# Whether a template and every template it uses read none of UNSHAREABLE_NAMES and name every template they use in
# their source (get_template loads a template by name); a template compiled without the notes is not shareable.
def shareable(template: Template, get_template: Callable[[str], Template], seen: set[str] | None = None) -> bool:
    seen = set() if seen is None else seen
    code_globals = template.root_render_func.__globals__
    names, used = code_globals.get(NAMES_READ), code_globals.get(TEMPLATES_USED)
    if names is None or used is None or UNSHAREABLE_NAMES.intersection(names) or "" in used:
        return False
    seen.add(template.name or "")
    return all(name in seen or shareable(get_template(name), get_template, seen) for name in used)


# A key for a call when each argument is text, a whole number, a float, a boolean, None or a list of those, told apart
# by type (1, 1.0 and True are three calls; -0.0 and 0.0 two); None when one is anything else (a record, markup, a
# macro's caller), and the call is not kept.
def call_key(macro: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
    keys = [_value_key(value) for value in (*args, *kwargs.values())]
    if None in keys:
        return None
    return (macro, tuple(keys[:len(args)]), tuple(zip(kwargs, keys[len(args):])))


# A value's key for call_key, or None.
def _value_key(value: Any, nested: bool = False) -> tuple[Any, ...] | None:
    kind = type(value)
    if kind in (str, int, bool, type(None)):
        return (kind, value)
    if kind is float:
        return (kind, repr(value))
    if kind in (list, tuple) and not nested:
        items = tuple(_value_key(item, nested=True) for item in value)
        return None if None in items else (kind, items)
    return None
