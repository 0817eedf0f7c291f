"""espeak-ng, the offline speech synthesizer: its voices, and one utterance to a WAV file."""
from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from domain import languages
from workers.engines import processes

# espeak-ng names a few languages its own way.
_VOICE_ALIASES = {"zh": "cmn", "nb": "nb", "he": "he"}


def available() -> bool:
    return shutil.which("espeak-ng") is not None


@functools.lru_cache(maxsize=1)
def voices() -> frozenset[str]:
    """The language codes of the installed voices (`en`, `en-us`, `es`, `pt-br`, ...)."""
    if not available():
        return frozenset()
    out = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, timeout=20).stdout
    return frozenset(line.split()[1].lower() for line in out.splitlines()[1:] if len(line.split()) > 1)


def voice_for(code: str) -> str | None:
    base = code.split("-")[0].lower()
    return languages.spelling(code, voices()) or (_VOICE_ALIASES.get(base) if _VOICE_ALIASES.get(base) in voices() else None)


def synthesize(text: str, voice: str, out: Path, words_per_minute: int = 165) -> Path:
    """Speak `text` into a 22.05 kHz mono WAV; the text goes through stdin, never the command line."""
    argv = ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-w", str(out), "--stdin"]
    done = processes.run(argv, timeout=processes.limit(floor_s=120), input=text.encode())
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, argv, done.stdout, done.stderr)
    return out
