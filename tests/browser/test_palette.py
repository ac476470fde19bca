"""The header's colour toggle, run by palette.js in Chromium: the system preference picks the palette on a first
visit, a click or Enter switches it, the choice is kept for the next page, a change of system preference is
followed, and the theme's own palette component (which restyled every element several times per load) is gone."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from .conftest import Recorder, Server, open_context

pytestmark = pytest.mark.browser

# What the page shows of its palette: body's scheme, the toggles a reader can see, the kept choice.
STATE = """() => ({
  scheme: document.body.getAttribute('data-md-color-scheme'),
  visible: [...document.querySelectorAll('form[data-costhub-palette] label')].filter(label => !label.hidden && label.getClientRects().length).map(label => label.title),
  kept: window.__md_get('__palette'),
  themeComponent: document.querySelectorAll('[data-md-component=palette]').length,
})"""


# A page in a fresh context whose system prefers scheme ("light" or "dark").
def fresh_page(browser: Browser, server: Server, scheme: str) -> tuple[Page, Recorder, Any]:
    context, recorder = open_context(browser, server, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    return context.new_page(), recorder, context


@pytest.mark.parametrize(("system", "scheme", "toggle"), [("light", "default", "Switch to dark mode"),
                                                          ("dark", "slate", "Switch to light mode")])
def test_a_first_visit_takes_the_systems_preference(browser: Browser, site_server: Server, system: str, scheme: str,
                                                     toggle: str) -> None:
    page, recorder, context = fresh_page(browser, site_server, system)
    page.goto("/glossary/", wait_until="load")
    state = page.evaluate(STATE)
    assert (state["scheme"], state["visible"], state["themeComponent"]) == (scheme, [toggle], 0)
    assert state["kept"]["index"] == (0 if system == "light" else 1) and state["kept"]["color"]["scheme"] == scheme
    assert recorder.errors == []
    context.close()


def test_a_click_switches_and_the_next_page_opens_in_the_chosen_palette(browser: Browser, site_server: Server) -> None:
    page, recorder, context = fresh_page(browser, site_server, "light")
    page.goto("/glossary/", wait_until="load")
    page.locator("form[data-costhub-palette] label:visible").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    state = page.evaluate(STATE)
    assert state["visible"] == ["Switch to light mode"]
    assert state["kept"] == {"index": 1, "color": {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
                                                   "primary": "custom", "accent": "custom"}}
    page.goto("/calculator/", wait_until="domcontentloaded")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.wait_for_load_state("load")
    assert page.evaluate(STATE)["visible"] == ["Switch to light mode"]
    page.locator("form[data-costhub-palette] label:visible").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert page.evaluate(STATE)["kept"]["index"] == 0
    assert not page.evaluate("document.body.hasAttribute('data-md-color-switching')")
    assert recorder.errors == []
    context.close()


def test_enter_on_the_toggle_switches_palette(browser: Browser, site_server: Server) -> None:
    page, _recorder, context = fresh_page(browser, site_server, "dark")
    page.goto("/", wait_until="load")
    page.focus("#__palette_1")
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert page.evaluate("document.activeElement.id") == "__palette_0"
    context.close()


def test_a_change_of_system_preference_is_followed(browser: Browser, site_server: Server) -> None:
    page, _recorder, context = fresh_page(browser, site_server, "light")
    page.goto("/", wait_until="load")
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert page.evaluate(STATE)["visible"] == ["Switch to light mode"]
    context.close()
