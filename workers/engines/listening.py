"""Speech to pieces: Whisper transcribes, the diarizer tells who spoke each; the model-language rules live here.

Two models: English goes to the English model (tiny.en: faster, and as good on English here); `auto` and every
other language go to the multilingual Whisper base, which detects the language itself."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from domain import languages
from workers.engines import diarizer, models, transcriber
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
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    # Whisper's own spelling: `nb-NO` -> `no`, `zh-CN` -> `zh`.
    return languages.spelling(requested, _LANGUAGE_CODES) or requested.split("-")[0].lower()


def wants_multilingual(config: WhisperConfig, requested: str | None) -> bool:
    """`auto` and languages other than English, when the main model is English-only and a multilingual one exists.

    No language means the deployment default, English (the documents' own fallback), on the main model."""
    if transcriber.is_multilingual(config) or not requested:
        return False
    return (requested == "auto" or requested.split("-")[0].lower() != "en") and models.available()


def route(config: WhisperConfig, requested: str | None, home: Path | None = None) -> tuple[WhisperConfig, str | None]:
    """The model for `requested` and the language it is told (None: it detects)."""
    if wants_multilingual(config, requested):
        config = config.multilingual(home)
    return config, model_language(config, requested)


def listen(audio: Path, language: str | None = None, options: Options = Options(),
           progress: Callable[[str, float], None] | None = None,
           config: WhisperConfig | None = None, home: Path | None = None) -> Heard:
    """Blocking (callers run it in a thread). `progress(stage, fraction)` reports "transcribing" then "diarizing".

    `home` is the DATA_DIR the multilingual model is joined into (default: the one the providers registered)."""
    config, told = route(config or WhisperConfig.from_env(), language, home)
    beam = options.beam_size or config.beam_size
    result = transcriber.transcribe(
        config, audio, language=told, beam_size=beam,
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
