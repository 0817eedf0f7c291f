"""The import direction of DESIGN.md, enforced: app -> rest_compat -> schema -> resolvers -> domain; workers -> domain."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"strawberry", "litestar", "dramatiq", "ffmpeg", "faster_whisper", "ctranslate2", "cv2", "torch",
         "onnxruntime", "uvicorn", "deep_translator"}
FORBIDDEN = {
    "domain": {"app", "rest_compat", "schema", "resolvers", "workers"} | HEAVY,
    "resolvers": {"app", "rest_compat", "schema", "workers", "dramatiq", "ffmpeg", "faster_whisper", "litestar"},
    "schema": {"app", "rest_compat", "workers", "dramatiq", "ffmpeg", "faster_whisper", "litestar"},
    "rest_compat": {"app", "workers", "dramatiq", "ffmpeg", "faster_whisper"},
    "workers": {"app", "rest_compat", "schema", "resolvers", "strawberry", "litestar"},
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_inward(layer):
    offenders = {}
    for path in (ROOT / layer).rglob("*.py"):
        bad = imported_roots(path) & FORBIDDEN[layer]
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_the_checker_sees_a_violation(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import dramatiq\nfrom schema.roots import Query\nfrom .local import y\n")
    assert imported_roots(sample) == {"dramatiq", "schema"}


def test_every_module_says_what_it_owns():
    missing = [str(p.relative_to(ROOT)) for layer in FORBIDDEN for p in (ROOT / layer).rglob("*.py")
               if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text())) is None]
    assert missing == []
