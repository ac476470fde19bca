"""Validate data files (those given, or every data/*.yml) with check-jsonschema against their editor schemas, in one
process; exits 1 when any file is invalid."""
from __future__ import annotations

import sys
from pathlib import Path

from check_jsonschema import main as check_jsonschema

ROOT = Path(__file__).resolve().parent.parent


# check-jsonschema on one file against its kind's editor schema; returns its exit code.
def check(path: Path) -> int:
    schema = ROOT / "data/schemas/editor" / f"{path.stem}.schema.json"
    try:
        check_jsonschema.main(["--schemafile", str(schema), str(path)], prog_name="check-jsonschema")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    files = [Path(name) for name in sys.argv[1:]] or sorted((ROOT / "data").glob("*.yml"))
    sys.exit(1 if any([check(path) for path in files]) else 0)
