"""The page a preview server shows in place of every page while the site does not build: each problem with its
file:line, escaped, so an editor sees what to fix in the browser instead of a request that never answers."""
from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from ..checks.site_checks import check_site
from ..errors import ContentErrors
from ..pages.site import CONTENT_DIR, Site

ERROR_PAGE_MARKER = 'name="costhub-build-errors"'
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta {marker} content="{count}">
<title>The site does not build</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; }}
h1 {{ color: #b00020; font-size: 1.5rem; }}
li {{ font-family: ui-monospace, monospace; font-size: 0.9rem; margin: 0.4rem 0; white-space: pre-wrap; }}
</style>
</head>
<body>
<main>
<h1>The site does not build</h1>
<p>{summary}</p>
<ol class="costhub-build-errors">
{items}
</ol>
<p>Fix the lines named above and save: this page reloads with the site once it builds again.</p>
</main>
</body>
</html>
"""


# The problems that stop the build, one line each: content errors first, else what the build itself said.
def build_problems(root: Path, today: date, failure: str) -> list[str]:
    try:
        errors = check_site(Site.load(root, today))[1]
    except ContentErrors as exc:
        errors = list(exc.errors)
    lines = [str(error) for error in sorted(set(errors))]
    return lines or [line for line in failure.splitlines() if line.strip()] or ["the build failed; see the terminal"]


# The error page for these problems, every one escaped.
def error_page(problems: list[str]) -> str:
    items = "\n".join(f"<li>{html.escape(line)}</li>" for line in problems)
    summary = f"{len(problems)} problem(s) stop the build. The terminal running the preview shows the same list."
    return _PAGE.format(marker=ERROR_PAGE_MARKER, count=len(problems), summary=html.escape(summary), items=items)


# Put the error page in place of every page of a built site (and of every page in content/ not built yet).
def write_error_pages(site_dir: Path, root: Path, page: str) -> int:
    targets = set(site_dir.rglob("*.html"))
    for source in (root / CONTENT_DIR).rglob("*.md"):
        relative = source.relative_to(root / CONTENT_DIR).with_suffix("")
        targets.add(site_dir / ("index.html" if relative.as_posix() == "index" else relative / "index.html"))
    targets.add(site_dir / "404.html")
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    return len(targets)
