"""Print the calculator's figures: JS sizes (raw and gzipped), evaluation speed in node and Python,
and the median time one full recalculation (evaluate, table, pictures, URL) takes in Chromium, per
calculator. `--samples N` sets how many timed batches of BATCH recalculations make each median;
`--passes N` sets the engine runs; `--site DIR` times an already built site instead of building one."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser.conftest import CHROMIUM_ARGS, serve  # noqa: E402

from costhub.pages.site import Site  # noqa: E402

SCRIPTS = ("costhub-formula.js", "calculator-runtime.js", "calculator.js")
RUNNER = ROOT / "tests" / "js" / "run_calculator.js"
CHROMIUM = os.environ.get("COSTHUB_CHROMIUM", "/usr/bin/chromium")
SAMPLES = 60
BATCH = 10
# Milliseconds per recalculation of one calculator, one figure per batch of `batch` recalculations, each
# triggered as the reader's typing would be (a batch, because the browser's clock is coarse).
RECALCULATE = """([id, samples, batch]) => {
  const field = document.querySelector(`#calc-${id} .costhub-calc__fields input[type=text]`);
  const times = [];
  for (let s = 0; s < samples; s++) {
    const started = performance.now();
    for (let i = 0; i < batch; i++) {
      field.value = String(1 + (s * batch + i) % 90);
      field.dispatchEvent(new Event("input", {bubbles: true}));
    }
    times.push((performance.now() - started) / batch);
  }
  return times;
}"""


# Raw and gzipped bytes of each shipped script, and their total.
def sizes() -> None:
    total_raw = total_gz = 0
    for name in SCRIPTS:
        data = (ROOT / "overrides/assets/javascripts" / name).read_bytes()
        packed = len(gzip.compress(data, compresslevel=9, mtime=0))
        total_raw, total_gz = total_raw + len(data), total_gz + packed
        print(f"{name:<24} {len(data):>7,} B raw {packed:>7,} B gzipped")
    print(f"{'calculator JS total':<24} {total_raw:>7,} B raw {total_gz:>7,} B gzipped")


# Evaluations per second of every calculator in Python and in node (the shipped runtime), over
# `passes` passes of 100 vectors in Python and ten times as many in node.
def engines(site: Site, passes: int) -> None:
    for calc in site.calculators.values():
        vectors = [calc.defaults()] * 100
        started = time.perf_counter()
        for values in vectors * passes:
            calc.rows(values)
        python_rate = 100 * passes / (time.perf_counter() - started)
        line = f"{calc.id:<6} python {python_rate:>10,.0f} evaluations/s"
        if shutil.which("node"):
            job = json.dumps({"spec": calc.spec(), "vectors": vectors, "repeat": 10 * passes})
            done = subprocess.run(["node", str(RUNNER)], input=job, capture_output=True, text=True, check=True)
            line += f"   node {1000 * passes / json.loads(done.stdout)['seconds']:>10,.0f} evaluations/s"
        print(line)


# Median milliseconds per full recalculation in Chromium for each calculator on the built page.
def chromium(site_dir: Path, ids: list[str], samples: int) -> None:
    from playwright.sync_api import sync_playwright

    with serve(site_dir) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{server.url}/calculator/")
        page.wait_for_selector("section.costhub-calc--live[data-calculator='voice']")
        for calc_id in ids:
            page.evaluate(RECALCULATE, [calc_id, 10, BATCH])
            times = page.evaluate(RECALCULATE, [calc_id, samples, BATCH])
            print(f"{calc_id:<6} chromium {statistics.median(times):.3f} ms per recalculation "
                  f"(median of {samples} batches of {BATCH}; slowest batch {max(times):.3f} ms)")
        browser.close()


# Print every figure; builds the site into a temp folder for the Chromium run unless given one.
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--passes", type=int, default=10, help="passes over 100 vectors in Python (ten times more in node)")
    parser.add_argument("--site", type=Path, help="an already built site to time")
    args = parser.parse_args(argv)
    sizes()
    site = Site.load(ROOT)
    engines(site, args.passes)
    if not Path(CHROMIUM).exists():
        print("chromium: not installed")
        return
    if args.site:
        chromium(args.site, list(site.calculators), args.samples)
        return
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", folder],
                       cwd=ROOT, env=env, check=True)
        chromium(Path(folder), list(site.calculators), args.samples)


if __name__ == "__main__":
    main()
