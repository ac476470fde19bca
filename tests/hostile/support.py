"""Helpers for the hostile-input suite: fresh small copies of the project, in-process runs of the `costhub`
command with their output, a digest of content/ and data/ to prove nothing was rewritten, and line finders."""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from costhub import cli

PROJECT_PARTS = ("content", "data", "overrides", "mkdocs.yml")


@dataclass(frozen=True)
class Outcome:
    """What one run printed and returned."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass(frozen=True)
class Expect:
    """What a hostile case must produce: the exit code, strings (file:line and message) that must appear in the
    output, the command to run and the environment to run it in."""

    code: int
    shows: tuple[str, ...] = ()
    args: tuple[str, ...] = ("check",)
    env: dict[str, str] = field(default_factory=dict)


Case = Callable[[Path], Expect]
CASES: dict[str, Case] = {}


# Register a case under its function name (the case id pytest shows).
def case(function: Case) -> Case:
    CASES[function.__name__.removeprefix("case_")] = function
    return function


# Copy the parts of the project that `costhub check` reads from source into dest.
def copy_parts(source: Path, dest: Path) -> Path:
    for part in PROJECT_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, dest / part, symlinks=True)
        else:
            shutil.copy2(source / part, dest / part)
    return dest


# A digest of every name, link target and byte under the folders (links are not followed).
def tree_digest(root: Path, folders: tuple[str, ...] = ("content", "data")) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for current, dirs, files in sorted(os.walk(root / folder, followlinks=False)):
            dirs.sort()
            for name in sorted(dirs + files):
                path = Path(current) / name
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                if path.is_symlink():
                    digest.update(b"link:" + os.readlink(path).encode())
                elif path.is_file():
                    digest.update(path.read_bytes())
    return digest.hexdigest()


# Run `costhub --root project ARGS` in this process, capturing what it prints.
def run_cli(project: Path, args: tuple[str, ...]) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(["--root", str(project), *args])
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
    return Outcome(code, out.getvalue(), err.getvalue())


# The 1-based number of the first line of path that matches pattern (a regular expression).
def line_of(path: Path, pattern: str, after: int = 0) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if number > after and re.search(pattern, line):
            return number
    raise AssertionError(f"no line matching {pattern!r} in {path}")


# Replace the first match of pattern on the line that matches it; returns that line's number.
def replace_on_line(path: Path, pattern: str, new: str, after: int = 0) -> int:
    number = line_of(path, pattern, after)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = re.sub(pattern, lambda _match: new, lines[number - 1], count=1)
    path.write_text("".join(lines), encoding="utf-8")
    return number


# Append text to a file; returns the number of the first line added.
def append(path: Path, text: str) -> int:
    old = path.read_bytes()
    if old and not old.endswith(b"\n"):
        old += b"\n"
    path.write_bytes(old + text.encode("utf-8"))
    return old.count(b"\n") + 1


# Append raw bytes to a file; returns the number of the line they start on.
def append_bytes(path: Path, data: bytes) -> int:
    old = path.read_bytes()
    path.write_bytes(old + data)
    return old.count(b"\n") + 1
