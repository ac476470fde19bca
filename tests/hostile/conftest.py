"""Fixtures for the hostile-input suite: a pristine copy of the project made once, a fresh copy per case, and the
limits every case must keep (10 seconds, bounded memory)."""
from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

from .support import copy_parts

CASE_SECONDS = 10
CASE_MEMORY_KB = 400 * 1024


# The project's content, data, templates and config, copied once for the whole suite.
@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_parts(ROOT, tmp_path_factory.mktemp("pristine") / "project")


# A fresh copy of the project for one case.
@pytest.fixture
def fresh(pristine: Path, tmp_path: Path) -> Path:
    return copy_parts(pristine, tmp_path / "project")


# Fail a case that runs past CASE_SECONDS (an alarm, so a hang cannot stall the suite) or whose peak memory grows by
# more than CASE_MEMORY_KB.
@pytest.fixture(autouse=True)
def case_limits() -> Iterator[None]:
    def _too_slow(_signum: int, _frame: Any) -> None:
        pytest.fail(f"the case ran longer than {CASE_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak
    assert grown < CASE_MEMORY_KB, f"peak memory grew by {grown // 1024} MB"
