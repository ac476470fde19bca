"""Print the weight of the site's own JS and CSS as shipped (minified by the build; Material's not counted): bytes of
the source, bytes shipped and shipped gzipped at level 9, each file and the total per kind against its budget
(CSS 8 KB, JS 12 KB gzipped, a KB counted as 1,000 bytes to be safe)."""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from costhub.publish.minify import shipped_assets  # noqa: E402

ASSETS = ROOT / "overrides" / "assets"
BUDGETS = {".js": 12, ".css": 8}


# (shipped bytes, gzipped bytes) of one shipped text, compressed as `gzip -9` would.
def weigh(text: str) -> tuple[int, int]:
    data = text.encode("utf-8")
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))


# One line per asset, then a total per kind (JS, CSS).
def main() -> None:
    shipped = shipped_assets(ASSETS)
    for suffix, budget in BUDGETS.items():
        weights = {name: weigh(text) for name, text in shipped.items() if name.endswith(suffix)}
        for name, (raw, packed) in weights.items():
            source = (ASSETS / name).stat().st_size
            print(f"{name:<40} {raw:>7,} B raw {packed:>6,} B gzipped   (source {source:,} B)")
        raw_total = sum(raw for raw, _packed in weights.values())
        packed_total = sum(packed for _raw, packed in weights.values())
        verdict = "within" if packed_total <= budget * 1000 else "OVER"
        print(f"{'all own ' + suffix.lstrip('.').upper():<40} {raw_total:>7,} B raw {packed_total:>6,} B gzipped "
              f"({verdict} the {budget} KB budget)\n")


if __name__ == "__main__":
    main()
