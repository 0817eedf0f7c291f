"""Measures the tables against the documented routes: `python -m rest_compat.coverage` prints N/169 and what is missing."""
from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path

from rest_compat.dialects import DIALECTS

ROOT = Path(__file__).resolve().parent.parent
DIALECT_OF = {"mediacopilot": "mediacopilot", "ai-gateway": "ai_gateway", "mediapitch": "mediapitch",
              "editor": "editor", "metavision": "metavision"}


def _shape(path: str) -> str:
    return re.sub(r"{[^}]+}", "{}", path)


def documented(path: Path | None = None) -> list[tuple[str, str, str]]:
    # The product keeps its own copy of the documented routes: nothing it reads lives outside the repository.
    path = path or Path(os.environ.get("ROUTES_TSV") or ROOT / "rest_compat" / "routes.tsv")
    with open(path, newline="") as handle:
        return [(DIALECT_OF[row["api"]], row["method"], row["path"]) for row in csv.DictReader(handle, delimiter="\t")]


def served() -> set[tuple[str, str, str]]:
    return {(d.name, r.method, _shape(r.path)) for d in DIALECTS for r in d.routes if r.documented}


def report(path: Path | None = None) -> tuple[int, int, list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(served documented, documented, missing, served but undocumented)."""
    docs = documented(path)
    shapes = {(d, m, _shape(p)) for d, m, p in docs}
    mine = served()
    missing = [(d, m, p) for d, m, p in docs if (d, m, _shape(p)) not in mine]
    extra = sorted(mine - shapes)
    return len(docs) - len(missing), len(docs), missing, extra


def main() -> int:
    count, total, missing, extra = report()
    print(f"{count}/{total} documented routes served")
    by_dialect: dict[str, list] = {}
    for dialect, method, path in missing:
        by_dialect.setdefault(dialect, []).append(f"{method} {path}")
    for dialect, rows in by_dialect.items():
        print(f"\nmissing in {dialect} ({len(rows)}):")
        for row in rows:
            print(f"  {row}")
    if extra:
        print("\nserved but not in routes.tsv:")
        for row in extra:
            print(f"  {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
