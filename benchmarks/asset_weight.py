"""Print the weight of the site's own JS and CSS (Material's not counted): bytes raw and gzipped at level 9, each
file and the total per kind against its budget (CSS 8 KB, JS 12 KB gzipped)."""
from __future__ import annotations

import gzip
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "overrides" / "assets"
BUDGETS = {".js": 12 * 1024, ".css": 8 * 1024}


# (raw bytes, gzipped bytes) of one file, compressed as `gzip -9` would.
def weigh(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))


# One line per asset, then a total per kind (JS, CSS).
def main() -> None:
    for suffix in (".js", ".css"):
        files = sorted(path for path in ASSETS.rglob(f"*{suffix}"))
        weights = {path: weigh(path) for path in files}
        for path, (raw, packed) in weights.items():
            print(f"{path.relative_to(ASSETS).as_posix():<40} {raw:>7,} B raw {packed:>6,} B gzipped")
        raw_total = sum(raw for raw, _packed in weights.values())
        packed_total = sum(packed for _raw, packed in weights.values())
        verdict = "within" if packed_total <= BUDGETS[suffix] else "OVER"
        print(f"{'all own ' + suffix.lstrip('.').upper():<40} {raw_total:>7,} B raw {packed_total:>6,} B gzipped "
              f"({verdict} the {BUDGETS[suffix] // 1024} KB budget)\n")


if __name__ == "__main__":
    main()
