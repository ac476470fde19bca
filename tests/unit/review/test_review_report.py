"""`costhub review` for CI: exit codes of --fail-on, the text, JSON and Markdown reports grouped by owner, the issue
bodies of the scheduled workflow, and the grace period around its boundaries."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import add_rates, pin_review_dates, rate

from costhub.cli import main
from costhub.errors import ContentErrors
from costhub.pages.site import Site
from costhub.review.book import WITHIN_GRACE
from costhub.review.freshness import parse_interval
from costhub.review.report import due_report, owner_issues

# Every page falls due on 2031-01-01 (pinned); these three rates are what comes due first:
#   soon-rate  video-team    2030-01-01 + 10d  -> due 2030-01-11
#   month-rate video-team    2030-01-01 + 30d  -> due 2030-01-31
#   desk-rate  pricing-desk  2030-01-01 + P2M  -> due 2030-03-01
RATES = (rate("soon-rate", "Soon | piped rate", review_in="10d")
         + rate("month-rate", "Monthly rate", review_in="30d")
         + rate("desk-rate", "Desk rate", review_in="P2M", owner="pricing-desk"))


@pytest.fixture
def dated(project: Path) -> Path:
    pin_review_dates(project)
    add_rates(project, RATES)
    return project


# SOURCE_DATE_EPOCH for noon UTC on an ISO date.
def epoch(day: str) -> str:
    return str((date.fromisoformat(day) - date(1970, 1, 1)).days * 86400 + 43200)


# Run `costhub review ARGS` on a day; returns (exit code, stdout, stderr).
def review(project: Path, day: str, *args: str, capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(day))
    code = main(["--root", str(project), "review", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("day", "args", "code"), [
    ("2030-01-05", ("--fail-on", "overdue"), 0),                         # nothing is past due yet
    ("2030-01-12", ("--fail-on", "overdue"), 1),                         # soon-rate was due 2030-01-11
    ("2030-01-05", ("--fail-on", "due-soon", "--due-within", "5d"), 0),  # 2030-01-10 is the limit, soon-rate is 01-11
    ("2030-01-05", ("--fail-on", "due-soon", "--due-within", "6d"), 1),  # 2030-01-11 is inside
    ("2030-01-12", (), 0),                                               # without --fail-on it only reports
    ("2030-01-12", ("--fail-on", "due-soon", "--due-within", "1d"), 1),  # overdue items count as due soon
])
def test_fail_on_exit_codes(dated: Path, day: str, args: tuple[str, ...], code: int, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert review(dated, day, *args, capsys=capsys, monkeypatch=monkeypatch)[0] == code


def test_a_bad_fail_on_or_a_lone_write_is_a_usage_error(dated: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as caught:
        review(dated, "2030-01-12", "--fail-on", "late", capsys=capsys, monkeypatch=monkeypatch)
    assert caught.value.code == 2
    code, _out, err = review(dated, "2030-01-12", "--write", capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and "--write only goes with --suggest-spread" in err


def test_markdown_report_is_grouped_by_owner_with_escaped_cells(dated: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = review(dated, "2030-02-10", "--format", "markdown", "--due-within", "30d",
                             capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0
    assert out.splitlines() == [
        "# Reviews due by 2030-03-12",
        "",
        "3 item(s) due within 30d of 2030-02-10, overdue ones included.",
        "",
        "## Pricing desk (`pricing-desk`, pricing-desk@media-api-cost-hub.example)",
        "",
        "| Due | Status | Item | What | Where |",
        "| --- | --- | --- | --- | --- |",
        "| 2030-03-01 | Due soon | `rates:desk-rate` | Desk rate | `data/rates.yml:15` |",
        "",
        "## Video workflows team (`video-team`, video-team@media-api-cost-hub.example)",
        "",
        "| Due | Status | Item | What | Where |",
        "| --- | --- | --- | --- | --- |",
        "| 2030-01-11 | Overdue | `rates:soon-rate` | Soon \\| piped rate | `data/rates.yml:3` |",
        "| 2030-01-31 | Overdue | `rates:month-rate` | Monthly rate | `data/rates.yml:9` |",
    ]


def test_json_report_lists_owners_and_their_items(dated: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = review(dated, "2030-01-05", "--format", "json", "--due-within", "P1M",
                             capsys=capsys, monkeypatch=monkeypatch)
    document = json.loads(out)
    assert code == 0
    assert (document["today"], document["due_within"], document["due_by"], document["count"]) == (
        "2030-01-05", "P1M", "2030-02-05", 2)
    assert [(owner["id"], [item["key"] for item in owner["items"]]) for owner in document["owners"]] == [
        ("video-team", ["rates:soon-rate", "rates:month-rate"])]
    assert document["owners"][0]["items"][0] == {"key": "rates:soon-rate", "label": "Soon | piped rate",
                                                 "status": "due-soon", "due": "2030-01-11",
                                                 "last_reviewed": "2030-01-01", "review_in": "10d",
                                                 "source": "data/rates.yml:3"}


def test_issue_bodies_open_one_issue_per_owner_with_items_and_close_the_rest(dated: Path) -> None:
    site = Site.load(dated, date(2030, 1, 20))
    report = due_report(site.review, parse_interval("30d"), "30d")
    issues = {issue["owner"]: issue for issue in owner_issues(report, site.data.all("owners"),
                                                             "https://costs.example/", site.review)}
    assert sorted(issues) == ["pricing-desk", "video-team", "voice-team"]
    assert {owner: issue["state"] for owner, issue in issues.items()} == {
        "pricing-desk": "closed", "video-team": "open", "voice-team": "closed"}
    video = issues["video-team"]
    assert video["title"] == "Reviews due: Video workflows team" and video["label"] == "review-due"
    body = video["body"].splitlines()
    assert body[0] == video["marker"] == "<!-- costhub-review:video-team -->"
    assert body[2] == "2 item(s) owned by Video workflows team fall due by 2030-02-19 (30d from 2030-01-20)."
    # soon-rate was due 2030-01-11: 14 days of grace end on 2030-01-25.
    assert body[3] == "1 of them are overdue; builds start to fail on 2030-01-25 (review.grace is 14d)."
    assert "| 2030-01-11 | Overdue | `rates:soon-rate` | Soon \\| piped rate | `data/rates.yml:3` |" in body
    assert "| 2030-01-31 | Due soon | `rates:month-rate` | Monthly rate | `data/rates.yml:9` |" in body
    assert issues["voice-team"]["body"].splitlines()[2] == (
        "Nothing of Realtime voice team is due by 2030-02-19; this issue can close.")


def test_issue_bodies_link_pages_to_their_address(dated: Path) -> None:
    site = Site.load(dated, date(2030, 12, 20))
    report = due_report(site.review, parse_interval("30d"), "30d")
    desk = next(issue for issue in owner_issues(report, site.data.all("owners"), "https://costs.example/", site.review)
                if issue["owner"] == "pricing-desk")
    assert "[All checklists](https://costs.example/checklists/)" in desk["body"]
    assert "[Media API cost review](https://costs.example/)" in desk["body"]


def test_issues_format_is_json_the_workflow_reads(dated: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = review(dated, "2030-01-20", "--format", "issues", capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0
    assert [(issue["owner"], issue["state"]) for issue in json.loads(out)] == [
        ("pricing-desk", "closed"), ("video-team", "open"), ("voice-team", "closed")]


# soon-rate is due 2030-01-11; with 14 days of grace it is reported as a grace warning up to 2030-01-24 and at the
# site's level (warning) from 2030-01-25.
@pytest.mark.parametrize(("day", "level"), [(date(2030, 1, 11), "info"), (date(2030, 1, 12), WITHIN_GRACE),
                                            (date(2030, 1, 24), WITHIN_GRACE), (date(2030, 1, 25), "warning")])
def test_grace_boundaries_with_the_default(dated: Path, day: date, level: str) -> None:
    site_yml = dated / "data/site.yml"
    site_yml.write_text("".join(line for line in site_yml.read_text().splitlines(keepends=True)
                                if not line.lstrip().startswith("grace:")))
    levels = {finding.message.split()[0]: found for found, finding in Site.load(dated, day).review.findings()}
    assert levels["rates:soon-rate"] == level


@pytest.mark.parametrize(("grace", "day", "level"), [("P1M", date(2030, 2, 10), WITHIN_GRACE),
                                                     ("P1M", date(2030, 2, 11), "warning"),
                                                     ("1d", date(2030, 1, 12), "warning")])
def test_grace_setting_moves_the_boundary(dated: Path, grace: str, day: date, level: str) -> None:
    site_yml = dated / "data/site.yml"
    site_yml.write_text(site_yml.read_text().replace("grace: 14d", f"grace: {grace}"))
    levels = {finding.message.split()[0]: found for found, finding in Site.load(dated, day).review.findings()}
    assert levels["rates:soon-rate"] == level


def test_check_exit_code_follows_the_grace_period(dated: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    for day, code in (("2030-01-24", 0), ("2030-01-25", 1)):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(day))
        assert main(["--root", str(dated), "check"]) == code
        err = capsys.readouterr().err
        assert "warning: data/rates.yml:3: rates[0]: rates:soon-rate is overdue for review" in err
        assert ("within the 14d grace period, builds fail from 2030-01-25" in err) is (code == 0)


def test_a_malformed_grace_is_an_error_with_its_line(dated: Path) -> None:
    site_yml = dated / "data/site.yml"
    site_yml.write_text(site_yml.read_text().replace("grace: 14d", "grace: two weeks"))
    with pytest.raises(ContentErrors) as caught:
        Site.load(dated, date(2030, 1, 5))
    line = next(number for number, text in enumerate(site_yml.read_text().splitlines(), 1) if "grace:" in text
                and not text.lstrip().startswith("#"))
    assert [str(error) for error in caught.value.errors] == [
        f"data/site.yml:{line}:10: review.grace: 'two weeks' does not match "
        "'^([1-9][0-9]*d|P(?=[0-9])([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?)$' "
        "(days such as 14d, or an ISO-8601 duration such as P2W)"]
