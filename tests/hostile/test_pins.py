"""Dependency floors that keep known sandbox escapes out: Jinja 3.1.6 fixes CVE-2024-56326, CVE-2024-56201 (3.1.5)
and CVE-2025-27516 (the |attr filter); the installed versions honour every floor pyproject.toml sets."""
from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

from conftest import ROOT

# The lowest release of each dependency without a known security fix missing, as (major, minor, patch).
SAFE_FLOORS = {"jinja2": (3, 1, 6), "pyyaml": (6, 0, 1), "markdown": (3, 6), "mkdocs": (1, 6, 1)}


# The >= floor a requirement string sets, as a tuple of ints.
def floor(requirement: str) -> tuple[int, ...]:
    match = re.search(r">=\s*([0-9.]+)", requirement)
    assert match, requirement
    return tuple(int(part) for part in match.group(1).split("."))


def test_pins_are_at_or_above_the_safe_floors() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = {re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower(): requirement for requirement in dependencies}
    for name, safe in SAFE_FLOORS.items():
        assert floor(pins[name]) >= safe, pins[name]
        installed = tuple(int(part) for part in re.findall(r"\d+", version(name))[:3])
        assert installed >= safe, (name, version(name))
