"""`costhub estimate ... | head`: a reader who closes the pipe early gets no traceback, and the command exits as a
Unix tool ended by SIGPIPE would (141)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("args", [("estimate", "video", "--json")])
def test_a_closed_pipe_ends_the_command_quietly(fresh: Path, args: tuple[str, ...]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes a byte
    try:
        result = subprocess.run([sys.executable, "-m", "costhub.cli", "--root", str(fresh), *args], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    assert result.returncode == 141
