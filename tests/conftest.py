"""Shared fixtures: temp copies of the project, strict builds, parsed HTML, and the node and browser gates."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import pytest
import yaml
from bs4 import BeautifulSoup

from costhub.data.load import load_site_data
from costhub.errors import ContentErrors
from costhub.publish.minify import shipped_assets

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("content", "data", "overrides", "hooks", "mkdocs.yml")
CHROMIUM = Path(os.environ.get("COSTHUB_CHROMIUM", "/usr/bin/chromium"))


# Noon UTC on the newest `last_reviewed` date in data/, as a SOURCE_DATE_EPOCH value.
def _content_day_epoch() -> str:
    dates = re.findall(r"last_reviewed:\s*['\"]?(\d{4}-\d{2}-\d{2})", "".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "data").glob("*.yml")))
    newest = datetime.strptime(max(dates), "%Y-%m-%d").replace(hour=12, tzinfo=timezone.utc)
    return str(int(newest.timestamp()))


# Tests run on the day of the newest review in data/ so they never depend on the calendar;
# a test that moves time sets SOURCE_DATE_EPOCH itself.
os.environ.setdefault("SOURCE_DATE_EPOCH", _content_day_epoch())
# The day the tests run on, as YYYY-MM-DD (review dates may not lie after it).
TEST_DAY = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz=timezone.utc).date().isoformat()


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


# A MkDocs hook file loaded as MkDocs loads it (a module of its own, under the given name).
def load_hook(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


# The folder of our scripts as the build ships them (minified), for the node runners in tests/js.
@pytest.fixture(scope="session")
def shipped_scripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shipped")
    for name, text in shipped_assets(ROOT / "overrides" / "assets").items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "javascripts"


@pytest.fixture(scope="session")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"browser tests need Chromium at {CHROMIUM}; CI must install it")
    pytest.skip(f"no Chromium at {CHROMIUM}")


RATES_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Example rates (a dated kind used by the review tests)",
    "type": "object",
    "additionalProperties": False,
    "required": ["rates"],
    "properties": {"rates": {"type": "array", "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "title"],
        "properties": {name: {"type": "string"} for name in ("id", "title", "source", "last_reviewed", "review_in", "owner")},
    }}},
}
RATE_NOTE_MACRO = """{% macro rate_note(id) %}{% set rate = lookup("rates", id) %}
<p class="rate-note" id="rate-{{ rate.id }}" data-record="rates:{{ rate.id }}">{{ rate.title }}</p>
{% endmacro %}
"""



# The errors of loading a copy of data/ (under tmp_path) in which the first `old` of data/<kind>.yml became `new`.
def data_errors_after(tmp_path: Path, kind: str, old: str, new: str) -> ContentErrors:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data" / f"{kind}.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_site_data(tmp_path / "data", tmp_path)
    return caught.value


# Add a dated kind `rates` (its schema leaves every check of the review fields to the review layer) with the given
# YAML list items, and a `rate_note(id)` macro that cites one rate with data-record.
def add_rates(project_dir: Path, records: str) -> Path:
    (project_dir / "data/schemas/rates.schema.json").write_text(json.dumps(RATES_SCHEMA), encoding="utf-8")
    (project_dir / "overrides/macros/rate_note.html").write_text(RATE_NOTE_MACRO, encoding="utf-8")
    path = project_dir / "data/rates.yml"
    path.write_text(f"# yaml-language-server: $schema=schemas/rates.schema.json\nrates:\n{records}", encoding="utf-8")
    return path


# One dated rate as YAML list-item text for add_rates (fields in this order: id, title, source, dates, owner).
def rate(record_id: str, title: str, source: str = "https://example.org/pricing", last_reviewed: str = "2030-01-01",
         review_in: str = "365d", owner: str = "video-team") -> str:
    return (f"  - id: {record_id}\n    title: {title}\n    source: {source}\n    last_reviewed: {last_reviewed}\n"
            f"    review_in: {review_in}\n    owner: {owner}\n")


# Give every dated record and page in a project's data the same review dates, so a test decides what falls due.
def pin_review_dates(project_dir: Path, last_reviewed: str = "2030-01-01", review_in: str = "365d") -> None:
    for path in (project_dir / "data").glob("*.yml"):
        text = re.sub(r"(?m)^(\s+last_reviewed:\s*)\S+", rf"\g<1>{last_reviewed}", path.read_text(encoding="utf-8"))
        path.write_text(re.sub(r"(?m)^(\s+review_in:\s*)\S+", rf"\g<1>{review_in}", text), encoding="utf-8")


# Set one field of one record (found by id) in a data file, keeping the rest of the file as written.
def set_field(path: Path, record_id: str, field: str, value: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(index for index, line in enumerate(lines) if re.match(rf"\s*- id: {re.escape(record_id)}\s*$", line))
    index = next(index for index in range(start + 1, len(lines)) if re.match(rf"\s+{field}:", lines[index]))
    lines[index] = re.sub(rf"({field}:\s*).*", lambda match: match.group(1) + value, lines[index])
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


# The line and list index of a page's entry in data/pages.yml.
def catalog_entry(project_dir: Path, page_id: str) -> tuple[int, int]:
    lines = (project_dir / "data/pages.yml").read_text(encoding="utf-8").splitlines()
    entries = [number for number, line in enumerate(lines, 1) if line.startswith("  - id: ")]
    line = lines.index(f"  - id: {page_id}") + 1
    return line, entries.index(line)
