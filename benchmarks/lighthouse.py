"""Print Lighthouse's four scores (mobile preset) for the hub, one guide and the calculator, and the audits that fail.

Runs the lighthouse npm package (package.json) against Debian's Chromium on the built site served on 127.0.0.1,
gzipped as any static host or CDN would send it (Lighthouse's simulated mobile network counts transferred bytes).
Usage: python benchmarks/lighthouse.py [--site DIR] [PATH ...]   (builds site/ first when DIR has no index.html)
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser.conftest import _SiteHandler  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("COSTHUB_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("/", "/video-generation-api-pricing/", "/calculator/")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml")


class _GzipHandler(_SiteHandler):
    """The test server's static host, sending text files gzipped to clients that accept it."""

    # Send a text file gzipped when the client accepts gzip; everything else as the plain handler does.
    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(body)


# Serve folder gzipped on 127.0.0.1 at a free port for the duration of a with block; yields the base URL.
@contextlib.contextmanager
def serve_gzipped(folder: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


# Lighthouse's JSON report for one URL (mobile preset, the four categories).
def audit(url: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
                       check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return json.loads(report.read_text(encoding="utf-8"))


# The audits of a category that scored below 1, as "id (score): title".
def failing(report: dict, category: str) -> list[str]:
    audits = report["audits"]
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        result = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and result.get("score") is not None and result["score"] < 1:
            lines.append(f"{ref['id']} ({result['score']:.2f}): {result['title']}")
    return lines


# One block per page: the four scores out of 100, then each failing audit.
def print_report(path: str, report: dict) -> None:
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    print(f"{path:<34} " + "  ".join(f"{name} {score:>3}" for name, score in scores.items()))
    for name in CATEGORIES:
        for line in failing(report, name):
            print(f"    {name}: {line}")


# Build site/ when needed, serve it, and audit each page.
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site folder (default: site/)")
    parser.add_argument("paths", nargs="*", default=list(PAGES), help="site paths to audit")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(args.site)],
                       cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    with serve_gzipped(args.site) as url:
        for path in args.paths:
            print_report(path, audit(url + path))


if __name__ == "__main__":
    main()
