"""Speech to pieces: Whisper transcribes, the diarizer tells who spoke each; the model-language rule lives here."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workers.engines import diarizer, transcriber
from workers.engines.transcriber import Piece, WhisperConfig


@dataclass(frozen=True)
class Options:
    beam_size: int | None = None  # None: the configured beam (WHISPER_BEAM_SIZE)
    word_timestamps: bool = False
    hotwords: str | None = None
    initial_prompt: str | None = None
    diarize: bool = False
    min_speakers: int | None = None
    max_speakers: int | None = None


@dataclass
class Heard:
    """What was said: pieces in time order, each with its speaker (0 speaks first; None when not diarized)."""

    language: str  # the model's: detected, or the one it was told
    language_probability: float
    duration_ms: int
    pieces: list[Piece]
    model: str  # the model's display name with the beam, as transcripts record it
    diarized: bool

    @property
    def speakers(self) -> list[int | None]:
        return [p.speaker for p in self.pieces]


def model_language(config: WhisperConfig, requested: str | None) -> str | None:
    """English-only models are told "en"; None or "auto" lets a multilingual model detect; "xx-YY" becomes "xx"."""
    if not transcriber.is_multilingual(config):
        return "en"
    if not requested or requested == "auto":
        return None
    return requested.split("-")[0]


def listen(audio: Path, language: str | None = None, options: Options = Options(),
           progress: Callable[[str, float], None] | None = None,
           config: WhisperConfig | None = None) -> Heard:
    """Blocking (callers run it in a thread). `progress(stage, fraction)` reports "transcribing" then "diarizing"."""
    config = config or WhisperConfig.from_env()
    beam = options.beam_size or config.beam_size
    result = transcriber.transcribe(
        config, audio, language=model_language(config, language), beam_size=beam,
        word_timestamps=options.word_timestamps, hotwords=options.hotwords, initial_prompt=options.initial_prompt,
        on_progress=(lambda fraction: progress("transcribing", fraction)) if progress else None)
    if options.diarize:
        if progress:
            progress("diarizing", 0.0)
        found = diarizer.diarize(audio, [(p.start_ms, p.end_ms) for p in result.pieces],
                                 options.min_speakers, options.max_speakers)
        for piece, speaker in zip(result.pieces, found):
            piece.speaker = speaker
    return Heard(result.language, result.language_probability, result.duration_ms, result.pieces,
                 f"{config.name} (beam {beam})", options.diarize)
