"""Render page Markdown through a sandboxed Jinja environment that exposes the data and macros."""
from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any, Callable

from jinja2 import (BytecodeCache, FileSystemLoader, StrictUndefined, Template, TemplateError, TemplateSyntaxError,
                    nodes, pass_eval_context, select_autoescape)
from jinja2.bccache import Bucket
from jinja2.nodes import EvalContext
from jinja2.runtime import new_context
from markupsafe import Markup

from ..errors import ContentError, ContentErrors, did_you_mean
from ..markup.markdown_source import shield_code, unshield_code
from ..markup.tables import label_cells
from ..data.model import HUB_ID, Record, SiteData
from ..review.book import CitationsPending
from .plain_calls import PlainBody, passed, plain_body
from .parallel import working_ahead
from .memo import Answer, Kept, MacroMemo, NameNotingCodeGenerator, call_key, shareable
from .sandbox import BoundedSandbox, render_deadline
from .reads import BOOKKEEPING, WATCHED, ReadLog, Watched, watched_value

MACRO_DIR = "macros"
COMPONENT_DIR = "components"
# The characters Python-Markdown lets a backslash escape (< > & are escaped as HTML instead).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!]")
# Compiled page bodies kept (the most recently used): room for every page one data edit renders again in `mkdocs
# serve`, while a build of a large site does not hold the code of every page to its end (about 10 KB each).
PAGE_CODE_LIMIT = 128
# A code span in data text, the only markup it may use.
_CODE_SPAN = re.compile(r"`([^`]+)`")


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled macro and component templates kept for the whole process, keyed by name and checked against the
    template's source, so `mkdocs serve` rebuilds compile only the templates that changed."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    # Fill the bucket with the stored code (Jinja discards it when the source checksum differs).
    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    # Keep the code Jinja just compiled.
    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    # Every template's code kept, by key.
    def entries(self) -> dict[str, bytes]:
        return dict(self._store)

    # Keep code compiled elsewhere (Jinja still checks it against the template's source before use).
    def add(self, code: dict[str, bytes]) -> None:
        self._store.update(code)


_TEMPLATE_CODE = _MemoryBytecodeCache()


# The code of every template this process compiled or was given, by cache key.
def compiled_templates() -> dict[str, bytes]:
    return _TEMPLATE_CODE.entries()


# Keep template code another process compiled (see compiled_templates): a later render here need not compile it.
def keep_compiled_templates(code: dict[str, bytes]) -> None:
    _TEMPLATE_CODE.add(code)


# Compiled page bodies by (display name, shielded body), least recently used first: code and every name the body
# mentions.
_PAGE_CODE: dict[tuple[str, str], tuple[Any, frozenset[str]]] = {}


# Forget every compiled page body (for a process that renders no page again).
def forget_page_code() -> None:
    _PAGE_CODE.clear()


class _CodeGenerator(NameNotingCodeGenerator, BoundedSandbox.code_generator_class):
    """The sandbox's code generator, noting in each template what it reads (see memo.py)."""


class _DataSandbox(BoundedSandbox):
    """The sandbox, with a direct path for reading a data field of a Record (the sandbox's checks would pass it
    anyway: the value is data, or None for a field the record lacks, and the name is no attribute of the class and
    does not start with "_"), and watched values judged by the values they wrap."""

    code_generator_class = _CodeGenerator

    # A Record's field (None when it has none) as the sandbox would return it; anything else through its checks.
    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is Record and attribute not in _RECORD_ATTRIBUTES and not attribute.startswith("_"):
            return obj.values_by_name.get(attribute)
        return super().getattr(obj, attribute)

    # An attribute of a watched value is safe when it is safe on the value it wraps: no method that modifies the
    # value (a dict's clear or update) reaches a page through the wrapper, which no mutable-type test recognises.
    # The read log's bookkeeping is never safe.
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if type(obj) is ReadLog and attr in BOOKKEEPING:
            return False
        return super().is_safe_attribute(watched_value(obj) if type(obj) is Watched else obj, attr, value)


_RECORD_ATTRIBUTES = frozenset(dir(Record))


# The sandbox pages render in, before the data is added: its loader, options, filters and tests, which are all that
# decide how a template compiles.
def page_environment(templates_dir: Path) -> _DataSandbox:
    env = _DataSandbox(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        finalize=_page_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_TEMPLATE_CODE,
    )
    env.filters["inline"] = inline_markup
    env.filters["label_cells"] = label_cells
    env.tests["contains"] = lambda sequence, item: item in sequence
    return env


