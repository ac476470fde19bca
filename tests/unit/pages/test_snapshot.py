"""The load kept on disk: a later process loading unchanged files renders nothing and gets the same site; after an
edit it renders only what the edit touched; a snapshot that is damaged, foreign or cannot be written is ignored."""
from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import jinja2
import pytest

from costhub.pages import render as render_module
from costhub.pages import site as site_module
from costhub.pages import snapshot as snapshot_module
from costhub.checks.lifecycle import lifecycle_warnings
from costhub.pages.site import Site
from costhub.errors import ContentErrors
from costhub.pages.snapshot import (CACHE_SWITCH, SNAPSHOT_FILE, LoadKey, code_digest, installed_distributions, load_key,
                                    read_keyed, write_keyed, write_snapshot)
from costhub.review.freshness import today_from

from conftest import load_hook
from test_incremental import ALL_PAGES, assert_same_as_from_scratch, renders, set_field  # noqa: F401  (fixture)



# Forget the sites this process loaded, as a new process would start.
def new_process() -> None:
    site_module._LAST_LOAD.clear()


# Every page's Markdown by path.
def markdown_of(site: Site) -> dict[str, str]:
    return {src_uri: page.markdown for src_uri, (_source, page) in site.prerendered.items()}


def test_a_new_process_loading_unchanged_files_renders_nothing(project: Path, renders: list[str]) -> None:
    first = Site.load(project)
    assert set(renders) == ALL_PAGES and (project / SNAPSHOT_FILE).is_file()
    renders.clear()
    new_process()
    again = Site.load(project)
    assert renders == []
    assert markdown_of(again) == markdown_of(first)
    assert again.review == first.review and again.data.all("prices") == first.data.all("prices")
    assert again.calculators.keys() == first.calculators.keys()


def test_a_page_not_in_the_snapshot_still_renders_with_the_new_renderer(project: Path, renders: list[str]) -> None:
    first = Site.load(project)
    new_process()
    again = Site.load(project)
    renders.clear()
    source = (project / "content" / "glossary.md").read_text(encoding="utf-8") + "\n\nOne more line.\n"
    page = again.render("glossary.md", source)
    assert renders == ["glossary"]
    assert page.markdown == first.render("glossary.md", source).markdown


def test_a_new_process_after_an_edit_renders_only_the_pages_it_touched(project: Path, renders: list[str]) -> None:
    Site.load(project)
    renders.clear()
    new_process()
    # webhooks-change-spend is shown by video-generation-webhooks only (its faqs() call).
    set_field(project, "faqs", "webhooks-change-spend", "answer", "Rewritten answer for the next process.")
    site = Site.load(project)
    assert set(renders) == {"video-generation-webhooks"}
    assert_same_as_from_scratch(site, project)


def test_a_new_process_after_a_data_edit_takes_the_templates_code_from_the_snapshot(
        project: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_module, "_TEMPLATE_CODE", render_module._MemoryBytecodeCache())
    Site.load(project)
    templates = {f"{folder}/{path.name}" for folder in ("macros", "components")
                 for path in (project / "overrides" / folder).glob("*.html")}
    new_process()
    monkeypatch.setattr(render_module, "_TEMPLATE_CODE", render_module._MemoryBytecodeCache())  # a new process
    monkeypatch.setenv("COSTHUB_PARALLEL", "off")  # any template compiled, compiled here
    compiled: list[str] = []
    real_compile = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda env, source, name=None, *args, **kwargs: (
        compiled.append(name), real_compile(env, source, name, *args, **kwargs))[1])
    set_field(project, "faqs", "webhooks-change-spend", "answer", "Rewritten answer for the next process.")
    renders.clear()
    site = Site.load(project)
    assert renders == ["video-generation-webhooks"]
    assert templates and not templates & set(compiled)  # none compiled again
    assert_same_as_from_scratch(site, project)


def test_a_template_edit_renders_every_page_again(project: Path, renders: list[str]) -> None:
    Site.load(project)
    renders.clear()
    new_process()
    macro = project / "overrides" / "macros" / "cta.html"
    macro.write_text(macro.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    Site.load(project)
    assert set(renders) == ALL_PAGES


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(("a key", {}))[:-3],
                                    pickle.dumps(("a key", {"data": None})), pickle.dumps([1, 2, 3])])
