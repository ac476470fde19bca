"""Work done in two forked copies gives what the same work gives in this process: the same results, shared objects
as this process's own, and every failure of a copy (an error, an early death, results that cannot be pickled)
made good by doing its share here. A load whose pages two copies render has the same renders as one without."""
from __future__ import annotations

import importlib.util
import os
import pickle
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, copy_project
from costhub.checks.site_checks import check_site
from costhub.data.model import Record
from costhub.pages import parallel
from costhub.pages import render as render_module
from costhub.pages import site as site_module
from costhub.pages.parallel import PARALLEL_SWITCH, can_share, in_two_copies
from costhub.pages.site import Site



@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Copies allowed as on a Linux machine with two CPUs. The threads the test session already runs (the browser
    tests' file server) are not counted, so a test sees only the threads it starts; and a test whose copy hangs fails
    after two minutes instead of hanging the suite."""
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.delenv(PARALLEL_SWITCH, raising=False)
    session_threads = threading.active_count() - 1
    real_count = threading.active_count
    monkeypatch.setattr(parallel.threading, "active_count", lambda: real_count() - session_threads)
    before = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("a copy hung")))
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


# Each item with the id of the process that handled it.
def tagged(items: Any) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in items]


def test_each_share_is_done_in_a_copy_of_its_own(forking: None) -> None:
    first, second = in_two_copies(list(range(7)), tagged, (), min_items=1)
    assert [item for item, _pid in first] == [0, 2, 4, 6]
    assert [item for item, _pid in second] == [1, 3, 5]
    pids = {pid for _item, pid in first} | {pid for _item, pid in second}
    assert len(pids) == 2 and os.getpid() not in pids


def test_below_the_threshold_both_shares_are_done_here() -> None:
    first, second = in_two_copies([10, 11, 12], tagged, (), min_items=4)
    assert first == [(10, os.getpid()), (12, os.getpid())]
    assert second == [(11, os.getpid())]


def test_an_empty_share_is_done_here(forking: None) -> None:
    first, second = in_two_copies(["only"], tagged, (), min_items=1)
    assert first[0][0] == "only" and first[0][1] != os.getpid()
    assert second == []


def test_shared_objects_come_back_as_this_process_s_own_and_others_as_copies(forking: None) -> None:
    shared, other = {"kind": "record"}, {"kind": "not shared"}

    def work(items: Any) -> list[Any]:
        return [(shared, other, None, item) for item in items]

    first, second = in_two_copies([1, 2], work, [shared], min_items=1)
    for result in (first, second):
        (back, copied, nothing, _item), = result
        assert back is shared
        assert copied == other and copied is not other
        assert nothing is None


# Work that fails in a forked copy in the given way, and works in the process that started it.
def failing_in_copy(how: str, parent: int) -> Any:
    def work(items: Any) -> Any:
        if os.getpid() != parent:
            if how == "raise":
                raise RuntimeError("broken copy")
            if how == "die":
                os._exit(3)
            if how == "unpicklable":
                return [lambda: item for item in items]
        return tagged(items)
    return work


@pytest.mark.parametrize("how", ["raise", "die", "unpicklable"])
def test_a_copy_that_fails_has_its_share_done_here(forking: None, how: str) -> None:
    first, second = in_two_copies(list(range(5)), failing_in_copy(how, os.getpid()), (), min_items=1)
    assert first == [(0, os.getpid()), (2, os.getpid()), (4, os.getpid())]
    assert second == [(1, os.getpid()), (3, os.getpid())]


def test_no_process_to_be_had_means_the_share_is_done_here(forking: None, monkeypatch: pytest.MonkeyPatch) -> None:
    opened_before = len(os.listdir("/proc/self/fd"))

    # A fork refused as when the process limit is reached.
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, "fork", refused)
    first, second = in_two_copies([1, 2, 3], tagged, (), min_items=1)
    assert first == [(1, os.getpid()), (3, os.getpid())] and second == [(2, os.getpid())]
    assert len(os.listdir("/proc/self/fd")) == opened_before  # no pipe left open


def test_a_copy_still_at_work_is_stopped_and_reaped(forking: None) -> None:
    copy = parallel._Copy(lambda items: time.sleep(60), [1], {})
    started = time.monotonic()
    copy.end()
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(copy._pid, os.WNOHANG)


def test_work_in_a_copy_comes_back_from_another_process(forking: None) -> None:
    pid, records = parallel.in_a_copy(lambda: (os.getpid(), [Record({"id": "a"}, "data/x.yml", 4, "x[0]")]))
    assert pid != os.getpid()
    assert records == [Record({"id": "a"}, "data/x.yml", 4, "x[0]")] and records[0].location == "data/x.yml:4"


@pytest.mark.parametrize("how", ["raise", "die", "unpicklable"])
def test_work_that_fails_in_its_copy_is_done_here(forking: None, how: str) -> None:
    work = failing_in_copy(how, os.getpid())
    assert parallel.in_a_copy(lambda: work([7])) == [(7, os.getpid())]


def test_work_that_fails_here_too_raises_here(forking: None) -> None:
    runs: list[int] = []

    def work() -> None:
        runs.append(os.getpid())  # the copy's append is lost with the copy
        raise ValueError("bad data")

    with pytest.raises(ValueError, match="bad data"):
        parallel.in_a_copy(work)
    assert runs == [os.getpid()]


def test_work_is_done_here_when_switched_off_or_no_process_is_to_be_had(forking: None,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PARALLEL_SWITCH, "off")
    assert parallel.in_a_copy(os.getpid) == os.getpid()
    monkeypatch.delenv(PARALLEL_SWITCH)
    opened_before = len(os.listdir("/proc/self/fd"))

    # A fork refused as when the process limit is reached.
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, "fork", refused)
    assert parallel.in_a_copy(os.getpid) == os.getpid()
    assert len(os.listdir("/proc/self/fd")) == opened_before


def test_no_copies_when_switched_off_or_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.delenv(PARALLEL_SWITCH, raising=False)
    assert can_share(48) and not can_share(47)
    assert can_share(3, min_items=3)
    monkeypatch.setenv(PARALLEL_SWITCH, "OFF")
    assert not can_share(1000)
    monkeypatch.delenv(PARALLEL_SWITCH)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {3})
    assert not can_share(1000)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setattr(parallel.sys, "platform", "darwin")
    assert not can_share(1000)


def test_no_copies_while_another_thread_runs(forking: None) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        first, second = in_two_copies([1, 2], tagged, (), min_items=1)
    finally:
        stop.set()
        thread.join()
    assert first == [(1, os.getpid())] and second == [(2, os.getpid())]


# The scale benchmark as a module (benchmarks/ is not a package), for its synthetic guides.
def scale_benchmark() -> Any:
    spec = importlib.util.spec_from_file_location("scale_bench", ROOT / "benchmarks" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def large_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("parallel") / "project")
    scale_benchmark().add_guides(project, 60)
    # Front matter before a body (the render keeps the body alone as its source) and a page whose macro fails.
    for i in (1, 2, 7):
        path = project / "content" / f"synthetic-guide-{i}.md"
        path.write_text(f"---\ntags: [extra-{i}]\n---\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = project / "content" / "synthetic-guide-4.md"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n{{ checklist(\"no-such-checklist\") }}\n",
                      encoding="utf-8")
    return project


# A fresh load of the project, with or without the copies.
def fresh_load(project: Path, monkeypatch: pytest.MonkeyPatch, copies: bool) -> Site:
    monkeypatch.setenv("COSTHUB_CACHE", "off")
    monkeypatch.setenv(PARALLEL_SWITCH, "on" if copies else "off")
    site_module._LAST_LOAD.clear()
    return Site.load(project)


def test_a_load_rendered_by_copies_has_the_renders_of_one_without(forking: None, large_project: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    forks: list[int] = []
    real_fork = parallel.os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or real_fork())
    alone = fresh_load(large_project, monkeypatch, copies=False)
    assert forks == []
    shared = fresh_load(large_project, monkeypatch, copies=True)
    # 72 pages: the first renders in two copies, then the review dashboard (it waits for the citations) in one.
    assert len(forks) == 3
    assert list(shared.prerendered) == list(alone.prerendered)
    assert "synthetic-guide-4.md" not in shared.prerendered  # left to be reported when rendered again
    assert len(shared.prerendered) == 71
    records = {id(record) for kind in shared.data.kinds.values() for record in kind}
    for src_uri, (digest, page) in shared.prerendered.items():
        other_digest, other = alone.prerendered[src_uri]
        assert digest == other_digest
        assert page.source is None and other.source is not None  # a copy's render reads its source again
        assert page.markdown == other.markdown and shared.page_source(page) == other.source
        assert page.citations == other.citations and page.review == other.review
        assert list(page.links) == list(other.links)
        assert sorted(map(repr, page.body_reads)) == sorted(map(repr, other.body_reads))
        assert sorted(map(repr, page.header_reads)) == sorted(map(repr, other.header_reads))
        assert id(page.record) in records
    assert shared.page_source(shared.prerendered["synthetic-guide-7.md"][1]).startswith("{{ guide_intro() }}")
    assert shared.review == alone.review


def test_a_large_check_finds_in_copies_the_problems_it_finds_alone(forking: None, large_project: Path,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # A broken link (a link problem) and a page writing its own title (a problem of the load) on top of the
    # project's failing macro: the link problems and the load's are worked out in one copy each.
    project = shutil.copytree(large_project, tmp_path / "project")
    linking = project / "content" / "synthetic-guide-3.md"
    linking.write_text(linking.read_text(encoding="utf-8") + "\nSee [nothing](no-such-page.md).\n", encoding="utf-8")
    titled = project / "content" / "synthetic-guide-9.md"
    titled.write_text("# Synthetic guide 9\n\n" + titled.read_text(encoding="utf-8"), encoding="utf-8")
    alone_pages, alone_errors = check_site(fresh_load(project, monkeypatch, copies=False))
    shared = fresh_load(project, monkeypatch, copies=True)
    forks: list[int] = []
    real_fork = parallel.os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or real_fork())
    shared_pages, shared_errors = check_site(shared)
    assert len(forks) == 2
    texts = [str(error) for error in shared_errors]
    assert texts == [str(error) for error in alone_errors]
    assert any("content/synthetic-guide-3.md" in text and "no-such-page.md" in text for text in texts)
    assert any(text.startswith("content/synthetic-guide-9.md:1:") and "its own title" in text for text in texts)
    assert any("no-such-checklist" in text for text in texts)
    assert list(shared_pages) == list(alone_pages)


@pytest.mark.parametrize("bad_copy", [0, 1])
def test_results_that_cannot_be_read_half_way_leave_no_copy_waiting(forking: None, monkeypatch: pytest.MonkeyPatch,
                                                                      bad_copy: int) -> None:
    shared = object()
    parent = os.getpid()

    # Each share's results are far longer than a pipe holds; the bad copy's start with a shared object this
    # process then refuses to read, so it stops reading that copy long before its end.
    def work(items: Any) -> list[Any]:
        in_bad_copy = os.getpid() != parent and items[0] % 2 == bad_copy
        return [shared if in_bad_copy else "shared", *("x" * 200_000 for _ in range(10)), *tagged(items)]

    monkeypatch.setattr(parallel._ReferencingUnpickler, "persistent_load",
                        lambda self, pid: (_ for _ in ()).throw(pickle.UnpicklingError("refused")))
    first, second = in_two_copies([0, 1, 2, 3], work, [shared], min_items=1)  # a copy left waiting: TimeoutError
    redone, other = (first, second) if bad_copy == 0 else (second, first)
    assert redone[0] == "shared" and redone[-2:] == [(bad_copy, parent), (2 + bad_copy, parent)]
    assert other[0] == "shared" and other[-1][0] == 3 - bad_copy and other[-1][1] != parent


def test_templates_the_copies_compiled_are_not_compiled_again_here(forking: None, large_project: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_module, "_TEMPLATE_CODE", render_module._MemoryBytecodeCache())
    site = fresh_load(large_project, monkeypatch, copies=True)
    compiled: list[str] = []
    real_compile = site.renderer.env.compile

    # Note the name of every template compiled, then compile it.
    def noting_compile(source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name or "")
        return real_compile(source, name, *args, **kwargs)

    monkeypatch.setattr(site.renderer.env, "compile", noting_compile)
    source = (large_project / "content" / "synthetic-guide-10.md").read_text(encoding="utf-8")
    page = site.render("synthetic-guide-10.md", source + "\nOne more line.\n")
    assert "One more line." in page.markdown and "Check step 4 of workload 10." in page.markdown
    assert compiled == []


def test_macro_and_component_templates_compile_in_a_copy_while_the_data_loads(forking: None, large_project: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_module, "_TEMPLATE_CODE", render_module._MemoryBytecodeCache())
    parent = os.getpid()
    compiled_here: list[str] = []
    real_compile = render_module._DataSandbox.compile

    # Note every template this process compiles by name (page bodies have none), then compile it.
    def noting_compile(self: Any, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        if os.getpid() == parent and name:
            compiled_here.append(name)
        return real_compile(self, source, name, *args, **kwargs)

    monkeypatch.setattr(render_module._DataSandbox, "compile", noting_compile)
    forks: list[int] = []
    real_fork = parallel.os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or real_fork())
    site = fresh_load(large_project, monkeypatch, copies=True)
    templates = sorted((large_project / "overrides").glob("[mc]*/*.html"))
    assert len(templates) == 29 and len(forks) == 4  # compiling, two renders of the pages, the dashboard
    assert compiled_here == []
    assert len(render_module.compiled_templates()) == len(templates)
    page = site.render("synthetic-guide-3.md", (large_project / "content" / "synthetic-guide-3.md").read_text() + "\nMore.\n")
    assert "More." in page.markdown and compiled_here == []


def test_a_template_the_copy_cannot_compile_is_reported_as_without_the_copy(forking: None, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    (project / "overrides" / "macros" / "cta.html").write_text("{% macro cta() %}\n{% if %}\n{% endmacro %}\n",
                                                               encoding="utf-8")
    reports = []
    for copies in (True, False):
        monkeypatch.setattr(render_module, "_TEMPLATE_CODE", render_module._MemoryBytecodeCache())
        _rendered, errors = fresh_load(project, monkeypatch, copies=copies).render_all()
        reports.append([str(error) for error in errors])
    assert reports[0] == reports[1]
    assert ("overrides/macros/cta.html:2: template error: Expected an expression, got 'end of statement block' "
            "(used by content/billing-transparency.md)") in reports[0]
