"""Known answers for the three calculators, worked out here from the model's definitions, never by the engine.

Each reference function below reads the typed values (percents as typed, 5 for 5%) and counts the way the
model is defined in words: attempts by walking the retry tree, an image chain step by step, a voice session
reply by reply. SCENARIOS lists the cases; every test that checks an engine (Python, the shipped JS in
node, the page in Chromium) compares it with these answers.
"""
from __future__ import annotations

import math
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
Answer = dict[str, float | None]


@dataclass(frozen=True)
class Scenario:
    """One known-answer case: a calculator, an optional preset, the values typed over it, and its name."""

    name: str
    calculator: str
    values: dict[str, Any]
    preset: str | None = None


# The calculator records straight from the YAML (defaults and presets are data, not engine output).
def _records() -> dict[str, Any]:
    text = (ROOT / "data" / "calculators.yml").read_text(encoding="utf-8")
    return {record["id"]: record for record in yaml.safe_load(text)["calculators"]}


RECORDS = _records()


# The price and policy records straight from the YAML, by id.
def _catalog() -> tuple[dict[str, Any], dict[str, Any]]:
    prices = yaml.safe_load((ROOT / "data" / "prices.yml").read_text(encoding="utf-8"))["prices"]
    policies = yaml.safe_load((ROOT / "data" / "policies.yml").read_text(encoding="utf-8"))["policies"]
    return {price["id"]: price for price in prices}, {policy["id"]: policy for policy in policies}


PRICES, POLICIES = _catalog()
OUTCOME_BILLED = {"billed": True, "partly-billed": True, "not-billed": False, "refunded": False}


