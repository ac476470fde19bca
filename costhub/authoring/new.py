"""`costhub new`: a guide (page, catalog entry, starter checklist and FAQ stub) or a provider fact, prepared as edits
that pass `costhub check` before any of them is written."""
from __future__ import annotations

import re
from datetime import date
from typing import Callable

from ..checks.release import PLACEHOLDER_TEXT as PLACEHOLDER
from ..data.model import HUB_ID
from ..errors import ContentErrors, did_you_mean
from ..pages.site import CONTENT_DIR, DATA_DIR, NAV_SECTIONS, Site
from .edits import FileEdit, append, create, problems_after, quoted, write_all
from .records import Field, plan_record
from .schemas import schema_edits

MEDIA = ("image", "video", "voice", "general")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
GUIDE_BODY = """{intro}{placeholder} replace this paragraph with the page's opening: the question it answers, for whom,
and what a reader can do after reading it. The [hub](index.md) explains how it fits with the other media costs.

## Checklist

{{{{ checklist("{id}") }}}}

## Frequently asked questions

{{{{ faqs() }}}}
{related}
{{{{ cta() }}}}
"""


# `costhub new` kinds that add one record of a data kind, and the kind.
RECORD_KINDS = {"price": "prices"}
NONE = "-"
# `costhub new provider-fact`: a billing-policy record with one fact (a policy's facts are nested, so its fields are
# listed here rather than read from the schema).
FACT_FIELDS = (Field("id", "Policy id (lower-case words joined by hyphens)"), Field("provider", "Provider name"),
               Field("product", "Product or API the policy covers"),
               Field("media", "Media, comma-separated (image, video, voice)"),
               Field("topic", "Topic (see data/schemas/policies.schema.json: failed, webhook, retention ...)"),
               Field("value", f"Short answer where the topic has one (billed, refunded, supported ...; {NONE} for none)", NONE),
               Field("detail", f"Endpoint, parameter or period ({NONE} for none)", NONE),
               Field("fact", "What the source says, in your own words"), Field("source", "Source address (https://)"),
               Field("source_title", "Source title (link text)"),
               Field("evidence", "provider (the provider's own page) or secondary (a third-party copy)", "provider"),
               Field("owner", "Owner id from data/owners.yml"), Field("review_in", "Review every", "90d"))
GUIDE_FIELDS = (Field("id", "Page id (lower-case words joined by hyphens)"), Field("title", "Title"),
                Field("owner", "Owner id from data/owners.yml"), Field("section", "Section", "guides"),
                Field("media", "Media (image, video, voice or general)", "general"), Field("review_in", "Review every", "90d"))


# Every field filled from the flags, then (required ones) from `ask`, a terminal prompt, or its default; ValueError
# names a missing required one.
def fill(fields: tuple[Field, ...], given: dict[str, str | None], ask: Callable[[Field], str] | None) -> dict[str, str]:
    values: dict[str, str] = {}
    for field in fields:
        value = given.get(field.name)
        if value is None and ask is not None and field.required:
            value = ask(field) or field.default
        if value is None:
            value = field.default
        if (value is None or not str(value).strip()) and field.required:
            raise ValueError(f"missing --{field.name.replace('_', '-')} ({field.prompt})")
        if value is not None and str(value).strip():
            values[field.name] = str(value).strip()
    return values


