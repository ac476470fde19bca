"""The price and billing-policy catalog for one day: checked records, lifecycle statuses and upcoming shutdowns."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Iterator, Mapping

from ..data.model import Record, SiteData
from ..data.yamlfile import DataPath, YamlDocument, load_yaml
from ..errors import ContentError, ContentErrors

PRICES, POLICIES = "prices", "policies"
CURRENT, DEPRECATED, RETIRED = "current", "deprecated", "retired"
STATUS_LABELS = {CURRENT: "Current", DEPRECATED: "Deprecated", RETIRED: "Retired"}
POINT_FIELDS = ("provider", "model", "mode", "variant", "unit", "per", "currency")
FACT_TOPICS = {"billing_time": "When it bills", "failed": "Failed jobs", "timed_out": "Timed-out jobs",
               "moderation_blocked": "Jobs blocked by moderation", "invalid_input": "Invalid input",
               "webhook": "Webhook", "polling": "Polling endpoint", "retention": "Outputs kept",
               "credits": "Credits", "balance": "Balance", "minimum": "Minimum billed", "tokens": "Tokens and time",
               "history": "Conversation history"}
# The topic groups pages filter policy facts by, and the fact topics in each.
FACT_GROUPS = {"pricing": ("billing_time", "credits", "minimum", "tokens"),
               "failures": ("failed", "timed_out", "moderation_blocked", "invalid_input"),
               "webhooks": ("webhook",), "polling": ("polling",), "retention": ("retention",),
               "balance": ("balance", "credits"), "session": ("history", "tokens", "minimum")}
VALUE_LABELS = {"billed": "billed", "not-billed": "not billed", "refunded": "refunded", "partly-billed": "may be billed",
                "not-stated": "not stated", "at-creation": "at creation", "at-delivery": "on delivery",
                "hold-and-release": "held at submission, released on failure", "by-usage": "by usage",
                "supported": "supported", "not-supported": "not supported"}


@dataclass(frozen=True)
class Catalog:
    """Every price point and billing policy, with statuses worked out for `today`."""

    today: date
    prices: tuple[Record, ...]
    policies: tuple[Record, ...]
    units: Mapping[str, Record]

    # The price record with this id, or None.
    def price(self, price_id: str) -> Record | None:
        return next((price for price in self.prices if price.id == price_id), None)

    # The policy record with this id, or None.
    def policy(self, policy_id: str) -> Record | None:
        return next((policy for policy in self.policies if policy.id == policy_id), None)

    # A policy's fact on one topic, or None (also when the policy is None).
    def fact(self, policy: Record | None, topic: str) -> Record | None:
        return policy.facts.get(topic) if policy is not None else None

    # (policy, topic, fact) for every policy fact of a medium (all when None) in the given topic groups (all when
    # None), in file order.
    def policy_facts(self, media: str | None = None, groups: list[str] | None = None) -> list[tuple[Record, str, Record]]:
        topics = {topic for group in groups for topic in FACT_GROUPS.get(group, ())} if groups else set(FACT_TOPICS)
        return [(policy, topic, fact) for policy in self.policies if media is None or media in policy.media
                for topic, fact in policy.facts.items() if topic in topics]

    # The fact a citation such as "runway-api.failed" names, or None.
    def cited_fact(self, citation: str) -> tuple[Record, str, Record] | None:
        policy_id, _dot, topic = citation.partition(".")
        policy = self.policy(policy_id)
        fact = self.fact(policy, topic)
        return (policy, topic, fact) if policy is not None and fact is not None else None

    # A fact's short answer as a reader sees it: "refunded", "supported", or its detail.
    def fact_text(self, fact: Record) -> str:
        value = VALUE_LABELS.get(fact.value, fact.value) if fact.value else ""
        return "; ".join(part for part in (value, fact.detail) if part)

    # current, deprecated or retired on the catalog's day.
    def status(self, price: Record) -> str:
        return price_status(price, self.today)

    # Prices of one medium (all media when None) with one status, in file order.
    def with_status(self, status: str, media: str | None = None) -> tuple[Record, ...]:
        return tuple(price for price in self.prices if self.status(price) == status and media in (None, price.media))

    # Prices whose shutdown is still to come, soonest first.
    def upcoming_shutdowns(self) -> list[Record]:
        coming = [price for price in self.prices if price.shutdown_on and date.fromisoformat(price.shutdown_on) > self.today]
        return sorted(coming, key=lambda price: (price.shutdown_on, price.id))

    # review.json's lists: prices whose shutdown is coming (soonest first) and those already retired.
    def shutdowns_json(self) -> dict[str, list[dict[str, str]]]:
        def entry(price: Record) -> dict[str, str]:
            return {"key": f"{PRICES}:{price.id}", "provider": price.provider, "name": price.name, "variant": price.variant,
                    "shutdown_on": price.shutdown_on, "source": price.location}
        return {"upcoming_shutdowns": [entry(price) for price in self.upcoming_shutdowns()],
                "retired": [entry(price) for price in self.with_status(RETIRED)]}

    # The price of one credit in US dollars for a price quoted in credits, or None.
    def credit_price(self, price: Record) -> Record | None:
        return self.price(price.credit_price) if price.credit_price else None

    # A price as a reader sees it: "$0.10 per second", "12 credits per second", "$32.00 per 1,000,000 tokens".
    def price_text(self, price: Mapping[str, object], amount: str | None = None) -> str:
        unit = self.units.get(str(price["unit"]))
        per = Decimal(str(price["per"]))
        one = (unit.singular or unit.id) if unit is not None else str(price["unit"])
        many = (unit.plural or one) if unit is not None else one
        figure = amount or str(price["amount"])
        shown = f"${figure}" if price["currency"] == "USD" else f"{figure} credits"
        return f"{shown} per {one}" if per == 1 else f"{shown} per {per:,f} {many}".replace(".0 ", " ")

    # Earlier figures of a price as "was $0.0043 until 2026-08-01" (or "seen on" when no end date is known).
    def history_texts(self, price: Record) -> list[str]:
        texts = []
        for earlier in price.history or ():
            when = f"until {earlier.until}" if earlier.until else f"when seen on {earlier.observed}"
            texts.append(f"was {self.price_text(price, earlier.amount).split(' per ')[0]} {when}")
        return texts


# The lifecycle status of a price on a day: retired from its shutdown date on, deprecated when marked so.
def price_status(price: Mapping[str, object], today: date) -> str:
    shutdown = price.get("shutdown_on")
    if isinstance(shutdown, str) and date.fromisoformat(shutdown) <= today:
        return RETIRED
    deprecated_on = price.get("deprecated_on")
    if price.get("deprecated") or (isinstance(deprecated_on, str) and date.fromisoformat(deprecated_on) <= today):
        return DEPRECATED
    return CURRENT


# An amount as printed, as an exact decimal; ValueError for a range such as "20-40".
def money(text: str) -> Decimal:
    if "-" in text:
        raise ValueError(f"{text!r} is a range, not one figure")
    return Decimal(text)


# The price of one unit (amount / per), exact; ValueError for a range.
def unit_amount(price: Mapping[str, object]) -> Decimal:
    return money(str(price["amount"])) / Decimal(str(price["per"]))


# Check the catalog and work out statuses for `today`; raises ContentErrors listing every problem.
def load_catalog(data: SiteData, root: Path, today: date) -> Catalog:
    catalog = Catalog(today, data.all(PRICES), data.all(POLICIES), {unit.id: unit for unit in data.all("units")})
    locator = Locator(root, data.documents)
    errors = list(_future_dates(catalog, locator)) + list(_duplicate_points(catalog, locator))
    errors += list(_credit_prices(catalog, locator)) + list(_lifecycle_order(catalog, locator))
    if errors:
        raise ContentErrors(errors)
    return catalog


class Locator:
    """Finds the exact line of a field in a data file, from the documents the load parsed (a file not among them is
    read once)."""

    def __init__(self, root: Path, documents: Mapping[str, YamlDocument] | None = None) -> None:
        self.root = root
        self.documents: dict[str, YamlDocument] = dict(documents or {})

    # The document of a data file, read once.
    def document(self, file: str) -> YamlDocument:
        if file not in self.documents:
            self.documents[file] = load_yaml(self.root / file, file)[0]
        return self.documents[file]

    # A ContentError at the field `path` of `file`.
    def error(self, file: str, path: DataPath, message: str, hint: str = "") -> ContentError:
        return self.document(file).error(path, message, hint)

    # "file:line" of the field `path` of `file`.
    def where(self, file: str, path: DataPath) -> str:
        return f"{file}:{self.document(file).position(path)[0]}"


# Every dated observation in the catalog with its data path: prices, their history, policy facts and theirs.
def _observations(catalog: Catalog) -> Iterator[tuple[Record, DataPath, Record]]:
    for index, price in enumerate(catalog.prices):
        yield price, (PRICES, index), price
        for step, earlier in enumerate(price.history or ()):
            yield price, (PRICES, index, "history", step), earlier
    for index, policy in enumerate(catalog.policies):
        for topic, fact in policy.facts.items():
            yield policy, (POLICIES, index, "facts", topic), fact
            for step, earlier in enumerate(fact.history or ()):
                yield policy, (POLICIES, index, "facts", topic, "history", step), earlier


# An observation dated after today cannot have been made: an error at its `observed` (or `until`) line.
def _future_dates(catalog: Catalog, locator: Locator) -> Iterator[ContentError]:
    for record, path, observation in _observations(catalog):
        for name in ("observed", "until"):
            value = observation.get(name)
            if isinstance(value, str) and date.fromisoformat(value) > catalog.today:
                yield locator.error(record.file, path + (name,),
                                    f"{name} {value} is later than today ({catalog.today.isoformat()})",
                                    "a source cannot have shown a figure on a day that has not come; use the date you read it")


# Two records for the same provider, model, mode, variant, unit, per and currency: an error at the second.
def _duplicate_points(catalog: Catalog, locator: Locator) -> Iterator[ContentError]:
    seen: dict[tuple[object, ...], int] = {}
    for index, price in enumerate(catalog.prices):
        key = tuple(str(price.get(name)).strip().lower() for name in POINT_FIELDS)
        if key in seen:
            first = catalog.prices[seen[key]]
            yield locator.error(price.file, (PRICES, index, "id"),
                                f"duplicate price point: {first.id!r} ({first.location}) has the same provider, model, "
                                "mode, variant, unit, per and currency",
                                "merge them: keep the newer figure and move the older one into `history`")
        else:
            seen[key] = index


# A price in credits names the USD price of one credit; a USD price names none.
def _credit_prices(catalog: Catalog, locator: Locator) -> Iterator[ContentError]:
    for index, price in enumerate(catalog.prices):
        credit = catalog.credit_price(price)
        if price.currency == "credits" and price.credit_price is None:
            continue
        if price.currency == "USD" and price.credit_price is not None:
            yield locator.error(price.file, (PRICES, index, "credit_price"),
                                "credit_price is only for a price quoted in credits", "remove it or set currency: credits")
        elif credit is not None and (credit.mode != "credits" or credit.currency != "USD" or credit.unit != "credit"):
            yield locator.error(price.file, (PRICES, index, "credit_price"),
                                f"{credit.id!r} ({credit.location}) is not the US-dollar price of one credit",
                                "name a record with mode: credits, unit: credit and currency: USD")


# A deprecation cannot come after the shutdown, and an earlier figure ends before it was replaced.
def _lifecycle_order(catalog: Catalog, locator: Locator) -> Iterator[ContentError]:
    for index, price in enumerate(catalog.prices):
        if price.deprecated_on and price.shutdown_on and price.deprecated_on > price.shutdown_on:
            yield locator.error(price.file, (PRICES, index, "deprecated_on"),
                                f"deprecated_on {price.deprecated_on} is after shutdown_on {price.shutdown_on}")
        for step, earlier in enumerate(price.history or ()):
            if earlier.until and earlier.until < earlier.observed:
                yield locator.error(price.file, (PRICES, index, "history", step, "until"),
                                    f"until {earlier.until} is before the earlier figure was observed ({earlier.observed})")
