"""A copy working ahead gives what the same work gives in this process: each result as it comes, in order, with the
item it belongs to; an item whose work fails left for this process; a copy that dies costs only the items it did
not send. A load whose pages a copy renders ahead has, once complete, the renders and citations of a load without,
each page waits only for its own render, and a page that waits for the citations is told apart before the rest."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_project
from costhub.data import load as data_load
from costhub.errors import ContentErrors
from costhub.pages import parallel
from costhub.pages import render as render_module
from costhub.pages import site as site_module
from costhub.pages.parallel import PARALLEL_SWITCH, working_ahead
from costhub.pages.site import Site
from costhub.publish.load_output import output_and_parts
from test_parallel import forking, fresh_load, large_project, scale_benchmark  # noqa: F401  (fixtures)


# Each item with the id of the process that handled it.
def tagged(item: Any) -> tuple[Any, int]:
    return item, os.getpid()


def test_results_arrive_in_order_from_a_copy_then_its_last_value(forking: None) -> None:
    ahead = working_ahead(["a", "b", "c"], tagged, lambda: ("last", os.getpid()), ())
    assert ahead is not None and ahead.last is None
    received = list(ahead)
    assert [(index, item) for index, (item, _pid) in received] == [(0, "a"), (1, "b"), (2, "c")]
    pids = {pid for _index, (_item, pid) in received}
    assert len(pids) == 1 and os.getpid() not in pids
    assert ahead.last == ("last", pids.pop())


def test_results_can_be_taken_a_few_at_a_time_while_this_process_goes_on(forking: None) -> None:
    ahead = working_ahead(list(range(50)), lambda item: "x" * 100_000 + str(item), lambda: "end", ())
    assert ahead is not None
    arrivals = iter(ahead)
    first = [next(arrivals) for _ in range(3)]  # the copy is blocked on a full pipe meanwhile
    assert [index for index, _result in first] == [0, 1, 2]
    rest = list(arrivals)
    assert [index for index, _result in rest] == list(range(3, 50))
    assert rest[-1][1].endswith("49") and ahead.last == "end"


def test_has_more_tells_when_a_result_can_be_taken_without_waiting(forking: None) -> None:
    ahead = working_ahead([0, 1], lambda item: item * 2, lambda: "end", ())
    assert ahead is not None
    arrivals = iter(ahead)
    deadline = time.monotonic() + 60
    while not ahead.has_more():  # the copy's first result is on its way
        assert time.monotonic() < deadline, "no result arrived"
        time.sleep(0.01)
    assert next(arrivals) == (0, 0)
    assert list(arrivals) == [(1, 2)] and ahead.last == "end"
    assert not ahead.has_more()  # the copy has ended: nothing more will come


def test_an_item_whose_work_fails_is_left_for_this_process(forking: None) -> None:
    def work(item: int) -> int:
        if item == 2:
            raise ValueError("this item fails")
        return item * 10

    ahead = working_ahead([0, 1, 2, 3], work, lambda: "end", ())
    assert ahead is not None
    assert list(ahead) == [(0, 0), (1, 10), (3, 30)]
    assert ahead.last == "end"


def test_a_copy_that_dies_half_way_sends_what_it_had(forking: None) -> None:
    def work(item: int) -> int:
        if item == 3:
            os._exit(7)
        return item

    ahead = working_ahead(list(range(6)), work, lambda: "end", ())
    assert ahead is not None
    assert list(ahead) == [(0, 0), (1, 1), (2, 2)]
    assert ahead.last is None
    with pytest.raises(ChildProcessError):  # the copy is reaped: no child of this process is left
        os.waitpid(-1, os.WNOHANG)


def test_a_last_value_that_cannot_be_pickled_is_none(forking: None) -> None:
    ahead = working_ahead([1], tagged, lambda: (lambda: "a function does not pickle"), ())
    assert ahead is not None
    assert [index for index, _result in ahead] == [0]
    assert ahead.last is None


def test_no_copy_ahead_when_switched_off_for_no_items_or_without_a_process(
        forking: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert working_ahead([], tagged, lambda: None, ()) is None

    def refuse() -> int:
        raise BlockingIOError("fork refused")

    monkeypatch.setattr(parallel.os, "fork", refuse)
    open_before = len(os.listdir("/proc/self/fd"))
    assert working_ahead([1], tagged, lambda: None, ()) is None
    assert len(os.listdir("/proc/self/fd")) == open_before  # the pipe was closed
    monkeypatch.undo()
    monkeypatch.setenv(PARALLEL_SWITCH, "off")
    assert working_ahead([1], tagged, lambda: None, ()) is None


# A fresh load of the project with a copy rendering the pages ahead (and working out then(site) of the result).
def load_ahead(project: Path, monkeypatch: pytest.MonkeyPatch, then: Any = None) -> Site:
    monkeypatch.setenv("COSTHUB_CACHE", "off")
    monkeypatch.setenv(PARALLEL_SWITCH, "on")
    site_module._LAST_LOAD.clear()
    return Site.load(project, ahead=True, then=then)


# The page file's text.
def source_of(project: Path, src_uri: str) -> str:
    return (project / "content" / src_uri).read_text(encoding="utf-8")


# Every render of two complete sites is the same, and so is where each record is cited.
def assert_same_renders(site: Site, alone: Site) -> None:
    assert list(site.prerendered) == list(alone.prerendered)
    for src_uri, (digest, page) in site.prerendered.items():
        other_digest, other = alone.prerendered[src_uri]
        assert digest == other_digest
        assert page.markdown == other.markdown and site.page_source(page) == alone.page_source(other), src_uri
        assert page.citations == other.citations and page.review == other.review
        assert list(page.links) == list(other.links)
    assert site.review == alone.review and site.review.citations is not None


def test_a_load_rendered_ahead_has_the_renders_of_one_without(forking: None, large_project: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    alone = fresh_load(large_project, monkeypatch, copies=False)
    site = load_ahead(large_project, monkeypatch)
    assert site.ahead is not None and site.review.citations is None
    # A page asked for first waits only for its own render, which is the same as a render here.
    guide = "synthetic-guide-30.md"
    assert site.render(guide, source_of(large_project, guide)).markdown == alone.prerendered[guide][1].markdown
    assert site.ahead.completed is None
    assert site.waits_for_citations("review.md") and not site.waits_for_citations("index.md")
    # The page with a macro error was left for this process, which reports it with its file and line.
    with pytest.raises(ContentErrors) as raised:
        site.render("synthetic-guide-4.md", source_of(large_project, "synthetic-guide-4.md"))
    assert "content/synthetic-guide-4.md:" in raised.value.report()
    complete = site.complete()
    assert complete is site.complete() and complete.ahead is None and not site.waits_for_citations("review.md")
    assert_same_renders(complete, alone)
    assert "synthetic-guide-4.md" not in complete.prerendered
    # The dashboard asked of the site as loaded is the complete site's render.
    dashboard = site.render("review.md", source_of(large_project, "review.md"))
    assert dashboard.markdown == alone.prerendered["review.md"][1].markdown
    assert site_module._LAST_LOAD[complete.key] is complete


@pytest.mark.parametrize(("dies_at", "how"), [("synthetic-guide-0.md", "dies"), ("review.md", "dies"),
                                              ("synthetic-guide-59.md", "dies"), ("synthetic-guide-20.md", "fails")])
def test_a_copy_that_dies_or_fails_a_page_leaves_it_to_this_process(forking: None, large_project: Path,
                                                                    monkeypatch: pytest.MonkeyPatch, dies_at: str,
                                                                    how: str) -> None:
    alone = fresh_load(large_project, monkeypatch, copies=False)
    real_render = Site._render_here

    # In the copy, die at one page (before its render is sent) or fail that page only (as when its render deadline
    # passes under load): its citations are then missing from the copy's, so the dashboard must render here.
    def render_or_die(self: Site, src_uri: str, source: str) -> Any:
        if src_uri == dies_at and self.ahead is not None and self.ahead.copy is None:  # only the copy has no copy
            if how == "dies":
                os._exit(3)
            raise TimeoutError("the render deadline passed")
        return real_render(self, src_uri, source)

    monkeypatch.setattr(Site, "_render_here", render_or_die)
    site = load_ahead(large_project, monkeypatch)
    assert site.ahead is not None and site.ahead.copy is not None
    assert_same_renders(site.complete(), alone)


def test_the_copy_renders_the_pages_that_wait_for_the_citations(forking: None, large_project: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    site = load_ahead(large_project, monkeypatch)
    rendered_here: list[str] = []
    real_render = Site._render_here
    monkeypatch.setattr(Site, "_render_here", lambda self, src_uri, source: (
        rendered_here.append(src_uri) or real_render(self, src_uri, source)))
    complete = site.complete()
    assert "review.md" in complete.prerendered
    assert rendered_here == []  # not even the page with an error: the copy sent its errors
    assert "no-such-checklist" in str(complete.failed["synthetic-guide-4.md"][1])


def test_a_build_from_renders_made_ahead_is_byte_for_byte_the_build_without(tmp_path: Path) -> None:
    import subprocess
    import sys
    project = copy_project(tmp_path / "project")
    scale_benchmark().add_guides(project, 50)
    outputs = []
    for switch in ("on", "off"):
        env = {**os.environ, "COSTHUB_CACHE": "off", PARALLEL_SWITCH: switch, "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", f"site-{switch}"],
                                cwd=project, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        outputs.append({path.relative_to(project / f"site-{switch}"): path.read_bytes()
                        for path in sorted((project / f"site-{switch}").rglob("*")) if path.is_file()})
    assert outputs[0].keys() == outputs[1].keys() and len(outputs[0]) > 60
    assert [path for path in outputs[0] if outputs[0][path] != outputs[1][path]] == []


def test_a_put_off_page_with_an_error_stops_the_build_at_its_line(tmp_path: Path) -> None:
    import subprocess
    import sys
    project = copy_project(tmp_path / "project")
    scale_benchmark().add_guides(project, 5)
    review = project / "content" / "review.md"
    lines = review.read_text(encoding="utf-8").splitlines()
    review.write_text("\n".join([*lines, "", "{{ checklist(\"no-such-checklist\") }}", ""]), encoding="utf-8")
    env = {**os.environ, "COSTHUB_CACHE": "off", PARALLEL_SWITCH: "on", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert f"content/review.md:{len(lines) + 2}" in result.stderr and "no-such-checklist" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_copy_works_out_the_load_output_of_the_complete_site(forking: None, large_project: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    alone = fresh_load(large_project, monkeypatch, copies=False)
    site = load_ahead(large_project, monkeypatch, then=lambda complete: (os.getpid(), output_and_parts(complete)))
    pid, (output, parts) = site.complete().worked_out_ahead
    assert pid != os.getpid()
    expected, expected_parts = output_and_parts(alone)
    assert output == expected and parts.keys() == expected_parts.keys()
    assert "review.json" in output.files and '"cited_on"' in output.files["review.json"]


@pytest.mark.parametrize("how", ["then fails", "a page fails in the copy"])
def test_what_the_copy_works_out_is_dropped_when_it_cannot_be_trusted(
        forking: None, large_project: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    real_render = Site._render_here

    # In the copy only: fail one guide (so the copy's site lacks it).
    def render_or_fail(self: Site, src_uri: str, source: str) -> Any:
        if src_uri == "synthetic-guide-9.md" and self.ahead is not None and self.ahead.copy is None:
            raise TimeoutError("the render deadline passed")
        return real_render(self, src_uri, source)

    if how == "a page fails in the copy":
        monkeypatch.setattr(Site, "_render_here", render_or_fail)
    then = (lambda _site: 1 / 0) if how == "then fails" else output_and_parts
    complete = load_ahead(large_project, monkeypatch, then=then).complete()
    assert complete.worked_out_ahead is None
    assert "synthetic-guide-9.md" in complete.prerendered and "review.md" in complete.prerendered


@pytest.mark.parametrize("copies", [False, True])
def test_a_page_whose_first_render_failed_is_not_rendered_again(forking: None, large_project: Path,
                                                                monkeypatch: pytest.MonkeyPatch, copies: bool) -> None:
    site = fresh_load(large_project, monkeypatch, copies=copies)
    calls: list[Any] = []
    real_render = site.renderer.render
    monkeypatch.setattr(site.renderer, "render",
                        lambda *args, **kwargs: calls.append(args) or real_render(*args, **kwargs))
    source = source_of(large_project, "synthetic-guide-4.md")
    with pytest.raises(ContentErrors) as raised:  # a page that ran into the render deadline would cost it once
        site.render("synthetic-guide-4.md", source)
    assert "content/synthetic-guide-4.md:" in raised.value.report() and "no-such-checklist" in raised.value.report()
    assert calls == []
    with pytest.raises(ContentErrors):  # an edited source is rendered again
        site.render("synthetic-guide-4.md", source + "\nOne more line.\n")
    assert len(calls) == 1


# Every record of the site by kind: its values and where it was written.
def records_of(site: Site) -> dict[str, list[tuple[dict[str, Any], str, str]]]:
    return {kind: [(dict(record), record.location, record.path) for record in records]
            for kind, records in site.data.kinds.items()}


def test_large_data_is_loaded_in_a_copy_for_a_build(forking: None, large_project: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    alone = fresh_load(large_project, monkeypatch, copies=False)
    assert data_load._PARSED  # parsed here
    data_load._PARSED.clear()
    site = load_ahead(large_project, monkeypatch)
    assert data_load._PARSED  # this project's data is below the threshold: parsed here
    site.complete()
    monkeypatch.setattr(site_module, "RECORDS_COPY_BYTES", 1)
    data_load._PARSED.clear()
    site = load_ahead(large_project, monkeypatch).complete()
    assert not data_load._PARSED  # parsed in the copy, which kept the parses
    assert records_of(site) == records_of(alone)
    assert site.review == alone.review and site.catalog.prices == alone.catalog.prices
    assert list(site.prerendered) == list(alone.prerendered)


def test_bad_data_loaded_for_a_build_is_reported_at_its_line(forking: None, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    faqs = project / "data" / "faqs.yml"
    lines = faqs.read_text(encoding="utf-8").splitlines(keepends=True)
    bad_line = next(number for number, line in enumerate(lines, 1) if line.lstrip().startswith("question:"))
    lines[bad_line - 1] = lines[bad_line - 1].split(":")[0] + ": [not, a, question]\n"
    faqs.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(site_module, "RECORDS_COPY_BYTES", 1)
    with pytest.raises(ContentErrors) as raised:
        load_ahead(project, monkeypatch)
    assert f"data/faqs.yml:{bad_line}:" in raised.value.report()


@pytest.mark.parametrize(("copy_bytes", "forks_wanted"), [(site_module.RECORDS_COPY_BYTES, 1), (1, 3)])
def test_a_build_compiles_its_templates_in_a_copy_only_beside_a_copy_loading_its_data(
        forking: None, large_project: Path, monkeypatch: pytest.MonkeyPatch, copy_bytes: int,
        forks_wanted: int) -> None:
    # Small data: one copy, rendering ahead (it compiles the templates itself). Large data: a copy compiling the
    # templates and one loading the records, side by side, then the copy rendering ahead.
    monkeypatch.setattr(render_module, "_TEMPLATE_CODE", render_module._MemoryBytecodeCache())
    monkeypatch.setattr(site_module, "RECORDS_COPY_BYTES", copy_bytes)
    forks: list[int] = []
    real_fork = parallel.os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or real_fork())
    site = load_ahead(large_project, monkeypatch)
    assert len(forks) == forks_wanted
    assert bool(render_module.compiled_templates()) == (forks_wanted == 3)  # the copy's code kept here
    assert len(site.complete().prerendered) == 71
