"""The files publishers and editors' tools read: the GitHub Pages workflow, netlify.toml and the pre-commit hooks,
each parsed and each pointing at commands and paths that exist; the pre-commit hooks run as pre-commit would."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def test_the_site_workflow_tests_pull_requests_and_deploys_main_dated_by_the_commit() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text())
    triggers = workflow[True]  # PyYAML reads the key `on` as True
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert jobs["test"]["if"] == "github.event_name == 'pull_request'"
    assert [step["run"] for step in jobs["test"]["steps"] if "run" in step] == ["bash .ci/run"]
    build_runs = "\n".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert 'export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"\nbash scripts/build.sh' in build_runs
    assert ".venv/bin/properdocs build --strict -f mkdocs.yml" in build_runs
    uses = [step.get("uses", "").split("@")[0] for job in jobs.values() for step in job["steps"]]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages", "actions/configure-pages"} <= set(uses)
    upload = next(step for step in jobs["build"]["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    shots = next(step for step in jobs["test"]["steps"] if step.get("uses", "").startswith("actions/upload-artifact"))
    assert shots["if"] == "always()" and shots["with"]["path"] == "site-screenshots/"
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}
    for path in ("scripts/build.sh", ".ci/run"):
        assert (ROOT / path).is_file()


def test_netlify_builds_the_same_way_into_site() -> None:
    config = tomllib.loads((ROOT / "netlify.toml").read_text())
    assert config["build"]["publish"] == "site"
    assert config["build"]["command"] == "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) bash scripts/build.sh"


# The pre-commit hooks, each with its command split into words.
def hooks() -> list[dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"], "hooks must not download anything"
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_pre_commit_hooks_are_local_and_point_at_real_commands() -> None:
    found = {hook["id"]: hook for hook in hooks()}
    assert set(found) == {"costhub-check", "costhub-schemas", "check-jsonschema"}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    for hook in found.values():
        assert hook["language"] == "system"
        words = shlex.split(hook["entry"])
        if words[0] == ".venv/bin/python":
            assert (ROOT / words[1]).is_file(), hook["id"]
        else:
            assert words[0].startswith(".venv/bin/") and words[0].removeprefix(".venv/bin/") in scripts, hook["id"]
    matches = {hook_id: re.compile(hook["files"]) for hook_id, hook in found.items()}
    for path, wanted in (("data/pages.yml", {"costhub-check", "costhub-schemas", "check-jsonschema"}),
                         ("content/index.md", {"costhub-check"}), ("mkdocs.yml", {"costhub-check"}),
                         ("data/schemas/pages.schema.json", {"costhub-check", "costhub-schemas"}),
                         ("costhub/cli.py", set())):
        assert {hook_id for hook_id, pattern in matches.items() if pattern.search(path)} == wanted, path


def test_pre_commit_hooks_pass_on_the_project_as_pre_commit_runs_them() -> None:
    data_files = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "data").glob("*.yml"))
    for hook in hooks():
        command = shlex.split(hook["entry"]) + (data_files if hook.get("pass_filenames", True) else [])
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (hook["id"], result.stdout, result.stderr)


def test_the_check_jsonschema_hook_rejects_a_bad_data_file(tmp_path: Path) -> None:
    broken = tmp_path / "owners.yml"
    broken.write_text((ROOT / "data/owners.yml").read_text().replace("name: Pricing desk", "name: [Pricing, desk]"))
    result = subprocess.run([sys.executable, str(ROOT / "scripts/check_data_schemas.py"), str(broken)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "owners.yml" in result.stdout + result.stderr and "is not of type 'string'" in result.stdout + result.stderr
