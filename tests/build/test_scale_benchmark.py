"""The scale benchmark runs on a tiny size and prints every figure it promises (no time is asserted)."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

NUMBER = r"(\d+\.\d+|\d+)"
SIZE_FIGURES = {
    "plain build": rf"plain build\s+{NUMBER} s",
    **{f"{name}, {kind}": pattern.replace("KIND", kind) for kind in ("warm", "cold") for name, pattern in {
        "strict build": (rf"strict build, KIND\s+{NUMBER} s\s+build / plain\s+{NUMBER}"
                         rf"\s+CPU\s+{NUMBER} s / \s*{NUMBER} s = \s*{NUMBER}"),
        "costhub check": rf"costhub check, KIND\s+{NUMBER} s\s+check / plain\s+{NUMBER}",
        "peak memory": rf"peak memory, KIND\s+build\s+{NUMBER} MiB\s+plain\s+{NUMBER} MiB\s+build / plain\s+{NUMBER}",
    }.items()},
    "serve edit": rf"serve edit\s+YAML\s+{NUMBER} s\s+plain \.md\s+{NUMBER} s\s+YAML / plain\s+{NUMBER}",
    "nav HTML": rf"nav HTML per page\s+{NUMBER} KiB",
    "search index": rf"search index\s+{NUMBER} MiB gzipped \({NUMBER} MiB raw\)",
}
# The overhead growth is nan when the small site built no slower than its plain twin (a warm build can).
GROWTH = [rf"plain build\s+{NUMBER}"] + [
    rf"{kind}\s+build\s+{NUMBER}\s+overhead \(build - plain\)\s+({NUMBER}|nan)\s+costhub check\s+{NUMBER}"
    for kind in ("warm", "cold")]


def test_scale_benchmark_prints_every_figure_for_each_size_and_the_growth() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--runs", "1", "--serve-edits", "1",
                             "--serve-max", "20", "2", "20"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    sections = re.split(r"^== ", result.stdout, flags=re.MULTILINE)[1:]
    assert [section.split(":")[0] for section in sections[:2]] == ["2 synthetic guides", "20 synthetic guides"]
    pages = [int(re.match(r"[^:]+: (\d+) pages", section).group(1)) for section in sections[:2]]
    assert pages[1] - pages[0] == 18  # each synthetic guide is one more page
    for section in sections[:2]:
        for name, pattern in SIZE_FIGURES.items():
            assert re.search(pattern, section), f"{name} missing in:\n{section}"
    assert sections[2].startswith("growth from 2 to 20 synthetic guides")
    for pattern in GROWTH:
        assert re.search(pattern, sections[2]), sections[2]
