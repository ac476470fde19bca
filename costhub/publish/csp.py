"""A strict Content-Security-Policy for every page: scripts only from the site itself plus the exact inline scripts
the page carries (by their sha256), no plugins, no <base> elsewhere, no framing. It ships twice: as a `_headers`
file (Netlify and Cloudflare Pages format) and as a <meta http-equiv> in each page for hosts without headers."""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

from ..markup.htmlscan import tag_attributes

HEADERS_FILE = "_headers"
# Browsers run a <script> with no type or one of these; any other type (JSON-LD, Material's JSON config) is data.
_SCRIPT_TYPES = frozenset({"", "module", "text/javascript", "application/javascript", "application/ecmascript",
                           "text/ecmascript", "text/jscript", "text/livescript", "application/x-javascript",
                           "application/x-ecmascript", "text/x-javascript", "text/x-ecmascript"})
# What the theme needs besides scripts: its stylesheets and the style attributes its scripts set ('unsafe-inline'
# for styles only), SVG icons as data: images, and same-origin fetches (the search index) and workers.
_FIXED_DIRECTIVES = (
    ("default-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# Honoured only in a header: browsers ignore (and report) frame-ancestors in a <meta> policy.
HEADER_ONLY = (("frame-ancestors", "'none'"),)
# Sent with every file: no MIME sniffing, no framing (for browsers without frame-ancestors), no full referrers
# to other sites.
EVERY_FILE_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                      ("Referrer-Policy", "strict-origin-when-cross-origin"))
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r"\s*<meta\s+charset=[^>]*>", re.IGNORECASE)
# A comment, or a script element: its attributes (quoted values may hold ">") and its raw text.
_SCRIPT = re.compile(r"<!--.*?(?:-->|\Z)|<script(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>(.*?)(?:</script(?=[\s/>])|\Z)",
                     re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class PagePolicy:
    """One page's policy: the header value and the (shorter) value for its <meta> element."""

    header: str
    meta: str


# The text of each inline script the page runs, in page order: a <script> without src, of a type browsers run. Its
# text runs raw up to the first </script (script is a raw-text element); commented-out scripts are skipped.
def inline_scripts(html: str) -> list[str]:
    scripts: list[str] = []
    for match in _SCRIPT.finditer(html):
        if match.group(1) is None:
            continue  # a comment
        values = tag_attributes(match.group(1))
        if "src" not in values and values.get("type", "").strip().lower() in _SCRIPT_TYPES:
            scripts.append(match.group(2))
    return scripts


# The CSP source expression for one inline script: 'sha256-<base64 digest of its UTF-8 text>'.
def script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


# The policy for a page's final HTML.
def page_policy(html: str) -> PagePolicy:
    hashes = list(dict.fromkeys(script_hash(script) for script in inline_scripts(html)))
    directives = [*_FIXED_DIRECTIVES[:1], ("script-src", " ".join(["'self'", *hashes])), *_FIXED_DIRECTIVES[1:]]
    meta = "; ".join(f"{name} {value}" for name, value in directives)
    header = "; ".join([meta, *(f"{name} {value}" for name, value in HEADER_ONLY)])
    return PagePolicy(header, meta)


# The page with its policy as the first thing in <head> after the charset (so it covers every script), and the
# policy; a page without <head> gets none.
def add_policy_meta(html: str) -> tuple[str, PagePolicy]:
    policy = page_policy(html)
    head = _HEAD.search(html)
    if head is None:
        return html, policy
    charset = _CHARSET.match(html, head.end())
    at = charset.end() if charset else head.end()
    content = policy.meta.replace("&", "&amp;").replace('"', "&quot;")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    return html[:at] + meta + html[at:], policy


# The `_headers` file: security headers for every file, then each page's path (a folder page also as its
# index.html) with its policy header.
def headers_file(policies: dict[str, PagePolicy]) -> str:
    lines = ["# Security headers by path (Netlify and Cloudflare Pages `_headers` format), written by the build.", "/*"]
    lines += [f"  {name}: {value}" for name, value in EVERY_FILE_HEADERS]
    for path in sorted(policies):
        targets = [path] + ([f"{path}index.html"] if path.endswith("/") else [])
        for target in targets:
            lines += [target, f"  Content-Security-Policy: {policies[path].header}"]
    return "\n".join(lines) + "\n"
