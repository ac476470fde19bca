"""The validation benchmark runs on a tiny size and prints every figure it promises (no time is asserted)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NUMBER = r"\d+\.\d+"
DATA_FILES = sorted(path.name for path in (ROOT / "data").glob("*.yml"))


def test_validate_benchmark_prints_each_file_and_the_totals_for_each_size() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "validate_bench.py"), "--runs", "1", "0", "2"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    sections = re.split(r"^== ", result.stdout, flags=re.MULTILINE)[1:]
    assert [section.split(":")[0] for section in sections] == ["0 synthetic guides", "2 synthetic guides"]
    for section in sections:
        for name in DATA_FILES:
            assert re.search(rf"^{re.escape(name)}\s+{NUMBER}\s+{NUMBER}$", section, re.MULTILINE), name
        assert re.search(rf"^all files\s+{NUMBER}\s+{NUMBER}\s+jsonschema / quick\s+{NUMBER}$", section, re.MULTILINE)
        assert re.search(rf"^quick checks made from all schemas\s+{NUMBER} ms$", section, re.MULTILINE)
    assert re.search(rf"^import jsonschema, fresh process\s+{NUMBER} ms$", sections[-1], re.MULTILINE)
