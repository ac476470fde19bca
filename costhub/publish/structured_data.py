"""Schema.org JSON-LD for a catalog page: an Article (guides) or WebPage, plus an FAQPage for the page's own questions."""
from __future__ import annotations

import json
from typing import Any

from ..data.model import HUB_ID, Record, SiteData

SCHEMA_ORG = "https://schema.org"
ARTICLE_SECTIONS = frozenset({"guides"})
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


# The absolute URL of a catalog page when the site lives at site_url with directory-style URLs.
def page_url(site_url: str, page_id: str) -> str:
    return site_url if page_id == HUB_ID else f"{site_url}{page_id}/"


# The FAQs that belong to a page, in file order; each FAQ names exactly one page.
def page_faqs(data: SiteData, page_id: str) -> tuple[Record, ...]:
    return data.where("faqs", "page", page_id)


# Every JSON-LD object for one page: its Article or WebPage, then an FAQPage when it owns FAQs.
def page_json_ld(data: SiteData, page: Record) -> list[dict[str, Any]]:
    url = page_url(data.settings.site.url, page.id)
    objects = [_creative_work(data.settings.site, page, url)]
    faqs = page_faqs(data, page.id)
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
