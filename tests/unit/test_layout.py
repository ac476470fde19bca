"""The core's layout: every module sits in a stage package, and a stage imports only from the stages above it."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "costhub"

# The stages in the order data flows; a module may import from its own stage or any stage before it.
STAGE_ORDER = ["errors", "markup", "data", "review", "calculator", "pages", "checks", "publish", "authoring", "cli"]
TOP_LEVEL_MODULES = {"__init__.py", "errors.py", "cli.py"}


# The stage a dotted module name inside costhub belongs to ("costhub.data.model" -> "data").
def _stage_of(dotted: str) -> str:
    return dotted.split(".")[1]


# The dotted name of a module file under costhub/.
def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Every costhub module the imports in a module's source name, as (line, absolute dotted name).
def _costhub_imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    package = module if is_package else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if "." in target else [f"{target}.{alias.name}" for alias in node.names]
            found += [(node.lineno, name) for name in names if name.startswith("costhub.")]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("costhub.")]
    return found


MODULES = sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def test_only_errors_cli_and_init_sit_directly_under_costhub() -> None:
    loose = {path.name for path in PACKAGE.glob("*.py")} - TOP_LEVEL_MODULES
    assert not loose, f"modules outside a stage package: {sorted(loose)}"


def test_every_stage_package_is_in_the_order_and_has_a_docstring() -> None:
    packages = sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py"))
    assert set(packages) <= set(STAGE_ORDER), f"stage packages missing from STAGE_ORDER: {packages}"
    for name in packages:
        docstring = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8")))
        assert docstring and "\n" not in docstring.strip(), f"costhub/{name}/__init__.py needs a one-line docstring"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_stage_imports_only_from_stages_above(path: Path) -> None:
    own = _stage_of(_module_name(path)) if path.parent != PACKAGE else path.stem
    if own == "__init__":
        return
    for line, imported in _costhub_imports(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py"):
        target = _stage_of(imported)
        assert target in STAGE_ORDER, f"{path.name}:{line} imports {imported}, which is in no stage"
        assert STAGE_ORDER.index(target) <= STAGE_ORDER.index(own), (
            f"{path.relative_to(PACKAGE)}:{line}: stage {own!r} imports {imported} from the later stage {target!r}")


def test_the_import_reader_resolves_relative_and_absolute_imports() -> None:
    source = "from ..pages.site import Site\nfrom .model import Record\nfrom costhub import cli\nimport costhub.checks.links\n"
    assert _costhub_imports(source, "costhub.data.load") == [
        (1, "costhub.pages.site"), (2, "costhub.data.model"), (3, "costhub.cli"), (4, "costhub.checks.links")]
    assert [_stage_of(name) for _, name in _costhub_imports(source, "costhub.data.load")] == ["pages", "data", "cli", "checks"]
