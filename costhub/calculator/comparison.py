"""Comparisons from data/comparisons.yml and presets that cite records: every row computed by the calculator engine.

A row's values are the calculator's defaults, then the comparison's workload, then what its price records and their
billing policies imply (catalog_values.py), then the row's own values, which must agree with those records. A row
or preset whose price is retired is kept out of the table and reported as a warning.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from ..data.model import Record, SiteData
from ..errors import ContentError, ContentErrors, did_you_mean
from ..review.catalog import FACT_TOPICS, RETIRED, VALUE_LABELS, Catalog, Locator, unit_amount
from .catalog_values import BILLED, Cited, Implied, implied_values
from .model import Calculator, GeneratedPreset, Value

KIND = "comparisons"
FAILURE_TOPICS = {"video": ("failed",), "image": ("moderation_blocked", "failed")}
COVERS = {("stt", True): "Covers speech-to-text only", ("realtime", True): "Covers the platform fee only",
          ("realtime", False): "Covers the model's audio tokens only", ("tts", False): "Covers text-to-speech only"}
RETIRED_HINT = "remove it or cite a current price; the retired figure stays listed with its shutdown date"


@dataclass(frozen=True)
class Row:
    """One comparison row: its records, the full calculator values, the figure the engine computed and what set it."""

    record: Record
    prices: tuple[Record, ...]
    facts: tuple[tuple[Record, str, Record], ...]
    values: dict[str, Value]
    implied: dict[str, Implied]
    cost: float | None
    shown: str

    # The row's list price record (the first it cites).
    @property
    def price(self) -> Record:
        return self.prices[0]


@dataclass(frozen=True)
class Comparison:
    """A checked comparison: its record, its calculator and its rows, cheapest delivered unit first."""

    record: Record
    calculator: Calculator
    rows: tuple[Row, ...]
    catalog: Catalog

    # The query string that opens the calculator with a row's values (only those that differ from the defaults).
    def query(self, row: Row) -> str:
        defaults = self.calculator.defaults()
        fields = {field.id: field for field in self.calculator.record.inputs}
        pairs = [f"{self.calculator.record.key}.{fields[name].key}={_link_text(value)}"
                 for name, value in row.values.items() if name in fields and value != defaults.get(name)]
        return "&".join(pairs)


    # The list price of a row in US dollars per unit, for sorting that column (credits at their credit price).
    def list_sort(self, row: Row) -> float:
        price = row.price
        amount = unit_amount(price)
        credit = self.catalog.credit_price(price)
        return float(amount * unit_amount(credit)) if credit is not None else float(amount)

    # What the billing policy did to a row, in short phrases: the failure rule used (or that none is stated), a
    # hold-and-release or a minimum, and for voice which part of a session the price covers.
    def policy_notes(self, row: Row) -> list[str]:
        facts = {topic: fact for _policy, topic, fact in row.facts}
        notes = [COVERS[(row.price.mode, row.price.unit in ("minute", "hour"))]] if self.calculator.id == "voice" else []
        for topic in FAILURE_TOPICS.get(self.calculator.id, ()):
            fact = facts.get(topic)
            if fact is not None and fact.value in BILLED:
                notes.append(f"{FACT_TOPICS[topic]}: {VALUE_LABELS[fact.value]}")
                break
        else:
            if self.calculator.id in FAILURE_TOPICS:
                notes.append("No rule on failed jobs is on record, so failed attempts are counted as billed")
        for topic in ("billing_time", "minimum"):
            fact = facts.get(topic)
            if fact is not None and (topic == "minimum" or fact.value not in (None, "not-stated")):
                notes.append(f"{FACT_TOPICS[topic]}: {self.catalog.fact_text(fact)}")
        return notes


@dataclass(frozen=True)
class CatalogChecks:
    """Comparisons by id, the calculators with their presets' record values and the presets made from comparison
    rows, and the lifecycle warnings of rows and presets that offer a retired price."""

    comparisons: dict[str, Comparison]
    calculators: dict[str, Calculator]
    warnings: tuple[ContentError, ...]


# Check and compute every comparison and every preset that cites records; raises ContentErrors for contradictions.
def load_comparisons(data: SiteData, root: Path, calculators: Mapping[str, Calculator], catalog: Catalog) -> CatalogChecks:
    locator = Locator(root, data.documents)
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    comparisons: dict[str, Comparison] = {}
    for index, record in enumerate(data.all(KIND)):
        calculator = calculators.get(record.calculator)
        if calculator is None:
            continue
        path = (KIND, index)
        errors += _unknown_inputs(locator, record.file, path + ("values",), record["values"], calculator)
        outputs = [line.id for line in calculator.lines if line.output]
        if record.output not in outputs:
            errors.append(locator.error(record.file, path + ("output",), f"no output {record.output!r} in calculator "
                                        f"{calculator.id!r}", did_you_mean(record.output, outputs)))
            continue
        rows = []
        for number, row_record in enumerate(record.rows):
            row_path = path + ("rows", number)
            row = _row(locator, row_record, row_path, record, calculator, catalog, errors, warnings)
            if row is not None:
                rows.append(row)
        rows.sort(key=lambda row: (row.cost is None, row.cost if row.cost is not None else 0.0, row.price.id))
        comparisons[record.id] = Comparison(record, calculator, tuple(rows), catalog)
    ready = dict(calculators)
    for index, record in enumerate(data.all("calculators")):
        if record.id in calculators:
            values = _check_presets(locator, index, calculators[record.id], catalog, errors, warnings)
            generated = tuple(_generated(comparison, row) for comparison in comparisons.values()
                              if comparison.calculator.id == record.id for row in comparison.rows)
            ready[record.id] = replace(calculators[record.id], record_values=values, generated=generated)
    if errors:
        raise ContentErrors(errors)
    comparisons = {key: replace(comparison, calculator=ready[comparison.calculator.id])
                   for key, comparison in comparisons.items()}
    return CatalogChecks(comparisons, ready, tuple(sorted(set(warnings))))


# The preset a comparison row stands for: its values, labelled with its provider, model and variant.
def _generated(comparison: Comparison, row: Row) -> GeneratedPreset:
    price = row.price
    return GeneratedPreset(f"{comparison.record.id}-{price.id}", f"{price.provider}, {price.name} ({price.variant})",
                           dict(row.values), row.prices)


# The records a row or preset cites: its prices, and every fact of their policies plus any it names itself.
def cited_records(catalog: Catalog, price_ids: tuple[str, ...], citations: tuple[str, ...] = ()) -> Cited:
    prices = tuple(price for price in (catalog.price(price_id) for price_id in price_ids) if price is not None)
    facts: list[tuple[Record, str, Record]] = []
    for price in prices:
        policy = catalog.policy(price.policy) if price.policy else None
        facts += [(policy, topic, fact) for topic, fact in policy.facts.items()] if policy is not None else []
    facts += [found for found in (catalog.cited_fact(citation) for citation in citations) if found is not None]
    unique = {(policy.id, topic): (policy, topic, fact) for policy, topic, fact in facts}
    return Cited(prices, tuple(unique.values()))


# One row computed by the engine, or None when it cannot be (errors and warnings say why).
def _row(locator: Locator, row: Record, path: tuple[Any, ...], comparison: Record, calculator: Calculator,
         catalog: Catalog, errors: list[ContentError], warnings: list[ContentError]) -> Row | None:
    cited = cited_records(catalog, tuple(row.prices))
    retired = [price for price in cited.prices if catalog.status(price) == RETIRED]
    for price in retired:
        warnings.append(locator.error(row.file, path + ("prices",), f"comparison row offers prices:{price.id} as current, "
                                      f"but it was retired on {price.shutdown_on} ({_shutdown_line(locator, catalog, price)})",
                                      RETIRED_HINT))
    ranges = [price for price in cited.prices if "-" in price.amount]
    for price in ranges:
        errors.append(locator.error(row.file, path + ("prices",), f"prices:{price.id} is a range ({price.amount}), "
                                    "not one figure the calculator can use", "compare a price point with a single figure"))
    if retired or ranges:
        return None
    implied = implied_values(calculator.id, cited, catalog, locator)
    if not implied:
        errors.append(locator.error(row.file, path + ("prices",), f"the {calculator.id} calculator takes no input from "
                                    f"{', '.join(price.id for price in cited.prices)}",
                                    "cite a price in a unit that calculator has"))
        return None
    own = dict(row["values"]) if row.get("values") else {}
    errors += _unknown_inputs(locator, row.file, path + ("values",), own, calculator)
    errors += _contradictions(locator, row.file, path + ("values",), own, implied, "comparison row")
    values = {**calculator.defaults(), **comparison["values"], **{name: item.value for name, item in implied.items()}, **own}
    results = calculator.evaluate(values)
    cost = results.get(comparison.output)
    line = next(line for line in calculator.lines if line.id == comparison.output)
    shown = calculator.shown(line, cost)
    return Row(row, cited.prices, cited.facts, values, implied, cost, shown)


# Presets that cite prices or policy facts: each value they set must agree with those records; a retired price warns.
def _check_presets(locator: Locator, index: int, calculator: Calculator, catalog: Catalog, errors: list[ContentError],
                   warnings: list[ContentError]) -> dict[str, dict[str, Value]]:
    record = calculator.record
    values: dict[str, dict[str, Value]] = {}
    for number, preset in enumerate(record.presets or ()):
        path = ("calculators", index, "presets", number)
        for position, citation in enumerate(preset.policy_facts or ()):
            if catalog.cited_fact(citation) is None:
                policy_id = citation.partition(".")[0]
                errors.append(locator.error(record.file, path + ("policy_facts", position),
                                            f"no policy fact {citation!r}",
                                            did_you_mean(policy_id, [policy.id for policy in catalog.policies])
                                            or "write policy.topic, such as runway-api.failed"))
        if not (preset.prices or preset.policy_facts):
            continue
        cited = cited_records(catalog, tuple(preset.prices or ()), tuple(preset.policy_facts or ()))
        for price in cited.prices:
            if catalog.status(price) == RETIRED:
                warnings.append(locator.error(record.file, path + ("prices",), f"preset offers prices:{price.id} as current, "
                                              f"but it was retired on {price.shutdown_on} "
                                              f"({_shutdown_line(locator, catalog, price)})", RETIRED_HINT))
        implied = implied_values(calculator.id, cited, catalog, locator)
        errors += _contradictions(locator, record.file, path + ("values",), dict(preset.get("values") or {}), implied, "preset")
        values[preset.id] = {name: item.value for name, item in implied.items()}
    return values


# Values written by hand that disagree with what the cited records imply: one error naming both lines.
def _contradictions(locator: Locator, file: str, path: tuple[Any, ...], own: Mapping[str, Any],
                    implied: Mapping[str, Implied], what: str) -> list[ContentError]:
    errors = []
    for name, value in own.items():
        said = implied.get(name)
        if said is not None and not _same(value, said.value):
            errors.append(locator.error(file, path + (name,),
                                        f"{what} sets {name}: {_yaml_text(value)}, but {said.where} says otherwise "
                                        f"({said.why}, so {name}: {_yaml_text(said.value)})",
                                        "leave the value out: it comes from the record"))
    return errors


# Input ids in a values mapping that the calculator does not have.
def _unknown_inputs(locator: Locator, file: str, path: tuple[Any, ...], values: Mapping[str, Any],
                    calculator: Calculator) -> list[ContentError]:
    inputs = [field.id for field in calculator.record.inputs]
    return [locator.error(file, path + (name,), f"no input {name!r} in calculator {calculator.id!r}",
                          did_you_mean(name, inputs)) for name in values if name not in inputs]


# "data/prices.yml:LINE" of a price's shutdown date.
def _shutdown_line(locator: Locator, catalog: Catalog, price: Record) -> str:
    return locator.where(price.file, ("prices", catalog.prices.index(price), "shutdown_on"))


# Whether a written value and an implied one are the same (numbers compared as numbers).
def _same(written: Any, implied: Value) -> bool:
    if isinstance(implied, bool) or isinstance(written, bool):
        return written is implied
    if isinstance(implied, float) and isinstance(written, (int, float)):
        return math.isclose(float(written), implied, rel_tol=1e-12, abs_tol=0.0)
    return written == implied


# A value as YAML would show it.
def _yaml_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


# A value as calculator.js writes it in a link: yes/no as 1 or 0, numbers as JavaScript prints them.
def _link_text(value: Value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        number = float(value)
        if number.is_integer() and abs(number) < 1e21:
            return str(int(number))
        text = repr(number)
        return text.replace("e-0", "e-").replace("e+0", "e+") if "e" in text else text
    return str(value)

