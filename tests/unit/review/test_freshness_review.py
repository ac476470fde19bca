"""The review book: every page and every dated record of any kind, validated, with statuses, citations and JSON."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import add_rates, pin_review_dates, rate, set_field

from costhub.errors import ContentErrors
from costhub.review.freshness import DUE_SOON, FRESH, OVERDUE, parse_interval
from costhub.review.book import Citation, CitationsPending, review_json
from costhub.pages.site import Site

RATES = (rate("sample-rate", "Sample per-second rate", review_in="30d")
         + rate("later-rate", "Later per-image rate", source="https://example.org/images", review_in="P2M", owner="pricing-desk"))


# A project copy whose review dates are pinned, with the two rates above, the first cited on the glossary page.
@pytest.fixture
def dated(project: Path) -> Path:
    pin_review_dates(project)
    add_rates(project, RATES)
    glossary = project / "content/glossary.md"
    glossary.write_text(glossary.read_text() + '\n{{ rate_note("sample-rate") }}\n')
    return project


# The error lines that loading the project raises.
def load_errors(project: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        Site.load(project, date(2030, 1, 10))
    return [str(error) for error in caught.value.errors]


def test_every_page_and_every_dated_record_of_any_kind_is_an_item(dated: Path) -> None:
    book = Site.load(dated, date(2030, 1, 10)).review
    keys = [item.key for item in book.items]
    assert {f"pages:{page_id}" for page_id in Site.load(dated, date(2030, 1, 10)).data.ids("pages")} <= set(keys)
    assert keys[:2] == ["rates:sample-rate", "rates:later-rate"]
    assert [item.due for item in book.items] == sorted(item.due for item in book.items)
    sample = book.get("rates:sample-rate")
    assert (sample.due, sample.owner.id, sample.label, sample.location) == (date(2030, 1, 31), "video-team",
                                                                          "Sample per-second rate", "data/rates.yml:3")


@pytest.mark.parametrize(("today", "statuses"), [
    (date(2030, 1, 1), {"rates:sample-rate": DUE_SOON, "rates:later-rate": FRESH, "pages:index": FRESH}),
    (date(2030, 1, 31), {"rates:sample-rate": DUE_SOON, "rates:later-rate": DUE_SOON, "pages:index": FRESH}),
    (date(2030, 2, 1), {"rates:sample-rate": OVERDUE, "rates:later-rate": DUE_SOON, "pages:index": FRESH}),
    (date(2031, 1, 2), {"rates:sample-rate": OVERDUE, "rates:later-rate": OVERDUE, "pages:index": OVERDUE}),
])
def test_statuses_follow_today(dated: Path, today: date, statuses: dict[str, str]) -> None:
    book = Site.load(dated, today).review
    assert {key: book.get(key).status for key in statuses} == statuses


def test_a_review_date_after_today_is_an_error(dated: Path) -> None:
    with pytest.raises(ContentErrors) as caught:
        Site.load(dated, date(2029, 12, 31))
    assert ("data/rates.yml:6:20: rates[0].last_reviewed: last_reviewed 2030-01-01 is in the future "
            "(today is 2029-12-31) (write the date the source was really checked)") in [str(e) for e in caught.value.errors]


def test_records_know_the_pages_that_cite_them(dated: Path) -> None:
    book = Site.load(dated, date(2030, 1, 10)).review
    assert book.cited_on(book.get("rates:sample-rate")) == (Citation("glossary", "rate-sample-rate"),)
    assert book.cited_on(book.get("rates:later-rate")) == ()


def test_a_page_citing_an_overdue_record_is_overdue_itself(dated: Path) -> None:
    site = Site.load(dated, date(2030, 2, 10))
    glossary = site.render("glossary.md", (dated / "content/glossary.md").read_text())
    review = site.review.page("glossary", glossary.citations)
    assert review.item.status == FRESH and review.overdue
    assert [(item.key, anchor) for item, anchor in review.stale] == [("rates:sample-rate", "rate-sample-rate")]
    assert review.expires == date(2030, 1, 31)
    hub = site.review.page("index", site.render("index.md", (dated / "content/index.md").read_text()).citations)
    assert not hub.overdue and hub.expires == hub.item.due == date(2031, 1, 1)


def test_findings_use_the_site_level_for_overdue_and_info_for_due_soon(dated: Path) -> None:
    # sample-rate was due 2030-01-31; on 2030-02-14 the 14 days of grace are over.
    findings = list(Site.load(dated, date(2030, 2, 14)).review.findings())
    assert [(level, str(error)) for level, error in findings] == [
        ("warning", "data/rates.yml:3: rates[0]: rates:sample-rate is overdue for review: it was due on 2030-01-31 "
                    "(owner: Video workflows team) (review it, then set last_reviewed to the date you checked it)"),
        ("info", "data/rates.yml:9: rates[1]: rates:later-rate is due for review on 2030-03-01 (owner: Pricing desk)"),
    ]
    site_yml = dated / "data/site.yml"
    site_yml.write_text(site_yml.read_text().replace("overdue: warning", "overdue: error"))
    assert [level for level, _error in Site.load(dated, date(2030, 2, 14)).review.findings()] == ["error", "info"]


def test_due_within_lists_overdue_and_coming_items(dated: Path) -> None:
    book = Site.load(dated, date(2030, 2, 10)).review
    assert [item.key for item in book.due_within(parse_interval("30d"))] == ["rates:sample-rate", "rates:later-rate"]
    assert [item.key for item in book.due_within(parse_interval("1d"))] == ["rates:sample-rate"]


def test_review_json_has_absolute_urls_and_every_item(dated: Path) -> None:
    site = Site.load(dated, date(2030, 2, 10))
    document = json.loads(review_json(site.review, "https://costs.example/hub/"))
    assert document["today"] == "2030-02-10"
    assert document["counts"] == {"overdue": 1, "due-soon": 1, "fresh": len(site.review.items) - 2}
    items = {item["key"]: item for item in document["items"]}
    assert len(items) == len(site.review.items)
    assert items["pages:index"]["url"] == "https://costs.example/hub/"
    assert items["pages:glossary"]["url"] == "https://costs.example/hub/glossary/"
    assert items["rates:sample-rate"]["url"] == "https://costs.example/hub/glossary/#rate-sample-rate"
    assert items["rates:sample-rate"]["owner"]["contact"] == "video-team@media-api-cost-hub.example"
    assert items["rates:later-rate"]["url"] is None and items["rates:later-rate"]["cited_on"] == []
    assert items["rates:sample-rate"]["source"] == "data/rates.yml:3"


def test_unknown_owner_is_an_error_with_line_and_hint_even_without_x_ref(dated: Path) -> None:
    line = set_field(dated / "data/rates.yml", "sample-rate", "owner", "video-tem")
    assert load_errors(dated) == [f"data/rates.yml:{line}:12: rates[0].owner: unknown owner 'video-tem' "
                                  "(did you mean 'video-team'?)"]


def test_unknown_page_owner_is_caught_by_the_data_layer(dated: Path) -> None:
    line = set_field(dated / "data/pages.yml", "glossary", "owner", "nobody")
    assert any(error.startswith(f"data/pages.yml:{line}:12: pages[") and "unknown owners id 'nobody'" in error
               for error in load_errors(dated))


@pytest.mark.parametrize("interval", ["3 months", "90 days", "P0D", "PT4H"])
def test_malformed_interval_is_an_error_with_line(dated: Path, interval: str) -> None:
    line = set_field(dated / "data/rates.yml", "later-rate", "review_in", interval)
    assert load_errors(dated) == [f"data/rates.yml:{line}:16: rates[1].review_in: {interval!r} is "
                                  + ("a zero-length review interval" if interval == "P0D" else "not a review interval")
                                  + " (write days such as 90d, or an ISO-8601 duration such as P3M or P1Y)"]


def test_zero_page_interval_passes_the_schema_but_not_the_review_check(dated: Path) -> None:
    line = set_field(dated / "data/pages.yml", "index", "review_in", "P0D")
    assert load_errors(dated) == [f"data/pages.yml:{line}:16: pages[0].review_in: 'P0D' is a zero-length review interval "
                                  "(write days such as 90d, or an ISO-8601 duration such as P3M or P1Y)"]


def test_every_review_problem_is_reported_at_once(dated: Path) -> None:
    rates = dated / "data/rates.yml"
    rates.write_text(rates.read_text().replace("    review_in: 30d\n", "").replace("2030-01-01", "2030-02-30", 1)
                     + "  - id: half-dated\n    title: Half-dated rate\n    last_reviewed: 2030-01-01\n"
                     + "  - id: sourced-only\n    title: A source alone does not date a record\n    source: https://example.org/x\n")
    errors = load_errors(dated)
    assert "data/rates.yml:3:5: rates[0]: missing required field 'review_in' " \
           "(a dated record needs last_reviewed, review_in and owner)" in errors
    assert "data/rates.yml:6:20: rates[0].last_reviewed: '2030-02-30' is not a valid date (write it as YYYY-MM-DD)" in errors
    assert [error for error in errors if error.startswith("data/rates.yml:14:5: rates[2]")] == [
        "data/rates.yml:14:5: rates[2]: missing required field 'owner' (a dated record needs last_reviewed, review_in and owner)",
        "data/rates.yml:14:5: rates[2]: missing required field 'review_in' (a dated record needs last_reviewed, review_in and owner)"]
    assert not any("rates[3]" in error for error in errors)


def test_malformed_due_soon_window_is_an_error(dated: Path) -> None:
    site_yml = dated / "data/site.yml"
    site_yml.write_text(site_yml.read_text().replace("due_soon: 30d", "due_soon: P0M"))
    errors = load_errors(dated)
    assert len(errors) == 1 and errors[0].startswith("data/site.yml:") and "review.due_soon: 'P0M' is a zero-length" in errors[0]


def test_calculator_presets_are_not_items_and_the_records_they_cite_are_shown_on_their_calculator() -> None:
    site = Site.load(Path(__file__).resolve().parents[3], date(2026, 12, 1))
    assert not [item for item in site.review.items if item.kind == "calculators" or "/" in item.id]
    cited = [(calc.id, key) for calc in site.data.all("calculators") for preset in calc.presets or ()
             for key in [f"prices:{price}" for price in preset.prices or ()]
             + [f"policies:{fact.split('.')[0]}" for fact in preset.policy_facts or ()]]
    assert len(cited) >= 3
    for calc_id, key in cited:
        item = site.review.get(key)
        assert item is not None and Citation("calculator", f"calc-{calc_id}") in site.review.cited_on(item)


def test_pages_rendered_at_load_are_reused_and_the_dashboard_waits_for_citations(dated: Path) -> None:
    site = Site.load(dated, date(2030, 1, 10))
    source = (dated / "content/glossary.md").read_text()
    assert site.render("glossary.md", source) is site.prerendered["glossary.md"][1]
    assert site.render("glossary.md", source + "\nMore.\n") is not site.prerendered["glossary.md"][1]
    dashboard = site.render("review.md", (dated / "content/review.md").read_text())
    row = BeautifulSoup(dashboard.body, "html.parser").select_one("tr[data-review-item='rates:sample-rate']")
    assert row.select_one("a")["href"] == "../glossary/#rate-sample-rate"
    with pytest.raises(CitationsPending):
        replace(site.review, citations=None).cited_on(site.review.get("rates:sample-rate"))


def test_each_page_showing_a_record_counts_once_with_the_first_place_it_shows_it(dated: Path) -> None:
    book = Site.load(dated, date(2030, 1, 10)).review
    item = book.get("rates:sample-rate")
    cited = {item.key: (Citation("glossary", "first"), Citation("index", "top"), Citation("glossary", "second"),
                        Citation("review", ""), Citation("index", "again"))}
    assert replace(book, citations=cited).pages_showing(item) == (Citation("glossary", "first"),
                                                                   Citation("index", "top"), Citation("review", ""))
    assert replace(book, citations={}).pages_showing(item) == ()
    with pytest.raises(CitationsPending):
        replace(book, citations=None).pages_showing(item)


def test_the_dashboard_lists_five_pages_showing_a_record_and_counts_the_rest(dated: Path) -> None:
    # The rate on seven guide pages and the glossary (eight pages): the first five in catalog order are listed.
    guides = ["image-generation-api-cost", "video-generation-api-pricing", "realtime-voice-api-cost",
              "failed-video-generation-cost", "billing-transparency", "video-generation-webhooks", "calculator"]
    for page_id in guides:
        path = dated / f"content/{page_id}.md"
        path.write_text(path.read_text() + '\n{{ rate_note("sample-rate") }}\n')
    site = Site.load(dated, date(2030, 1, 10))
    dashboard = site.render("review.md", (dated / "content/review.md").read_text())
    cell = BeautifulSoup(dashboard.body, "html.parser").select_one("tr[data-review-item='rates:sample-rate']").select(
        "td")[2]
    assert [link["href"] for link in cell.select("a")] == [f"../{page_id}/#rate-sample-rate" for page_id in guides[:5]
                                                           ] + ["../review.json"]
    assert " and 3 more (every one in review.json)" in cell.get_text()
    later = BeautifulSoup(dashboard.body, "html.parser").select_one("tr[data-review-item='rates:later-rate']")
    assert "not shown on any page" in later.get_text() and "more" not in later.get_text()
    urls = json.loads(review_json(site.review, "https://x.example/"))
    shown = next(item for item in urls["items"] if item["key"] == "rates:sample-rate")["cited_on"]
    assert len(shown) == 8
