"""The benches' results file and the README tables made from it (between `<!-- bench:NAME -->` markers)."""
from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"  # tracked: the README tables are made from it
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- bench:(?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /bench:(?P=name) -->)", re.S)


def load() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def record(name: str, tables: list[dict], load_before: tuple, load_after: tuple) -> None:
    """Keep this run's tables for `name`, replacing that bench's earlier ones (others keep theirs)."""
    results = load()
    results[name] = {"measured": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     "cores": os.cpu_count(), "load_before": [round(x, 1) for x in load_before],
                     "load_after": [round(x, 1) for x in load_after], "tables": tables}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))


def markdown(entry: dict) -> str:
    parts = []
    for table in entry["tables"]:
        header, *rows = table["rows"]
        lines = [f"*{table['title']}*", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        parts.append("\n".join(lines))
    when = entry["measured"].replace("T", " ").replace("+00:00", " UTC")
    parts.append(f"<sub>`python -m bench` on {when}, {entry['cores']} cores, load average "
                 f"{entry['load_before'][0]} before and {entry['load_after'][0]} after.</sub>")
    return "\n\n".join(parts) + "\n"


def update_readme(path: Path = README) -> list[str]:
    """Rewrite every marked block whose bench has results; returns the names of blocks left as they were."""
    results, untouched = load(), []

    def fill(match: re.Match) -> str:
        entry = results.get(match["name"])
        if entry is None:
            untouched.append(match["name"])
            return match.group(0)
        return f"{match.group(1)}{markdown(entry)}{match.group(4)}"

    text = path.read_text()
    path.write_text(BLOCK.sub(fill, text))
    return untouched
