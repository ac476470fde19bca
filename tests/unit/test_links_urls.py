"""Link rules for other sites, and every URL written in data/ found at its exact line and column."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from costhub.urls import data_urls, url_problem

ROOT = Path(__file__).resolve().parents[2]
ALLOW = ("http://legacy.example.org/",)


@pytest.mark.parametrize("url", [
    "https://example.org", "https://example.org/pricing?model=x#rates", "https://sub.example.co.uk:8443/a",
    "https://bücher.example/", "https://127.0.0.1/", "https://[::1]/", "http://legacy.example.org/page",
    "mailto:desk@example.org", "tel:+441234567",
])
def test_allowed_links(url: str) -> None:
    assert url_problem(url, ALLOW) is None


@pytest.mark.parametrize(("url", "message"), [
    ("http://example.org/", "plain http:// is not allowed"),
    ("http://legacy.example.org.evil.example/", "plain http:// is not allowed"),
    ("javascript:alert(1)", "javascript: URLs are not allowed"),
    ("JavaScript:alert(1)", "javascript: URLs are not allowed"),
    ("data:text/html;base64,PHA+", "data: URLs are not allowed"),
    ("vbscript:msgbox", "vbscript: URLs are not allowed"),
    ("file:///etc/passwd", "file: URLs are not allowed"),
    ("ftp://example.org/file", "ftp: links are not allowed"),
    ("https://", "has no host name"),
    ("https://example", "has an invalid host name 'example'"),
    ("https://exa_mple.org/", "has an invalid host name 'exa_mple.org'"),
    ("https://example.org:99999/", "has an invalid port"),
    ("https://example.org/a b", "contains a space"),
    ("mailto:", "empty mailto: address"),
])
def test_refused_links(url: str, message: str) -> None:
    problem = url_problem(url, ALLOW)
    assert problem is not None and problem[0] == message


def test_data_urls_are_found_at_their_line_and_column(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data/notes.yml").write_text(
        "notes:\n"
        "  - id: a\n"
        "    source: https://example.org/a\n"
        "    text: >-\n"
        "      Plain prose with a colon: not a link, nor is metadata: this.\n"
        "      See https://example.org/b, then (javascript:alert(1)) and data:text/html,x.\n"
        "    url: '  https://example.org/c  '\n"
        "    origin: Provider pricing page\n"
    )
    found = {(use.url, use.line, use.column, use.where) for use in data_urls(tmp_path / "data", tmp_path)
             if use.file == "data/notes.yml"}
    assert found == {
        ("https://example.org/a", 3, 13, "notes[0].source"),
        ("https://example.org/b", 6, 11, "notes[0].text"),
        ("javascript:alert(1)", 6, 40, "notes[0].text"),
        ("data:text/html,x", 6, 65, "notes[0].text"),
        ("https://example.org/c", 7, 13, "notes[0].url"),
    }


def test_the_real_data_follows_the_link_rules() -> None:
    uses = data_urls(ROOT / "data", ROOT)
    assert [use.url for use in uses if url_problem(use.url, ())] == []
    assert "https://media-api-cost-hub.example/" in {use.url for use in uses}
