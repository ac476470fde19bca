"""Print how long the build checks take on the real site: a strict build with and without hooks/costhub_checks.py
(and MkDocs' own link validation), `costhub check`, and loading the site (data, review dates, citations).

Usage: .venv/bin/python benchmarks/checks_bench.py [runs]   (default 7 runs; the median and the fastest are printed)
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from mkdocs.commands.build import build
from mkdocs.config import load_config

from costhub.cli import run_check
from costhub.review.freshness import today_from
from costhub.pages.site import Site

ROOT = Path(__file__).resolve().parent.parent
CHECKS_HOOK = "  - hooks/costhub_checks.py\n"
sys.path.insert(0, str(ROOT / "tests"))
from conftest import copy_project  # noqa: E402  (the test suite's copy of what a build reads)


# Copy what a build reads into dest; without_checks drops the checks hook and MkDocs' validation settings.
def _copy(dest: Path, without_checks: bool) -> Path:
    dest.mkdir(parents=True)
    copy_project(dest)
    if without_checks:
        config = (dest / "mkdocs.yml").read_text(encoding="utf-8").replace(CHECKS_HOOK, "")
        start = config.index("validation:")
        end = config.index("\n\n", start)
        (dest / "mkdocs.yml").write_text(config[:start] + config[end + 2:], encoding="utf-8")
    return dest


# Seconds for each of `runs` calls of action, each on a fresh copy of the project (so nothing is reused from an
# earlier run), after one warm-up call.
def _time(action: Callable[[Path], object], folder: Path, without_checks: bool, runs: int) -> list[float]:
    times = []
    for _ in range(runs + 1):
        project = _copy(Path(tempfile.mkdtemp(dir=folder)) / "project", without_checks)
        start = time.perf_counter()
        action(project)
        times.append(time.perf_counter() - start)
    return times[1:]


# A strict in-process build of the project into its site/ folder.
def _build(project: Path) -> None:
    config = load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site"))
    build(config)


# A `costhub check` run in-process with its output swallowed; it must pass.
def _check(project: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = run_check(project, today_from(os.environ))
    if code != 0:
        raise SystemExit(f"costhub check failed on {project}")


# Wall-clock seconds of one command run in a fresh process (interpreter start and imports included).
def _wall(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start


# One printed line: the median and the fastest of a list of timings, in milliseconds.
def _report(label: str, times: list[float]) -> None:
    print(f"{label:<44} median {statistics.median(times) * 1000:7.0f} ms   fastest {min(times) * 1000:7.0f} ms")


# Print every figure.
def main(runs: int) -> None:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print(f"{runs} runs each, in-process (imports excluded)")
        build_with, build_without = [], []
        for _ in range(runs):  # alternate, so load from other work on the machine hits both alike
            build_with += _time(_build, folder, False, 1)
            build_without += _time(_build, folder, True, 1)
        _report("mkdocs build --strict, with the checks", build_with)
        _report("mkdocs build --strict, without the checks", build_without)
        added = statistics.median(build_with) - statistics.median(build_without)
        print(f"{'checks add (median difference)':<44} {added * 1000:+14.0f} ms")
        _report("costhub check", _time(_check, folder, False, runs))
        _report("Site.load (data, review dates, citations)", _time(Site.load, folder, False, runs))
        print("\nfresh processes (interpreter start and imports included)")
        with_checks, without_checks = _copy(folder / "with", False), _copy(folder / "without", True)
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"]
        walls = [(_wall(mkdocs, with_checks), _wall(mkdocs, without_checks)) for _ in range(runs)]
        _report("mkdocs build --strict, with the checks", [pair[0] for pair in walls])
        _report("mkdocs build --strict, without the checks", [pair[1] for pair in walls])
        _report("costhub check", [_wall([sys.executable, "-m", "costhub.cli", "check"], with_checks) for _ in range(runs)])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