# Compile every macro and component template in a forked copy while this process goes on (the data loads
# meanwhile); the function returned waits for the copy and keeps the code it compiled, so that no render compiles
# them (nor each copy that renders pages, forked later). Nothing is compiled ahead when this process has template
# code already, or a copy cannot be had: templates then compile when first used, as does one the copy failed on.
def compile_ahead(templates_dir: Path) -> Callable[[], None]:
    if _TEMPLATE_CODE.entries():
        return lambda: None
    names = [f"{folder}/{path.name}" for folder in (MACRO_DIR, COMPONENT_DIR)
             for path in sorted((templates_dir / folder).glob("*.html"))]
    env = page_environment(templates_dir)
    copy = working_ahead(names, lambda name: bool(env.get_template(name)), compiled_templates, ())

    def keep() -> None:
        if copy is not None:
            for _compiled in copy:
                pass
            keep_compiled_templates(copy.last or {})
    return keep


class MacroArgumentError(TemplateError):
    """A macro was called with an argument that names nothing in the data."""


# The functions a template may ask about the page being rendered, given the renderer and the page's id: the relative
# URL of a page (and anchor), and whether the page is the one named. Their answers are all a kept macro may learn of
# the page (see memo.py).
_PAGE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "url_for": lambda renderer, page_id, target, anchor: renderer.url_for(page_id, target, anchor),
    "is_page": lambda _renderer, page_id, other: page_id == other,
}


