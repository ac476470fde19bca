"""Print how the build scales against plain MkDocs: synthetic sites with N more guides (each with its catalog entry,
FAQs and checklist), built with our hooks and then "plain" (every page's Markdown as our hooks rendered it, built
with the same theme, nav and extensions and no costhub hooks), interleaved run by run.

For each size: strict build and plain build (whole processes, medians), their ratio in wall time and in CPU time
(a large load renders its pages in two forked copies side by side, so its wall time can be below its CPU time),
`costhub check` and its ratio to the plain build, each of ours both warm (the snapshot of the last load in
.costhub-cache/ reused, as on a second build of unchanged files) and cold (COSTHUB_CACHE=off: everything validated
and rendered again), peak memory of each (getrusage of the child process, which covers the copies it waited for),
`mkdocs serve` timings (a YAML record edited until the page shows it, against a Markdown edit of the plain site,
the two servers taking turns),
nav HTML per page and the gzipped search index; then the growth between the smallest and the largest size.

Usage: .venv/bin/python benchmarks/scale.py [--runs R] [--serve-max N] [--serve-edits E] [SIZE ...]
       (default sizes 0 100 300 1000; 0 is today's site; serve is timed on sizes up to --serve-max, default 100)
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import copy_project, rewrite_data  # noqa: E402  (sets SOURCE_DATE_EPOCH to the newest review day)

MEDIA = ("image", "video", "voice")
HOOKS_BLOCK = re.compile(r"^hooks:\n(?:  - .*\n)+", re.MULTILINE)
WATCH_BLOCK = re.compile(r"^watch:\n(?:  - .*\n)+", re.MULTILINE)
PRIMARY_NAV = '<nav class="md-nav md-nav--primary"'
NAV_TAG = re.compile(r"<(/?)nav\b")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
COLD_ENV = {**ENV, "COSTHUB_CACHE": "off"}
CAPTURE = """
import sys
from pathlib import Path
from costhub.pages.site import Site
root, out = Path(sys.argv[1]), Path(sys.argv[2])
rendered, errors = Site.load(root).render_all()
assert not errors, errors
for src_uri, page in rendered.items():
    (out / src_uri).write_text(page.markdown, encoding="utf-8")
"""
NAV_CONFIG = """
import json, sys
from pathlib import Path
from costhub.pages.site import Site
site = Site.load(Path(sys.argv[1]))
settings = site.data.settings.site
# Records as plain JSON data (tuples become lists, Records become objects).
def plain(value):
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    if hasattr(value, "keys"):
        return {key: plain(value[key]) for key in value}
    return value
print(json.dumps({"site_name": settings.name, "site_url": settings.url, "site_description": settings.description,
                  "nav": site.nav(), "globals": {"costhub": plain(site.data.settings),
                                                 "costhub_pages": plain(site.data.all("pages"))}}, default=str))
"""
PLAIN_HOOK = """
import json
from pathlib import Path


# The theme's globals as constants (site settings and page catalog), so the same templates render.
def on_env(env, /, *, config, files):
    env.globals.update(json.loads((Path(config.config_file_path).parent / "globals.json").read_text(encoding="utf-8")))
    return env
