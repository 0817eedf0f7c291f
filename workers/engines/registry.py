"""Registers the local engines that are really installed with the provider registry."""
from __future__ import annotations

from domain.providers.registry import ProviderRegistry
from workers.engines import media


def register_local(registry: ProviderRegistry) -> ProviderRegistry:
    if media.available():
        registry.register("local", "Local (offline)", "media", ["probe", "thumbnail", "waveform"])
    return registry