class PageRenderer:
    """Renders page bodies; one instance per build, shared by every page. Templates read the data through `reads`,
    which notes what each render looked up."""

    def __init__(self, templates_dir: Path, data: SiteData, extra_globals: dict[str, Any] | None = None) -> None:
        self.data = data
        self.templates_dir = templates_dir
        self.reads = ReadLog(data)
        self.env = page_environment(templates_dir)
        self.env.globals.update(data=self.reads, site=data.settings.site, lookup=self.lookup, records=self.records, fail=_fail,
                                **(extra_globals or {}))
        self.macro_names = sorted(path.stem for path in (templates_dir / MACRO_DIR).glob("*.html"))
        self.memo = MacroMemo()
        self._shareable: dict[str, bool] = {}
        self._answers: list[Answer] | None = None  # the page functions' answers in the macro render being kept

    # The record of a kind with this id, or a MacroArgumentError with a did-you-mean hint.
    def lookup(self, kind: str, record_id: str) -> Record:
        record = self.reads.get(kind, record_id)
        if record is None:
            hint = did_you_mean(record_id, self.data.ids(kind))
            raise MacroArgumentError(f"no {kind} record with id {record_id!r}" + (f" ({hint})" if hint else ""))
        return record

    # Render a template from components/ for a catalog page, as compact HTML; context adds template variables.
    def component(self, name: str, page: Record, **context: Any) -> Markup:
        template = self.env.get_template(f"{COMPONENT_DIR}/{name}.html")
        return compact_html(template.render(**self._page_variables(page.id, page), **context))

    # The records of a kind named by a list of ids, in that order.
    def records(self, kind: str, record_ids: list[str]) -> tuple[Record, ...]:
        return tuple(self.lookup(kind, record_id) for record_id in record_ids)

    # The relative URL from one page to another page (and anchor), with directory-style URLs.
    def url_for(self, from_id: str, target_id: str, anchor: str = "") -> Markup:
        self.lookup("pages", target_id)
        return Markup.escape(page_href(from_id, target_id) + (f"#{anchor}" if anchor else ""))

    # Render one page body; errors name the page file and the line of the offending call.
    def render(self, body: str, display_name: str, page_id: str, line_offset: int = 0) -> str:
        shielded_body, shielded = shield_code(body)
        variables = self._page_variables(page_id, self.data.get("pages", page_id))
        try:
            plain = None if self.env.autoescape(display_name) else plain_body(shielded_body, self.macro_names)
            if plain is None:
                rendered = self._render_template(shielded_body, display_name, variables)
            else:
                rendered = self._render_plain(plain, display_name, variables, line_offset)
        except TemplateSyntaxError as exc:
            raise ContentErrors([self._syntax_error(exc, display_name, line_offset)]) from None
        except (ContentErrors, CitationsPending):
            raise
        except Exception as exc:  # any failure of a page's template is the page's error, never a traceback
            line = _page_line(exc, display_name) + line_offset
            raise ContentErrors([ContentError(display_name, line, 0, "", self._describe(exc))]) from None
        return unshield_code(rendered, shielded)

    # A syntax error at its line: in the page body, or in a macro or component template the page uses.
    def _syntax_error(self, exc: TemplateSyntaxError, display_name: str, line_offset: int) -> ContentError:
        if exc.name and exc.name != display_name:
            return ContentError(f"{self.templates_dir.name}/{exc.name}", exc.lineno or 1, 0, "",
                                f"template error: {exc.message}", f"used by {display_name}")
        return ContentError(display_name, (exc.lineno or 1) + line_offset, 0, "", f"template error: {exc.message}")

    # A page body rendered through its compiled template.
    def _render_template(self, shielded_body: str, display_name: str, variables: dict[str, Any]) -> str:
        code, names = self._compiled(shielded_body, display_name)
        template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None), None)
        macros = self._macros(variables, names)
        with render_deadline():
            return template.render(**variables, **macros)

    # A plain page body (texts and macro calls) rendered without compiling it: each call made as its compiled
    # template would make it (through the sandbox, its value printed by the page's finalize), a failing call
    # reported at its line.
    def _render_plain(self, plain: PlainBody, display_name: str, variables: dict[str, Any], line_offset: int) -> str:
        macros = self._macros(variables, plain.names)
        context = new_context(self.env, display_name, {}, {**variables, **macros}, False, self.env.make_globals(None))
        parts = [plain.texts[0]]
        with render_deadline():
            for call, text in zip(plain.calls, plain.texts[1:]):
                try:
                    value = self.env.call(context, macros[call.name], *map(passed, call.args),
                                          **{key: passed(value) for key, value in call.kwargs})
                except (ContentErrors, CitationsPending, TemplateSyntaxError):
                    raise
                except Exception as exc:  # as the compiled template's failure would be: the page's error at the call
                    raise ContentErrors([ContentError(display_name, call.line + line_offset, 0, "",
                                                      self._describe(exc))]) from None
                parts += (str(_page_text(context.eval_ctx, value)), text)
        return "".join(parts)

    # What a template sees of the page being rendered: its id, its record and the page functions.
    def _page_variables(self, page_id: str, page: Record | None) -> dict[str, Any]:
        return {"page_id": page_id, "page": page,
                "url_for": lambda target, anchor="": self._page_answer("url_for", page_id, target, anchor),
                "is_page": lambda other: self._page_answer("is_page", page_id, other)}

    # A page function's answer for the page, noted when a macro render being kept asked for it.
    def _page_answer(self, function: str, page_id: str, *args: Any) -> Any:
        answer = _PAGE_FUNCTIONS[function](self, page_id, *args)
        if self._answers is not None:
            self._answers.append((function, args, answer))
        return answer

    # A page body's code and the names it reads, compiled again only when it is not among the last PAGE_CODE_LIMIT.
    def _compiled(self, shielded_body: str, display_name: str) -> tuple[Any, frozenset[str]]:
        key = (display_name, shielded_body)
        compiled = _PAGE_CODE.pop(key, None)
        if compiled is None:
            if len(_PAGE_CODE) >= PAGE_CODE_LIMIT:
                del _PAGE_CODE[next(iter(_PAGE_CODE))]
            tree = self.env.parse(shielded_body, name=display_name, filename=display_name)
            names = frozenset(node.name for node in tree.find_all(nodes.Name))
            compiled = (self.env.compile(tree, name=display_name, filename=display_name), names)
        _PAGE_CODE[key] = compiled  # now the most recently used
        return compiled

    # The macros a page calls (of `names`), each bound to this page's variables and returning compact HTML; those
    # that leave the page alone give a call's kept render where one fits.
    def _macros(self, variables: dict[str, Any], names: frozenset[str]) -> dict[str, Callable[..., Markup]]:
        macros: dict[str, Callable[..., Markup]] = {}
        for name in self.macro_names:
            if name not in names:
                continue
            template = self.env.get_template(f"{MACRO_DIR}/{name}.html")
            if self._is_shareable(name, template):
                macros[name] = self._kept_macro(name, template, variables)
            else:
                macros[name] = _compact(getattr(template.make_module(variables), name))
        return macros

    # Whether a macro's template leaves the page alone (decided once per load).
    def _is_shareable(self, name: str, template: Template) -> bool:
        if name not in self._shareable:
            self._shareable[name] = shareable(template, self.env.get_template)
        return self._shareable[name]

    # A shareable macro bound to a page: a call gives the render kept for it that fits this page, else renders (its
    # module made from this page's variables) and keeps the render when its arguments make a key. A failed call is
    # never kept: each page that makes it fails at its own line.
    def _kept_macro(self, name: str, template: Template, variables: dict[str, Any]) -> Callable[..., Markup]:
        page_id = variables["page_id"]

        def call(*args: Any, **kwargs: Any) -> Markup:
            key = call_key(name, args, kwargs)
            kept = self.memo.find(key, lambda kept: self._fits(kept, page_id)) if key is not None else None
            if kept is not None:
                self.reads.replay(kept.reads)
                return kept.html
            kept = self._noted_render(
                lambda: compact_html(str(getattr(template.make_module(variables), name)(*args, **kwargs))))
            if key is not None:
                self.memo.keep(key, kept)
            return kept.html
        return call

    # A macro render with the reads it made and the page functions' answers it used (noted in any render around it
    # as well).
    def _noted_render(self, render: Callable[[], Markup]) -> Kept:
        outer, self._answers = self._answers, []
        try:
            html, reads = self.reads.capture(render)
            return Kept(html, reads, tuple(self._answers))
        finally:
            if outer is not None:
                outer.extend(self._answers)
            self._answers = outer

    # Whether a kept render holds for this page: the watched values it read are the ones the templates see now (the
    # review book gains its citations during a load), and the page functions answer this page as they did.
    def _fits(self, kept: Kept, page_id: str) -> bool:
        for method, args, answer in kept.reads:
            current = self.env.globals.get(args[0]) if method == WATCHED else None
            if method == WATCHED and (type(current) is not Watched or watched_value(current) is not answer):
                return False
        return all(_PAGE_FUNCTIONS[function](self, page_id, *args) == answer for function, args, answer in kept.answers)

    # A readable message for a failed render, with a did-you-mean for unknown names.
    def _describe(self, exc: Exception) -> str:
        if isinstance(exc, RecursionError):
            return "template error: calls nested too deeply (does a macro call itself without end?)"
        if isinstance(exc, MemoryError):
            return "template error: out of memory"
        message = str(exc) if isinstance(exc, (TemplateError, TypeError, ValueError)) else f"{type(exc).__name__}: {exc}"
        unknown = re.match(r"'(\w+)' is undefined", message)
        if unknown:
            hint = did_you_mean(unknown.group(1), self.macro_names)
            return f"unknown macro or name {unknown.group(1)!r}" + (f" ({hint})" if hint else "")
        return f"template error: {message}"


