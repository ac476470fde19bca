"""Guide prose: enough real words outside the data blocks, links to the hub and between guides, correct arithmetic."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from costhub.data.load import load_site_data
from costhub.markup.markdown_source import count_words, split_front_matter

ROOT = Path(__file__).resolve().parents[3]
MIN_PROSE_WORDS = 700
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")

DATA = load_site_data(ROOT / "data", ROOT)
GUIDES = [page.id for page in DATA.all("pages") if page.section == "guides"]


# The page's Markdown body without front matter and without macro calls or template tags.
def prose_of(page_id: str) -> str:
    _meta, body, _offset = split_front_matter((ROOT / "content" / f"{page_id}.md").read_text(encoding="utf-8"))
    return _TEMPLATE_CODE.sub(" ", body)


# Words a reader reads in the prose: link targets are not words.
def prose_words(page_id: str) -> int:
    return count_words(_LINK_TARGET.sub("]", prose_of(page_id)))


# The page ids the prose links to with Markdown links such as [text](other-page.md#anchor).
def linked_pages(page_id: str) -> set[str]:
    targets = (target.split("#", 1)[0] for target in _LINK_TARGET.findall(prose_of(page_id)))
    return {target.removesuffix(".md") for target in targets if target.endswith(".md")}


def test_there_are_six_guides() -> None:
    assert len(GUIDES) == 6


@pytest.mark.parametrize("page_id", GUIDES)
def test_guide_has_enough_prose_outside_data_blocks(page_id: str) -> None:
    words = prose_words(page_id)
    assert words >= MIN_PROSE_WORDS, f"content/{page_id}.md has {words} words of prose, needs {MIN_PROSE_WORDS}"


def test_prose_count_ignores_macros_and_link_targets() -> None:
    sample = "{{ faqs() }}\n\nRead the [hub](index.md#why) first.\n\n{% if x %}skip{% endif %}\n"
    assert count_words(_LINK_TARGET.sub("]", _TEMPLATE_CODE.sub(" ", sample))) == 5


@pytest.mark.parametrize("page_id", GUIDES)
def test_guide_prose_links_to_hub_and_two_other_guides(page_id: str) -> None:
    links = linked_pages(page_id)
    assert "index" in links, f"content/{page_id}.md never links back to the hub in its prose"
    other_guides = links & set(GUIDES) - {page_id}
    assert len(other_guides) >= 2, f"content/{page_id}.md links to only {sorted(other_guides)} among the guides"


@pytest.mark.parametrize("page_id", GUIDES)
def test_guide_lists_two_related_guides(page_id: str) -> None:
    related = DATA.get("pages", page_id).related
    assert page_id not in related
    assert len(set(related) & set(GUIDES)) >= 2


def test_every_prose_link_names_a_catalog_page() -> None:
    known = set(DATA.ids("pages"))
    for page in DATA.all("pages"):
        assert linked_pages(page.id) <= known, f"content/{page.id}.md links to a page outside the catalog"


# Expected billed attempts per piece of work with failure rate p and up to r retries.
def expected_attempts(p: float, retries: int) -> float:
    return sum(p ** attempt for attempt in range(retries + 1))


def test_failed_video_worked_example_matches_its_arithmetic() -> None:
    prose = prose_of("failed-video-generation-cost")
    attempts = expected_attempts(0.05, 2)
    delivered = 1 - 0.05 ** 3
    assert attempts == pytest.approx(1.0525)
    assert "1.0525" in prose and "0.999875" in prose
    # 1,000 clips wanted: 1,000 / D jobs to submit, each paying A attempts at $0.80.
    assert f"{1000 / delivered:,.1f} jobs" in prose
    assert f"${1000 / delivered * attempts * 8 * 0.10:,.2f}" in prose
    assert f"${1000 / delivered * attempts * 0.80 / 1000:.3f}" in prose
    bad_day, bad_share = expected_attempts(0.3, 2), 1 - 0.3 ** 3
    assert f"{1000 / bad_share:,.1f} jobs" in prose
    assert f"${1000 / bad_share * bad_day * 0.80:,.2f}" in prose
    assert f"${1000 / bad_share * bad_day * 0.80 / 1000:.2f}" in prose
