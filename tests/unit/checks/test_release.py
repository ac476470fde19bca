"""One source for the site URL (a disagreeing site_url in mkdocs.yml is an error) and `costhub check --release` on
placeholders that must not ship."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import build

from costhub.cli import main
from costhub.pages.site import Site
from costhub.publish.structured_data import page_json_ld

DAY = date(2026, 12, 1)


# Run `costhub check [ARGS]` in-process; returns (exit code, stdout, stderr lines).
def check(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, list[str]]:
    code = main(["--root", str(project), "check", *args])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


# Replace the starter data's reserved example domain with a real-looking one.
def publish_for_real(project: Path) -> None:
    for name in ("site.yml", "owners.yml"):
        path = project / "data" / name
        path.write_text(path.read_text().replace("media-api-cost-hub.example", "costs.mediahub.io"))


def test_a_disagreeing_site_url_in_mkdocs_yml_is_an_error(project: Path, capsys) -> None:
    config = project / "mkdocs.yml"
    lines = config.read_text().splitlines(keepends=True)
    config.write_text("".join(lines[:3]) + "site_url: https://elsewhere.io/docs/\n" + "".join(lines[3:]))
    code, _out, err = check(project, capsys)
    assert code == 1
    assert ("mkdocs.yml:4:1: site_url: 'https://elsewhere.io/docs/' disagrees with site.url "
            "'https://media-api-cost-hub.example/' in data/site.yml (the site's address comes from data/site.yml "
            "only: remove site_url from mkdocs.yml)") in err
    result = build(project)
    assert result.returncode != 0 and "mkdocs.yml:4:1: site_url: 'https://elsewhere.io/docs/' disagrees" in result.log
    assert "Traceback" not in result.log


@pytest.mark.parametrize("written", ["https://media-api-cost-hub.example/", "https://media-api-cost-hub.example"])
def test_an_agreeing_site_url_is_fine(project: Path, capsys, written: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(f"site_url: {written}\n" + config.read_text())
    assert check(project, capsys)[0] == 0


def test_publisher_url_defaults_to_the_site_url_and_can_be_set(project: Path) -> None:
    site = Site.load(project, DAY)
    article = next(item for item in page_json_ld(site.data, site.data.get("pages", "glossary"), ()) if "publisher" in item)
    assert article["publisher"]["url"] == "https://media-api-cost-hub.example/"
    settings = project / "data/site.yml"
    settings.write_text(settings.read_text().replace("    name: Media API Cost Hub\n", "    name: Media API Cost Hub\n"
                                                     "    url: https://publisher.io/\n"))
    site = Site.load(project, DAY)
    article = next(item for item in page_json_ld(site.data, site.data.get("pages", "glossary"), ()) if "publisher" in item)
    assert article["publisher"]["url"] == "https://publisher.io/"


def test_release_fails_on_the_starter_placeholders(project: Path, capsys) -> None:
    assert check(project, capsys)[0] == 0
    code, _out, err = check(project, capsys, "--release")
    assert code == 1
    assert err == [
        "data/owners.yml:5:14: placeholder e-mail 'pricing-desk@media-api-cost-hub.example' (owner contacts are "
        "published in review.json: put a real address here)",
        "data/owners.yml:8:14: placeholder e-mail 'video-team@media-api-cost-hub.example' (owner contacts are "
        "published in review.json: put a real address here)",
        "data/owners.yml:11:14: placeholder e-mail 'voice-team@media-api-cost-hub.example' (owner contacts are "
        "published in review.json: put a real address here)",
        "data/site.yml:9:16: placeholder address 'media-api-cost-hub.example' (a reserved example domain must not "
        "ship: put the real address here)",
        "4 content error(s) found",
    ]


def test_release_passes_with_real_addresses_and_ignores_code_and_comments(project: Path, capsys) -> None:
    publish_for_real(project)
    glossary = project / "content/glossary.md"
    glossary.write_text(glossary.read_text() + "\n```bash\ncurl https://api.example.com/jobs  # TODO: not flagged\n```\n")
    owners = project / "data/owners.yml"
    owners.write_text(owners.read_text() + "# e.g. contact: someone@team.example\n")
    code, out, err = check(project, capsys, "--release")
    assert code == 0, err
    assert out.startswith("ok: ")


def test_release_fails_on_todo_texts_that_costhub_new_leaves(project: Path, capsys) -> None:
    publish_for_real(project)
    assert main(["--root", str(project), "new", "guide", "upscaling", "--title", "Upscaling", "--owner", "video-team"]) == 0
    capsys.readouterr()
    assert check(project, capsys)[0] == 0
    code, _out, err = check(project, capsys, "--release")
    files = sorted({line.split(":")[0] for line in err[:-1]})
    assert code == 1 and files == ["content/upscaling.md", "data/checklists.yml", "data/faqs.yml", "data/pages.yml"]
    assert err[-1] == "10 content error(s) found"  # page 1, catalog 5 (summary, audience, 3 steps), checklist 2, FAQ 2
    assert "content/upscaling.md:3:1: placeholder text \"TODO: replace this paragraph" in "\n".join(err)
