"""Strict builds cannot be talked into passing: with -q and with -v (which defeat MkDocs' own warning count, MkDocs
#4126 and #3991) a broken link, a broken anchor and an overdue page each fail `mkdocs build --strict`, naming the
file:line. The six builds run side by side, once per module."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from conftest import copy_project

from .support import append, line_of, replace_on_line, tree_digest

FLAGS = ("-q", "-v")


def _broken_link(project: Path) -> str:
    line = append(project / "content/glossary.md", "\n[gone](nowhere.md)\n") + 1
    return f"content/glossary.md:{line}: broken link 'nowhere.md'"


def _broken_anchor(project: Path) -> str:
    line = append(project / "content/glossary.md", "\n[gone](index.md#no-such-heading)\n") + 1
    return f"content/glossary.md:{line}: broken anchor 'index.md#no-such-heading'"


def _overdue_page(project: Path) -> str:
    start = line_of(project / "data/pages.yml", r"^  - id: glossary$")
    replace_on_line(project / "data/pages.yml", r"last_reviewed: \S+", "last_reviewed: 2026-01-02", after=start)
    replace_on_line(project / "data/pages.yml", r"review_in: \S+", "review_in: 30d", after=start)
    return f"data/pages.yml:{start}: pages[{_index(project, 'glossary')}]: pages:glossary is overdue for review"


# The list index of a page's catalog entry.
def _index(project: Path, page_id: str) -> int:
    lines = (project / "data/pages.yml").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.startswith("  - id: ")].index(f"  - id: {page_id}")


PROBLEMS: dict[str, Callable[[Path], str]] = {"broken_link": _broken_link, "broken_anchor": _broken_anchor,
                                              "overdue_page": _overdue_page}


# Every (problem, flag) build, started together: the message each must show, and what the build did.
@pytest.fixture(scope="module")
def strict_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[str, int, str, bool]]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    running = {}
    for name, make in PROBLEMS.items():
        for flag in FLAGS:
            project = copy_project(tmp_path_factory.mktemp(f"{name}{flag}") / "project")
            message = make(project)
            digest = tree_digest(project)
            process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", flag, "-d", "site"],
                                       cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            running[(name, flag)] = (project, message, digest, process)
    results = {}
    for key, (project, message, digest, process) in running.items():
        log, _ = process.communicate(timeout=300)
        results[key] = (message, process.returncode, log, tree_digest(project) == digest)
    return results


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_strict_build_fails(strict_builds: dict[tuple[str, str], tuple[str, int, str, bool]], problem: str,
                            flag: str) -> None:
    message, code, log, unchanged = strict_builds[(problem, flag)]
    assert code == 1, log
    assert message in log, log
    assert "warning(s) from the costhub checks in strict mode" in log
    assert "Traceback" not in log
    assert unchanged
