"""The scheduled review workflow: it only calls `costhub review --format issues` and the sync script, which opens,
updates and closes issues through gh (a stand-in gh records the calls here)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
FAKE_GH = """#!/usr/bin/env python3
import json, os, sys
with open(os.environ["GH_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1:3] == ["issue", "list"]:
    print(os.environ["GH_OPEN"])
"""


def test_the_workflow_runs_weekly_and_only_calls_the_core_and_the_sync_script() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/review.yml").read_text())
    assert workflow[True]["schedule"][0]["cron"].endswith("* * 1")  # PyYAML reads the key `on` as True
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    runs = [step["run"] for step in workflow["jobs"]["remind"]["steps"] if "run" in step]
    assert "costhub review --due-within 30d --format issues > review-issues.json" in runs
    assert "python scripts/review_issues.py review-issues.json" in runs
    assert (ROOT / "scripts/review_issues.py").is_file()


def test_sync_creates_updates_and_closes_by_marker(tmp_path: Path) -> None:
    gh = tmp_path / "bin/gh"
    gh.parent.mkdir()
    gh.write_text(FAKE_GH)
    gh.chmod(0o755)
    entries = [
        {"owner": "a", "title": "Reviews due: A", "label": "review-due", "marker": "<!-- costhub-review:a -->",
         "state": "open", "body": "<!-- costhub-review:a -->\nnew"},
        {"owner": "b", "title": "Reviews due: B", "label": "review-due", "marker": "<!-- costhub-review:b -->",
         "state": "open", "body": "<!-- costhub-review:b -->\nupdated"},
        {"owner": "c", "title": "Reviews due: C", "label": "review-due", "marker": "<!-- costhub-review:c -->",
         "state": "closed", "body": "<!-- costhub-review:c -->\nnothing due"},
        {"owner": "d", "title": "Reviews due: D", "label": "review-due", "marker": "<!-- costhub-review:d -->",
         "state": "closed", "body": "<!-- costhub-review:d -->\nnothing due"},
    ]
    (tmp_path / "issues.json").write_text(json.dumps(entries))
    open_issues = [{"number": 7, "body": "<!-- costhub-review:b -->\nold"}, {"number": 9, "body": "<!-- costhub-review:c -->\nold"},
                   {"number": 3, "body": "someone else's issue"}]
    env = {**os.environ, "PATH": f"{gh.parent}{os.pathsep}{os.environ['PATH']}", "GH_LOG": str(tmp_path / "log"),
           "GH_OPEN": json.dumps(open_issues)}
    result = subprocess.run([sys.executable, str(ROOT / "scripts/review_issues.py"), str(tmp_path / "issues.json")],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["opened: Reviews due: A", "updated #7: Reviews due: B", "closed #9: Reviews due: C"]
    calls = [json.loads(line) for line in (tmp_path / "log").read_text().splitlines()]
    assert calls[2:] == [
        ["issue", "create", "--title", "Reviews due: A", "--label", "review-due", "--body", "<!-- costhub-review:a -->\nnew"],
        ["issue", "edit", "7", "--title", "Reviews due: B", "--body", "<!-- costhub-review:b -->\nupdated"],
        ["issue", "close", "9", "--comment", "<!-- costhub-review:c -->\nnothing due"],
    ]
    assert calls[1][:5] == ["issue", "list", "--label", "review-due", "--state"]
