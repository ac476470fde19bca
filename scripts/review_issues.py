"""Open, update or close one GitHub issue per owner from `costhub review --format issues` output, with the gh CLI.
Each issue is found again by the marker comment its body starts with, among open issues with the label."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


# Run gh with arguments; returns its standard output.
def gh(*args: str) -> str:
    return subprocess.run(["gh", *args], check=True, capture_output=True, text=True).stdout


# The number of the open issue whose body carries the marker, or None.
def find_issue(issues: list[dict[str, Any]], marker: str) -> int | None:
    return next((issue["number"] for issue in issues if marker in (issue.get("body") or "")), None)


# Bring the issues in line with the entries: create or edit those with something due, close the rest.
def sync(entries: list[dict[str, Any]]) -> list[str]:
    done: list[str] = []
    labels = sorted({entry["label"] for entry in entries})
    for label in labels:
        subprocess.run(["gh", "label", "create", label, "--color", "FBCA04", "--description", "Reviews coming due"],
                       capture_output=True, text=True)
    open_issues = {label: json.loads(gh("issue", "list", "--label", label, "--state", "open", "--limit", "200",
                                        "--json", "number,body")) for label in labels}
    for entry in entries:
        number = find_issue(open_issues[entry["label"]], entry["marker"])
        if entry["state"] == "open" and number is None:
            gh("issue", "create", "--title", entry["title"], "--label", entry["label"], "--body", entry["body"])
            done.append(f"opened: {entry['title']}")
        elif entry["state"] == "open":
            gh("issue", "edit", str(number), "--title", entry["title"], "--body", entry["body"])
            done.append(f"updated #{number}: {entry['title']}")
        elif number is not None:
            gh("issue", "close", str(number), "--comment", entry["body"])
            done.append(f"closed #{number}: {entry['title']}")
    return done


if __name__ == "__main__":
    print("\n".join(sync(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))) or "nothing to change")
