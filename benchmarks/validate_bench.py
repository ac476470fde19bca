"""Print how long validating data/ takes: per data file and in total, the quick check of costhub/data/schema_fast.py
against jsonschema's Draft 2020-12 validator (what every file cost before the quick check), on today's data and on
synthetic sites with N more guides (made as benchmarks/scale.py makes them); then making the quick checks of all
schemas, and importing jsonschema in a fresh process (which a load of valid data no longer does).

Usage: .venv/bin/python benchmarks/validate_bench.py [--runs R] [SIZE ...]   (default sizes 0 1000; 0 is today's
site; each figure is the median of R runs, default 5)
"""
from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]
from conftest import copy_project  # noqa: E402  (the test suite's copy of what a build reads)
from jsonschema import Draft202012Validator  # noqa: E402
from scale import add_guides  # noqa: E402  (the scale benchmark's synthetic guides)

from costhub.data.schema import format_checker  # noqa: E402
from costhub.data.schema_fast import compile_schema  # noqa: E402
from costhub.data.yamlfile import YamlDocument, load_yaml  # noqa: E402

IMPORT_TIME = "import time; start = time.perf_counter(); import jsonschema; print(time.perf_counter() - start)"


# The seconds one call of action takes.
def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


# The median seconds of runs calls of action.
def _median(action: Callable[[], object], runs: int) -> float:
    return statistics.median(_seconds(action) for _ in range(runs))


# Each data file of a project with its schema, both parsed, by file name.
def _files(project: Path) -> dict[str, tuple[YamlDocument, dict[str, Any]]]:
    found = {}
    for path in sorted((project / "data").glob("*.yml")):
        document, errors = load_yaml(path, path.name)
        if errors:
            raise SystemExit(f"{path}: {errors[0]}")
        schema_path = project / "data" / "schemas" / f"{path.stem}.schema.json"
        found[path.name] = (document, json.loads(schema_path.read_text(encoding="utf-8")))
    return found


# Measure and print one size: per file, the quick check and jsonschema, then the totals and the compile time.
def _measure(size: int, runs: int, folder: Path) -> None:
    project = copy_project(folder / "project")
    if size:
        add_guides(project, size)
    files = _files(project)
    print(f"== {size} synthetic guides: {len(files)} data files")
    print(f"{'file':<24} {'quick ms':>10} {'jsonschema ms':>14}")
    quick_total = slow_total = compile_total = 0.0
    for name, (document, schema) in files.items():
        copies = [copy.deepcopy(schema) for _ in range(runs)]  # a new object is compiled anew
        compile_total += statistics.median(_seconds(lambda: compile_schema(fresh)) for fresh in copies)
        check = compile_schema(schema)
        if check is None or not check(document.data):
            raise SystemExit(f"{name}: the quick check does not find it valid")
        validator = Draft202012Validator(schema, format_checker=format_checker())
        quick = _median(lambda: check(document.data), runs)
        slow = _median(lambda: list(validator.iter_errors(document.data)), runs)
        quick_total, slow_total = quick_total + quick, slow_total + slow
        print(f"{name:<24} {quick * 1000:10.3f} {slow * 1000:14.3f}")
    print(f"{'all files':<24} {quick_total * 1000:10.3f} {slow_total * 1000:14.3f}   "
          f"jsonschema / quick {slow_total / quick_total:6.1f}")
    print(f"quick checks made from all schemas {compile_total * 1000:8.3f} ms")


# Parse the command line, measure every size and print the figures, then the import of jsonschema.
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[0, 1000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as name:
            _measure(size, args.runs, Path(name))
        sys.stdout.flush()
    imports = [float(subprocess.run([sys.executable, "-c", IMPORT_TIME], capture_output=True, text=True,
                                    check=True).stdout) for _ in range(args.runs)]
    print(f"import jsonschema, fresh process {statistics.median(imports) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