# The edits for a new page with a starter checklist and one FAQ stub; ValueError for an id that exists, an unknown
# owner or section.
def plan_guide(site: Site, values: dict[str, str], today: date) -> list[FileEdit]:
    page_id, section = values["id"], values["section"]
    _check_new_id(site, "pages", page_id)
    _check_owner(site, values["owner"])
    if section not in NAV_SECTIONS:
        raise ValueError(f"unknown section {section!r}; choose from {', '.join(NAV_SECTIONS)}")
    if values["media"] not in MEDIA:
        raise ValueError(f"unknown media {values['media']!r}; choose from {', '.join(MEDIA)}")
    for kind, record_id in (("checklists", page_id), ("faqs", f"{page_id}-question")):
        if site.data.get(kind, record_id) is not None:
            raise ValueError(f"data/{kind}.yml already has the id {record_id!r}")
    guide = section == "guides"
    related = next((page.id for page in site.data.all("pages") if page.section == "guides"), HUB_ID)
    edits = [create(site.root, f"{CONTENT_DIR}/{page_id}.md", GUIDE_BODY.format(
        id=page_id, placeholder=PLACEHOLDER, intro="{{ guide_intro() }}\n\n" if guide else "",
        related="\n## Related guides\n\n{{ related_guides() }}\n" if guide else ""))]
    entry = (f"  - id: {page_id}\n    section: {section}\n    title: {quoted(values['title'])}\n"
             f"    summary: \"{PLACEHOLDER} one line on what this page answers (20 to 200 characters).\"\n"
             f"    media: {values['media']}\n    owner: {values['owner']}\n    last_reviewed: {today.isoformat()}\n"
             f"    review_in: {values['review_in']}\n")
    if guide:
        entry += (f"    audience: \"{PLACEHOLDER} who this page is for.\"\n    quick_answer:\n"
                  + "".join(f"      - \"{PLACEHOLDER} {step} step of the quick answer.\"\n" for step in ("first", "second", "third"))
                  + f"    related: [{related}]\n")
    edits.append(append(site.root, f"{DATA_DIR}/pages.yml", entry, "pages"))
    edits.append(append(site.root, f"{DATA_DIR}/checklists.yml", key="checklists", items=
                        f"  - id: {page_id}\n    title: {quoted(values['title'] + ' checklist')}\n    page: {page_id}\n"
                        "    items:\n"
                        f"      - id: first-check\n        text: \"{PLACEHOLDER} the first thing a reader should check.\"\n"
                        f"      - id: second-check\n        text: \"{PLACEHOLDER} the second thing a reader should check.\"\n"))
    edits.append(append(site.root, f"{DATA_DIR}/faqs.yml", key="faqs", items=
                        f"  - id: {page_id}-question\n    page: {page_id}\n"
                        f"    question: \"{PLACEHOLDER} a question readers ask about this page?\"\n"
                        f"    answer: \"{PLACEHOLDER} a short answer in plain words.\"\n"))
    return edits


# The edits for a new billing-policy record with one fact seen today; ValueError for an id that exists or an unknown
# owner (the check of the scratch copy refuses an unknown topic, or a value the topic does not take).
def plan_provider_fact(site: Site, values: dict[str, str], today: date) -> list[FileEdit]:
    _check_new_id(site, "policies", values["id"])
    _check_owner(site, values["owner"])
    media = ", ".join(part.strip() for part in values["media"].split(",") if part.strip())
    optional = "".join(f"        {name}: {quoted(values[name])}\n" for name in ("value", "detail") if values[name] != NONE)
    entry = (f"\n  - id: {values['id']}\n    provider: {quoted(values['provider'])}\n    product: {quoted(values['product'])}\n"
             f"    media: [{media}]\n    facts:\n      {values['topic']}:\n{optional}"
             f"        note: {quoted(values['fact'])}\n        source: {quoted(values['source'])}\n"
             f"        source_title: {quoted(values['source_title'])}\n        observed: {today.isoformat()}\n"
             f"        evidence: {values['evidence']}\n    last_reviewed: {today.isoformat()}\n"
             f"    review_in: {values['review_in']}\n    owner: {values['owner']}\n")
    return [append(site.root, f"{DATA_DIR}/policies.yml", entry, "policies")]


# The edits for a new record of a data kind (a price): a new id, a known owner, then the record.
def plan_new_record(site: Site, kind: str, fields: tuple[Field, ...], values: dict[str, str]) -> list[FileEdit]:
    _check_new_id(site, kind, values["id"])
    if "owner" in values:
        _check_owner(site, values["owner"])
    return plan_record(site, kind, fields, values)


# Write the edits, with the editor schemas they make stale, once a scratch copy with them passes `costhub check`;
# ContentErrors (nothing written) otherwise.
def apply(site: Site, edits: list[FileEdit], today: date) -> list[str]:
    problems, complete = problems_after(site.root, edits, today, schema_edits)
    if problems:
        raise ContentErrors(problems)
    write_all(site.root, complete)
    return [edit.path for edit in complete]


# A ValueError unless record_id is a well-formed id not yet used in its kind.
def _check_new_id(site: Site, kind: str, record_id: str) -> None:
    if not _ID.match(record_id):
        raise ValueError(f"{record_id!r} is not an id: use lower-case words joined by hyphens, such as video-upscaling-cost")
    existing = site.data.get(kind, record_id)
    if existing is not None:
        raise ValueError(f"{kind} id {record_id!r} already exists ({existing.location}); choose another id")


# A ValueError unless owner is in data/owners.yml.
def _check_owner(site: Site, owner: str) -> None:
    owners = site.data.ids("owners")
    if owner not in owners:
        hint = did_you_mean(owner, owners)
        raise ValueError(f"unknown owner {owner!r}" + (f" ({hint})" if hint else "") + f"; owners: {', '.join(owners)}")
