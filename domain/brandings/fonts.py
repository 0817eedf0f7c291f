"""Font families installed on this machine, as fontconfig lists them (libass finds fonts through fontconfig)."""
from __future__ import annotations

import functools
import shutil
import subprocess


@functools.lru_cache(maxsize=1)
def installed_families() -> dict[str, str]:
    """Lower-cased family name -> the family as fontconfig spells it."""
    if shutil.which("fc-list") is None:
        return {}
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    families: dict[str, str] = {}
    for line in listed.splitlines():
        for name in line.split(","):  # a font may carry several family names ("DejaVu Sans,DejaVu Sans Light")
            name = name.strip()
            if name:
                families.setdefault(name.lower(), name)
    return families


def resolve(family: str) -> str | None:
    return installed_families().get((family or "").strip().lower())


def known(limit: int = 8) -> list[str]:
    return sorted(set(installed_families().values()))[:limit]
