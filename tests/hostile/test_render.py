"""Script in data never runs: one build of a copy whose every free-text data field (site settings, page catalog,
FAQs, checklists, glossary, policies, calculators ...) and one page's front-matter title hold a hostile payload
with its own number. Each payload must reach the pages only as text: parsed HTML holds no element or attribute it
tries to add, JSON blocks still parse to the exact text, and in Chromium no dialog opens and nothing is injected.
The calculator's URL state is attacked on the same build."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import copy_project
from costhub.errors import ContentErrors
from costhub.pages.site import Site

from browser.conftest import browser, playwright_driver, serve  # noqa: F401  (fixtures)

SKIPPED_KEYS = frozenset({"id", "key", "page", "owner", "section", "media", "kind", "last_reviewed", "review_in",
                          "due_soon", "grace", "overdue", "formula", "url", "source", "language", "http_allow"})
FRONT_MATTER_MARK = 9999


# The payload with number n: it closes attributes, elements and the title, and carries a Markdown link and a
# character-reference-obfuscated script URL.
def payload(n: int) -> str:
    return (f"X{n}X \"'></title></textarea></script><img src=x onerror=alert({n})><svg onload=alert({n})>"
            f"[m](java&#9;script:alert({n})) &lt;b&gt; ``")


# Every free-text string in a parsed data file, as (path, value) pairs; ids, references, dates, enums and URLs are
# left alone because the schema restricts them.
def text_fields(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in SKIPPED_KEYS:
                yield from text_fields(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_fields(item, path + (index,))
    elif isinstance(value, str) and not re.fullmatch(r"[a-z0-9_-]+|https?://\S+|\d{4}-\d\d-\d\d", value):
        yield path, value


# Set the value at path inside nested data.
def set_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


# The data path of an error ("faqs[3].answer") as a tuple.
def error_path(where: str) -> tuple[Any, ...]:
    return tuple(int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", where))


# Put a payload in every free-text field of every data file, then put back each field the loader refuses (patterns,
# lengths, formulas' labels ...) until the site loads; returns {payload number: "file: path"}.
def plant_payloads(project: Path) -> dict[int, str]:
    documents = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((project / "data").glob("*.yml"))}
    planted: dict[int, tuple[Path, tuple[Any, ...], str]] = {}
    for path, document in documents.items():
        for field_path, original in list(text_fields(document)):
            number = len(planted) + 1
            planted[number] = (path, field_path, original)
            set_at(document, field_path, payload(number))
    for _attempt in range(10):
        for path, document in documents.items():
            path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")
        try:
            Site.load(project)
            break
        except ContentErrors as exc:
            refused = {(error.file, error_path(error.where)) for error in exc.errors}
        for number, (path, field_path, original) in list(planted.items()):
            rel = path.relative_to(project).as_posix()
            if any(file == rel and field_path[:len(where)] == where for file, where in refused if where):
                set_at(documents[path], field_path, original)
                del planted[number]
    else:
        raise AssertionError("the payloads could not all be placed")
    return {number: f"{path.relative_to(project).as_posix()}: {'.'.join(map(str, field_path))}"
            for number, (path, field_path, _original) in planted.items()}


# One build of the project with payloads everywhere (not strict: the payloads' script URLs are link errors).
@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, str], str]:
    project = copy_project(tmp_path_factory.mktemp("xss") / "project")
    planted = plant_payloads(project)
    page = project / "content/glossary.md"
    page.write_text(f"---\ntitle: {json.dumps(payload(FRONT_MATTER_MARK))}\n---\n" + page.read_text(encoding="utf-8"),
                    encoding="utf-8")
    planted[FRONT_MATTER_MARK] = "content/glossary.md: front matter title"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "site"], cwd=project, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return project / "site", planted, result.stdout + result.stderr


# Every built HTML page, parsed.
@pytest.fixture(scope="module")
def pages(hostile_build: tuple[Path, dict[int, str], str]) -> dict[str, BeautifulSoup]:
    site = hostile_build[0]
    return {path.relative_to(site).as_posix(): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in sorted(site.rglob("*.html"))}


def test_most_free_text_fields_carry_a_payload(hostile_build: tuple[Path, dict[int, str], str]) -> None:
    planted = hostile_build[1]
    files = {where.split(":")[0] for where in planted.values()}
    assert len(planted) > 150
    assert {"data/site.yml", "data/pages.yml", "data/faqs.yml", "data/checklists.yml", "data/glossary.yml",
            "data/policies.yml", "data/calculators.yml", "content/glossary.md"} <= files


def test_no_page_gains_an_element_or_attribute(pages: dict[str, BeautifulSoup]) -> None:
    for name, soup in pages.items():
        assert soup.select('img[src="x"], svg[onload], textarea:not(.costhub-checklist__markdown)') == [], name
        handlers = [(tag.name, attribute) for tag in soup.find_all(True) for attribute in tag.attrs
                    if attribute.lower().startswith("on")]
        assert handlers == [], name
        for script in soup.find_all("script"):
            assert "alert(" not in (script.string or "") or script.get("type") in ("application/ld+json", "application/json"), name
        links = [a["href"] for a in soup.find_all("a", href=True) if "script:" in a["href"].replace("\t", "").lower()]
        assert links == [], name


def test_json_blocks_still_parse(pages: dict[str, BeautifulSoup]) -> None:
    for name, soup in pages.items():
        for script in soup.find_all("script", type=("application/ld+json", "application/json")):
            json.loads(script.string or "")


# Where each payload shows: every text node (outside scripts) and attribute value holding its marker, by number.
@pytest.fixture(scope="module")
def shown(pages: dict[str, BeautifulSoup]) -> dict[int, list[str]]:
    places: dict[int, list[str]] = {}
    for soup in pages.values():
        texts = [str(text) for text in soup.find_all(string=True) if text.parent.name != "script"]
        texts += [value for tag in soup.find_all(True) for value in tag.attrs.values() if isinstance(value, str)]
        for text in texts:
            for number in set(re.findall(r"X(\d+)X", text)):
                places.setdefault(int(number), []).append(text)
    return places


# Payloads grouped by the data file (and front matter) they sit in, so each kind is one case.
KINDS = ["data/site.yml", "data/pages.yml", "data/faqs.yml", "data/checklists.yml", "data/glossary.yml",
         "data/policies.yml", "data/calculators.yml", "data/units.yml", "data/cost_drivers.yml",
         "data/failure_modes.yml", "data/api_kinds.yml", "data/video_modes.yml", "data/lifecycle.yml",
         "data/policy_questions.yml", "data/evidence.yml", "data/owners.yml", "content/glossary.md"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_payload_of_a_kind_is_shown_only_as_text(hostile_build: tuple[Path, dict[int, str], str],
                                                         shown: dict[int, list[str]], kind: str) -> None:
    planted = {number: where for number, where in hostile_build[1].items() if where.startswith(kind + ":")}
    assert planted, f"no payload could be placed in {kind}"
    places = [(number, where, place) for number, where in planted.items() for place in shown.get(number, [])]
    assert places, f"no payload from {kind} reached a page"
    for number, where, place in places:
        assert payload(number) in place, (where, place)


# The built site with its <meta> policies taken out, served on 127.0.0.1, so script would run if it got in.
@pytest.fixture(scope="module")
def unprotected_site(hostile_build: tuple[Path, dict[int, str], str],
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    folder = tmp_path_factory.mktemp("unprotected") / "site"
    shutil.copytree(hostile_build[0], folder)
    paths = []
    for path in sorted(folder.rglob("*.html")):
        path.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
        relative = path.relative_to(folder).as_posix()
        paths.append("/" + relative.removesuffix("index.html"))
    with serve(folder) as server:
        yield server.url, paths


INJECTED = """() => ({
  elements: document.querySelectorAll('img[src="x"], svg[onload], textarea:not(.costhub-checklist__markdown)').length,
  handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  scriptLinks: [...document.querySelectorAll('a[href]')].filter((a) => /script:/i.test(a.getAttribute('href').replace(/\\s/g, ''))).length,
})"""


# One browser context for the module that records dialogs and page errors.
@pytest.fixture(scope="module")
def watched_page(browser: Any, unprotected_site: tuple[str, list[str]]) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(base_url=unprotected_site[0])
    events: list[str] = []
    context.on("dialog", lambda dialog: (events.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page = context.new_page()
    page.on("pageerror", lambda error: events.append(f"page error: {error}"))
    yield page, events
    context.close()


PAGE_PATHS = ["/", "/404.html", "/billing-transparency/", "/calculator/", "/calculator-method/", "/checklists/", "/failed-video-generation-cost/",
              "/glossary/", "/image-generation-api-cost/", "/realtime-voice-api-cost/", "/review/",
              "/video-generation-api-pricing/", "/video-generation-webhooks/"]


def test_every_page_is_checked_in_chromium(unprotected_site: tuple[str, list[str]]) -> None:
    assert sorted(unprotected_site[1]) == sorted(PAGE_PATHS)


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_chromium_runs_no_payload(watched_page: tuple[Any, list[str]], path: str) -> None:
    page, events = watched_page
    events.clear()
    page.goto(path, wait_until="load")
    page.wait_for_timeout(50)
    assert page.evaluate(INJECTED) == {"elements": 0, "handlers": 0, "scriptLinks": 0}
    assert [event for event in events if event.startswith("dialog")] == []


HOSTILE_VALUES = ["<img src=x onerror=alert(1)>", "\"><svg onload=alert(2)>", "javascript:alert(3)", "1e309", "-1e309",
                  "NaN", "Infinity", "0x10", "9" * 400, "1" * 1000, "__proto__", "constructor", "%00", "1;alert(4)",
                  "yes<script>alert(5)</script>"]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=lambda value: value[:24])
def test_hostile_calculator_url_changes_nothing_but_field_values(watched_page: tuple[Any, list[str]],
                                                                  pages: dict[str, BeautifulSoup], value: str) -> None:
    page, events = watched_page
    events.clear()
    specs = [json.loads(script.string) for script in pages["calculator/index.html"].select(".costhub-calc__spec")]
    keys = [f"{spec['key']}.{field['key']}" for spec in specs for field in spec["inputs"]] + ["__proto__.polluted", "x"]
    page.goto("/calculator/?" + urlencode([(key, value) for key in keys]), wait_until="load")
    page.wait_for_selector("section.costhub-calc--live[data-calculator='voice']")  # the last to start
    assert page.evaluate(INJECTED) == {"elements": 0, "handlers": 0, "scriptLinks": 0}
    assert page.evaluate("({}).polluted === undefined && Object.prototype.polluted === undefined")
    assert events == []
