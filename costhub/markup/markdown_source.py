"""Split page sources into front matter and body, and shield code from the template engine."""
from __future__ import annotations

import re
from typing import Any, Callable

import yaml

_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*\n", re.DOTALL)
_FENCED_BLOCK = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?\n.*?^(?P=indent)(?P=fence)[ \t]*$",
                           re.DOTALL | re.MULTILINE)
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_NOT_NEWLINE = re.compile(r"[^\n]")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
# A line indented by four spaces or a tab right after a blank line (whitespace only, as str.strip sees it), and the
# same as the text's first line that is not blank: where an indented code block can start.
_INDENT_AFTER_BLANK = re.compile(r"\n[^\S\n]*\n(?:    |\t)")
_LEADING_INDENT = re.compile(r"(?:[^\S\n]*\n)*(?:    |\t)")
# A code span: a whole run of backticks, text on the same line, and a run of the same length. The pattern opens
# with a literal backtick (the look-behind that makes the run whole comes after it), so the engine skips straight
# from one backtick to the next instead of trying every position.
_INLINE_CODE = re.compile(r"(`(?<!``)`*)(?!`).+?(?<!`)\1(?!`)")


class FrontMatterError(ValueError):
    """Front matter that is not safe, plain YAML: what is wrong and the 1-based line and column in the page."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


# Front matter as a dict, the body, and how many lines the front matter took; FrontMatterError for bad YAML.
def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 0
    try:
        meta = yaml.load(match.group(1) or "", Loader=_FrontMatterLoader) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise FrontMatterError(f"front matter: {problem}", mark.line + 2 if mark else 1,
                               mark.column + 1 if mark else 0) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"front matter: {exc}", 1, 0) from None
    return (meta if isinstance(meta, dict) else {}), text[match.end():], match.group(0).count("\n")


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML for front matter that refuses aliases, so no alias can expand or refer to itself."""

    # An alias in front matter is an error at its line.
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"alias *{event.anchor} is not allowed", event.start_mark)
        return super().compose_node(parent, index)


# Replace fenced blocks and inline code with line-preserving tokens; returns (text, token -> original).
def shield_code(text: str) -> tuple[str, dict[str, str]]:
    shielded: dict[str, str] = {}

    def _token(match: re.Match[str]) -> str:
        original = match.group(0)
        token = f"\x00code{len(shielded)}\x00" + "\n" * original.count("\n")
        shielded[token] = original
        return token

    return _replace_code(text, _token), shielded


# The text with every fenced block and code span blanked to spaces (newlines kept), so each offset and line stays.
def blank_code_spans(text: str) -> str:
    return _replace_code(text, lambda match: _NOT_NEWLINE.sub(" ", match.group(0)))


# Fenced blocks, then code spans, replaced through `replace` (a pattern runs only when its opening fence or
# backtick occurs at all).
def _replace_code(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    if "```" in text or "~~~" in text:
        text = _FENCED_BLOCK.sub(replace, text)
    return _INLINE_CODE.sub(replace, text) if "`" in text else text


# Put the shielded code back exactly as it was written.
def unshield_code(text: str, shielded: dict[str, str]) -> str:
    for token, original in shielded.items():
        text = text.replace(token, original)
    return text


# Words a reader reads: markup, tags and code fences are not counted.
def count_words(text: str) -> int:
    text = _FENCED_BLOCK.sub(" ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.,%$-]*", text))


# The lines of indented code blocks (four spaces or a tab, after a blank line, outside a list), as 0-based numbers.
# Text where no indented line follows a blank line (or starts the text after blank lines) has none, and is not
# walked line by line.
def indented_code_lines(text: str) -> set[int]:
    if not _LEADING_INDENT.match(text) and not _INDENT_AFTER_BLANK.search(text):
        return set()
    code: set[int] = set()
    in_code, in_list, after_blank = False, False, True
    for number, line in enumerate(text.split("\n")):
        blank = not line.strip()
        indented = line.startswith(("    ", "\t"))
        if in_code and (blank or indented):
            code.add(number)
            continue
        in_code = False
        if blank:
            after_blank = True
            continue
        if indented and after_blank and not in_list:
            in_code = True
            code.add(number)
        elif not indented:
            in_list = bool(_LIST_ITEM.match(line)) or (in_list and not after_blank)
        after_blank = False
    return code


# The prose an editor wrote in a page body: no macro calls or template tags, no link targets (only link text).
def prose_of(body: str) -> str:
    return _LINK_TARGET.sub("]", _TEMPLATE_CODE.sub(" ", body))