def test_a_damaged_snapshot_means_a_normal_load_that_replaces_it(project: Path, renders: list[str],
                                                                 damage: bytes) -> None:
    expected = markdown_of(Site.load(project))
    (project / SNAPSHOT_FILE).write_bytes(damage)
    new_process()
    renders.clear()
    assert markdown_of(Site.load(project)) == expected
    assert set(renders) == ALL_PAGES
    with (project / SNAPSHOT_FILE).open("rb") as stored:
        key, state = pickle.load(stored), pickle.load(stored)
    assert key == load_key(project, today_from(os.environ)) and set(state) >= {"data", "prerendered"}


def test_a_snapshot_from_another_folder_is_not_used(tmp_path: Path, project: Path, renders: list[str]) -> None:
    Site.load(project)
    copy = tmp_path / "copy"
    os.rename(project, copy)
    new_process()
    renders.clear()
    Site.load(copy)
    assert set(renders) == ALL_PAGES


def test_a_cache_folder_that_cannot_be_written_changes_nothing(project: Path, renders: list[str]) -> None:
    (project / ".costhub-cache").write_text("a file where the folder should be", encoding="utf-8")
    site = Site.load(project)
    assert set(renders) == ALL_PAGES and site.prerendered
    assert (project / ".costhub-cache").read_text(encoding="utf-8") == "a file where the folder should be"


def test_the_switch_turns_the_snapshot_off(project: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_SWITCH, "off")
    Site.load(project)
    assert not (project / SNAPSHOT_FILE).exists()
    (project / ".costhub-cache").mkdir()
    (project / SNAPSHOT_FILE).write_bytes(b"never read")
    new_process()
    renders.clear()
    Site.load(project)
    assert set(renders) == ALL_PAGES and (project / SNAPSHOT_FILE).read_bytes() == b"never read"


def test_another_review_day_reuses_the_renders_that_do_not_read_it(project: Path, renders: list[str]) -> None:
    today = today_from(os.environ)
    Site.load(project, today)
    new_process()
    renders.clear()
    later = Site.load(project, today + timedelta(days=1))
    assert later.review.today == today + timedelta(days=1)
    assert set(renders) < ALL_PAGES
    assert_same_as_from_scratch(later, project)


def test_what_a_key_may_reuse() -> None:
    key = LoadKey(Path("/p"), date(2026, 12, 1), ("content", "data", "templates"), "code")
    assert key.can_reuse(LoadKey(Path("/p"), date(2026, 12, 2), ("other", "other", "templates"), "code"))
    assert not key.can_reuse(LoadKey(Path("/p"), date(2026, 12, 1), ("content", "data", "changed"), "code"))
    assert not key.can_reuse(LoadKey(Path("/p"), date(2026, 12, 1), ("content", "data", "templates"), "new code"))
    assert not key.can_reuse(LoadKey(Path("/q"), date(2026, 12, 1), ("content", "data", "templates"), "code"))
    assert key.digest() != LoadKey(Path("/p"), date(2026, 12, 2), key.folders, key.code).digest()


def test_the_key_changes_with_any_file_of_the_loaded_folders(project: Path) -> None:
    today = today_from(os.environ)
    before = load_key(project, today)
    (project / "content" / "extra.txt").write_text("a new file", encoding="utf-8")
    after = load_key(project, today)
    assert after.folders[0] != before.folders[0] and after.folders[1:] == before.folders[1:]
    (project / "README.md").write_text("outside the loaded folders", encoding="utf-8")
    assert load_key(project, today) == after