# Wrap a macro so its HTML has no blank lines (a blank line would end Markdown's raw-HTML block).
def _compact(macro: Callable[..., str]) -> Callable[..., Markup]:
    def call(*args: Any, **kwargs: Any) -> Markup:
        return compact_html(str(macro(*args, **kwargs)))
    return call


# HTML without blank lines, marked safe.
def compact_html(html: str) -> Markup:
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))


# What a page body prints for {{ value }}: macros' HTML as it is; any other value (data text) escaped for HTML and
# Markdown, so it reads as plain text. Templates that autoescape (the .html macros) print values unchanged.
@pass_eval_context
def _page_text(eval_ctx: EvalContext, value: Any) -> Any:
    if eval_ctx.autoescape or isinstance(value, Markup) or hasattr(value, "__html__"):
        return value
    return Markup.escape(_MARKDOWN_SPECIAL.sub(r"\\\g<0>", str(value)))


# Stop rendering with an editor-facing message (used by macros for bad arguments).
def _fail(message: str) -> None:
    raise MacroArgumentError(message)


# The line of the page template where a render error was raised (1 when unknown).
def _page_line(exc: BaseException, display_name: str) -> int:
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == display_name]
    return frames[-1].lineno if frames and frames[-1].lineno else 1


# The href from page from_id to page target_id when every page lives at /<id>/ and the hub at /.
def page_href(from_id: str, target_id: str) -> str:
    prefix = "" if from_id == HUB_ID else "../"
    return (prefix or "./") if target_id == HUB_ID else f"{prefix}{target_id}/"


# Escape data text, then turn `backticks` into <code> (the only markup data text may use).
def inline_markup(text: str) -> Markup:
    escaped = str(Markup.escape(text))
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", escaped) if "`" in escaped else escaped)
