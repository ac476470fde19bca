"""Shared fixtures: temp copies of the project, strict builds, parsed HTML, and the node and browser gates."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("content", "data", "overrides", "hooks", "mkdocs.yml")
CHROMIUM = Path(os.environ.get("COSTHUB_CHROMIUM", "/usr/bin/chromium"))


@dataclass
class Build:
    """The outcome of one `mkdocs build --strict` run."""

    returncode: int
    log: str
    site: Path

    # The built page at a site-relative path, parsed.
    def page(self, path: str = "") -> BeautifulSoup:
        target = self.site / path
        if target.is_dir() or path.endswith("/") or not path:
            target = target / "index.html"
        return BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")


# Copy the parts of the project a build reads into dest, returning dest.
def copy_project(dest: Path) -> Path:
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / part)
    return dest


# Run a strict build of the project at project_dir into project_dir/site.
def build(project_dir: Path, extra_env: dict[str, str] | None = None) -> Build:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
                            cwd=project_dir, env=env, capture_output=True, text=True, timeout=300)
    return Build(result.returncode, result.stdout + result.stderr, project_dir / "site")


# Run the costhub CLI in a project folder; returns (exit code, stdout, stderr).
def costhub(project_dir: Path, *args: str) -> tuple[int, str, str]:
    result = subprocess.run([sys.executable, "-m", "costhub.cli", "--root", str(project_dir), *args],
                            capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


# Change data/<kind>.yml of a project through its parsed form, keeping the file's leading comment lines.
def rewrite_data(project_dir: Path, kind: str, change: Callable[[Any], None]) -> None:
    path = project_dir / "data" / f"{kind}.yml"
    text = path.read_text(encoding="utf-8")
    header = re.match(r"(?:#.*\n)*", text).group(0)
    document = yaml.safe_load(text)
    change(document)
    path.write_text(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build(copy_project(tmp_path_factory.mktemp("real") / "project"))
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="session")
def node_binary() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("node is required in CI to run the shipped JS against the Python engine")
        pytest.skip("node is not installed")
    return found


@pytest.fixture(scope="session")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"browser tests need Chromium at {CHROMIUM}; CI must install it")
    pytest.skip(f"no Chromium at {CHROMIUM}")
