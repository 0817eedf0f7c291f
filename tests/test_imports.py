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


# rest_compat speaks GraphQL; it reaches the domain only for error codes and, in the streaming download, for the
# files themselves. Every other module and every other domain import is refused.
REST_DOMAIN = {
    "*": {"domain.errors"},
    "rest_compat/downloads.py": {"domain.errors", "domain.storage.zips", "domain.clips", "domain.db"},
}


def domain_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]  # `from domain.storage import zips`
        found |= {name for name in names if name.split(".")[0] == "domain"}
    return found


def test_rest_compat_reaches_the_domain_only_for_error_codes_and_the_streaming_download():
    offenders = {}
    for path in (ROOT / "rest_compat").rglob("*.py"):
        name = str(path.relative_to(ROOT))
        allowed = REST_DOMAIN.get(name, REST_DOMAIN["*"])
        bad = {m for m in domain_imports(path) if not any(m == a or m.startswith(a + ".") for a in allowed)}
        if bad:
            offenders[name] = sorted(bad)
    assert offenders == {}


def test_the_checker_sees_a_violation(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import dramatiq\nfrom schema.roots import Query\nfrom .local import y\n")
    assert imported_roots(sample) == {"dramatiq", "schema"}
    sample.write_text("from domain import languages\nfrom domain.errors import ErrorCode\nimport domain.throttle\n")
    assert domain_imports(sample) == {"domain.languages", "domain.errors.ErrorCode", "domain.throttle"}


def test_every_module_says_what_it_owns():
    missing = [str(p.relative_to(ROOT)) for layer in FORBIDDEN for p in (ROOT / layer).rglob("*.py")
               if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text())) is None]
    assert missing == []


def test_a_resolver_module_lives_in_its_area():
    """resolvers/<area>/{queries,mutations,fields}.py; only the shared plumbing sits in resolvers/ itself."""
    shared = {"__init__.py", "context.py", "errors.py", "links.py", "payloads.py", "requests.py", "sockets.py"}
    assert sorted(p.name for p in (ROOT / "resolvers").glob("*.py") if p.name not in shared) == []


def test_each_area_owns_its_root_fields():
    """Query, Mutation and Subscription fields are declared in schema/<area>/roots.py and merged in schema/__init__."""
    assert not (ROOT / "schema" / "roots.py").exists()
    for path in (ROOT / "schema").rglob("*.py"):
        if path.name == "roots.py":
            continue
        classes = {node.name for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ClassDef)}
        assert not {name for name in classes if name.endswith(("Query", "Mutation", "Subscription"))}, path


@pytest.mark.parametrize("layer", ["schema", "resolvers", "rest_compat"])
def test_api_modules_stay_small(layer):
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / layer).rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 300}
    assert long == {}
