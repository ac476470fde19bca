"""A load runs with fewer young collections and gives the collector's thresholds back afterwards, also when the
load fails."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_project
from costhub.errors import ContentErrors
from costhub.pages import site as site_module
from costhub.pages.collector import collector_paused, fewer_collections
from costhub.pages.site import Site


@pytest.fixture
def default_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_the_block_sees_ten_thousand_and_the_default_comes_back(default_thresholds: None) -> None:
    with fewer_collections():
        assert gc.get_threshold() == (10_000, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_already_set_is_kept(default_thresholds: None) -> None:
    gc.set_threshold(50_000, 3, 4)
    with fewer_collections():
        assert gc.get_threshold() == (50_000, 3, 4)
    assert gc.get_threshold() == (50_000, 3, 4)


def test_an_error_in_the_block_still_gives_the_thresholds_back(default_thresholds: None) -> None:
    with pytest.raises(KeyError), fewer_collections():
        raise KeyError("boom")
    assert gc.get_threshold() == (700, 10, 10)


def test_a_failing_load_gives_the_thresholds_back(tmp_path: Path, default_thresholds: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    (project / "data" / "faqs.yml").write_text("faqs:\n  - id: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("COSTHUB_CACHE", "off")
    seen: list[tuple[int, int, int]] = []
    real = site_module.load_site_data

    def spy(*args: object) -> object:
        seen.append(gc.get_threshold())
        return real(*args)

    monkeypatch.setattr(site_module, "load_site_data", spy)
    with pytest.raises(ContentErrors):
        Site.load(project)
    assert seen == [(10_000, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("running", [True, False])
def test_a_paused_block_runs_without_the_collector_and_leaves_it_as_it_was(running: bool) -> None:
    was_enabled = gc.isenabled()
    gc.enable() if running else gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is running
        with pytest.raises(KeyError), collector_paused():
            raise KeyError("a failure inside")
        assert gc.isenabled() is running
    finally:
        gc.enable() if was_enabled else gc.disable()