def test_the_key_notices_an_edit_that_keeps_the_size_and_the_file_times(project: Path) -> None:
    day = date(2026, 12, 1)
    page = project / "content" / "glossary.md"
    before = load_key(project, day)
    kept = page.stat()
    text = page.read_bytes()
    edited = text.replace(b"e", b"E", 1)
    assert len(edited) == len(text) and edited != text
    page.write_bytes(edited)
    os.utime(page, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (kept.st_size, kept.st_mtime_ns)
    after = load_key(project, day)
    assert after.folders[0] != before.folders[0] and after.folders[1:] == before.folders[1:]


# The key of the project after writing files (name: bytes) into a fresh content/extra/ folder.
def key_with(project: Path, files: dict[str, bytes]) -> LoadKey:
    extra = project / "content" / "extra"
    for path in sorted(extra.iterdir()) if extra.exists() else []:
        path.unlink()
    extra.mkdir(exist_ok=True)
    for name, data in files.items():
        (extra / name).write_bytes(data)
    return load_key(project, date(2026, 12, 1))


def test_the_key_tells_apart_files_whose_bytes_would_run_together_alike(project: Path) -> None:
    # Added as path, NUL, bytes and NUL, the first two would be the same bytes: one file holds the other's name
    # and bytes after a NUL. The others move a byte to the next file, or keep the bytes under another name.
    layouts = [{"a.txt": b"1", "b.txt": b"2"}, {"a.txt": b"1\0content/extra/b.txt\0" + b"2"},
               {"a.txt": b"12", "b.txt": b""}, {"a.txt": b"", "b.txt": b"12"}, {"c.txt": b"1", "b.txt": b"2"}]
    keys = [key_with(project, files) for files in layouts]
    assert len({key.folders[0] for key in keys}) == len(layouts)
    assert len({key.folders[1:] for key in keys}) == 1
    assert key_with(project, layouts[0]) == keys[0]  # the same files again: the same key


def test_a_file_name_that_is_not_utf8_is_keyed_like_any(project: Path) -> None:
    plain = key_with(project, {"cafe.txt": b"x"})
    extra = os.fsencode(project / "content" / "extra")
    os.unlink(extra + b"/cafe.txt")
    fd = os.open(extra + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT)
    os.write(fd, b"x")
    os.close(fd)
    assert load_key(project, date(2026, 12, 1)).folders[0] != plain.folders[0]


def test_a_linked_file_inside_the_project_is_keyed_by_its_bytes_a_linked_folder_is_not_walked(project: Path) -> None:
    day = date(2026, 12, 1)
    before = load_key(project, day)
    (project / "content" / "owners.txt").symlink_to(project / "data" / "owners.yml")
    linked = load_key(project, day)
    assert linked.folders[0] != before.folders[0] and linked.folders[1:] == before.folders[1:]
    owners = project / "data" / "owners.yml"
    owners.write_text(owners.read_text(encoding="utf-8") + "# edited through the link\n", encoding="utf-8")
    edited = load_key(project, day)
    assert edited.folders[0] != linked.folders[0] and edited.folders[1] != linked.folders[1]
    (project / "content" / "owners.txt").unlink()
    (project / "content" / "all-data").symlink_to(project / "data")
    walked = load_key(project, day)
    assert walked.folders[0] == load_key_without(project, "all-data", day).folders[0]


# The key of the project with one link under content/ set aside (then put back).
def load_key_without(project: Path, name: str, day: date) -> LoadKey:
    link = project / "content" / name
    target = os.readlink(link)
    link.unlink()
    try:
        return load_key(project, day)
    finally:
        link.symlink_to(target)


def test_a_link_out_of_the_project_is_refused_with_every_other(project: Path) -> None:
    (project / "content" / "passwd.md").symlink_to("/etc/passwd")
    (project / "overrides" / "system").symlink_to("/etc")
    with pytest.raises(ContentErrors) as refused:
        load_key(project, date(2026, 12, 1))
    assert [error.file for error in refused.value.errors] == ["content/passwd.md", "overrides/system"]


def test_the_code_digest_changes_when_a_library_is_installed_upgraded_or_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code_digest.cache_clear()
    installed = code_digest()
    folder = tmp_path / "site-packages"
    (folder / "Jinja2-9.9.9.dist-info").mkdir(parents=True)
    (folder / "jinja2").mkdir()  # a package folder is no distribution: only the dist-info names count
    (tmp_path / "a-file.zip").write_bytes(b"PK")
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path / "a-file.zip"), str(folder)])
    try:
        code_digest.cache_clear()
        added = code_digest()
        (folder / "Jinja2-9.9.9.dist-info").rename(folder / "Jinja2-9.9.10.dist-info")
        code_digest.cache_clear()
        upgraded = code_digest()
        assert installed_distributions()[-1] == "Jinja2-9.9.10.dist-info"
        (folder / "Jinja2-9.9.10.dist-info").rmdir()
        code_digest.cache_clear()
        removed = code_digest()
    finally:
        code_digest.cache_clear()
    assert len({installed, added, upgraded}) == 3
    assert removed == installed


