"""`costhub new`: a new guide passes `costhub check` and the strict build at once, is listed in the nav and linked
from the hub; an existing id, an unknown owner, a missing value or an unwritable folder leave the tree unchanged."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from conftest import build

from costhub.authoring import edits
from costhub.checks.site_checks import check_site
from costhub.cli import main
from costhub.pages.site import Site

DAY = date(2026, 12, 1)  # the newest review day in data/, which conftest makes "today"


# Every file of the project's content/ and data/, by path, as bytes.
def snapshot(project: Path) -> dict[str, bytes]:
    return {path.relative_to(project).as_posix(): path.read_bytes()
            for folder in ("content", "data") for path in sorted((project / folder).rglob("*")) if path.is_file()}


# Run `costhub new ARGS` in-process (stdin is not a terminal under pytest); returns (exit code, stdout, stderr).
def new(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(project), "new", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_new_guide_passes_the_check_is_in_the_nav_and_linked_from_the_hub(project: Path, capsys) -> None:
    before = snapshot(project)
    code, out, _err = new(project, capsys, "guide", "video-upscaling-cost", "--title", "Video upscaling cost",
                          "--owner", "video-team")
    assert code == 0
    assert out.splitlines()[:4] == ["wrote content/video-upscaling-cost.md", "wrote data/pages.yml",
                                    "wrote data/checklists.yml", "wrote data/faqs.yml"]
    after = snapshot(project)
    for name in ("data/pages.yml", "data/checklists.yml", "data/faqs.yml"):
        assert after[name].startswith(before[name]), f"{name}: the existing text (comments included) must stay as it was"
    site = Site.load(project, DAY)
    entry = site.data.get("pages", "video-upscaling-cost")
    assert (entry.section, entry.owner, entry.last_reviewed, entry.title) == ("guides", "video-team", "2026-12-01",
                                                                              "Video upscaling cost")
    assert site.data.get("checklists", "video-upscaling-cost").page == "video-upscaling-cost"
    assert [faq.question for faq in site.data.all("faqs") if faq.page == "video-upscaling-cost"] == [
        "TODO: a question readers ask about this page?"]
    pages, errors = check_site(site)
    assert errors == []
    hub_targets = {link.target for link in pages["index"].links}
    assert "video-upscaling-cost/" in hub_targets
    guides = next(entry["Guides"] for entry in site.nav() if isinstance(entry, dict) and "Guides" in entry)
    assert {"Video upscaling cost": "video-upscaling-cost.md"} in guides
    assert main(["--root", str(project), "check"]) == 0
    assert "wrote data/schemas/editor/pages.schema.json" in out
    assert main(["--root", str(project), "schemas", "--check"]) == 0, "the editor schemas know the new page id"


def test_the_new_guide_passes_the_strict_build(project: Path, capsys) -> None:
    assert new(project, capsys, "guide", "video-upscaling-cost", "--title", "Video upscaling cost", "--owner", "video-team")[0] == 0
    result = build(project)
    assert result.returncode == 0, result.log
    hub = result.page()
    assert hub.select_one('a[href="video-upscaling-cost/"]') is not None
    guide = result.page("video-upscaling-cost/")
    assert guide.h1.get_text(strip=True).rstrip("¶") == "Video upscaling cost"
    assert guide.select_one('[data-checklist="video-upscaling-cost"]') is not None
    assert "TODO: a question readers ask about this page?" in guide.get_text()


def test_a_hostile_title_is_quoted_and_never_evaluated(project: Path, capsys) -> None:
    title = 'Costs: "fast" {{ site.name }} <b>#1</b> - [x]'
    assert new(project, capsys, "guide", "hostile-title", "--title", title, "--owner", "pricing-desk")[0] == 0
    site = Site.load(project, DAY)
    assert site.data.get("pages", "hostile-title").title == title
    assert check_site(site)[1] == []


def test_another_section_gets_no_guide_parts(project: Path, capsys) -> None:
    assert new(project, capsys, "guide", "rate-notes", "--title", "Rate notes", "--owner", "pricing-desk",
               "--section", "reference")[0] == 0
    text = (project / "content/rate-notes.md").read_text()
    assert "guide_intro" not in text and "related_guides" not in text
    site = Site.load(project, DAY)
    reference = next(entry["Reference"] for entry in site.nav() if isinstance(entry, dict) and "Reference" in entry)
    assert {"Rate notes": "rate-notes.md"} in reference
    assert check_site(site)[1] == []


@pytest.mark.parametrize(("args", "message"), [
    (("video-generation-webhooks", "--title", "Again", "--owner", "video-team"),
     "pages id 'video-generation-webhooks' already exists (data/pages.yml:"),
    (("upscaling", "--title", "Upscaling", "--owner", "video-tem"),
     "unknown owner 'video-tem' (did you mean 'video-team'?); owners: pricing-desk, video-team, voice-team"),
    (("Upscaling Cost", "--title", "Upscaling", "--owner", "video-team"), "'Upscaling Cost' is not an id"),
    (("upscaling", "--owner", "video-team"), "missing --title (Title)"),
    (("upscaling", "--title", "Upscaling", "--owner", "video-team", "--section", "hub"), "unknown section 'hub'"),
    (("hub-cost-review", "--title", "Clash", "--owner", "video-team"), "data/checklists.yml already has the id 'hub-cost-review'"),
])
def test_refusals_leave_the_tree_unchanged(project: Path, capsys, args: tuple[str, ...], message: str) -> None:
    before = snapshot(project)
    code, _out, err = new(project, capsys, "guide", *args)
    assert code == 2 and message in err and "nothing was written" in err
    assert snapshot(project) == before


def test_an_existing_content_file_is_refused(project: Path, capsys) -> None:
    (project / "content/draft.md").write_text("A draft.\n")
    before = snapshot(project)
    code, _out, err = new(project, capsys, "guide", "draft", "--title", "Draft", "--owner", "video-team")
    assert code == 2 and "content/draft.md already exists" in err
    assert snapshot(project) == before


def test_an_unwritable_folder_leaves_the_tree_unchanged(project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, which ignores permission bits, so data/ refuses writes through the function that stages them;
    # content/ is staged first, so its temporary file must be removed again.
    real = tempfile.mkstemp

    def refuse_data(*args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(kwargs["dir"]).name == "data":
            raise PermissionError(13, "Permission denied", str(kwargs["dir"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(edits.tempfile, "mkstemp", refuse_data)
    before = snapshot(project)
    code, _out, err = new(project, capsys, "guide", "upscaling", "--title", "Upscaling", "--owner", "video-team")
    assert code == 1 and "cannot write" in err and "nothing was written" in err
    assert snapshot(project) == before
    assert not [path for path in (project / "content").iterdir() if path.name.startswith(".")]


def test_a_read_only_folder_leaves_the_tree_unchanged(project: Path, capsys) -> None:
    data = project / "data"
    (project / "data").chmod(0o555)
    try:
        before = snapshot(project)
        code, _out, err = new(project, capsys, "guide", "upscaling", "--title", "Upscaling", "--owner", "video-team")
        after = snapshot(project)
    finally:
        data.chmod(0o755)
    # Root may write anyway; either way the tree is complete: all edits or none.
    assert (code, after == before) in ((1, True), (0, False))
    if code == 0:
        assert {"content/upscaling.md"} <= set(after) and after["data/faqs.yml"] != before["data/faqs.yml"]
    else:
        assert "nothing was written" in err


def test_a_new_provider_fact_is_a_policy_record_dated_today_and_passes_the_check(project: Path, capsys) -> None:
    before = snapshot(project)
    code, out, _err = new(project, capsys, "provider-fact", "example-batch", "--provider", "Example AI",
                          "--product", "Batch API", "--media", "video, image", "--topic", "failed", "--value", "refunded",
                          "--fact", "Its docs say failed batch jobs: credits come back.",
                          "--source", "https://example.org/pricing", "--source-title", "Example pricing",
                          "--owner", "pricing-desk")
    assert code == 0 and out.startswith("wrote data/policies.yml\n")
    assert snapshot(project)["data/policies.yml"].startswith(before["data/policies.yml"])
    site = Site.load(project, DAY)
    policy = site.data.get("policies", "example-batch")
    fact = policy.facts["failed"]
    assert (policy.media, policy.last_reviewed, fact.value, fact.observed, fact.evidence, fact.note) == (
        ("video", "image"), "2026-12-01", "refunded", "2026-12-01", "provider",
        "Its docs say failed batch jobs: credits come back.")
    assert fact.detail is None
    assert check_site(site)[1] == []


def test_a_provider_fact_that_would_fail_the_check_is_not_written(project: Path, capsys) -> None:
    before = snapshot(project)
    code, _out, err = new(project, capsys, "provider-fact", "bad-fact", "--provider", "Example AI", "--product", "API",
                          "--media", "hologram", "--topic", "failed", "--value", "maybe", "--fact", "A fact.",
                          "--source", "http://example.org/", "--source-title", "Example", "--owner", "pricing-desk")
    assert code == 1
    assert "policies[" in err and "'hologram' is not one of: image, video, voice" in err
    assert "'maybe' is not one of: billed, not-billed, refunded, partly-billed, not-stated" in err
    assert "does not match" in err and "nothing was written" in err
    assert snapshot(project) == before


# A price point's required fields as the price catalog's schema names them.
PRICE_FLAGS = ("--provider", "Example Video", "--model", "ex-video-1", "--name", "Example Video 1", "--media", "video",
               "--mode", "text-to-video", "--variant", "720p", "--unit", "second", "--per", "1", "--amount", "0.10",
               "--currency", "USD", "--source", "https://example.org/pricing", "--source-title", "Example pricing",
               "--evidence", "provider", "--owner", "video-team")
MINIMAL_PRICES_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "additionalProperties": False,
    "required": ["prices"], "properties": {"prices": {"type": "array", "items": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "provider", "model", "name", "media", "mode", "variant", "unit", "per", "amount", "currency",
                     "observed", "source", "source_title", "evidence", "last_reviewed", "review_in", "owner"],
        "properties": {**{name: {"type": "string"} for name in ("id", "provider", "model", "name", "variant", "amount",
                                                                "source", "source_title", "review_in")},
                       "media": {"enum": ["video", "image", "voice"]}, "mode": {"type": "string"},
                       "unit": {"type": "string", "x-ref": "units"}, "per": {"type": "number"},
                       "currency": {"enum": ["USD", "credits"]}, "evidence": {"enum": ["provider", "secondary"]},
                       "observed": {"type": "string", "format": "date"},
                       "last_reviewed": {"type": "string", "format": "date"},
                       "owner": {"type": "string", "x-ref": "owners"}}}}}}


def test_a_new_price_is_dated_today_and_passes_the_check(project: Path, capsys) -> None:
    if not (project / "data/schemas/prices.schema.json").exists():  # the price catalog's own schema when it has one
        import json
        (project / "data/schemas/prices.schema.json").write_text(json.dumps(MINIMAL_PRICES_SCHEMA))
        (project / "data/prices.yml").write_text("prices: []\n")
    before = snapshot(project)
    code, out, err = new(project, capsys, "price", "example-video-720p", *PRICE_FLAGS)
    assert code == 0, err
    assert out.startswith("wrote data/prices.yml\n")
    after = snapshot(project)["data/prices.yml"].decode()
    kept = [line for line in before["data/prices.yml"].decode().splitlines() if line != "prices: []"]
    assert after.splitlines()[:len(kept)] == kept, "the file's existing lines and comments stay as they were"
    site = Site.load(project, DAY)
    price = site.data.get("prices", "example-video-720p")
    assert (price.amount, price.per, price.unit, price.observed, price.last_reviewed, price.owner) == (
        "0.10", 1, "second", DAY.isoformat(), DAY.isoformat(), "video-team")
    assert check_site(site)[1] == []


def test_a_price_with_a_number_that_is_not_one_is_refused(project: Path, capsys) -> None:
    if not (project / "data/schemas/prices.schema.json").exists():
        import json
        (project / "data/schemas/prices.schema.json").write_text(json.dumps(MINIMAL_PRICES_SCHEMA))
        (project / "data/prices.yml").write_text("prices: []\n")
    before = snapshot(project)
    flags = list(PRICE_FLAGS)
    flags[flags.index("--per") + 1] = "one"
    code, _out, err = new(project, capsys, "price", "example-video-720p", *flags)
    assert code == 2 and "--per 'one' is not a number" in err and "nothing was written" in err
    assert snapshot(project) == before
