"""The playbook's own JavaScript and CSS against its size budget.

Prints the gzipped size of every file under playbook/assets/ and the total of the
.js and .css files against the budget; exits with status 1 when over it.

    .venv/bin/python bench/asset_size.py
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "playbook" / "assets"
# Bytes, gzipped: all of the playbook's own JS and CSS together, the run-sheet, split
# scores, the planner and worksheet copies included (raised from 16 KiB for the last two).
BUDGET = 18 * 1024
COUNTED = {".js", ".css", ".mjs"}
# Level 6 is what common web servers and CDNs use; -9 would flatter the numbers.
LEVEL = 6


def gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=LEVEL, mtime=0))


def measure(assets: Path = ASSETS) -> tuple[list[tuple[str, int, int, bool]], int]:
    """(name, raw bytes, gzipped bytes, counted) for each file, and the counted total."""
    rows = []
    for path in sorted(p for p in assets.rglob("*") if p.is_file()):
        counted = path.suffix in COUNTED
        rows.append(
            (path.relative_to(assets).as_posix(), path.stat().st_size, gzipped_size(path), counted)
        )
    return rows, sum(gz for *_, gz, counted in rows if counted)


def main(argv: list[str] | None = None) -> int:
    assets = Path(argv[0]) if argv else ASSETS
    rows, total = measure(assets)
    width = max([len(name) for name, *_ in rows] + [5])
    print(f"{'file':<{width}}  {'bytes':>7}  {'gzipped':>7}")
    for name, raw, gz, counted in rows:
        note = "" if counted else "  (not JS or CSS: not counted)"
        print(f"{name:<{width}}  {raw:>7}  {gz:>7}{note}")
    verdict = "within" if total <= BUDGET else "OVER"
    print(
        f"{'total':<{width}}  {'':>7}  {total:>7}  "
        f"{verdict} the budget of {BUDGET} bytes ({total / BUDGET:.0%})"
    )
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