# What a preset's cited records say, read by hand: a credit's dollar price, whether failures (for images: blocked
# generations, else failures) are billed, a hold-and-release, a minimum billed call length, realtime token prices.
def record_values(calculator: str, preset: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    cited = [tuple(citation.split(".")) for citation in preset.get("policy_facts", [])]
    for price_id in preset.get("prices", []):
        price = PRICES[price_id]
        if price["mode"] == "credits":
            values["credit_price"] = float(Decimal(price["amount"]) / Decimal(str(price["per"])))
        if calculator == "voice" and price["mode"] == "realtime" and price["unit"] == "token":
            # The voice calculator takes token prices per million tokens, as the catalog's records are written.
            assert price["per"] == 1_000_000
            values["price_out" if "output" in price["variant"] else "price_in"] = float(price["amount"])
            if "cached_input" in price:
                values["cached_price"] = float(price["cached_input"])
        if price.get("policy"):
            cited += [(price["policy"], topic) for topic in POLICIES[price["policy"]]["facts"]]
    topics = {topic for _policy, topic in cited}
    for policy_id, topic in cited:
        fact = POLICIES[policy_id]["facts"][topic]
        billed = OUTCOME_BILLED.get(fact.get("value"))
        if calculator == "video" and topic == "failed" and billed is not None:
            values["failures_billed"] = billed
        if calculator == "video" and topic == "billing_time" and fact["value"] == "hold-and-release":
            values["hold_release"] = True
        if calculator == "image" and billed is not None and (
                topic == "moderation_blocked" or (topic == "failed" and "moderation_blocked" not in topics)):
            values["rejections_billed"] = billed
        if calculator == "voice" and topic == "minimum":
            values["min_seconds"] = float(fact["seconds"])
    return values


# The full values of a scenario: defaults, then what the preset's records say and its own values, then the
# scenario's own.
def full_values(scenario: Scenario) -> dict[str, Any]:
    record = RECORDS[scenario.calculator]
    values = {field["id"]: field["default"] for field in record["inputs"]}
    if scenario.preset:
        preset = next(p for p in record["presets"] if p["id"] == scenario.preset)
        values.update(record_values(scenario.calculator, preset))
        values.update(preset.get("values", {}))
    return {**values, **scenario.values}


# Video: attempts and deliveries from the retry tree, then the bill as the model defines it.
def video_answer(v: dict[str, Any]) -> Answer:
    n, f, r = float(v["videos"]), v["failure_rate"] / 100, int(v["retries"])
    billed_seconds = max(v["seconds"], v["min_seconds"])
    price = {"per_second": v["rate"] * billed_seconds, "per_credit": v["credits_per_second"] * billed_seconds * v["credit_price"],
             "per_video": v["rate"], "per_task": v["rate"]}[v["unit"]]
    timeout_share, block_share = v["timeout_share"] / 100, v["block_share"] / 100
    timeouts, blocks = f * timeout_share, f * min(block_share, 1 - timeout_share)
    errors = f - timeouts - blocks
    always = blocks * v["blocked_always"] / 100  # jobs whose prompt is blocked on all r + 1 attempts
    other = 0.0 if always == 1 else (f - always) / (1 - always)  # failure rate of every other job's attempts
    # Attempt k (k = 0 .. r) of an ordinary job happens when the k before it failed: probability other ** k.
    happen = [other ** k for k in range(r + 1)]
    attempts = always * (r + 1) + (1 - always) * sum(happen)
    delivered_share = (1 - always) * (1 - other ** (r + 1))
    failed_other = (1 - always) * sum(chance * other for chance in happen)  # each attempt that happens may fail
    transient = f - always
    kind = (lambda amount: 0.0 if transient == 0 else failed_other * amount / transient)
    billed = delivered_share
    if v["failures_billed"] and v["unit"] != "per_video":
        billed += (kind(errors) * v["error_billed"] + kind(timeouts) * v["timeout_billed"]
                   + kind(blocks - always) * v["block_billed"]) / 100 + always * (r + 1) * v["block_billed"] / 100
    polls = (attempts - kind(timeouts)) * v["polls"] + kind(timeouts) * v["timeout_polls"]
    if delivered_share == 0:
        return {"jobs": None, "total": None, "delivered": 0.0, "cost_per_video": None, "overhead": None,
                "prepaid_balance": None, "held": None}
    jobs = n / delivered_share
    total = jobs * (price * billed + polls * v["poll_price"])
    held = jobs * price * (attempts - billed) if v["hold_release"] else 0.0
    return {"jobs": jobs, "total": total, "delivered": n, "cost_per_video": total / n,
            "overhead": total / n / price - 1 if price > 0 else None, "prepaid_balance": total + held, "held": held}


# Image: a chain of G steps, each retried; a step starts only when the one before it passed.
def image_answer(v: dict[str, Any]) -> Answer:
    n, m, r, steps = float(v["images"]), v["rejection_rate"] / 100, int(v["retries"]), 1 + int(v["edits"])
    price = {"per_image": v["rate"], "per_credit": v["credits"] * v["credit_price"],
             "per_token": v["tokens"] * v["token_price"] / 1e6, "per_megapixel": v["rate"] * v["megapixels"]}[v["unit"]]
    always = m * v["blocked_always"] / 100
    other = 0.0 if always == 1 else (m - always) / (1 - always)
    attempts = always * (r + 1) + (1 - always) * sum(other ** k for k in range(r + 1))
    passes = (1 - always) * (1 - other ** (r + 1))
    started_steps = steps if passes == 1 else (1 - passes ** steps) / (1 - passes)
    billed = attempts if v["rejections_billed"] else passes
    if passes ** steps == 0:
        return {"started": None, "total": None, "delivered": 0.0, "cost_per_image": None, "overhead": None,
                "prepaid_balance": None}
    started = n / passes ** steps
    total = started * started_steps * price * billed
    return {"started": started, "total": total, "delivered": n, "cost_per_image": total / n,
            "overhead": total / n / (steps * price) - 1 if price > 0 else None, "prepaid_balance": total}


# Voice: one session reply by reply, each reply reading the system prompt and every earlier turn again.
def voice_answer(v: dict[str, Any]) -> Answer:
    minutes = v["minutes"]
    product = v["turns"] * minutes
    replies = max(int(math.floor(product + 0.5)), 1)  # to the nearest whole reply (halves up), at least one
    history = v["caller_tokens"] + v["output_tokens"]
    cached = v["cached_share"] / 100
    model_input = 0.0
    for reply in range(1, replies + 1):
        read_again = v["system_tokens"] + (reply - 1) * history
        model_input += read_again * (1 - cached) * v["price_in"] + read_again * cached * v["cached_price"]
        model_input += v["caller_tokens"] * v["price_in"]
    model_input /= 1e6
    model_output = replies * v["output_tokens"] * v["price_out"] / 1e6
    billed_minutes = max(minutes, v["min_seconds"] / 60)
    speech = minutes * v["agent_share"] / 100 / (1 - v["wasted"] / 100)
    per_speech_minute = v["tts_price"] if v["tts_unit"] == "per_minute" else v["chars_per_minute"] * v["tts_char_price"] / 1e6
    session = (billed_minutes * v["stt_price"] + model_input + model_output + speech * per_speech_minute
               + math.ceil(billed_minutes) * v["telephony_price"] + billed_minutes * v["platform_price"])
    return {"cost_per_session": session, "cost_per_minute": session / minutes, "monthly_total": session * v["sessions"],
            "input_cost": model_input, "session_turns": float(replies)}


ANSWERS = {"video": video_answer, "image": image_answer, "voice": voice_answer}


# The reference answer for a scenario.
def answer(scenario: Scenario) -> Answer:
    return ANSWERS[scenario.calculator](full_values(scenario))


S = Scenario
SCENARIOS: tuple[Scenario, ...] = (
    # Video: every unit, every preset, the edge cases.
    S("video defaults", "video", {}),
    S("video no failures (f = 0)", "video", {"failure_rate": 0}),
    S("video every attempt fails (f = 100%)", "video", {"failure_rate": 100}),
    S("video f = 100% with a flat price per video", "video", {"failure_rate": 100, "unit": "per_video"}),
    S("video no retries (r = 0)", "video", {"failure_rate": 20, "retries": 0}),
    S("video failures free", "video", {"failure_rate": 20, "failures_billed": False}),
    S("video per video bills delivered only", "video", {"unit": "per_video", "rate": 2, "failure_rate": 10}),
    S("video per credit, 5-second clip", "video", {"unit": "per_credit", "seconds": 5}),
    S("video per credit, 10-second clip", "video", {"unit": "per_credit", "seconds": 10}),
    S("video per task, failures billed", "video", {"unit": "per_task", "rate": 0.5, "failure_rate": 15}),
    S("video per task, failures released", "video", {"unit": "per_task", "rate": 0.5, "failure_rate": 15,
                                                      "failures_billed": False, "hold_release": True}),
    S("video minimum billed length", "video", {"seconds": 3, "min_seconds": 5}),
    S("video minimum below the clip length", "video", {"seconds": 8, "min_seconds": 5, "unit": "per_credit"}),
    S("video billed polls", "video", {"polls": 30, "poll_price": 0.001}),
    S("video timeouts poll to the limit", "video", {"failure_rate": 10, "timeout_share": 50, "timeout_polls": 100,
                                                    "poll_price": 0.001}),
    S("video timeouts billed at half", "video", {"failure_rate": 10, "timeout_share": 100, "timeout_billed": 50}),
    S("video blocked every time", "video", {"failure_rate": 10, "block_share": 100, "blocked_always": 100}),
    S("video blocked every time, blocks free", "video", {"failure_rate": 10, "block_share": 100, "blocked_always": 100,
                                                         "block_billed": 0}),
    S("video half the blocks repeat", "video", {"failure_rate": 30, "block_share": 40, "blocked_always": 50,
                                                "error_billed": 25}),
    S("video shares past 100% of failures", "video", {"failure_rate": 20, "timeout_share": 70, "block_share": 60}),
    S("video ten retries at 50%", "video", {"failure_rate": 50, "retries": 10}),
    S("video free rate", "video", {"rate": 0}),
    S("video 10^7 videos", "video", {"videos": 10_000_000, "failure_rate": 7.5}),
    S("video preset runway-credits", "video", {}, "runway-credits"),
    S("video preset fal-successful-outputs", "video", {}, "fal-successful-outputs"),
    S("video preset atlascloud-hold-release", "video", {}, "atlascloud-hold-release"),
    S("video preset async-gateway", "video", {}, "async-gateway"),
    S("video preset no-retries", "video", {}, "no-retries"),
    S("video preset timeouts-and-blocks", "video", {}, "timeouts-and-blocks"),
    # Image: every unit, every preset, one edit step against three.
    S("image defaults", "image", {}),
    S("image no edits, no rejections", "image", {"edits": 0, "rejection_rate": 0}),
    S("image one edit step", "image", {"edits": 1, "rejection_rate": 10, "retries": 1}),
    S("image three edit steps", "image", {"edits": 3, "rejection_rate": 10, "retries": 1}),
    S("image every generation rejected", "image", {"rejection_rate": 100}),
    S("image no retries", "image", {"rejection_rate": 20, "retries": 0}),
    S("image rejections free", "image", {"rejection_rate": 20, "rejections_billed": False, "edits": 2}),
    S("image rejected every time", "image", {"rejection_rate": 10, "blocked_always": 100}),
    S("image half the rejections repeat", "image", {"rejection_rate": 10, "blocked_always": 50, "edits": 2}),
    S("image per credit", "image", {"unit": "per_credit", "credits": 6, "credit_price": 0.005}),
    S("image per token", "image", {"unit": "per_token", "tokens": 4160, "token_price": 40}),
    S("image per megapixel", "image", {"unit": "per_megapixel", "rate": 0.025, "megapixels": 2.1}),
    S("image 10^7 images", "image", {"images": 10_000_000}),
    S("image preset fal-successful-outputs", "image", {}, "fal-successful-outputs"),
    S("image preset fal-megapixels", "image", {}, "fal-megapixels"),
    S("image preset token-billed", "image", {}, "token-billed"),
    S("image preset credit-billed", "image", {}, "credit-billed"),
    S("image preset heavy-editing", "image", {}, "heavy-editing"),
    # Voice: session length, caching, speech billing, the per-call minimum, every preset.
    S("voice defaults", "voice", {}),
    S("voice 1-minute session", "voice", {"minutes": 1}),
    S("voice 30-minute session", "voice", {"minutes": 30}),
    S("voice half the history cached", "voice", {"minutes": 10, "cached_share": 50}),
    S("voice speech billed per character", "voice", {"tts_unit": "per_character", "tts_char_price": 30,
                                                      "chars_per_minute": 850}),
    S("voice short call under the minimum", "voice", {"minutes": 0.1, "min_seconds": 10}),
    S("voice started minutes of telephony", "voice", {"minutes": 2.5, "telephony_price": 0.02}),
    S("voice no interruptions", "voice", {"wasted": 0, "agent_share": 40}),
    S("voice one reply only", "voice", {"turns": 0, "minutes": 3}),
    S("voice 10^7 sessions", "voice", {"sessions": 10_000_000}),
    S("voice preset realtime-audio-tokens", "voice", {}, "realtime-audio-tokens"),
    S("voice preset short-call-minimum", "voice", {}, "short-call-minimum"),
    S("voice preset long-support-calls", "voice", {}, "long-support-calls"),
)
