"""The worked examples written out in the guides agree with the calculators: each figure a guide states is
what the calculator gives for the same scenario, at the precision the guide shows."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from costhub.calculator.model import Calculator
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parents[3]
FAILED = "content/failed-video-generation-cost.md"
VOICE = "content/realtime-voice-api-cost.md"
# The guide's cascaded call: 10 replies in 3 minutes, 800-token prompt, 20 tokens in and 55 out per turn,
# 2,400 characters of speech (1.5 minutes at 1,600 a minute), nothing cut off, no platform fee.
CASCADED = {"minutes": 3, "turns": 10 / 3, "system_tokens": 800, "caller_tokens": 20, "output_tokens": 55,
            "price_in": 2.5, "price_out": 10, "tts_unit": "per_character", "tts_char_price": 15,
            "chars_per_minute": 1600, "agent_share": 50, "wasted": 0, "stt_price": 0.006, "telephony_price": 0.01,
            "platform_price": 0}
# Its speech-to-speech call: 500-token prompt, 60 audio tokens in and 240 out per turn, $40 / $80 per million.
AUDIO = {"turns": 4, "system_tokens": 500, "caller_tokens": 60, "output_tokens": 240, "price_in": 40, "price_out": 80,
         "stt_price": 0, "tts_price": 0, "telephony_price": 0, "platform_price": 0}
FIGURES = [
    (FAILED, "**1.0525**", "video", {}, "attempts"),
    (FAILED, "**1,000.1 jobs**", "video", {}, "jobs"),
    (FAILED, "**$842.11**", "video", {}, "total"),
    (FAILED, "**$0.842**", "video", {}, "cost_per_video"),
    (FAILED, "5.26% over", "video", {}, "overhead"),
    (FAILED, "1,000 × $0.80 = **$800**", "video", {"failures_billed": False}, "total"),
    (FAILED, "1,027.7 jobs", "video", {"failure_rate": 30}, "jobs"),
    (FAILED, "**$1,142.86**", "video", {"failure_rate": 30}, "total"),
    (FAILED, "**$1.14**", "video", {"failure_rate": 30}, "cost_per_video"),
    (FAILED, "the same $1,142.86", "video", {"failure_rate": 30, "retries": 10}, "total"),
    (VOICE, "**$0.118**", "voice", CASCADED, "cost_per_session"),
    (VOICE, "**$0.039 per minute**", "voice", CASCADED, "cost_per_minute"),
    (VOICE, "$0.956", "voice", {**AUDIO, "minutes": 2.5}, "cost_per_session"),
    (VOICE, "**$0.38 per minute**", "voice", {**AUDIO, "minutes": 2.5}, "cost_per_minute"),
    (VOICE, "$11.02", "voice", {**AUDIO, "minutes": 10}, "cost_per_session"),
    (VOICE, "**$1.10 per minute**", "voice", {**AUDIO, "minutes": 10}, "cost_per_minute"),
]


@pytest.fixture(scope="module")
def calculators() -> dict[str, Calculator]:
    return Site.load(ROOT).calculators


@pytest.mark.parametrize(("page", "figure", "calc_id", "values", "line"), FIGURES,
                         ids=[f"{page.split('/')[-1]}:{figure}" for page, figure, *_ in FIGURES])
def test_a_guide_figure_is_what_the_calculator_gives(calculators: dict[str, Calculator], page: str, figure: str,
                                                      calc_id: str, values: dict, line: str) -> None:
    assert figure in (ROOT / page).read_text(encoding="utf-8"), f"{figure!r} is no longer in {page}"
    number = re.search(r"[\d,]+(\.\d+)?(?=\D*$)", figure.split("=")[-1])
    stated = float(number.group().replace(",", ""))
    decimals = len(number.group(1) or "") - 1 if number.group(1) else 0
    value = calculators[calc_id].evaluate(values)[line]
    shown = value * 100 if "%" in figure else value
    assert round(shown, decimals) == pytest.approx(stated), (figure, value)
