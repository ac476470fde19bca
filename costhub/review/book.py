"""Review dates of pages and dated data records: validation, statuses, the pages that cite them, and review.json."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable, Iterator, Mapping, Sequence
from urllib.parse import urljoin

from ..errors import ContentError, ContentErrors, did_you_mean
from .freshness import (DUE_SOON, FRESH, INTERVAL_HINT, OVERDUE, STATUS_LABELS, Interval, long_date, parse_interval,
                        review_status)
from ..data.model import HUB_ID, Record, SiteData
from ..data.yamlfile import YamlDocument

REVIEW_JSON = "review.json"
WITHIN_GRACE = "grace"
DEFAULT_GRACE = "14d"
OWNERS_KIND = "owners"
REVIEW_FIELDS = ("last_reviewed", "review_in", "owner")
DATED_MARKERS = ("last_reviewed", "review_in")
# Dates that say when someone looked at a source: readers see them, so none may lie after today.
OBSERVED_FIELDS = ("last_reviewed", "observed")
LABEL_FIELDS = ("title", "name", "question", "label", "source_title", "provider")


class CitationsPending(Exception):
    """A page read where records are shown before every page was rendered once; it is rendered again afterwards."""


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a data record is shown: a page and the nearest element id ("" when there is none)."""

    page_id: str
    anchor: str


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One page or dated data record with its review cycle, worked out for one day."""

    kind: str
    id: str
    label: str
    file: str
    line: int
    where: str
    last_reviewed: date
    review_in: str
    due: date
    owner: Record
    status: str

    # "kind:id", the key data-record attributes use.
    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    # file:line of the record in data/.
    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    # The status as readers see it: Fresh, Due soon or Overdue.
    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    # The due date as readers see it.
    @property
    def due_text(self) -> str:
        return long_date(self.due)

    # The last-reviewed date as readers see it.
    @property
    def last_reviewed_text(self) -> str:
        return long_date(self.last_reviewed)


@dataclass(frozen=True, slots=True)
class PageReview:
    """What a page header shows: the page's own review, the cited records past due (each with the id of the element
    showing it, "" if none), and when the page expires."""

    item: ReviewItem
    stale: tuple[tuple[ReviewItem, str], ...]
    expires: date

    # Whether the page or a record it cites is past its due date.
    @property
    def overdue(self) -> bool:
        return self.item.status == OVERDUE or bool(self.stale)

    # The expiry date as readers see it.
    @property
    def expires_text(self) -> str:
        return long_date(self.expires)


@dataclass(frozen=True)
class ReviewBook:
    """Every review item of a site for one day, sorted by due date, plus where each record is cited (None until
    every page has been rendered once)."""

    today: date
    window: str
    level: str
    items: tuple[ReviewItem, ...]
    citations: Mapping[str, tuple[Citation, ...]] | None = None
    grace: str = DEFAULT_GRACE
    _by_key: dict[str, ReviewItem] = field(init=False, repr=False, compare=False)

    # Index the items by "kind:id" once.
    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {item.key: item for item in reversed(self.items)})

    # The same book with the citations found by rendering every page.
    def with_citations(self, citations: Mapping[str, tuple[Citation, ...]]) -> ReviewBook:
        return replace(self, citations=dict(citations))

    # The item for "kind:id", or None.
    def get(self, key: str) -> ReviewItem | None:
        return self._by_key.get(key)

    # The header data for a page, given the records its body cites as ("kind:id", nearest element id) in order.
    def page(self, page_id: str, citations: Sequence[tuple[str, str]]) -> PageReview:
        own = self.get(f"pages:{page_id}")
        if own is None:
            raise KeyError(f"no review item for page {page_id!r}")
        anchors: dict[str, str] = {}
        for key, anchor in citations:
            anchors.setdefault(key, anchor)
        cited = sorted((item for item in map(self.get, anchors) if item is not None and item.kind != "pages"),
                       key=_item_order)
        overdue = [item for item in cited if item.status == OVERDUE]
        return PageReview(own, tuple((item, anchors[item.key]) for item in overdue),
                          min([own.due, *(item.due for item in cited)]))

    # The pages (and anchors) where a record is shown, in page order; CitationsPending before they are known.
    def cited_on(self, item: ReviewItem) -> tuple[Citation, ...]:
        if self.citations is None:
            raise CitationsPending(item.key)
        return self.citations.get(item.key, ())

    # The pages a record is shown on, each once with the first place it is shown there, in page order;
    # CitationsPending before they are known.
    def pages_showing(self, item: ReviewItem) -> tuple[Citation, ...]:
        first: dict[str, Citation] = {}
        for citation in self.cited_on(item):
            first.setdefault(citation.page_id, citation)
        return tuple(first.values())

    # How many items have each status, for the dashboard summary.
    def counts(self) -> dict[str, int]:
        return {status: sum(item.status == status for item in self.items) for status in (OVERDUE, DUE_SOON, FRESH)}

    # Items due on or before today + within (overdue ones included), by due date.
    def due_within(self, within: Interval) -> list[ReviewItem]:
        limit = within.after(self.today)
        return [item for item in self.items if item.due <= limit]

    # The first day an overdue item fails the build: `grace` after its due date.
    def fails_from(self, item: ReviewItem) -> date:
        return parse_interval(self.grace).after(item.due)

    # One finding per overdue item (WITHIN_GRACE while it is less than `grace` past due, else the site's level) and
    # per item due soon (always info).
    def findings(self) -> Iterator[tuple[str, ContentError]]:
        for item in self.items:
            if item.status == OVERDUE:
                fails = self.fails_from(item)
                within = self.today < fails
                grace = (f"; within the {self.grace} grace period, builds fail from {fails.isoformat()}" if within
                         else "")
                yield WITHIN_GRACE if within else self.level, ContentError(
                    item.file, item.line, 0, item.where,
                    f"{item.key} is overdue for review: it was due on {item.due.isoformat()} "
                    f"(owner: {item.owner.name}){grace}",
                    "review it, then set last_reviewed to the date you checked it")
            elif item.status == DUE_SOON:
                yield "info", ContentError(item.file, item.line, 0, item.where,
                                           f"{item.key} is due for review on {item.due.isoformat()} (owner: {item.owner.name})")


# Validate the review fields of every page and dated record and work out their statuses; raises ContentErrors.
def load_review(data: SiteData, today: date) -> ReviewBook:
    errors: list[ContentError] = []
    settings = data.settings.review
    window = _settings_interval(settings, "due_soon", _Errors(data.documents, errors))
    grace = settings.grace or DEFAULT_GRACE
    _settings_interval(settings, "grace", _Errors(data.documents, errors), grace)
    owners = {owner.id: owner for owner in data.all(OWNERS_KIND)}
    items: list[ReviewItem] = []
    for kind, records in data.kinds.items():
        for index, record in enumerate(records):
            if any(name in record for name in DATED_MARKERS):
                item = _item(kind, (kind, index), record, owners, today, window, _Errors(data.documents, errors))
                if item is not None:
                    items.append(item)
            _future_dates(record, (kind, index), today, _Errors(data.documents, errors))
    if errors:
        raise ContentErrors(errors)
    items.sort(key=_item_order)
    return ReviewBook(today, settings.due_soon, settings.overdue, tuple(items), grace=grace)


# Items in the order the book keeps them: by due date, then kind and id.
def _item_order(item: ReviewItem) -> tuple[date, str, str]:
    return item.due, item.kind, item.id


# Where each record is shown, from (page id, the page's ("kind:id", anchor) citations) pairs in catalog order.
def find_citations(pages: Iterable[tuple[str, Iterable[tuple[str, str]]]]) -> dict[str, tuple[Citation, ...]]:
    found: dict[str, dict[Citation, None]] = {}
    for page_id, citations in pages:
        for key, anchor in citations:
            found.setdefault(key, {})[Citation(page_id, anchor)] = None
    return {key: tuple(citations) for key, citations in found.items()}


# review.json: every item with absolute URLs, for bots and CI, plus any further sections (upcoming shutdowns).
def review_json(book: ReviewBook, site_url: str, extra: Mapping[str, Any] | None = None) -> str:
    document = {
        "today": book.today.isoformat(),
        "due_soon_within": book.window,
        "overdue_level": book.level,
        "counts": book.counts(),
        "items": [_json_item(book, item, site_url) for item in book.items],
        **(extra or {}),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# The absolute URL of a page (and anchor) under site_url.
def page_url(site_url: str, page_id: str, anchor: str = "") -> str:
    path = "" if page_id == HUB_ID else f"{page_id}/"
    base = site_url + path if site_url.endswith("/") else urljoin(site_url, path)  # a page id is a plain slug
    return base + (f"#{anchor}" if anchor else "")


class _Errors:
    """Collects review errors, placed on the exact YAML line of the field through the documents the data came from."""

    # Share the parsed documents (by file) and the list errors go to.
    def __init__(self, documents: Mapping[str, YamlDocument], errors: list[ContentError]) -> None:
        self.documents, self.errors = documents, errors

    # Record an error at data path `path` of the file `file`.
    def add(self, file: str, path: tuple[str | int, ...], message: str, hint: str = "") -> None:
        self.errors.append(self.documents[file].error(path, message, hint))


# A review setting of data/site.yml (`review.due_soon`, `review.grace`; `text` when it has a default) as an
# Interval; an error (and a 30-day stand-in) when malformed.
def _settings_interval(settings: Record, name: str, errors: _Errors, text: str | None = None) -> Interval:
    try:
        return parse_interval(settings[name] if text is None else text)
    except ValueError as exc:
        errors.add(settings.file, ("review", name), str(exc), INTERVAL_HINT)
        return Interval(0, 30)


# A ReviewItem for one dated record, or None after recording every problem with its review fields.
def _item(kind: str, path: tuple[str | int, ...], record: Record, owners: Mapping[str, Record],
          today: date, window: Interval, errors: _Errors) -> ReviewItem | None:
    missing = [name for name in REVIEW_FIELDS if name not in record]
    for name in missing:
        errors.add(record.file, path, f"missing required field {name!r}",
                   "a dated record needs last_reviewed, review_in and owner")
    last_reviewed = _date(record, path, errors) if "last_reviewed" in record else None
    interval = _interval(record, path, errors) if "review_in" in record else None
    owner = owners.get(record.owner) if "owner" in record else None
    if "owner" in record and owner is None:
        errors.add(record.file, path + ("owner",), f"unknown owner {record.owner!r}",
                   did_you_mean(str(record.owner), owners) or f"owners are listed in data/{OWNERS_KIND}.yml")
    if missing or last_reviewed is None or interval is None or owner is None:
        return None
    due = interval.after(last_reviewed)
    return ReviewItem(kind, str(record.get("id", record.path)), _label(record), record.file, record.line, record.path,
                      last_reviewed, record.review_in, due, owner, review_status(due, today, window))


# Report every last_reviewed or observed date after today, anywhere inside a record (nested records included).
def _future_dates(value: Any, path: tuple[str | int, ...], today: date, errors: _Errors) -> None:
    if isinstance(value, Record):
        for key, item in value.items():
            if key in OBSERVED_FIELDS and isinstance(item, str):
                try:
                    day = date.fromisoformat(item)
                except ValueError:
                    continue
                if day > today:
                    errors.add(value.file, path + (key,), f"{key} {item} is in the future (today is {today.isoformat()})",
                               "write the date the source was really checked")
            else:
                _future_dates(item, path + (key,), today, errors)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            _future_dates(item, path + (index,), today, errors)


# The record's last_reviewed as a date, or None after recording an error.
def _date(record: Record, path: tuple[str | int, ...], errors: _Errors) -> date | None:
    try:
        return date.fromisoformat(str(record.last_reviewed))
    except ValueError:
        errors.add(record.file, path + ("last_reviewed",), f"{record.last_reviewed!r} is not a valid date",
                   "write it as YYYY-MM-DD")
        return None


# The record's review_in as an Interval, or None after recording an error.
def _interval(record: Record, path: tuple[str | int, ...], errors: _Errors) -> Interval | None:
    try:
        return parse_interval(record.review_in)
    except ValueError as exc:
        number = record.review_in if isinstance(record.review_in, int) and not isinstance(record.review_in, bool) else None
        hint = f"did you mean '{number}d'? {INTERVAL_HINT}" if number else INTERVAL_HINT
        errors.add(record.file, path + ("review_in",), str(exc), hint)
        return None


# A human label for a record: the first of its title-like fields, else its id.
def _label(record: Record) -> str:
    return next((str(record[name]) for name in LABEL_FIELDS if isinstance(record.get(name), str)), str(record.get("id")))


# One review.json entry.
def _json_item(book: ReviewBook, item: ReviewItem, site_url: str) -> dict[str, Any]:
    cited = [page_url(site_url, citation.page_id, citation.anchor) for citation in book.cited_on(item)]
    url = page_url(site_url, item.id) if item.kind == "pages" else (cited[0] if cited else None)
    return {
        "key": item.key,
        "kind": item.kind,
        "id": item.id,
        "label": item.label,
        "status": item.status,
        "last_reviewed": item.last_reviewed.isoformat(),
        "review_in": item.review_in,
        "due": item.due.isoformat(),
        "owner": {"id": item.owner.id, "name": item.owner.name, "contact": item.owner.contact},
        "url": url,
        "cited_on": cited,
        "source": item.location,
    }
