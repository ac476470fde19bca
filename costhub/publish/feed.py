"""The Atom feed of price changes, retirements and reviews (/prices.atom), built only from data/.

Entry ids are tag URIs made of record ids and dates, so they stay the same from build to build; every timestamp
is a date from the data (midnight UTC), never the time of the build, so the same commit gives the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from ..data.model import Record
from ..review.catalog import Catalog, RETIRED

FEED_PATH = "prices.atom"
ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    """One feed entry: a stable id, its date, a title, a summary and the page it links to."""

    id: str
    day: str
    title: str
    summary: str
    link: str


# Every entry, newest first: each earlier figure replaced, each retirement up to today, each day of reviews.
def feed_entries(catalog: Catalog, site_url: str, page_of: dict[str, str]) -> list[Entry]:
    authority = urlsplit(site_url).hostname or "localhost"
    entries = [*_changes(catalog, authority, site_url, page_of), *_retirements(catalog, authority, site_url, page_of),
               *_reviews(catalog, authority, site_url)]
    return sorted(entries, key=lambda entry: (entry.day, entry.id), reverse=True)


# The feed as Atom XML.
def atom_feed(catalog: Catalog, site_url: str, site_name: str, page_of: dict[str, str]) -> str:
    from xml.sax.saxutils import escape, quoteattr  # imported here: a build of unchanged files writes a kept feed
    entries = feed_entries(catalog, site_url, page_of)
    updated = entries[0].day if entries else catalog.today.isoformat()
    authority = urlsplit(site_url).hostname or "localhost"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<feed xmlns="{ATOM_NS}">',
             f"  <id>tag:{authority},2026:prices</id>",
             f"  <title>{escape(site_name)}: price changes, retirements and reviews</title>",
             f"  <updated>{_timestamp(updated)}</updated>",
             f"  <link rel=\"self\" href={quoteattr(site_url + FEED_PATH)}/>",
             f"  <link rel=\"alternate\" href={quoteattr(site_url)}/>",
             f"  <author><name>{escape(site_name)}</name></author>"]
    for entry in entries:
        lines += ["  <entry>", f"    <id>{escape(entry.id)}</id>", f"    <title>{escape(entry.title)}</title>",
                  f"    <updated>{_timestamp(entry.day)}</updated>", f"    <link href={quoteattr(entry.link)}/>",
                  f"    <summary>{escape(entry.summary)}</summary>", "  </entry>"]
    return "\n".join(lines + ["</feed>"]) + "\n"


# A date as an Atom timestamp at midnight UTC.
def _timestamp(day: str) -> str:
    return f"{date.fromisoformat(day).isoformat()}T00:00:00Z"


# The page (and anchor) where a price is listed, else the site.
def _price_link(site_url: str, page_of: dict[str, str], price: Record) -> str:
    return page_of.get(price.id, site_url)


# One entry per earlier figure of a price: it changed to the current one (dated when the change was seen).
def _changes(catalog: Catalog, authority: str, site_url: str, page_of: dict[str, str]) -> list[Entry]:
    entries = []
    for price in catalog.prices:
        for earlier in price.history or ():
            day = earlier.until or price.observed
            if date.fromisoformat(day) > catalog.today:
                continue
            was, now = catalog.price_text(price, earlier.amount), catalog.price_text(price)
            entries.append(Entry(f"tag:{authority},2026:price-change/{price.id}/{day}", day,
                                 f"{price.provider} {price.name} ({price.variant}): {was} became {now}",
                                 f"{price.provider} {price.name}, {price.variant}, was {was} (seen on {earlier.observed}, "
                                 f"{earlier.source_title}); {now} was seen on {price.observed} ({price.source_title}).",
                                 _price_link(site_url, page_of, price)))
    return entries


# One entry per price retired on or before today.
def _retirements(catalog: Catalog, authority: str, site_url: str, page_of: dict[str, str]) -> list[Entry]:
    return [Entry(f"tag:{authority},2026:retired/{price.id}/{price.shutdown_on}", price.shutdown_on,
                  f"Retired: {price.provider} {price.name} ({price.variant})",
                  f"{price.provider} {price.name}, {price.variant}, was shut down on {price.shutdown_on}; it was listed "
                  f"at {catalog.price_text(price)} ({price.source_title}, seen on {price.observed}).",
                  _price_link(site_url, page_of, price))
            for price in catalog.prices if catalog.status(price) == RETIRED]


# One entry per day on which price or policy records were reviewed (up to today).
def _reviews(catalog: Catalog, authority: str, site_url: str) -> list[Entry]:
    days: dict[str, list[Record]] = {}
    for record in (*catalog.prices, *catalog.policies):
        if record.last_reviewed and date.fromisoformat(record.last_reviewed) <= catalog.today:
            days.setdefault(record.last_reviewed, []).append(record)
    entries = []
    for day, records in days.items():
        prices = sum(1 for record in records if record.file.endswith("prices.yml"))
        policies = len(records) - prices
        names = sorted({str(record.provider) for record in records})
        entries.append(Entry(f"tag:{authority},2026:review/{day}", day,
                             f"Reviewed on {day}: {prices} price point(s) and {policies} billing policies",
                             f"Checked against their sources on {day}: {', '.join(names)}.",
                             f"{site_url}review/"))
    return entries
