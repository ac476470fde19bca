"""Other engines: the site builds unchanged with ProperDocs, and `costhub render` gives plain MkDocs input (no hooks,
no theme overrides) that builds the same pages; both are compared with our MkDocs build page by page."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import Build, copy_project, costhub

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(path.relative_to(ROOT / "content").with_suffix("").as_posix() for path in (ROOT / "content").rglob("*.md"))


# Run an engine's strict build in a folder; returns (exit code, log).
def engine_build(folder: Path, *command: str) -> tuple[int, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", *command, "build", "--strict", "-f", "mkdocs.yml", "-d", "site"],
                            cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr


# The built page for a page id.
def page_file(site: Path, page_id: str) -> Path:
    return site / ("index.html" if page_id == "index" else f"{page_id}/index.html")


# What a reader gets from a page: the article's text (whitespace normalised), its links and its element ids.
def reading(path: Path) -> tuple[str, list[str], list[str]]:
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
    assert article is not None, path
    return (re.sub(r"\s+", " ", article.get_text(" ", strip=True)), [a.get("href", "") for a in article.select("a")],
            [node["id"] for node in article.select("[id]")])


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("properdocs") / "project")
    code, log = engine_build(project, "properdocs")
    assert code == 0, log
    return project / "site"


@pytest.fixture(scope="module")
def rendered_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("render") / "project")
    out = project.parent / "rendered"
    code, stdout, stderr = costhub(project, "render", str(out))
    assert code == 0, stderr
    assert stdout.startswith(f"wrote {len(PAGES)} pages to ")
    config = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert "hooks" not in config and "custom_dir" not in config["theme"] and config["docs_dir"] == "docs"
    code, log = engine_build(out, "mkdocs")
    assert code == 0, log
    return out / "site"


@pytest.mark.parametrize("page_id", PAGES)
def test_properdocs_builds_the_same_pages(site_build: Build, properdocs_site: Path, page_id: str) -> None:
    assert reading(page_file(properdocs_site, page_id)) == reading(page_file(site_build.site, page_id))


def test_properdocs_ships_the_same_files(site_build: Build, properdocs_site: Path) -> None:
    ours = {path.relative_to(site_build.site).as_posix() for path in site_build.site.rglob("*") if path.is_file()}
    theirs = {path.relative_to(properdocs_site).as_posix() for path in properdocs_site.rglob("*") if path.is_file()}
    assert {"review.json", "sitemap.xml", "404.html"} <= theirs
    assert ours == theirs


@pytest.mark.parametrize("page_id", PAGES)
def test_rendered_markdown_builds_the_same_pages_with_plain_mkdocs(site_build: Build, rendered_site: Path,
                                                                   page_id: str) -> None:
    assert reading(page_file(rendered_site, page_id)) == reading(page_file(site_build.site, page_id))


def test_rendered_site_keeps_review_json_and_the_assets(rendered_site: Path) -> None:
    assert (rendered_site / "review.json").is_file()
    hub = BeautifulSoup(page_file(rendered_site, "index").read_text(), "html.parser")
    scripts = [script.get("src", "") for script in hub.select("script[src]")]
    assert any(src.endswith("assets/javascripts/checklists.js") for src in scripts)
    assert hub.select_one('link[href$="assets/stylesheets/costhub.css"]') is not None


def test_a_broken_link_fails_the_properdocs_strict_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    glossary = project / "content/glossary.md"
    glossary.write_text(glossary.read_text() + "\nSee [nowhere](nowhere.md).\n")
    code, log = engine_build(project, "properdocs")
    assert code != 0
    assert "content/glossary.md:" in log and "broken link 'nowhere.md'" in log


def test_render_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes/todo.txt").write_text("mine\n")
    code, _out, err = costhub(project, "render", str(tmp_path / "notes"))
    assert code == 2 and "not empty and was not written by costhub render" in err
    assert (tmp_path / "notes/todo.txt").read_text() == "mine\n"
    code, _out, err = costhub(project, "render", str(project / "content/out"))
    assert code == 2 and "is inside content/" in err
