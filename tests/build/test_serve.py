"""The preview server: when a saved file breaks the build, the browser gets a page listing the problems (not a request
that never answers), and the next good save brings the site back. The server runs on 127.0.0.1 on a free port."""
from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import types
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project

from costhub.publish.error_page import error_page


# A free TCP port on 127.0.0.1.
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The body of a page, or None when the server does not answer within the timeout.
def fetch(url: str, timeout: float = 10) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")
    except (OSError, ValueError):
        return None


# Fetch until the page satisfies `ready` (at most `limit` seconds, a bounded number of tries); the last body.
def wait_for(url: str, ready: Callable[[str], bool], limit: float = 90) -> str:
    deadline = time.monotonic() + limit
    body = None
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and ready(body):
            return body
        time.sleep(0.5)
    raise AssertionError(f"{url} did not become ready in {limit}s; last answer: {(body or '')[:500]}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = copy_project(tmp_path / "project")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload",
                                "-a", f"127.0.0.1:{port}"], cwd=project, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        yield project, f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()


def test_a_broken_save_shows_the_problems_in_the_page_and_the_next_save_recovers(server: tuple[Path, str]) -> None:
    project, base = server
    glossary_url = f"{base}glossary/"
    first = wait_for(glossary_url, lambda body: "Glossary of billing units and terms" in body)
    assert "costhub-build-errors" not in first
    page = project / "content/glossary.md"
    good = page.read_text()
    page.write_text(good + '\n{{ checklist("no-such-list") }} and <script>alert(1)</script>\n')
    broken = wait_for(glossary_url, lambda body: "costhub-build-errors" in body)
    problems = [item.get_text() for item in BeautifulSoup(broken, "html.parser").select(".costhub-build-errors li")]
    line = len(good.splitlines()) + 2
    assert any(problem.startswith(f"content/glossary.md:{line}: template error: no checklists record with id "
                                  "'no-such-list'") for problem in problems), problems
    hub = fetch(base)
    assert hub is not None and "costhub-build-errors" in hub, "every page shows the problems, not only the broken one"
    page.write_text(good)
    recovered = wait_for(glossary_url, lambda body: "costhub-build-errors" not in body and "Billing units" in body)
    assert BeautifulSoup(recovered, "html.parser").h1.get_text(strip=True).rstrip("¶") == "Glossary of billing units and terms"


def test_the_error_page_escapes_every_problem() -> None:
    page = error_page(["content/a.md:3: unknown macro '<script>alert(1)</script>'"])
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select("script") == []
    assert soup.select_one(".costhub-build-errors li").get_text() == "content/a.md:3: unknown macro '<script>alert(1)</script>'"


@pytest.mark.parametrize("epoch", ["yesterday", "-5", "9" * 40])
def test_a_bad_review_day_under_serve_is_shown_in_the_page_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       epoch: str) -> None:
    spec = importlib.util.spec_from_file_location("costhub_serve", Path(__file__).parents[2] / "hooks" / "costhub_serve.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    project = copy_project(tmp_path / "project")
    served = tmp_path / "served"
    config = types.SimpleNamespace(config_file_path=str(project / "mkdocs.yml"))

    def failing_build() -> None:
        raise RuntimeError("the build stopped")

    server = hook.on_serve(types.SimpleNamespace(root=str(served)), config=config, builder=failing_build)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    server.builder()
    page = (served / "index.html").read_text(encoding="utf-8")
    assert "SOURCE_DATE_EPOCH=" in page and "is not a whole number of seconds" in page
