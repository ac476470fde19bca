"""The `costhub` command: check content without building HTML."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from .errors import ContentErrors
from .site import Site

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE = 0, 1, 2


# Build the argument parser with one sub-command per task.
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="costhub", description="Check and query the Media API Cost Hub content.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate data/ and every page's macro calls; exit 1 on content errors")
    return parser


# Validate data and pages, printing every error; returns the exit code.
def run_check(root: Path) -> int:
    try:
        site = Site.load(root)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    errors = site.check_pages()
    if errors:
        print(ContentErrors(errors).report(), file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    print(f"ok: {len(site.data.kinds)} data kinds, {len(site.data.all('pages'))} pages checked")
    return EXIT_OK


# Entry point; argparse exits with 2 on usage errors.
def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = args.root.resolve()
    if not (root / "data").is_dir():
        print(f"costhub: {root} has no data/ folder (use --root)", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        return run_check(root)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
