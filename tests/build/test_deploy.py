"""`mkdocs gh-deploy` still works: it builds through our hooks and pushes site/ to a gh-pages branch (here of a local
bare repository, so nothing leaves the machine)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_project

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@localhost", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@localhost", "NO_MKDOCS_2_WARNING": "1"}


# Run a command in a folder with a fixed git identity; returns its stdout, failing with its output otherwise.
def run(folder: Path, *command: str) -> str:
    result = subprocess.run(command, cwd=folder, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_gh_deploy_pushes_the_built_site_to_gh_pages(tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    run(tmp_path, "git", "init", "-q", "--bare", str(origin))
    project = copy_project(tmp_path / "project")
    run(project, "git", "init", "-q", "-b", "main")
    run(project, "git", "add", "-A")
    run(project, "git", "commit", "-q", "-m", "Site")
    run(project, "git", "remote", "add", "origin", str(origin))
    run(project, sys.executable, "-m", "mkdocs", "gh-deploy", "--force", "--message", "Deploy {sha}")
    files = set(run(tmp_path, "git", "--git-dir", str(origin), "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert {"index.html", "review.json", ".nojekyll", "glossary/index.html", "sitemap.xml"} <= files
    message = run(tmp_path, "git", "--git-dir", str(origin), "log", "-1", "--format=%s", "gh-pages").strip()
    assert message == "Deploy " + run(project, "git", "rev-parse", "--short", "HEAD").strip()
