"""Interactive checklists in Chromium: progress, persistence, Markdown copy, reset, keyboard, print, no-JS and CSP."""
from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, expect

from conftest import ROOT, Build, build, rewrite_data

from .conftest import Recorder, Server, inline_scripts, is_material_script, open_context, serve

pytestmark = pytest.mark.browser

STORAGE_PREFIX = "costhub.checklist."
CHECKLISTS_YML = "data/checklists.yml"


# Every (page path, checklist id) rendered on the built site, in page order.
def rendered_checklists(site: Build, server: Server) -> list[tuple[str, str]]:
    return [(path, section["data-checklist"]) for path in server.page_paths()
            for section in site.page(path.lstrip("/")).select("[data-checklist]")]


# The items of a checklist in data/checklists.yml of a project: (id, text) pairs.
def data_items(project: Path, checklist_id: str) -> list[tuple[str, str]]:
    document = yaml.safe_load((project / CHECKLISTS_YML).read_text(encoding="utf-8"))
    checklist = next(entry for entry in document["checklists"] if entry["id"] == checklist_id)
    return [(item["id"], item["text"]) for item in checklist["items"]]


# The Markdown task list a reader should get for a checklist with the given ticked item ids.
def task_list(items: list[tuple[str, str]], ticked: set[str]) -> str:
    return "".join(f"- [{'x' if item_id in ticked else ' '}] {' '.join(text.split())}\n" for item_id, text in items)


# The ids of the ticked boxes in a checklist section, as the page shows them.
def ticked_on_page(page: Page, checklist_id: str) -> list[str]:
    return page.eval_on_selector_all(f'[data-checklist="{checklist_id}"] [data-item]',
                                     "items => items.filter(i => i.querySelector('input').checked).map(i => i.dataset.item)")


# The ticked ids stored in localStorage for a checklist (None when nothing is stored).
def stored(page: Page, checklist_id: str) -> list[str] | None:
    value = page.evaluate("key => localStorage.getItem(key)", STORAGE_PREFIX + checklist_id)
    return None if value is None else json.loads(value)


# Tick (click) the items at the given positions of a checklist.
def tick(page: Page, checklist_id: str, positions: list[int]) -> None:
    boxes = page.locator(f'[data-checklist="{checklist_id}"] input[type=checkbox]')
    for position in positions:
        boxes.nth(position).click()


# The progress line of a checklist.
def progress(page: Page, checklist_id: str) -> str:
    return page.locator(f'[data-checklist="{checklist_id}"] .costhub-checklist__progress').inner_text()


@pytest.fixture(scope="module")
def checklists(site_build: Build, site_server: Server) -> list[tuple[str, str]]:
    found = rendered_checklists(site_build, site_server)
    assert found, "no page renders a checklist"
    return found


def test_ticking_updates_progress_and_a_reload_keeps_the_ticks(page: Page, checklists: list[tuple[str, str]]) -> None:
    for path, checklist_id in checklists:
        items = data_items(ROOT, checklist_id)
        page.goto(path)
        assert progress(page, checklist_id) == f"0 of {len(items)} done"
        positions = list(range(0, len(items), 2))
        tick(page, checklist_id, positions)
        expected = [items[position][0] for position in positions]
        assert progress(page, checklist_id) == f"{len(positions)} of {len(items)} done"
        assert stored(page, checklist_id) == expected
        page.reload()
        assert ticked_on_page(page, checklist_id) == expected
        assert progress(page, checklist_id) == f"{len(positions)} of {len(items)} done"
        page.evaluate("() => localStorage.clear()")


def test_copy_as_markdown_puts_the_exact_task_list_on_the_clipboard(browser: Browser, site_server: Server,
                                                                    checklists: list[tuple[str, str]]) -> None:
    context, recorder = open_context(browser, site_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.url)
    page = context.new_page()
    for path, checklist_id in checklists:
        items = data_items(ROOT, checklist_id)
        page.goto(path)
        tick(page, checklist_id, [0, len(items) - 1])
        page.locator(f'[data-checklist="{checklist_id}"] [data-action=copy]').click()
        section = page.locator(f'[data-checklist="{checklist_id}"]')
        expect(section.locator(".costhub-checklist__message")).to_have_text("Copied as a Markdown task list.")
        assert page.evaluate("() => navigator.clipboard.readText()") == task_list(items, {items[0][0], items[-1][0]})
        page.locator(f'[data-checklist="{checklist_id}"] [data-action=reset]').click()
    context.close()
    assert recorder.errors == []


