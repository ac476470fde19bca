"""The calculator benchmark, run tiny on the session's built site so that it cannot silently break."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from conftest import ROOT, Build

pytestmark = pytest.mark.browser


# The benchmark script loaded as a module (benchmarks/ is not a package).
def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calculator_bench", ROOT / "benchmarks" / "calculator_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_calculator_benchmark_prints_sizes_and_median_recalculation(site_build: Build, chromium: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _bench().main(["--samples", "3", "--passes", "1", "--site", str(site_build.site)])
    out = capsys.readouterr().out
    assert re.search(r"calculator JS total\s+[\d,]+ B raw\s+[\d,]+ B gzipped", out)
    for calc_id in ("video", "image", "voice"):
        assert re.search(rf"^{calc_id}\s+python\s+[\d,]+ evaluations/s\s+node\s+[\d,]+ evaluations/s$", out, re.M)
        assert re.search(rf"^{calc_id}\s+chromium \d+\.\d{{3}} ms per recalculation \(median of 3 batches", out, re.M)
