"""Registers what is really installed and configured (local engines, translation and model providers)."""
from __future__ import annotations

from pathlib import Path

from domain.providers.registry import ProviderRegistry
from workers.engines import media, speech, transcriber, translators
from workers.engines.analysis import moderation

LOCAL = "Local (offline)"


def register_local(registry: ProviderRegistry, settings=None) -> ProviderRegistry:
    if media.available():
        registry.register("local", LOCAL, "media", ["probe", "thumbnail", "waveform"])
        config = transcriber.WhisperConfig.from_env()
        if Path(config.model).is_dir():
            multilingual = transcriber.is_multilingual(config)
            features = ["timestamps", "word_timestamps", "diarization"] + (["language_detection"] if multilingual else [])
            # An English-only model lists English alone: other languages are refused before queueing.
            registry.register("local", LOCAL, "transcriptions", features, None if multilingual else ["en"])
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


def register_remote(registry: ProviderRegistry, settings) -> None:
    """Only configured providers are listed; source languages are detected offline, so every one detects."""
    for translator in translators.configured(settings):
        features = ["text", "document", "transcript", "language_detection"] + (
            ["formality"] if "formality" in translator.features else [])
        registry.register(translator.id, translator.name, "translations", features,
                          sorted(translator.languages) if translator.languages is not None else None)
        if translator.chat is not None:
            vision = ["vision"] if settings.openai_vision else []
            registry.register(translator.id, translator.name, "language_model",
                              ["paraphrase", "summary", "translation"] + vision)
            local = registry.get("local")
            if vision and local is not None and "video_analyses" in local.resources:
                # The vision model adds labels and brands to the local analysers it runs with.
                registry.register(translator.id, translator.name, "video_analyses",
                                  local.resources["video_analyses"].features + ["labels", "brands"])