def test_copy_keeps_code_spans_and_markup_characters_of_item_text(browser: Browser, project: Path) -> None:
    text = "Log the `request_id` & <job> id,  then   check it."
    chosen: list[str] = []

    def _change(document: dict[str, Any]) -> None:
        document["checklists"][0]["items"][0]["text"] = text
        chosen.append(document["checklists"][0]["id"])

    rewrite_data(project, "checklists", _change)
    result = build(project)
    assert result.returncode == 0, result.log
    with serve(result.site) as server:
        context, _recorder = open_context(browser, server)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
        page = context.new_page()
        path = next(path for path, checklist_id in rendered_checklists(result, server) if checklist_id == chosen[0])
        page.goto(path)
        tick(page, chosen[0], [0])
        page.locator(f'[data-checklist="{chosen[0]}"] [data-action=copy]').click()
        expect(page.locator(f'[data-checklist="{chosen[0]}"] .costhub-checklist__message')).to_have_text("Copied as a Markdown task list.")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        context.close()
    assert copied.splitlines()[0] == "- [x] Log the `request_id` & <job> id, then check it."


def test_copy_falls_back_to_a_selected_text_box_when_the_clipboard_is_refused(page: Page, checklists: list[tuple[str, str]]) -> None:
    path, checklist_id = checklists[0]
    items = data_items(ROOT, checklist_id)
    page.add_init_script("navigator.clipboard.writeText = () => Promise.reject(new Error('denied'));")
    page.goto(path)
    tick(page, checklist_id, [1])
    page.locator(f'[data-checklist="{checklist_id}"] [data-action=copy]').click()
    box = page.locator(f'[data-checklist="{checklist_id}"] textarea')
    expect(box).to_be_visible()
    assert box.input_value() == task_list(items, {items[1][0]})
    assert page.evaluate("() => document.activeElement.value.slice(document.activeElement.selectionStart, document.activeElement.selectionEnd)") \
        == task_list(items, {items[1][0]})


def test_reset_clears_every_tick_and_the_stored_state(page: Page, checklists: list[tuple[str, str]]) -> None:
    path, checklist_id = checklists[0]
    count = len(data_items(ROOT, checklist_id))
    page.goto(path)
    tick(page, checklist_id, list(range(count)))
    assert progress(page, checklist_id) == f"{count} of {count} done"
    page.locator(f'[data-checklist="{checklist_id}"] [data-action=reset]').click()
    assert ticked_on_page(page, checklist_id) == []
    assert progress(page, checklist_id) == f"0 of {count} done"
    assert stored(page, checklist_id) is None
    page.reload()
    assert ticked_on_page(page, checklist_id) == []


def test_a_checklist_is_operable_with_the_keyboard_alone(page: Page, checklists: list[tuple[str, str]]) -> None:
    path, checklist_id = checklists[0]
    items = data_items(ROOT, checklist_id)
    page.goto(path)
    section = f'[data-checklist="{checklist_id}"]'
    first_box = page.locator(f"{section} input[type=checkbox]").first
    for _ in range(400):
        page.keyboard.press("Tab")
        if first_box.evaluate("box => box === document.activeElement"):
            break
    assert first_box.evaluate("box => box.matches(':focus-visible') && getComputedStyle(box).outlineStyle !== 'none'")
    page.keyboard.press("Space")
    assert progress(page, checklist_id) == f"1 of {len(items)} done"
    for _ in items:
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.action") == "copy"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.action") == "reset"
    page.keyboard.press("Enter")
    assert progress(page, checklist_id) == f"0 of {len(items)} done"
    assert ticked_on_page(page, checklist_id) == []


