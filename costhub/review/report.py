"""What `costhub review` prints: items coming due grouped by owner, as text, JSON or Markdown, the exit-code
thresholds for CI, and the body of the one issue per owner that the scheduled review workflow keeps up to date."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from ..data.model import Record
from .book import ReviewBook, ReviewItem, page_url
from .freshness import DUE_SOON, OVERDUE, Interval

FAIL_ON = (OVERDUE, DUE_SOON)
REPORT_FORMATS = ("text", "json", "markdown", "issues")
ISSUE_LABEL = "review-due"
ISSUE_MARKER = "<!-- costhub-review:{owner} -->"


@dataclass(frozen=True)
class DueReport:
    """The items due on or before `due_by` (overdue ones included), grouped by owner in owner-name order."""

    today: date
    within: str
    due_by: date
    groups: tuple[tuple[Record, tuple[ReviewItem, ...]], ...]

    # Every item in the report, owner by owner.
    @property
    def items(self) -> list[ReviewItem]:
        return [item for _owner, items in self.groups for item in items]


# The report of what falls due within `within` (its text as given, e.g. "30d"), grouped by owner.
def due_report(book: ReviewBook, within: Interval, within_text: str) -> DueReport:
    items = sorted(book.due_within(within), key=lambda item: (item.owner.name, item.owner.id, item.due, item.key))
    groups: list[tuple[Record, tuple[ReviewItem, ...]]] = []
    for item in items:
        if groups and groups[-1][0].id == item.owner.id:
            groups[-1] = (groups[-1][0], groups[-1][1] + (item,))
        else:
            groups.append((item.owner, (item,)))
    return DueReport(book.today, within_text, within.after(book.today), tuple(groups))


# The report in one of REPORT_FORMATS (issues: the JSON list of owner_issues, for the scheduled workflow).
def formatted(report: DueReport, form: str, book: ReviewBook, owners: Iterable[Record], site_url: str) -> str:
    if form == "json":
        return report_json(report).rstrip("\n")
    if form == "markdown":
        return report_markdown(report, site_url).rstrip("\n")
    if form == "issues":
        return json.dumps(owner_issues(report, owners, site_url, book), indent=2, ensure_ascii=False)
    return report_text(report)


# Whether the report meets a --fail-on threshold: "overdue" (anything past due) or "due-soon" (anything listed).
def meets(report: DueReport, threshold: str) -> bool:
    if threshold == OVERDUE:
        return any(item.status == OVERDUE for item in report.items)
    return bool(report.items)


# The plain-text report, one block per owner.
def report_text(report: DueReport) -> str:
    lines = [f"{len(report.items)} item(s) due by {report.due_by.isoformat()} ({report.within} from {report.today.isoformat()})"]
    for owner, items in report.groups:
        lines += ["", f"{owner.name} ({owner.id}{', ' + owner.contact if owner.contact else ''})"]
        lines += [f"  {item.due.isoformat()}  {item.status_label:<8}  {item.key}  {item.label}  [{item.location}]"
                  for item in items]
    return "\n".join(lines)


# The report as JSON: the window, then each owner with its items.
def report_json(report: DueReport) -> str:
    document = {
        "today": report.today.isoformat(),
        "due_within": report.within,
        "due_by": report.due_by.isoformat(),
        "count": len(report.items),
        "owners": [{"id": owner.id, "name": owner.name, "contact": owner.contact,
                    "items": [_json_item(item) for item in items]} for owner, items in report.groups],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# The report as Markdown: a heading per owner and a table of their items.
def report_markdown(report: DueReport, site_url: str = "") -> str:
    lines = [f"# Reviews due by {report.due_by.isoformat()}", "",
             f"{len(report.items)} item(s) due within {report.within} of {report.today.isoformat()}, overdue ones included."]
    for owner, items in report.groups:
        contact = f", {owner.contact}" if owner.contact else ""
        lines += ["", f"## {_cell(owner.name)} (`{owner.id}`{_cell(contact)})", "", *_table(items, site_url)]
    return "\n".join(lines) + "\n"


# One issue per owner for the scheduled workflow: "open" with a body listing the owner's items, or "closed" when
# nothing of theirs is due. Every owner of data/owners.yml gets an entry, so a stale issue is closed.
def owner_issues(report: DueReport, owners: Iterable[Record], site_url: str, book: ReviewBook) -> list[dict[str, Any]]:
    due = {owner.id: items for owner, items in report.groups}
    issues = []
    for owner in sorted(owners, key=lambda owner: owner.id):
        items = due.get(owner.id, ())
        issues.append({"owner": owner.id, "title": f"Reviews due: {owner.name}", "label": ISSUE_LABEL,
                       "marker": ISSUE_MARKER.format(owner=owner.id), "state": "open" if items else "closed",
                       "body": issue_body(report, owner, items, site_url, book)})
    return issues


# The Markdown body of one owner's review issue.
def issue_body(report: DueReport, owner: Record, items: tuple[ReviewItem, ...], site_url: str, book: ReviewBook) -> str:
    lines = [ISSUE_MARKER.format(owner=owner.id), ""]
    if not items:
        lines.append(f"Nothing of {_cell(owner.name)} is due by {report.due_by.isoformat()}; this issue can close.")
        return "\n".join(lines) + "\n"
    overdue = [item for item in items if item.status == OVERDUE]
    lines.append(f"{len(items)} item(s) owned by {_cell(owner.name)} fall due by {report.due_by.isoformat()} "
                 f"({report.within} from {report.today.isoformat()}).")
    if overdue:
        first = min(book.fails_from(item) for item in overdue)
        lines.append(f"{len(overdue)} of them are overdue; builds start to fail on {first.isoformat()} "
                     f"(review.grace is {book.grace}).")
    lines += ["", *_table(items, site_url), "",
              "For each item: check it against its source, then set `last_reviewed` to the day you checked it "
              "(and adjust `review_in` if the cycle should change). This issue is updated every week and closes "
              "itself once nothing is due."]
    return "\n".join(lines) + "\n"


# A Markdown table of items: due date, status, key, label (linked to its page when it is one) and source line.
def _table(items: Iterable[ReviewItem], site_url: str) -> list[str]:
    rows = ["| Due | Status | Item | What | Where |", "| --- | --- | --- | --- | --- |"]
    for item in items:
        label = _cell(item.label)
        if site_url and item.kind == "pages":
            label = f"[{label}]({page_url(site_url, item.id)})"
        rows.append(f"| {item.due.isoformat()} | {item.status_label} | `{item.key}` | {label} | `{item.location}` |")
    return rows


# Text made safe for a Markdown table cell: pipes escaped, no line breaks, no HTML.
def _cell(text: str) -> str:
    return (" ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
            .replace(">", "&gt;").replace("[", "\\[").replace("]", "\\]"))


# One item for the JSON report.
def _json_item(item: ReviewItem) -> dict[str, Any]:
    return {"key": item.key, "label": item.label, "status": item.status, "due": item.due.isoformat(),
            "last_reviewed": item.last_reviewed.isoformat(), "review_in": item.review_in, "source": item.location}
