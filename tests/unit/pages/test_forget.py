"""A one-shot build lets go of what only a later load would use (data parses, compiled page bodies) once its site is
loaded; `mkdocs serve` keeps them, and a site that forgot still renders and places errors."""
from __future__ import annotations

import gc
from pathlib import Path
from types import ModuleType

import pytest
from mkdocs.config import load_config

from costhub.data import load as load_module
from costhub.data import yamlfile
from costhub.pages import render as render_module
from costhub.pages import site as site_module
from costhub.pages import snapshot as snapshot_module
from costhub.pages.site import Site
from costhub.review.catalog import Locator

from conftest import load_hook


# The MkDocs hook module, loaded from the project's hooks/ as MkDocs loads it.
def hooks_module(project: Path) -> ModuleType:
    return load_hook(project / "hooks/costhub_hooks.py", "costhub_hooks_under_test")


def test_a_site_that_forgot_still_renders_and_places_errors(project: Path) -> None:
    site_module._LAST_LOAD.clear()
    page = project / "content/glossary.md"  # a Jinja comment: this body is compiled, not read as plain calls
    page.write_text(page.read_text(encoding="utf-8") + "\n{# compiled #}\n", encoding="utf-8")
    Site.load(project)
    glossary = project / "data/glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "# an edit, as in a preview\n", encoding="utf-8")
    site = Site.load(project)  # the kept parses of the other files have dropped their maps
    assert load_module._PARSED and render_module._PAGE_CODE
    assert yamlfile._REPARSED  # the loaders placed records' fields through positions parsed again
    site.forget_for_later_loads()
    assert load_module._PARSED == {} and render_module._PAGE_CODE == {} and yamlfile._REPARSED == {}
    assert all(document.data is None for document in site.data.documents.values())
    source = (project / "content/glossary.md").read_text(encoding="utf-8") + "\nOne more line.\n"
    assert "One more line." in site.render("glossary.md", source).markdown
    lines = (project / "data/prices.yml").read_text(encoding="utf-8").splitlines()
    first = next(number for number, line in enumerate(lines, 1) if line.startswith("  - id: "))
    assert Locator(site.root, site.data.documents).where("data/prices.yml", ("prices", 0)) == f"data/prices.yml:{first}"


@pytest.fixture
def unfrozen() -> object:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the tests run with every object collectable again


@pytest.mark.parametrize(("command", "forgets"), [("build", True), ("gh-deploy", True), ("serve", False)])
def test_only_a_one_shot_command_forgets(project: Path, command: str, forgets: bool, unfrozen: object,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    site_module._LAST_LOAD.clear()
    monkeypatch.setattr(snapshot_module, "_HELD", None)  # back as it was after the test (serve holds cache writes)
    hooks = hooks_module(project)
    hooks.on_startup(command=command, dirty=False)
    config = load_config(config_file=str(project / "mkdocs.yml"))
    hooks.on_config(config)
    assert (load_module._PARSED == {}) is forgets
    assert all(document.data is None for document in hooks._site.data.documents.values()) is forgets
    # A one-shot build also takes the loaded site out of the collector's walks (it lives until the process ends).
    assert gc.get_freeze_count() > 0 if forgets else gc.get_freeze_count() == 0
