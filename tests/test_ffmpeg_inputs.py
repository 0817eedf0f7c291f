"""Every ffmpeg/ffprobe input in the app goes through workers/engines/formats.py, enforced on the source tree."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ["app.py", "domain", "resolvers", "rest_compat", "schema", "workers"]


def _sources():
    for entry in APP:
        path = ROOT / entry
        yield from ([path] if path.is_file() else sorted(path.rglob("*.py")))


def _is_formats(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == name and isinstance(node.value, ast.Name) \
        and node.value.id == "formats"


def _ffmpeg_call(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "ffmpeg" \
            and func.attr in {"input", "probe"}:
        return f"ffmpeg.{func.attr}"
    return None


def _own_lavfi(node: ast.Call) -> bool:
    """Our generated inputs (lavfi sources) name their format; they read no user file."""
    return any(k.arg in {"f", "format"} and isinstance(k.value, ast.Constant) and k.value.value == "lavfi"
               for k in node.keywords)


def _av_confined(node: ast.Call) -> bool:
    """PyAV reads user media only with the same lists, given to avformat_open_input (the in-process probe)."""
    return any(k.arg == "container_options" and _is_formats(k.value, "INPUT") for k in node.keywords)


def _av_writes(node: ast.Call) -> bool:
    """An output PyAV writes (a remuxed track) opens no input."""
    return any(k.arg == "mode" and isinstance(k.value, ast.Constant) and k.value.value == "w" for k in node.keywords)


def scan() -> tuple[list[str], int]:
    offenders, seen = [], 0
    for path in _sources():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(), where)):
            if isinstance(node, ast.Call) and _ffmpeg_call(node):
                seen += 1
                confined = any(k.arg is None and _is_formats(k.value, "INPUT") for k in node.keywords)
                if not (confined or _own_lavfi(node)):
                    offenders.append(f"{where}:{node.lineno} {_ffmpeg_call(node)} without **formats.INPUT")
            elif isinstance(node, (ast.List, ast.Tuple)) and node.elts and isinstance(node.elts[0], ast.Constant) \
                    and node.elts[0].value in {"ffmpeg", "ffprobe"}:
                seen += 1
                if not any(isinstance(e, ast.Starred) and _is_formats(e.value, "ARGV") for e in node.elts):
                    offenders.append(f"{where}:{node.lineno} {node.elts[0].value} command without *formats.ARGV")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "open" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "av":
                seen += 1
                if not (_av_confined(node) or _av_writes(node)):
                    offenders.append(f"{where}:{node.lineno} PyAV av.open without container_options=formats.INPUT")
    return offenders, seen


def test_every_ffmpeg_and_ffprobe_input_uses_the_one_format_list():
    offenders, seen = scan()
    assert seen >= 15, f"the scan found only {seen} ffmpeg inputs: has the code moved?"
    assert offenders == [], "\n".join(offenders)
