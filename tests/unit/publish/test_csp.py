"""The per-page Content-Security-Policy: which scripts are hashed, the directives, the <meta> element and _headers."""
from __future__ import annotations

import base64
import hashlib

from costhub.publish.csp import add_policy_meta, headers_file, inline_scripts, page_policy, script_hash

PAGE = ('<!doctype html><html><head><meta charset="utf-8"><script>var a = 1 < 2;</script>'
        '<script type="application/ld+json">{"x": "</"}</script><script src="x.js"></script>'
        '<script type="module">import "./m.js";</script><script type="application/json" id="__config">{}</script>'
        "</head><body><p>hi</p><script>\n  done()\n</script></body></html>")


# The CSP hash of a script, worked out from its definition: base64 of the SHA-256 of its UTF-8 text.
def expected_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_only_inline_scripts_a_browser_runs_are_collected() -> None:
    assert inline_scripts(PAGE) == ["var a = 1 < 2;", 'import "./m.js";', "\n  done()\n"]


def test_a_known_script_hash() -> None:
    # printf 'alert(1)' | openssl dgst -sha256 -binary | base64
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


def test_header_policy_lists_each_script_once_and_forbids_framing() -> None:
    policy = page_policy(PAGE + "<script>var a = 1 < 2;</script>")
    hashes = " ".join(expected_hash(text) for text in ("var a = 1 < 2;", 'import "./m.js";', "\n  done()\n"))
    assert policy.header == (f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
                             "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
                             "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    assert policy.meta == policy.header.removesuffix("; frame-ancestors 'none'")
    assert "unsafe-inline" not in policy.header.split("script-src")[1].split(";")[0]


def test_a_page_without_inline_scripts_allows_only_its_own_files() -> None:
    assert "script-src 'self';" in page_policy("<html><head></head><body></body></html>").header


def test_meta_comes_right_after_the_charset_before_any_script() -> None:
    html, policy = add_policy_meta(PAGE)
    start = html.index("<meta http-equiv")
    assert html[:start] == '<!doctype html><html><head><meta charset="utf-8">'
    assert html.index("<script") > start
    assert f'content="{policy.meta}"' in html
    assert html.replace(html[start:html.index(">", start) + 1], "") == PAGE


def test_headers_file_names_folder_pages_and_their_index_html() -> None:
    policy = page_policy(PAGE)
    text = headers_file({"/guide/": policy, "/404.html": policy})
    assert text.splitlines()[1:] == ["/*", "  X-Content-Type-Options: nosniff", "  X-Frame-Options: DENY",
                                     "  Referrer-Policy: strict-origin-when-cross-origin", "/404.html", f"  Content-Security-Policy: {policy.header}",
                                     "/guide/", f"  Content-Security-Policy: {policy.header}",
                                     "/guide/index.html", f"  Content-Security-Policy: {policy.header}"]


def test_scripts_are_found_as_a_browser_reads_them() -> None:
    page = ('<!-- <script>commented()</script> --><SCRIPT data-x="a>b">upper()</SCRIPT >'
            "<scripts>not a script</scripts><script type='text/javascript' data-y='</p>'>single()</script>"
            '<script type="application/ld+json">{"a": 1}</script><script src="/x.js">ignored()</script>'
            "<script>last()")
    assert inline_scripts(page) == ["upper()", "single()", "last()"]