"""


@dataclass
class Run:
    """One finished child process: wall seconds, peak resident memory in MiB, and CPU seconds (user and system, of
    the process and the copies it forked and waited for)."""

    seconds: float
    peak_mib: float
    cpu_seconds: float


@dataclass
class SizeFigures:
    """Every figure measured for one size."""

    guides: int
    pages: int
    build: list[Run] = field(default_factory=list)
    plain: list[Run] = field(default_factory=list)
    check: list[Run] = field(default_factory=list)
    cold_build: list[Run] = field(default_factory=list)
    cold_check: list[Run] = field(default_factory=list)
    serve_yaml: list[float] = field(default_factory=list)
    serve_plain: list[float] = field(default_factory=list)
    nav_kib: float = 0.0
    search_gz_mib: float = 0.0
    search_raw_mib: float = 0.0


# The median of the seconds of some runs.
def _median(runs: list[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


# The median of the CPU seconds of some runs.
def _median_cpu(runs: list[Run]) -> float:
    return statistics.median(run.cpu_seconds for run in runs)


# Run a command to the end in a fresh process, with its output in a log file; returns its time and peak memory.
def _run(command: list[str], cwd: Path, log: Path, env: dict[str, str] = ENV) -> Run:
    with log.open("w", encoding="utf-8") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{log.read_text(encoding='utf-8')[-4000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


# The synthetic guide number i: prose with links, and the macros a real guide uses.
def _guide_markdown(i: int, media: str) -> str:
    paragraph = (f"Guide {i} walks through what a {media} workload costs once retries, failed jobs and polling are "
                 "counted. Each step names the billing unit, the records to keep and the check that proves the "
                 "estimate before a batch runs. ")
    prose = "\n\n".join(paragraph * 3 for _ in range(4))
    return (f"{{{{ guide_intro() }}}}\n\nBack to the [hub](index.md); see also the "
            f"[glossary](glossary.md#billing-units).\n\n## The units\n\n{prose}\n\n"
            f"{{{{ units_table(\"{media}\") }}}}\n\n## Checklist\n\n{prose}\n\n{{{{ checklist(\"synthetic-{i}\") }}}}\n\n"
            f"## When it goes wrong\n\n{{{{ failure_modes(\"{'video' if media == 'voice' else media}\") }}}}\n\n"
            f"## What providers report\n\n{{{{ provider_examples(media=\"{media}\") }}}}\n\n"
            "## Frequently asked questions\n\n{{ faqs() }}\n\n## Related guides\n\n{{ related_guides() }}\n\n"
            "{{ cta() }}\n")


# Add n synthetic guides to the project: catalog entries, pages, three FAQs and one checklist each.
def add_guides(project: Path, n: int) -> None:
    pages_text = (project / "data" / "pages.yml").read_text(encoding="utf-8")
    newest = max(re.findall(r"last_reviewed:\s*(\d{4}-\d{2}-\d{2})", pages_text))
    ids = [f"synthetic-guide-{i}" for i in range(n)]

    def pages(document: dict[str, Any]) -> None:
        for i, page_id in enumerate(ids):
            document["pages"].append({
                "id": page_id, "section": "guides", "title": f"Synthetic guide {i}", "nav_title": f"Synthetic {i}",
                "summary": f"What synthetic workload {i} costs, from its billing unit to its failed jobs.",
                "media": MEDIA[i % 3], "owner": "pricing-desk", "last_reviewed": newest, "review_in": "90d",
                "audience": "Readers of the scale benchmark.",
                "quick_answer": ["Name the unit.", "Count the failures.", "Prove it on a small batch."],
                "related": [ids[(i + 1) % n], ids[(i + 2) % n]] if n > 2 else ["index"]})

    def faqs(document: dict[str, Any]) -> None:
        for i, page_id in enumerate(ids):
            for q in range(3):
                document["faqs"].append({"id": f"synthetic-{i}-q{q}", "page": page_id,
                                         "question": f"Question {q} about synthetic workload {i}?",
                                         "answer": f"Answer {q}: count every `billed` unit of workload {i}.",
                                         "see_also": [ids[(i + 1) % n]]})

    def checklists(document: dict[str, Any]) -> None:
        for i, page_id in enumerate(ids):
            document["checklists"].append({"id": f"synthetic-{i}", "title": f"Synthetic review {i}", "page": page_id,
                                           "items": [{"id": f"step-{s}", "text": f"Check step {s} of workload {i}."}
                                                     for s in range(5)]})

    rewrite_data(project, "pages", pages)
    rewrite_data(project, "faqs", faqs)
    rewrite_data(project, "checklists", checklists)
    for i, page_id in enumerate(ids):
        (project / "content" / f"{page_id}.md").write_text(_guide_markdown(i, MEDIA[i % 3]), encoding="utf-8")


# The plain twin of a project: each page's Markdown as our hooks rendered it, the same theme, nav and extensions,
# no costhub hooks.
def _plain_twin(project: Path, plain: Path, logs: Path) -> None:
    plain.mkdir()
    shutil.copytree(project / "overrides", plain / "overrides")
    (plain / "content").mkdir()
    for path in (project / "content").rglob("*"):
        if path.is_file() and path.suffix != ".md":
            target = plain / "content" / path.relative_to(project / "content")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    _run([sys.executable, "-c", CAPTURE, str(project), str(plain / "content")], ROOT, logs / "capture.log")
    subprocess.run([sys.executable, "-c", NAV_CONFIG, str(project)], cwd=ROOT, env=ENV, check=True,
                   stdout=(logs / "nav.json").open("w"))
    settings = json.loads((logs / "nav.json").read_text(encoding="utf-8"))
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = WATCH_BLOCK.sub("", HOOKS_BLOCK.sub("", config))
    config = re.sub(r"^site_name: .*$", "", config, flags=re.MULTILINE)
    extra = yaml.safe_dump({key: settings[key] for key in ("site_name", "site_url", "site_description", "nav")},
                           sort_keys=False, allow_unicode=True)
    (plain / "globals.json").write_text(json.dumps(settings["globals"]), encoding="utf-8")
    (plain / "plain_globals.py").write_text(PLAIN_HOOK, encoding="utf-8")
    (plain / "mkdocs.yml").write_text(extra + config + "\nhooks:\n  - plain_globals.py\n", encoding="utf-8")


# A free TCP port on 127.0.0.1.
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The body of a URL, or "" while the server is not answering.
def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


# Wait until the page at url contains marker; seconds waited (SystemExit after timeout).
def _wait_for(url: str, marker: str, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if marker in _fetch(url):
            return time.perf_counter() - start
        time.sleep(0.01)
    raise SystemExit(f"{url} did not show {marker!r} within {timeout:.0f} s")


class _Server:
    """`mkdocs serve` of one project in a child process, and the seconds from each edit saved until the page shows it."""

    def __init__(self, project: Path, page_url: str, edit: Any, log: Path) -> None:
        self.edit, self.times = edit, []
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}/{page_url}"
        with log.open("w", encoding="utf-8") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                            cwd=project, env=ENV, stdout=out, stderr=subprocess.STDOUT)

    # Wait for the first build to be served.
    def wait_until_up(self) -> None:
        _wait_for(self.url, "</html>", 1800)

    # Make edit number n (edit(n) returns the text it wrote) and time it until the page shows it.
    def time_edit(self, n: int) -> None:
        time.sleep(1.0)  # let the watcher settle after the previous build
        marker = self.edit(n)
        self.times.append(_wait_for(self.url, marker, 1800))

    # Stop the server.
    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


# Seconds from saving an edit until `mkdocs serve` shows it, for each of `edits` edits of each server, the servers
# taking turns edit by edit (so load from other work on the machine hits both alike); one list of times per server.
def _serve_edits(servers: list[_Server], edits: int) -> list[list[float]]:
    try:
        for server in servers:
            server.wait_until_up()
        for n in range(edits):
            for server in servers:
                server.time_edit(n)
        return [server.times for server in servers]
    finally:
        for server in servers:
            server.stop()


# Edit one FAQ answer of the page in data/faqs.yml in place (the file keeps its layout); returns the new text.
def _edit_faq(project: Path, faq_id: str, n: int) -> str:
    path = project / "data" / "faqs.yml"
    text = path.read_text(encoding="utf-8")
    marker = f"Edited answer {n} for the scale benchmark."
    start = text.index(f"- id: {faq_id}\n")
    answer = re.compile(r"^(\s+answer: ).*?(?=^\s+\w+:|^\s*-|\Z)", re.MULTILINE | re.DOTALL)
    match = answer.search(text, start)
    path.write_text(text[:match.start()] + match.group(1) + marker + "\n" + text[match.end():], encoding="utf-8")
    return marker


# Add a paragraph to a plain page's Markdown; returns its text.
def _edit_markdown(path: Path, n: int) -> str:
    marker = f"Edited paragraph {n} for the scale benchmark."
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
    return marker


# Bytes of Material's primary nav in a built page.
def _nav_bytes(html: str) -> int:
    start = html.index(PRIMARY_NAV)
    depth = 0
    for match in NAV_TAG.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html.index(">", match.end()) + 1 - start
    return len(html) - start


# Measure one size: build the synthetic site and its plain twin, interleaved, then check, page weight and serve.
def _measure(size: int, runs: int, serve: bool, serve_edits: int, folder: Path) -> SizeFigures:
    project = copy_project(folder / "project")
    if size:
        add_guides(project, size)
    logs = folder / "logs"
    logs.mkdir()
    plain = folder / "plain"
    _plain_twin(project, plain, logs)
    figures = SizeFigures(size, len(list((project / "content").rglob("*.md"))))
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"]
    check = [sys.executable, "-m", "costhub.cli", "check"]
    for _ in range(runs):  # alternate, so load from other work on the machine hits every kind alike
        figures.build.append(_run(mkdocs, project, logs / "build.log"))
        figures.plain.append(_run(mkdocs, plain, logs / "plain.log"))
        figures.check.append(_run(check, project, logs / "check.log"))
        figures.cold_build.append(_run(mkdocs, project, logs / "cold-build.log", COLD_ENV))
        figures.cold_check.append(_run(check, project, logs / "cold-check.log", COLD_ENV))
    page = f"synthetic-guide-{size // 2}" if size else "video-generation-webhooks"
    figures.nav_kib = _nav_bytes((project / "site" / page / "index.html").read_text(encoding="utf-8")) / 1024
    index = (project / "site" / "search" / "search_index.json").read_bytes()
    figures.search_raw_mib = len(index) / 2**20
    figures.search_gz_mib = len(gzip.compress(index, 9)) / 2**20
    if serve:
        faq_id = f"synthetic-{size // 2}-q0" if size else "webhooks-change-spend"
        figures.serve_yaml, figures.serve_plain = _serve_edits([
            _Server(project, f"{page}/", lambda n: _edit_faq(project, faq_id, n), logs / "serve-build.log"),
            _Server(plain, f"{page}/", lambda n: _edit_markdown(plain / "content" / f"{page}.md", n),
                    logs / "serve-plain.log")], serve_edits)
    return figures


# Print the figures of one size.
def _print_size(figures: SizeFigures) -> None:
    label = "today's site" if figures.guides == 0 else f"{figures.guides} synthetic guides"
    plain, plain_cpu = _median(figures.plain), _median_cpu(figures.plain)
    peak_plain = max(run.peak_mib for run in figures.plain)
    print(f"\n== {label}: {figures.pages} pages, {len(figures.build)} interleaved runs")
    print(f"plain build            {plain:8.2f} s")
    for kind, build, check in (("warm", figures.build, figures.check), ("cold", figures.cold_build, figures.cold_check)):
        peak = max(run.peak_mib for run in build)
        print(f"strict build, {kind}     {_median(build):8.2f} s   build / plain {_median(build) / plain:5.2f}   "
              f"CPU {_median_cpu(build):6.2f} s / {plain_cpu:6.2f} s = {_median_cpu(build) / plain_cpu:5.2f}")
        print(f"costhub check, {kind}    {_median(check):8.2f} s   check / plain {_median(check) / plain:5.2f}")
        print(f"peak memory, {kind}      build {peak:6.0f} MiB   plain {peak_plain:6.0f} MiB   "
              f"build / plain {peak / peak_plain:5.2f}")
    if figures.serve_yaml:
        yaml_edit, md_edit = statistics.median(figures.serve_yaml), statistics.median(figures.serve_plain)
        print(f"serve edit             YAML {yaml_edit:6.2f} s   plain .md {md_edit:6.2f} s   "
              f"YAML / plain {yaml_edit / md_edit:5.2f}")
    else:
        print("serve edit             not measured at this size (see --serve-max)")
    print(f"nav HTML per page      {figures.nav_kib:8.1f} KiB")
    print(f"search index           {figures.search_gz_mib:8.2f} MiB gzipped ({figures.search_raw_mib:.2f} MiB raw)")


# Print the growth from the smallest to the largest size with synthetic guides, warm and cold.
def _print_growth(small: SizeFigures, large: SizeFigures) -> None:
    plain = _median(large.plain) / _median(small.plain)
    print(f"\n== growth from {small.guides} to {large.guides} synthetic guides "
          f"(pages x{large.pages / small.pages:.1f}, linear would be that)")
    print(f"plain build            {plain:6.2f}")
    for kind, build_of, check_of in (("warm", "build", "check"), ("cold", "cold_build", "cold_check")):
        small_build, large_build = getattr(small, build_of), getattr(large, build_of)
        build = _median(large_build) / _median(small_build)
        overhead_small = _median(small_build) - _median(small.plain)
        overhead_large = _median(large_build) - _median(large.plain)
        # An overhead at or below zero is noise around a plain build: its growth is not a figure (nan).
        overhead = overhead_large / overhead_small if overhead_small > 0 and overhead_large > 0 else float("nan")
        check = _median(getattr(large, check_of)) / _median(getattr(small, check_of))
        print(f"{kind:<22} build {build:6.2f}   overhead (build - plain) {overhead:6.2f}   costhub check {check:6.2f}")


# Parse the command line, measure every size and print the figures.
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[0, 100, 300, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve-max", type=int, default=100)
    parser.add_argument("--serve-edits", type=int, default=5)
    args = parser.parse_args(argv)
    measured = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as name:
            figures = _measure(size, args.runs, size <= args.serve_max, args.serve_edits, Path(name))
        _print_size(figures)
        sys.stdout.flush()
        measured.append(figures)
    synthetic = sorted((figures for figures in measured if figures.guides), key=lambda figures: figures.guides)
    if len(synthetic) >= 2:
        _print_growth(synthetic[0], synthetic[-1])


if __name__ == "__main__":
    main()
