"""Print the calculator's figures: JS sizes (raw and gzipped), evaluation speed in node and Python,
and the time one full recalculation (evaluate, table, pictures, URL) takes in Chromium."""

from __future__ import annotations

import gzip
import json
import os
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
ROUNDS = 200
# Times `rounds` recalculations of one calculator, each triggered as the reader's typing would be.
RECALCULATE = """([id, rounds]) => {
  const field = document.querySelector(`#calc-${id} .costhub-calc__fields input[type=text]`);
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    field.value = String(1000 + i);
    field.dispatchEvent(new Event("input", {bubbles: true}));
  }
  return (performance.now() - started) / rounds;
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


# Evaluations per second of every calculator in Python and in node (the shipped runtime).
def engines(site: Site) -> None:
    for calc in site.calculators.values():
        vectors = [calc.defaults()] * 100
        started = time.perf_counter()
        for values in vectors * 10:
            calc.rows(values)
        python_rate = 1000 / (time.perf_counter() - started)
        line = f"{calc.id:<6} python {python_rate:>10,.0f} evaluations/s"
        if shutil.which("node"):
            job = json.dumps({"spec": calc.spec(), "vectors": vectors, "repeat": 100})
            done = subprocess.run(["node", str(RUNNER)], input=job, capture_output=True, text=True, check=True)
            line += f"   node {10_000 / json.loads(done.stdout)['seconds']:>10,.0f} evaluations/s"
        print(line)


# Milliseconds per full recalculation in Chromium for each calculator on the built page.
def chromium(site_dir: Path, ids: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    with serve(site_dir) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{server.url}/calculator/")
        page.wait_for_selector("section.costhub-calc--live[data-calculator='voice']")
        for calc_id in ids:
            page.evaluate(RECALCULATE, [calc_id, 20])
            ms = page.evaluate(RECALCULATE, [calc_id, ROUNDS])
            print(f"{calc_id:<6} chromium {ms:.3f} ms per recalculation (mean of {ROUNDS})")
        browser.close()


# Print every figure; builds the site into a temp folder for the Chromium run.
def main() -> None:
    sizes()
    site = Site.load(ROOT)
    engines(site)
    if not Path(CHROMIUM).exists():
        print("chromium: not installed")
        return
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", folder],
                       cwd=ROOT, env=env, check=True)
        chromium(Path(folder), list(site.calculators))


if __name__ == "__main__":
    main()
