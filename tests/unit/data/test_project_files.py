"""The files of a project folder as the load key reads them: regular files and links to files, sorted by their path
in the folder, links to folders not followed, and whether anything there is a link."""
from __future__ import annotations

import os
from pathlib import Path

from costhub.data.files import project_files


def test_files_are_listed_by_their_path_in_the_folder_sorted(tmp_path: Path) -> None:
    for name in ("b.md", "a/z.txt", "a/b/c.js", "a-b.md", ".hidden"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    # Sorted as text: "-" (0x2d) comes before "." (0x2e) and "/" (0x2f).
    assert project_files(tmp_path) == ([".hidden", "a-b.md", "a/b/c.js", "a/z.txt", "b.md"], False)


def test_links_to_files_count_links_to_folders_are_not_followed_and_either_is_noted(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real/page.md").write_text("x", encoding="utf-8")
    (tmp_path / "copy.md").symlink_to(tmp_path / "real/page.md")
    assert project_files(tmp_path) == (["copy.md", "real/page.md"], True)
    (tmp_path / "copy.md").unlink()
    (tmp_path / "folder").symlink_to(tmp_path / "real")
    assert project_files(tmp_path) == (["real/page.md"], True)
    (tmp_path / "real/deeper").mkdir()
    (tmp_path / "real/deeper/gone.md").symlink_to(tmp_path / "nowhere.md")
    assert project_files(tmp_path) == (["real/page.md"], True)


def test_links_in_a_loop_a_pipe_and_a_missing_folder_hold_no_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    (tmp_path / "b.md").symlink_to(tmp_path / "a.md")
    os.mkfifo(tmp_path / "pipe")
    assert project_files(tmp_path) == ([], True)
    assert project_files(tmp_path / "missing") == ([], False)
