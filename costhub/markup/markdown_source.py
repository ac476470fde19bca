"""Split page sources into front matter and body, and shield code from the template engine."""
from __future__ import annotations

import re
from typing import Any

import yaml

_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*\n", re.DOTALL)
_FENCED_BLOCK = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?\n.*?^(?P=indent)(?P=fence)[ \t]*$",
                           re.DOTALL | re.MULTILINE)
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")


# Front matter as a dict, the body, and how many lines the front matter took.
def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 0
    meta = yaml.safe_load(match.group(1) or "") or {}
    return (meta if isinstance(meta, dict) else {}), text[match.end():], match.group(0).count("\n")


# Replace fenced blocks and inline code with line-preserving tokens; returns (text, token -> original).
def shield_code(text: str) -> tuple[str, dict[str, str]]:
    shielded: dict[str, str] = {}

    def _token(match: re.Match[str]) -> str:
        original = match.group(0)
        token = f"\x00code{len(shielded)}\x00" + "\n" * original.count("\n")
        shielded[token] = original
        return token

    text = _FENCED_BLOCK.sub(_token, text)
    return _INLINE_CODE.sub(_token, text), shielded


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


# The prose an editor wrote in a page body: no macro calls or template tags, no link targets (only link text).
def prose_of(body: str) -> str:
    return _LINK_TARGET.sub("]", _TEMPLATE_CODE.sub(" ", body))
