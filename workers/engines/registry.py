"""Registers the local engines that are really installed with the provider registry."""
from __future__ import annotations

from domain.providers.registry import ProviderRegistry
from pathlib import Path

from workers.engines import media, transcriber


def register_local(registry: ProviderRegistry) -> ProviderRegistry:
    if not media.available():
        return registry
    registry.register("local", "Local (offline)", "media", ["probe", "thumbnail", "waveform"])
    config = transcriber.WhisperConfig.from_env()
    if Path(config.model).is_dir():
        multilingual = transcriber.is_multilingual(config)
        features = ["timestamps", "word_timestamps", "diarization"] + (["language_detection"] if multilingual else [])
        # An English-only model lists English alone: other languages are refused before queueing.
        registry.register("local", "Local (offline)", "transcriptions", features, None if multilingual else ["en"])
    return registry
