"""Broken copies of the real site: each link or structure problem is reported with its file:line, fails the strict
build and makes `costhub check` exit 1; the real site passes both."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from costhub.pages.site import Site
from costhub.publish.load_output import OUTPUT_FILE
from conftest import TEST_DAY, Build, add_rates, build, catalog_entry, costhub, rate, set_field


# Append lines to a content page; returns the line number of the first one added.
def append(page: Path, *lines: str) -> int:
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    page.write_text(text + "\n".join(lines) + "\n", encoding="utf-8")
    return text.count("\n") + 1


# Build strictly and run `costhub check`; both must fail and report every message; returns the build.
def assert_reported(project: Path, *messages: str) -> Build:
    result = build(project)
    code, _out, err = costhub(project, "check")
    assert result.returncode != 0
    assert code == 1
    for message in messages:
        assert message in result.log, result.log
        assert message in err, err
    assert "Traceback" not in result.log + err
    return result


def test_the_real_site_has_no_link_or_review_warnings(site_build: Build, project: Path) -> None:
    assert "WARNING" not in site_build.log
    code, out, err = costhub(project, "check")
    assert (code, err) == (0, "")
    assert out.startswith("ok: ") and " links and " in out


def test_broken_page_link(project: Path) -> None:
    line = append(project / "content/glossary.md", "Try the [calculator](calculatr.md) next.")
    assert_reported(project, f"content/glossary.md:{line}: broken link 'calculatr.md': there is no page "
                             "content/calculatr.md (did you mean 'calculator.md'?)")


def test_broken_anchor(project: Path) -> None:
    append(project / "content/glossary.md", "## Cost per second")
    line = append(project / "content/calculator.md", "Intro", "", "See [the rate](glossary.md#cost-per-secnd).")
    assert_reported(project, f"content/calculator.md:{line + 2}: broken anchor 'glossary.md#cost-per-secnd': "
                             "content/glossary.md has no element with id 'cost-per-secnd' (closest anchors there: #cost-per-second")


def test_broken_anchor_that_only_a_macro_produces(project: Path) -> None:
    add_rates(project, "  - id: sample-rate\n    title: Sample rate\n")
    append(project / "content/glossary.md", '{{ rate_note("sample-rate") }}')
    (project / "overrides/macros/rate_link.html").write_text(
        '{% macro rate_link(id) %}<a href="{{ url_for("glossary", "rate-" ~ id) }}">{{ id }}</a>{% endmacro %}\n')
    line = append(project / "content/calculator.md", 'A {{ rate_link("sample-rate") }} is fine.', "",
                  'A {{ rate_link("sample-rates") }} is not.')
    result = assert_reported(project, f"content/calculator.md:{line + 2}: broken anchor '../glossary/#rate-sample-rates': "
                                      "content/glossary.md has no element with id 'rate-sample-rates' "
                                      "(closest anchors there: #rate-sample-rate")
    assert "rate-sample-rates" not in "".join(line for line in result.log.splitlines() if "Doc file" in line)
    assert "'../glossary/#rate-sample-rate'" not in result.log


def test_dangling_related_id(project: Path) -> None:
    pages = project / "data/pages.yml"
    line = set_field(pages, "image-generation-api-cost", "related", "[video-generation-api-pricng, billing-transparency]")
    index = catalog_entry(project, "image-generation-api-cost")[1]
    assert_reported(project, f"data/pages.yml:{line}:15: pages[{index}].related[0]: unknown pages id 'video-generation-api-pricng' "
                             "(did you mean 'video-generation-api-pricing'?)")


def test_orphan_page(project: Path) -> None:
    (project / "content/pricing-notes.md").write_text("Notes nobody links to.\n")
    result = assert_reported(project, "content/pricing-notes.md:1: page is not in the page catalog "
                                      "(add an entry with id 'pricing-notes' to data/pages.yml; `costhub new guide pricing-notes --title ... --owner ...` writes one)")
    assert 'not included in the "nav" configuration:\n  - pricing-notes.md' in result.log
    _code, _out, err = costhub(project, "check")
    assert "content/pricing-notes.md:1: orphan page: it is not in the nav and no page links to it" in err


def test_http_and_javascript_links_in_data(project: Path) -> None:
    add_rates(project, rate("sample-rate", "'Sample rate, see [here](javascript:alert(document.cookie))'",
                            source="http://example.org/rates", last_reviewed=TEST_DAY))
    messages = ("data/rates.yml:5:13: rates[0].source: link 'http://example.org/rates': plain http:// is not allowed "
                "(use https://, or add an address prefix to links.http_allow in data/site.yml)",
                "data/rates.yml:4:37: rates[0].title: link 'javascript:alert(document.cookie)': "
                "javascript: URLs are not allowed (link to an https:// page instead)")
    assert_reported(project, *messages)
    # A second build of the same files takes these from the output kept beside the snapshot, and still fails on them.
    assert (project / OUTPUT_FILE).is_file()
    again = build(project)
    assert again.returncode != 0
    for message in messages:
        assert message in again.log, again.log


def test_allow_listed_http_address_passes(project: Path) -> None:
    site_yml = project / "data/site.yml"
    site_yml.write_text(site_yml.read_text().replace("http_allow: []", "http_allow: [http://legacy.example.org/]"))
    line = append(project / "content/glossary.md", "An [old page](http://legacy.example.org/units) and [another](http://example.org/).")
    code, _out, err = costhub(project, "check")
    assert code == 1
    assert err.splitlines()[:-1] == [f"content/glossary.md:{line}: link 'http://example.org/': plain http:// is not allowed "
                                     "(use https://, or add an address prefix to links.http_allow in data/site.yml)"]


def test_guide_the_hub_does_not_link_to(project: Path) -> None:
    guides = [record.id for record in Site.load(project).data.all("pages") if record.section == "guides"]
    (project / "content/index.md").write_text("".join(f"- [{guide}]({guide}.md)\n" for guide in guides[1:]))
    line, index = catalog_entry(project, guides[0])
    assert_reported(project, f"data/pages.yml:{line}: pages[{index}]: guide '{guides[0]}' is not linked from the hub "
                             "(content/index.md) (the hub lists every guide with guide_cards(); or link to the guide from the hub)")


def test_every_problem_is_reported_in_one_run(project: Path) -> None:
    glossary = project / "content/glossary.md"
    first = append(glossary, "[one](nowhere.md)")
    second = append(glossary, "[two](checklists.md#nothing-here)")
    third = append(project / "content/calculator.md", '<a href="../glosary/">three</a>')
    assert_reported(project, f"content/glossary.md:{first}: broken link 'nowhere.md'",
                    f"content/glossary.md:{second}: broken anchor 'checklists.md#nothing-here'",
                    f"content/calculator.md:{third}: broken link '../glosary/': there is no page at /glosary/ "
                    "(did you mean 'glossary/'?)")


class _Handler(BaseHTTPRequestHandler):
    """Answers 200 on /ok and 404 elsewhere, counting every request."""

    seen: list[str] = []

    # Count the request and answer with an empty body.
    def do_HEAD(self) -> None:
        self.seen.append(self.path)
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    # Keep the test output clean.
    def log_message(self, *args: object) -> None:
        return


# A local HTTP server on 127.0.0.1: its base URL and the paths requested so far.
@pytest.fixture
def local_server() -> Iterator[tuple[str, list[str]]]:
    handler = type("Handler", (_Handler,), {"seen": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.seen
    httpd.shutdown()
    httpd.server_close()


def test_external_check_is_opt_in_and_reports_dead_links(project: Path, local_server: tuple[str, list[str]]) -> None:
    base, seen = local_server
    site_yml = project / "data/site.yml"
    site_yml.write_text(site_yml.read_text().replace("http_allow: []", f"http_allow: ['{base}/']"))
    add_rates(project, rate("live", "Live", source=f"{base}/ok", last_reviewed=TEST_DAY)
              + rate("dead", "Dead", source=f"{base}/gone", last_reviewed=TEST_DAY))
    assert costhub(project, "check")[0] == 0
    assert build(project).returncode == 0
    assert seen == []
    code, _out, err = costhub(project, "check", "--external")
    assert code == 1
    assert f"data/rates.yml:11:13: rates[1].source: link '{base}/gone': dead link: HTTP 404" in err
    assert "/ok" not in err
    assert sorted(set(seen)) == ["/gone", "/ok"]
    assert (project / ".costhub-cache/external.json").is_file()
