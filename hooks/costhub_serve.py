"""MkDocs glue for `mkdocs serve`: when a rebuild fails, every page shows the build's problems instead of the server
holding requests until the site builds again; the next good save brings the site back."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Callable

from mkdocs.config.defaults import MkDocsConfig

from costhub.publish.error_page import build_problems, error_page, write_error_pages
from costhub.review.freshness import today_from

log = logging.getLogger("mkdocs.plugins.costhub")


# Wrap the server's rebuild so that a failed build serves the error page (MkDocs would keep every request waiting).
def on_serve(server: Any, /, *, config: MkDocsConfig, builder: Callable[..., None]) -> Any:
    root = Path(config.config_file_path).parent

    # Rebuild; on any failure, write the error page over the served pages so the browser shows what to fix.
    def build_or_show_problems() -> None:
        try:
            builder()
        except Exception as exc:  # every failure, or the browser waits forever
            try:
                problems = build_problems(root, today_from(os.environ), str(exc))
            except ValueError as bad_day:  # SOURCE_DATE_EPOCH is not a date: that is the problem to show
                problems = [str(bad_day)]
            count = write_error_pages(Path(server.root), root, error_page(problems))
            log.error("the site does not build; %d page(s) show the problems until it does:\n%s", count,
                      "\n".join(problems))

    server.builder = build_or_show_problems
    return server
