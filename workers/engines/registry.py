"""Registers what is really installed and configured (local engines, translation and model providers)."""
from __future__ import annotations

from pathlib import Path

from domain.providers.registry import ProviderRegistry
from workers.engines import media, models, speech, transcriber, translators
from workers.engines.analysis import moderation

LOCAL = "Local (offline)"
# Public endpoints that need no key (deep-translator's Google and MyMemory): listed, but tried last.
KEYLESS = frozenset({"google", "mymemory"})


def register_local(registry: ProviderRegistry, settings=None) -> ProviderRegistry:
    if media.available():
        registry.register("local", LOCAL, "media", ["probe", "thumbnail", "waveform"])
        config = transcriber.WhisperConfig.from_env()
        if Path(config.model).is_dir():
            if settings is not None:
                models.use_data_dir(settings.data_dir)  # where the multilingual model is joined on first use
            spoken = _transcription_languages(config)
            multilingual = spoken is None or len(spoken) > 1
            features = ["timestamps", "word_timestamps", "diarization"] + (
                ["language_detection"] if multilingual else [])
            # Each model's own languages (tiny.en: en; Whisper base: its 99); others are refused before queueing.
            registry.register("local", LOCAL, "transcriptions", features, spoken)
    if media.available():
        features = ["scenes", "faces", "ocr", "sentiment", "topics", "summary", "autocenter", "sound_descriptions"]
        if Path(transcriber.WhisperConfig.from_env().model).is_dir():
            features.append("speech_to_text")
        if moderation.available():
            features.append("content_moderation")
        # labels and brands need a vision-language model: the local provider does not claim them.
        registry.register("local", LOCAL, "video_analyses", features)
    if speech.available() and media.available():
        registry.register("local", LOCAL, "speech", ["voice_over"], sorted(speech.voices()))
    # Extractive summaries need no model: sentences ranked by sumy's LexRank, offline.
    registry.register("local", LOCAL, "language_model", ["summary"])
    if settings is not None:
        register_remote(registry, settings)
    return registry


def _transcription_languages(config) -> list[str] | None:
    """What the installed models transcribe: the main model's, plus the multilingual model's when it is there."""
    if transcriber.is_multilingual(config):
        return None  # a multilingual WHISPER_MODEL: Whisper's whole list
    spoken = {"en"}
    if models.available():
        spoken |= set(models.languages())
    return sorted(spoken)


def register_remote(registry: ProviderRegistry, settings) -> None:
    """Only configured providers are listed; source languages are detected offline, so every one detects."""
    for translator in translators.configured(settings):
        features = ["text", "document", "transcript", "language_detection"] + (
            ["formality"] if "formality" in translator.features else [])
        registry.register(translator.id, translator.name, "translations", features,
                          sorted(translator.languages) if translator.languages is not None else None,
                          keyless=translator.id in KEYLESS)
        if translator.chat is not None:
            vision = ["vision"] if settings.openai_vision else []
            registry.register(translator.id, translator.name, "language_model",
                              ["paraphrase", "summary", "translation"] + vision)
            local = registry.get("local")
            if vision and local is not None and "video_analyses" in local.resources:
                # The vision model adds labels and brands to the local analysers it runs with.
                registry.register(translator.id, translator.name, "video_analyses",
                                  local.resources["video_analyses"].features + ["labels", "brands"])
