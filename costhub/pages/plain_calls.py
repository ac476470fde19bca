"""Page bodies that are only text and macro calls such as {{ checklist("video-pricing") }} or
{{ provider_examples(topics=["failures", "balance"]) }}: their arguments are quoted strings or lists of them, each
call on one line. Such a body is read here into its texts and calls, so rendering it compiles no template; any body
with other template syntax (blocks, comments, filters, names, numbers, escapes, whitespace control) is left to Jinja,
and so is any text Jinja could read differently (a brace touching a call, a carriage return)."""
from __future__ import annotations

import keyword
import re
from collections.abc import Collection
from dataclasses import dataclass

Argument = str | tuple[str, ...]  # a string, or a list of strings (passed to the macro as a new list each call)

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_STRING = r""""[^"\\\r\n]*"|'[^'\\\r\n]*'"""
# A list: blanks only after "[" and around commas, so no run of blanks can be read two ways.
_VALUE = rf"""(?:{_STRING}|\[[ \t]*(?:(?:{_STRING})(?:[ \t]*,[ \t]*(?:{_STRING}))*[ \t]*)?\])"""
_ARGUMENT = rf"(?:{_NAME}[ \t]*=[ \t]*)?{_VALUE}"
_CALL = re.compile(rf"\{{\{{[ \t]*({_NAME})[ \t]*\(((?:[ \t]*{_ARGUMENT}[ \t]*(?:,[ \t]*{_ARGUMENT}[ \t]*)*)?)\)[ \t]*\}}\}}")
_ONE_ARGUMENT = re.compile(rf"[ \t]*(?:({_NAME})[ \t]*=[ \t]*)?({_VALUE})[ \t]*(?:,|$)")
_ONE_STRING = re.compile(_STRING)
_TEMPLATE_SYNTAX = re.compile(r"\{[{%#]")
# Names Jinja reads as constants, operators or its own variables, never as a macro.
_NOT_MACROS = frozenset(keyword.kwlist) | {"true", "false", "none", "self", "loop", "caller", "super", "varargs",
                                           "kwargs"}


@dataclass(frozen=True)
class MacroCall:
    """One {{ name(...) }} of a page body, with its line in the body (1-based)."""

    name: str
    args: tuple[Argument, ...]
    kwargs: tuple[tuple[str, Argument], ...]
    line: int


@dataclass(frozen=True)
class PlainBody:
    """A body as its texts and the calls between them: texts[0], calls[0], texts[1], ..., texts[-1]."""

    texts: tuple[str, ...]
    calls: tuple[MacroCall, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(call.name for call in self.calls)


# The body as texts and calls to macros among `macros`, or None when Jinja has to compile it.
def plain_body(body: str, macros: Collection[str]) -> PlainBody | None:
    if "\r" in body:
        return None
    texts: list[str] = []
    calls: list[MacroCall] = []
    start = 0
    for match in _CALL.finditer(body) if "{" in body else ():
        call = _call(match, body.count("\n", 0, match.start()) + 1, macros)
        if call is None:
            return None
        texts.append(body[start:match.start()])
        calls.append(call)
        start = match.end()
    texts.append(body[start:])
    if any(_TEMPLATE_SYNTAX.search(text) for text in texts):
        return None
    if any(text.endswith("{") for text in texts[:-1]) or any(text.startswith("}") for text in texts[1:]):
        return None
    return PlainBody(tuple(texts), tuple(calls))


# The call a match reads, or None when its name is no macro or its arguments are not plain (a keyword argument
# before a positional one, or one given twice, is for Jinja to report).
def _call(match: re.Match[str], line: int, macros: Collection[str]) -> MacroCall | None:
    name, text = match.group(1), match.group(2)
    if name not in macros or name in _NOT_MACROS:
        return None
    args: list[Argument] = []
    kwargs: dict[str, Argument] = {}
    end = 0
    for argument in _ONE_ARGUMENT.finditer(text) if text.strip() else ():
        if argument.start() != end:
            return None
        end = argument.end()
        key, value = argument.group(1), _value(argument.group(2))
        if key is None:
            if kwargs:
                return None
            args.append(value)
        elif key in kwargs or key in _NOT_MACROS:
            return None
        else:
            kwargs[key] = value
    if text.strip() and end != len(text):
        return None
    return MacroCall(name, tuple(args), tuple(kwargs.items()), line)


# A quoted string's text, or a list's strings as a tuple.
def _value(text: str) -> Argument:
    if text.startswith("["):
        return tuple(found[1:-1] for found in _ONE_STRING.findall(text))
    return text[1:-1]


# An argument as the macro receives it: a list literal becomes a new list.
def passed(value: Argument) -> str | list[str]:
    return list(value) if isinstance(value, tuple) else value
