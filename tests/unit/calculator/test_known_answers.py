"""Known answers (tests/calculator_answers.py) in the Python engine, with hand checks of the reference itself,
and the rule that the extra kinds of failure and minimums, left at their defaults, change nothing."""
from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from calculator_answers import RECORDS, SCENARIOS, Answer, Scenario, answer, full_values
from test_calculator_parity import run_node
from costhub.calculator.formula import evaluate, parse_formula
from costhub.calculator.model import Calculator, environment
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def calculators() -> dict[str, Calculator]:
    return Site.load(ROOT).calculators


# Both without a value, or within 1e-9 relative (the engines add terms in their own order).
def same(expected: float | None, got: float | None) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    return math.isclose(expected, got, rel_tol=1e-9, abs_tol=1e-12)


# The lines of a result that differ from the reference answer.
def differences(expected: Answer, got: dict[str, float | None]) -> dict[str, tuple[float | None, float | None]]:
    return {key: (value, got[key]) for key, value in expected.items() if not same(value, got[key])}


def test_there_are_at_least_forty_scenarios_covering_every_unit_and_preset() -> None:
    assert len(SCENARIOS) >= 40
    for calc_id, record in RECORDS.items():
        mine = [scenario for scenario in SCENARIOS if scenario.calculator == calc_id]
        used_units = {full_values(scenario).get("unit") for scenario in mine}
        options = next((field["options"] for field in record["inputs"] if field["id"] == "unit"), [])
        assert {option["id"] for option in options} <= used_units
        assert {preset["id"] for preset in record["presets"]} <= {scenario.preset for scenario in mine}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[scenario.name for scenario in SCENARIOS])
def test_python_engine_gives_the_known_answer(calculators: dict[str, Calculator], scenario: Scenario) -> None:
    got = calculators[scenario.calculator].evaluate(full_values(scenario))
    assert differences(answer(scenario), got) == {}


def test_shipped_js_engine_gives_every_known_answer(node_binary: str, shipped_scripts: Path, calculators: dict[str, Calculator]) -> None:
    wrong = {}
    for calc_id, calc in calculators.items():
        mine = [scenario for scenario in SCENARIOS if scenario.calculator == calc_id]
        results = run_node(node_binary, shipped_scripts, calc.spec(), [full_values(scenario) for scenario in mine])["results"]
        for scenario, got in zip(mine, results, strict=True):
            if differences(answer(scenario), got):
                wrong[scenario.name] = differences(answer(scenario), got)
    assert wrong == {}


# Hand-worked figures that hold the reference answers themselves to the definitions.
HAND = {
    # 20% failures, no retries: A = 1, D = 0.8, J = 1,000 / 0.8 = 1,250 jobs at $0.80: $1,000, +25% over $0.80.
    "video no retries (r = 0)": {"jobs": 1250.0, "total": 1000.0, "cost_per_video": 1.0, "overhead": 0.25},
    # Failures free: only one attempt per delivered video is paid, $0.80 each, whatever the failure rate.
    "video failures free": {"total": 800.0, "cost_per_video": 0.8, "overhead": 0.0, "jobs": 1000 / (1 - 0.2 ** 3)},
    # A flat $2 per video: delivered videos only, so exactly $2 each.
    "video per video bills delivered only": {"cost_per_video": 2.0, "overhead": 0.0, "total": 2000.0},
    # Credits: 5 per second x 5 s x $0.01 = $0.25 an attempt, twice that for 10 s.
    "video per credit, 5-second clip": {"cost_per_video": 0.25 * 1.0525 / 0.999875},
    "video per credit, 10-second clip": {"cost_per_video": 0.50 * 1.0525 / 0.999875},
    # A 3-second clip billed as 5 s at $0.10/s: $0.50 an attempt.
    "video minimum billed length": {"cost_per_video": 0.5 * 1.0525 / 0.999875},
    # Blocks on every attempt for 10% of jobs: they make 3 attempts each and never deliver; the rest always pass.
    "video blocked every time": {"jobs": 1000 / 0.9, "total": 1000 / 0.9 * 0.8 * (0.1 * 3 + 0.9)},
    "video blocked every time, blocks free": {"total": 800.0},
    "video every attempt fails (f = 100%)": {"jobs": None, "total": None, "delivered": 0.0, "cost_per_video": None},
    "video no failures (f = 0)": {"jobs": 1000.0, "total": 800.0, "overhead": 0.0},
    # Hold and release: 15% failures, 2 retries, $0.50 a task; failed tasks are released, not billed.
    "video per task, failures released": {"total": 500.0, "held": 1000 / (1 - 0.15 ** 3) * 0.5 * (0.15 + 0.15 ** 2 + 0.15 ** 3)},
    # Images: one edit, 10% rejected and billed, one retry: A = 1.1, D = 0.99, steps started 1 + 0.99 = 1.99.
    "image one edit step": {"started": 1000 / 0.99 ** 2, "total": 1000 / 0.99 ** 2 * 1.99 * 0.04 * 1.1},
    # Three edits: G = 4, steps started 1 + .99 + .99^2 + .99^3.
    "image three edit steps": {"started": 1000 / 0.99 ** 4,
                               "total": 1000 / 0.99 ** 4 * (1 + 0.99 + 0.99 ** 2 + 0.99 ** 3) * 0.04 * 1.1},
    "image no edits, no rejections": {"total": 40.0, "overhead": 0.0, "started": 1000.0},
    "image every generation rejected": {"total": None, "delivered": 0.0, "started": None},
    "image per megapixel": {"cost_per_image": 0.025 * 2.1 * 1.02 * (1 + 0.9996) / 0.9996 ** 2},
    # Voice, 1 minute: 4 replies, each reads the 1,000-token prompt and 160 tokens per earlier turn, plus 60 new.
    "voice 1-minute session": {"session_turns": 4.0,
                               "input_cost": ((1000 * 4 + 160 * (0 + 1 + 2 + 3)) + 4 * 60) * 2.5 / 1e6},
    # 0.1 minute (6 s) with a 10-second minimum: 1/6 minute billed; one started minute of telephony.
    "voice short call under the minimum": {"session_turns": 1.0},
}