def test_ticks_of_removed_items_never_come_back(browser: Browser, project: Path) -> None:
    original = (project / CHECKLISTS_YML).read_text(encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.log
    with serve(result.site) as server:
        context, recorder = open_context(browser, server)
        page = context.new_page()
        path, checklist_id = rendered_checklists(result, server)[0]
        items = [item_id for item_id, _text in data_items(project, checklist_id)]
        removed, renamed = items[0], items[1]
        survivors = items[2:]
        page.goto(path)
        tick(page, checklist_id, list(range(len(items))))
        _rewrite_items(project, checklist_id, removed, renamed)
        assert build(project).returncode == 0
        page.reload()
        assert ticked_on_page(page, checklist_id) == survivors
        assert progress(page, checklist_id) == f"{len(survivors)} of {len(items) - 1} done"
        assert stored(page, checklist_id) == survivors
        (project / CHECKLISTS_YML).write_text(original, encoding="utf-8")
        assert build(project).returncode == 0
        page.reload()
        assert ticked_on_page(page, checklist_id) == survivors
        assert progress(page, checklist_id) == f"{len(survivors)} of {len(items)} done"
        context.close()
    assert recorder.errors == []


# Drop one item of a checklist and give another a new id.
def _rewrite_items(project: Path, checklist_id: str, removed: str, renamed: str) -> None:
    def _change(document: dict[str, Any]) -> None:
        checklist = next(entry for entry in document["checklists"] if entry["id"] == checklist_id)
        checklist["items"] = [item for item in checklist["items"] if item["id"] != removed]
        next(item for item in checklist["items"] if item["id"] == renamed)["id"] = f"{renamed}-reworded"
    rewrite_data(project, "checklists", _change)


def test_without_javascript_a_checklist_is_a_plain_list(browser: Browser, site_server: Server,
                                                        checklists: list[tuple[str, str]]) -> None:
    context, _recorder = open_context(browser, site_server, java_script_enabled=False)
    page = context.new_page()
    path, checklist_id = checklists[0]
    page.goto(path)
    section = page.locator(f'[data-checklist="{checklist_id}"]')
    expect(section.locator("ul > li input[type=checkbox]")).to_have_count(len(data_items(ROOT, checklist_id)))
    expect(section.locator(".costhub-checklist__tools")).to_be_hidden()
    expect(section.locator("button")).to_have_count(2)
    assert section.locator("button:visible").count() == 0
    context.close()


def test_printing_keeps_checklists_and_drops_navigation_and_buttons(page: Page, checklists: list[tuple[str, str]]) -> None:
    path, checklist_id = checklists[0]
    page.goto(path)
    tick(page, checklist_id, [0])
    page.emulate_media(media="print")
    section = page.locator(f'[data-checklist="{checklist_id}"]')
    expect(section.locator("li").first).to_be_visible()
    assert section.locator("input").first.is_checked()
    for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-top"):
        expect(page.locator(hidden).first).to_be_hidden()
    assert page.locator("button:visible").count() == 0
    page.emulate_media(media="screen")
    expect(page.locator(".md-header")).to_be_visible()


def test_checklists_work_under_a_strict_content_security_policy(browser: Browser, site_build: Build,
                                                                 checklists: list[tuple[str, str]]) -> None:
    scripts = {script for path in site_build.site.rglob("*.html") for script in inline_scripts(path.read_text(encoding="utf-8"))}
    assert scripts and all(is_material_script(script) for script in scripts), "an inline script that is not Material's own"
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'" for script in sorted(scripts))
    path, checklist_id = checklists[0]
    with serve(site_build.site, {"Content-Security-Policy": f"script-src 'self' {hashes}"}) as server:
        context, recorder = open_context(browser, server)
        page = context.new_page()
        page.goto(path, wait_until="networkidle")
        tick(page, checklist_id, [0])
        page.reload(wait_until="networkidle")
        assert ticked_on_page(page, checklist_id) == [data_items(ROOT, checklist_id)[0][0]]
        assert recorder.errors == []
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.body.append(s); }")
        assert page.evaluate("() => window.inlineRan") is None
        context.close()
    assert any("Content Security Policy" in error for error in recorder.errors)
