"""`costhub check` keeps its last result: unchanged files print it again without loading; any edit of what the check
reads, a damaged result file or the switch means a real check; release and external checks are never kept."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from costhub import cli
from costhub.checks.check_cache import CHECK_FILE
from costhub.pages import site as site_module
from costhub.pages.site import Site
from costhub.pages.snapshot import CACHE_SWITCH

OK_LINE = "ok: "


# Run `costhub check` in this process as a new process would (nothing loaded yet); returns (code, stdout, stderr).
def check(project: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str, str]:
    site_module._LAST_LOAD.clear()
    code = cli.main(["--root", str(project), "check", *flags])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    roots: list[Path] = []
    original = Site.load.__func__

    def counting(cls: type[Site], root: Path, today=None) -> Site:  # type: ignore[no-untyped-def]
        roots.append(root)
        return original(cls, root, today)

    monkeypatch.setattr(Site, "load", classmethod(counting))
    return roots


def test_unchanged_files_print_the_kept_result_without_loading(project: Path, capsys: pytest.CaptureFixture[str],
                                                               loads: list[Path]) -> None:
    first = check(project, capsys)
    assert first[0] == 0 and first[1].startswith(OK_LINE) and len(loads) == 1
    assert check(project, capsys) == first and len(loads) == 1


@pytest.mark.parametrize("relative", ["content/glossary.md", "data/faqs.yml", "overrides/macros/cta.html", "mkdocs.yml"])
def test_an_edit_of_what_the_check_reads_checks_again(project: Path, capsys: pytest.CaptureFixture[str],
                                                      loads: list[Path], relative: str) -> None:
    check(project, capsys)
    path = project / relative
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, out, _err = check(project, capsys)
    assert code == 0 and out.startswith(OK_LINE) and len(loads) == 2


def test_a_new_error_is_reported_then_kept_and_the_fix_is_ok_again(project: Path, capsys: pytest.CaptureFixture[str],
                                                                    loads: list[Path]) -> None:
    check(project, capsys)
    page = project / "content" / "glossary.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(good + "\n{{ no_such_macro() }}\n", encoding="utf-8")
    line = len((good + "\n").splitlines()) + 1
    broken = check(project, capsys)
    assert broken[0] == 1 and f"content/glossary.md:{line}" in broken[2] and "no_such_macro" in broken[2]
    assert check(project, capsys) == broken and len(loads) == 2
    page.write_text(good, encoding="utf-8")
    assert check(project, capsys)[0] == 0 and len(loads) == 3


def test_another_review_day_checks_again(project: Path, capsys: pytest.CaptureFixture[str], loads: list[Path],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    check(project, capsys)
    epoch = int(os.environ["SOURCE_DATE_EPOCH"]) + 86400
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    check(project, capsys)
    assert len(loads) == 2


@pytest.mark.parametrize("damage", ["", "{", "[]", '{"key": 1}', '{"key": "x", "lines": 3, "code": 0}',
                                    '{"lines": [["stdout", "ok: forged"]], "code": 0}'])
def test_a_damaged_result_file_means_a_real_check(project: Path, capsys: pytest.CaptureFixture[str],
                                                  loads: list[Path], damage: str) -> None:
    first = check(project, capsys)
    (project / CHECK_FILE).write_text(damage, encoding="utf-8")
    assert check(project, capsys) == first and len(loads) == 2


def test_a_result_kept_for_other_files_is_not_printed(project: Path, capsys: pytest.CaptureFixture[str],
                                                      loads: list[Path]) -> None:
    check(project, capsys)
    stored = json.loads((project / CHECK_FILE).read_text(encoding="utf-8"))
    stored["key"] = "0" * 64
    stored["lines"] = [["stdout", "ok: forged"]]
    (project / CHECK_FILE).write_text(json.dumps(stored), encoding="utf-8")
    code, out, _err = check(project, capsys)
    assert code == 0 and "forged" not in out and len(loads) == 2


def test_release_checks_are_never_kept(project: Path, capsys: pytest.CaptureFixture[str], loads: list[Path]) -> None:
    check(project, capsys, "--release")
    check(project, capsys, "--release")
    assert len(loads) == 2 and not (project / CHECK_FILE).exists()


def test_the_switch_turns_the_kept_result_off(project: Path, capsys: pytest.CaptureFixture[str], loads: list[Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_SWITCH, "off")
    check(project, capsys)
    check(project, capsys)
    assert len(loads) == 2 and not (project / CHECK_FILE).exists()


def test_a_page_linking_to_a_device_is_refused_before_anything_is_read(project: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (project / "content" / "endless.md").symlink_to("/dev/zero")
    code, _out, err = check(project, capsys)
    assert code == 1 and "content/endless.md" in err
    assert not (project / CHECK_FILE).exists()  # a refusal is not kept: the link is checked every time
