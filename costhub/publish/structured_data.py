"""Schema.org JSON-LD for a catalog page: an Article (guides) or WebPage, plus an FAQPage for the questions it shows."""
from __future__ import annotations

import json
from typing import Any, Iterable

from ..data.model import HUB_ID, Record, SiteData

SCHEMA_ORG = "https://schema.org"
ARTICLE_SECTIONS = frozenset({"guides"})
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


# The absolute URL of a catalog page when the site lives at site_url with directory-style URLs.
def page_url(site_url: str, page_id: str) -> str:
    return site_url if page_id == HUB_ID else f"{site_url}{page_id}/"


# The FAQs a rendered page body shows (its data-record="faqs:<id>" blocks), in the order it shows them, from the
# citations of the body's one scan.
def shown_faqs(data: SiteData, citations: Iterable[tuple[str, str]]) -> tuple[Record, ...]:
    ids = dict.fromkeys(key.removeprefix("faqs:") for key, _anchor in citations if key.startswith("faqs:"))
    return tuple(faq for faq in (data.get("faqs", faq_id) for faq_id in ids) if faq is not None)


# Every JSON-LD object for one page: its Article or WebPage, then an FAQPage for the FAQs its body shows (given
# the citations of its body).
def page_json_ld(data: SiteData, page: Record, citations: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    url = page_url(data.settings.site.url, page.id)
    objects = [_creative_work(data.settings.site, page, url)]
    faqs = shown_faqs(data, citations)
    if faqs:
        objects.append(_faq_page(faqs, url))
    return objects


# JSON text safe inside <script type="application/ld+json">: nothing in it can close the element.
def script_json(value: dict[str, Any]) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for character, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(character, escape)
    return text


# The page as an Article (a guide) or a WebPage (hub, tools, reference), dated by its last review.
def _creative_work(site: Record, page: Record, url: str) -> dict[str, Any]:
    publisher = {"@type": "Organization", "name": site.publisher.name, "url": site.publisher.url or site.url}
    return {
        "@context": SCHEMA_ORG,
        "@type": "Article" if page.section in ARTICLE_SECTIONS else "WebPage",
        "headline": page.title,
        "description": page.summary,
        "dateModified": page.last_reviewed,
        "inLanguage": site.language or "en",
        "url": url,
        "mainEntityOfPage": url,
        "author": publisher,
        "publisher": publisher,
    }


# An FAQPage listing exactly the given questions with their answers.
def _faq_page(faqs: tuple[Record, ...], url: str) -> dict[str, Any]:
    return {
        "@context": SCHEMA_ORG,
        "@type": "FAQPage",
        "url": url,
        "mainEntity": [
            {"@type": "Question", "name": faq.question, "acceptedAnswer": {"@type": "Answer", "text": faq.answer}}
            for faq in faqs
        ],
    }