def test_the_reference_agrees_with_hand_worked_figures() -> None:
    by_name = {scenario.name: scenario for scenario in SCENARIOS}
    assert set(HAND) <= set(by_name)
    for name, figures in HAND.items():
        assert differences(figures, answer(by_name[name])) == {}, name


def test_longer_voice_sessions_cost_more_per_minute_when_history_is_read_again() -> None:
    by_name = {scenario.name: answer(scenario) for scenario in SCENARIOS}
    short, long = by_name["voice 1-minute session"], by_name["voice 30-minute session"]
    assert long["cost_per_minute"] > short["cost_per_minute"] * 1.5


# The plain formulas, written out here and evaluated by the same arithmetic as the model.
PLAIN_VIDEO = {
    "attempts": "sum_powers(failure_rate, retries)",
    "delivered_share": "1 - failure_rate ** (retries + 1)",
    "jobs": "videos / (1 - failure_rate ** (retries + 1))",
}
PLAIN_IMAGE = {
    "attempts": "sum_powers(rejection_rate, retries)",
    "step_success": "1 - rejection_rate ** (retries + 1)",
}


def test_extras_left_at_their_defaults_change_nothing(calculators: dict[str, Calculator]) -> None:
    rng = random.Random(20261201)
    video, image = calculators["video"], calculators["image"]
    for _ in range(300):
        values = {"videos": rng.randint(1, 10**7), "seconds": rng.choice((4, 5, 8, 10, 12.5)),
                  "unit": rng.choice(("per_second", "per_video", "per_credit", "per_task")), "rate": rng.uniform(0.01, 2),
                  "failure_rate": rng.choice((0, 0.5, 5, 20, 37.5, 80, 99.5)), "failures_billed": rng.random() < 0.5,
                  "retries": rng.randint(0, 10), "polls": rng.randint(0, 100), "poll_price": rng.choice((0, 0.001))}
        got = video.evaluate(values)
        env = environment(video.record, {**video.defaults(), **values})
        for line_id, text in PLAIN_VIDEO.items():
            assert got[line_id] == evaluate(parse_formula(text), env), (line_id, values)
        a, d = got["attempts"], got["delivered_share"]
        billed = d if values["unit"] == "per_video" or not values["failures_billed"] else a
        assert got["billed_attempts"] == billed and got["polls_per_job"] == a * values["polls"]
        assert got["total"] == got["jobs"] * (got["attempt_price"] * billed + a * values["polls"] * values["poll_price"])
        assert got["cost_per_video"] == got["total"] / values["videos"]
        values = {"images": rng.randint(1, 10**7), "edits": rng.randint(0, 5), "rejection_rate": rng.choice((0, 2, 10, 50)),
                  "retries": rng.randint(0, 10), "rejections_billed": rng.random() < 0.5}
        got = image.evaluate(values)
        env = environment(image.record, {**image.defaults(), **values})
        for line_id, text in PLAIN_IMAGE.items():
            assert got[line_id] == evaluate(parse_formula(text), env), (line_id, values)


def test_the_prepaid_balance_is_the_total_plus_what_is_held(calculators: dict[str, Calculator]) -> None:
    for scenario in SCENARIOS:
        if scenario.calculator == "voice":
            continue
        got = calculators[scenario.calculator].evaluate(full_values(scenario))
        held = got.get("held", 0.0)
        assert got["prepaid_balance"] == (None if got["total"] is None else got["total"] + held), scenario.name
