"""Link rules for other sites, and every URL written in data/ found at its exact line and column."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import add_rates

from costhub.pages.site import Site
from costhub.checks.urls import _read_scheme, data_urls, scheme_of, url_problem

ROOT = Path(__file__).resolve().parents[3]
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


def test_data_urls_are_found_at_their_line_and_column(project: Path) -> None:
    add_rates(project, "  - id: a\n"
                       "    title: >-\n"
                       "      Plain prose with a colon: not a link, nor is metadata: this.\n"
                       "      See https://example.org/b, then (javascript:alert(1)) and data:text/html,x.\n"
                       "    source: https://example.org/a\n"
                       "    last_reviewed: 2026-01-01\n    review_in: 365d\n    owner: video-team\n")
    found = {(use.url, use.line, use.column, use.where) for use in data_urls(Site.load(project).data, project)
             if use.file == "data/rates.yml"}
    assert found == {
        ("https://example.org/b", 6, 11, "rates[0].title"),
        ("javascript:alert(1)", 6, 40, "rates[0].title"),
        ("data:text/html,x", 6, 65, "rates[0].title"),
        ("https://example.org/a", 7, 13, "rates[0].source"),
    }


def test_the_real_data_follows_the_link_rules() -> None:
    uses = data_urls(Site.load(ROOT).data, ROOT)
    assert [use.url for use in uses if url_problem(use.url, ())] == []
    assert "https://media-api-cost-hub.example/" in {use.url for use in uses}


@pytest.mark.parametrize(("url", "scheme"), [
    ("../synthetic-guide-5/#faq-synthetic-5-q0", ""), ("glossary.md#billing-units", ""), ("", ""),
    ("https://example.org/", "https"), (" \tJaVaScRiPt:alert(1)", "javascript"),
    ("javascript&colon;alert(1)", "javascript"), ("java&#x73;cript&#58;x", "javascript"),
    ("jav\tascript:x", "javascript"), ("a&amp;b", ""), ("./a:b", ""), ("1http:x", ""),
])
def test_a_scheme_is_read_as_a_browser_reads_it(url: str, scheme: str) -> None:
    assert scheme_of(url) == scheme


def test_relative_links_never_fill_the_scheme_cache() -> None:
    before = _read_scheme.cache_info().currsize
    for i in range(1000):
        assert scheme_of(f"../page-{i}/#anchor-{i}") == ""
    assert _read_scheme.cache_info().currsize == before
