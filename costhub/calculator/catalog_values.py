"""Calculator input values that price and billing-policy records imply, each with the record line that says so.

A preset or a comparison row cites records; these are the values it gets from them, so no figure is copied by
hand, and a value written next to them that says otherwise can be reported with both lines.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ..data.model import Record
from ..review.catalog import Catalog, Locator, unit_amount
from .model import Value

BILLED = {"billed": True, "partly-billed": True, "not-billed": False, "refunded": False}
MILLION = Decimal(1000000)


@dataclass(frozen=True)
class Implied:
    """One input value a record implies, where the record says it (file:line) and why, in a few words."""

    value: Value
    where: str
    why: str


@dataclass(frozen=True)
class Cited:
    """The records a preset or comparison row cites: price records and (policy, topic, fact) triples."""

    prices: tuple[Record, ...]
    facts: tuple[tuple[Record, str, Record], ...]


# The values the cited records imply for one calculator (an empty mapping for a calculator with no rules).
def implied_values(calculator_id: str, cited: Cited, catalog: Catalog, locator: Locator) -> dict[str, Implied]:
    rules = _RULES.get(calculator_id)
    if rules is None:
        return {}
    implied: dict[str, Implied] = {}
    price_rule, fact_rule = rules
    for price in cited.prices:
        price_rule(price, catalog, _PriceSink(implied, price, catalog, locator))
    for policy, topic, fact in cited.facts:
        fact_rule(topic, fact, cited, _FactSink(implied, policy, topic, fact, catalog, locator))
    return implied


class _PriceSink:
    """Records values implied by one price record, located at its amount line."""

    def __init__(self, implied: dict[str, Implied], price: Record, catalog: Catalog, locator: Locator) -> None:
        self.implied, self.price, self.catalog, self.locator = implied, price, catalog, locator

    # Set an input from this price (or, with `record`, from the credit price it is quoted in).
    def set(self, name: str, value: Value, record: Record | None = None) -> None:
        record = record or self.price
        index = self.catalog.prices.index(record)
        self.implied[name] = Implied(value, self.locator.where(record.file, ("prices", index, "amount")),
                                     f"{record.id} is {self.catalog.price_text(record)}")


class _FactSink:
    """Records values implied by one policy fact, located at its value line."""

    def __init__(self, implied: dict[str, Implied], policy: Record, topic: str, fact: Record, catalog: Catalog,
                 locator: Locator) -> None:
        self.implied, self.policy, self.topic, self.fact = implied, policy, topic, fact
        self.catalog, self.locator = catalog, locator

    # Set an input from this fact.
    def set(self, name: str, value: Value, field: str = "value") -> None:
        index = self.catalog.policies.index(self.policy)
        where = self.locator.where(self.policy.file, ("policies", index, "facts", self.topic, field))
        self.implied[name] = Implied(value, where, f"{self.policy.id}.{self.topic} is {self.catalog.fact_text(self.fact)}")


# A Decimal as the float a calculator input holds.
def _number(amount: Decimal) -> float:
    return float(amount)


# The credit price record of a price quoted in credits, applied as the calculator's credit_price.
def _credit(price: Record, catalog: Catalog, sink: _PriceSink) -> None:
    credit = catalog.credit_price(price)
    if credit is not None:
        sink.set("credit_price", _number(unit_amount(credit)), credit)


# Video: per second, per video or credits per second; a minimum billed duration.
def _video_price(price: Record, catalog: Catalog, sink: _PriceSink) -> None:
    if price.mode == "credits":
        sink.set("credit_price", _number(unit_amount(price)))
    elif price.currency == "credits" and price.unit == "second":
        sink.set("unit", "per_credit")
        sink.set("credits_per_second", _number(unit_amount(price)))
        _credit(price, catalog, sink)
    elif price.unit in ("second", "video"):
        sink.set("unit", f"per_{price.unit}")
        sink.set("rate", _number(unit_amount(price)))
    if price.min_billed_seconds:
        sink.set("min_seconds", float(price.min_billed_seconds))


# Video: whether failed attempts are billed, and whether the price is held and released.
def _video_fact(topic: str, fact: Record, cited: Cited, sink: _FactSink) -> None:
    if topic == "failed" and fact.value in BILLED:
        sink.set("failures_billed", BILLED[fact.value])
    elif topic == "billing_time" and fact.value == "hold-and-release":
        sink.set("hold_release", True)


# Image: per image or credits per image.
def _image_price(price: Record, catalog: Catalog, sink: _PriceSink) -> None:
    if price.mode == "credits":
        sink.set("credit_price", _number(unit_amount(price)))
    elif price.currency == "credits" and price.unit == "image":
        sink.set("unit", "per_credit")
        sink.set("credits", _number(unit_amount(price)))
        _credit(price, catalog, sink)
    elif price.unit == "image":
        sink.set("unit", "per_image")
        sink.set("rate", _number(unit_amount(price)))


# Image: whether a rejected generation is billed (the moderation fact when cited, else the failure fact).
def _image_fact(topic: str, fact: Record, cited: Cited, sink: _FactSink) -> None:
    has_moderation = any(other == "moderation_blocked" for _policy, other, _fact in cited.facts)
    if fact.value in BILLED and (topic == "moderation_blocked" or (topic == "failed" and not has_moderation)):
        sink.set("rejections_billed", BILLED[fact.value])


# Voice: speech-to-text per minute or hour, a platform fee per minute, token prices, text-to-speech per character.
def _voice_price(price: Record, catalog: Catalog, sink: _PriceSink) -> None:
    per_minute = unit_amount(price) / 60 if price.unit == "hour" else unit_amount(price)
    if price.mode == "stt" and price.unit in ("minute", "hour"):
        sink.set("stt_price", _number(per_minute))
    elif price.mode == "realtime" and price.unit in ("minute", "hour"):
        sink.set("platform_price", _number(per_minute))
    elif price.mode == "realtime" and price.unit == "token":
        if "output" in price.variant:
            sink.set("price_out", _number(unit_amount(price) * MILLION))
        else:
            sink.set("price_in", _number(unit_amount(price) * MILLION))
            if price.cached_input:
                sink.set("cached_price", _number(Decimal(price.cached_input) / Decimal(str(price.per)) * MILLION))
    elif price.mode == "tts" and price.unit == "character":
        credit = catalog.credit_price(price)
        per_character = unit_amount(price) * (unit_amount(credit) if credit is not None else 1)
        if price.currency == "USD" or credit is not None:
            sink.set("tts_unit", "per_character")
            sink.set("tts_char_price", _number(per_character * MILLION))


# Voice: a minimum billed call length.
def _voice_fact(topic: str, fact: Record, cited: Cited, sink: _FactSink) -> None:
    if topic == "minimum" and fact.seconds:
        sink.set("min_seconds", float(fact.seconds), "seconds")


_RULES: dict[str, tuple[Callable[[Record, Catalog, _PriceSink], None], Callable[[str, Record, Cited, _FactSink], None]]] = {
    "video": (_video_price, _video_fact),
    "image": (_image_price, _image_fact),
    "voice": (_voice_price, _voice_fact),
}
