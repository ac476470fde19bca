"""The reader benchmarks run on a tiny scale so they cannot silently break: asset weights against their budgets, and
Lighthouse on one page of the built site (its four scores are printed; their values are not asserted)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, Build

pytestmark = pytest.mark.browser
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def test_asset_weight_prints_each_kind_against_its_budget() -> None:
    result = subprocess.run([sys.executable, "benchmarks/asset_weight.py"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    totals = re.findall(r"^all own (JS|CSS) +[\d,]+ B raw +[\d,]+ B gzipped \((within|OVER) the (\d+) KB budget\)$",
                        result.stdout, re.MULTILINE)
    assert [(kind, budget) for kind, _verdict, budget in totals] == [("JS", "12"), ("CSS", "8")]


def test_lighthouse_prints_four_scores_for_one_page(site_build: Build, chromium: object) -> None:
    result = subprocess.run([sys.executable, "benchmarks/lighthouse.py", "--site", str(site_build.site), "/glossary/"],
                            cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stderr[-2000:]
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("/glossary/")]
    scores = re.findall(r"([a-z-]+) +(\d+)", line)
    assert [name for name, _score in scores] == list(CATEGORIES)
    assert all(0 <= int(score) <= 100 for _name, score in scores)