def test_a_snapshot_under_the_right_key_with_a_state_of_other_code_is_ignored(project: Path,
                                                                            renders: list[str]) -> None:
    expected = markdown_of(Site.load(project))
    key = load_key(project, today_from(os.environ))
    for state in ({}, {"data": None}, {"data": 1, "review": 2, "calculators": 3, "catalog": 4, "catalog_checks": 5,
                                        "prerendered": 6, "unknown": 7}):
        (project / SNAPSHOT_FILE).write_bytes(pickle.dumps(key) + pickle.dumps(state))
        new_process()
        renders.clear()
        assert markdown_of(Site.load(project)) == expected
        assert set(renders) == ALL_PAGES


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(tmp_path: Path, project: Path,
                                                                   renders: list[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".costhub-cache").symlink_to(elsewhere)
    Site.load(project)
    assert list(elsewhere.iterdir()) == []


def test_a_snapshot_that_is_a_pipe_is_not_read(project: Path, renders: list[str]) -> None:
    (project / ".costhub-cache").mkdir()
    os.mkfifo(project / SNAPSHOT_FILE)  # reading it would wait for a writer forever
    site = Site.load(project)
    assert set(renders) == ALL_PAGES and site.prerendered


def test_a_state_that_cannot_be_pickled_leaves_the_last_snapshot_and_no_partial_file(project: Path) -> None:
    key = load_key(project, date(2026, 12, 1))
    write_snapshot(project, key, {"kept": "yes"})
    kept = (project / SNAPSHOT_FILE).read_bytes()
    write_snapshot(project, key, {"a function defined here": lambda: None})  # pickle refuses a lambda
    write_snapshot(project, key, {"a lock": threading.Lock()})
    write_snapshot(project, key, {"nested too deep": _nested(100_000)})
    assert (project / SNAPSHOT_FILE).read_bytes() == kept
    assert sorted(path.name for path in (project / SNAPSHOT_FILE).parent.iterdir()) == [SNAPSHOT_FILE.name]


# A list nested depth times.
def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


class _Unpickled:
    """A state part that notes each time it is unpickled."""

    seen: list[str] = []

    def __init__(self) -> None:
        self.made = True  # a state of its own, so unpickling calls __setstate__

    # Note the unpickling.
    def __setstate__(self, state: dict) -> None:
        _Unpickled.seen.append("unpickled")


def test_a_snapshot_whose_key_a_load_cannot_use_is_not_unpickled_past_its_key(project: Path, renders: list[str]) -> None:
    expected = markdown_of(Site.load(project))
    key = load_key(project, today_from(os.environ))
    other_code = LoadKey(key.root, key.today, key.folders, "other code")
    _Unpickled.seen.clear()
    for stored, state in ((other_code, pickle.dumps({"part": _Unpickled()})),
                          (key, pickle.dumps({"part": _Unpickled()})[:-5]),  # the right key, a truncated state
                          (key, b"")):  # the right key and no state at all
        (project / SNAPSHOT_FILE).write_bytes(pickle.dumps(stored) + state)
        new_process()
        renders.clear()
        assert markdown_of(Site.load(project)) == expected
        assert set(renders) == ALL_PAGES
    assert _Unpickled.seen == []  # the first state was never read; the second broke off before the part was made


def test_the_second_hook_takes_the_site_loaded_for_this_root_and_day_without_hashing_again(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Site.load(project)
    keys: list[Path] = []
    monkeypatch.setattr(site_module, "load_key", lambda root, today: keys.append(root) or load_key(root, today))
    assert Site.last_loaded(project) is first and keys == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(os.environ.get("SOURCE_DATE_EPOCH", "1796083200")) + 86_400 * 400))
    assert Site.last_loaded(project) is not first and keys == [project]  # another review day: a load of its own


def test_a_snapshot_leaves_page_sources_out_and_they_are_read_again_where_needed(project: Path) -> None:
    page = project / "content/glossary.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(lines + ["", 'Once offered: {{ price_point("openai-sora-2-720p") }}.', ""]), encoding="utf-8")
    day = date(2026, 12, 1)  # openai-sora-2-720p was retired on 2026-09-24
    first = Site.load(project, day)
    assert first.prerendered["glossary.md"][1].source == page.read_text(encoding="utf-8")
    new_process()
    again = Site.load(project, day)
    kept = again.prerendered["glossary.md"][1]
    assert kept.source is None and again.page_source(kept) == page.read_text(encoding="utf-8")
    # The retired price is still placed on the line written last (the page, two lines below its old end).
    warnings = [str(warning) for warning in lifecycle_warnings(again, [kept])]
    assert [warning.split(": ")[0] for warning in warnings] == [f"content/glossary.md:{len(lines) + 2}"]


class _NotesTheCollector:
    """A value that notes, each time it is unpickled, whether the cyclic garbage collector was running."""

    seen: list[bool] = []

    def __init__(self) -> None:
        self.made = True

    # Note whether the collector runs while this is unpickled.
    def __setstate__(self, state: dict) -> None:
        _NotesTheCollector.seen.append(gc.isenabled())


@pytest.fixture
def collector_state() -> object:
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("running", [True, False])
def test_a_cache_file_is_unpickled_with_the_collector_paused_and_left_as_it_was(
        tmp_path: Path, collector_state: object, running: bool) -> None:
    path = tmp_path / ".costhub-cache" / "kept.pickle"
    write_keyed(path, "key", [_NotesTheCollector(), _NotesTheCollector()])
    truncated = tmp_path / "truncated.pickle"
    truncated.write_bytes(path.read_bytes()[:-4])
    gc.enable() if running else gc.disable()
    _NotesTheCollector.seen.clear()
    key, value = read_keyed(path, lambda key: key == "key")
    assert key == "key" and len(value) == 2 and _NotesTheCollector.seen == [False, False]
    assert gc.isenabled() is running
    assert read_keyed(truncated, lambda key: key == "key") is None  # broke off at the value's end
    assert gc.isenabled() is running and set(_NotesTheCollector.seen) == {False}
    seen = len(_NotesTheCollector.seen)
    assert read_keyed(path, lambda key: key == "another key") is None  # the value is never read
    assert gc.isenabled() is running and len(_NotesTheCollector.seen) == seen


# A new process that loads the project and works out (or reads) its load output; prints which of the modules only a
# load from scratch needs it imported.
_LOAD_IN_A_NEW_PROCESS = """
import sys
from pathlib import Path
from costhub.pages.site import Site
from costhub.publish.load_output import load_output
load_output(Site.load(Path(sys.argv[1])))
print(sorted(name for name in ("costhub.data.schema", "costhub.data.schema_fast", "xml.sax.saxutils")
             if name in sys.modules))
"""


def test_a_process_that_starts_from_the_snapshot_imports_no_validation_and_no_feed_writer(project: Path) -> None:
    outputs = [subprocess.run([sys.executable, "-c", _LOAD_IN_A_NEW_PROCESS, str(project)], capture_output=True,
                              text=True, check=True).stdout.strip() for _ in range(2)]
    assert outputs == ["['costhub.data.schema', 'costhub.data.schema_fast', 'xml.sax.saxutils']", "[]"]


def test_serve_holds_its_cache_files_until_it_stops(project: Path, renders: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot_module, "_HELD", None)
    hooks = load_hook(project / "hooks" / "costhub_hooks.py", "serve_hooks")
    hooks.on_startup(command="serve", dirty=False)
    new_process()
    Site.load(project)
    write_keyed(project / ".costhub-cache" / "other.pickle", "other key", [1, 2])
    assert not (project / SNAPSHOT_FILE).exists() and not (project / ".costhub-cache").exists()
    assert read_keyed(project / ".costhub-cache" / "other.pickle", lambda key: key == "other key") == ("other key", [1, 2])
    assert read_keyed(project / ".costhub-cache" / "other.pickle", lambda key: key == "a third key") is None
    set_field(project, "glossary", "job-id", "term", "Job id")
    new_process()  # a later load in the process reads the snapshot held in memory: only the edited page renders
    renders.clear()
    edited = Site.load(project)
    assert renders == ["glossary"] and not (project / SNAPSHOT_FILE).exists()
    hooks.on_shutdown()
    assert snapshot_module._HELD is None and (project / SNAPSHOT_FILE).is_file()
    assert read_keyed(project / ".costhub-cache" / "other.pickle", lambda key: True) == ("other key", [1, 2])
    renders.clear()
    new_process()
    again = Site.load(project)  # the last load's snapshot, from the file: nothing renders
    assert renders == [] and markdown_of(again) == markdown_of(edited)
    set_field(project, "glossary", "job-id", "term", "Job id again")
    new_process()
    Site.load(project)  # cache files are written at once again
    assert read_keyed(project / SNAPSHOT_FILE, lambda key: True)[0] == load_key(project, today_from(os.environ))


def test_holding_again_keeps_what_is_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot_module, "_HELD", None)
    snapshot_module.hold_cache_writes()
    write_keyed(tmp_path / "kept.pickle", "key", "value")
    snapshot_module.hold_cache_writes()
    assert read_keyed(tmp_path / "kept.pickle", lambda key: True) == ("key", "value")
    assert not (tmp_path / "kept.pickle").exists()
    snapshot_module.write_held_caches()
    assert read_keyed(tmp_path / "kept.pickle", lambda key: True) == ("key", "value")
    assert (tmp_path / "kept.pickle").is_file()
