"""Registry of providers; capabilities register what is really installed and configured.

Order is preference: the local engines, then the deployment's configured providers in the order they were
registered (the adapters' documented preference), and keyless public endpoints last, so customer text reaches a
public endpoint only when nothing else can do the job."""
from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import NoProvider, ValidationFailed

RESOURCE_TYPES = ("media", "transcriptions", "translations", "video_analyses", "speech", "language_model")


@dataclass
class Resource:
    type: str
    features: list[str]
    languages: list[str] | None = None


@dataclass
class Provider:
    id: str
    name: str
    resources: dict[str, Resource] = field(default_factory=dict)
    keyless: bool = False  # a public endpoint anyone may call: chosen only when nothing configured can

    @property
    def rank(self) -> int:
        return 0 if self.id == "local" else 2 if self.keyless else 1

    def supports(self, resource: str, features: list[str]) -> list[str]:
        """The requested features this provider lacks for `resource` (empty: it can do them all)."""
        found = self.resources.get(resource)
        if found is None:
            return list(features) or [resource]
        return [f for f in features if f not in found.features]


class ProviderRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, Provider] = {}

    def register(self, provider_id: str, name: str, resource: str, features: list[str],
                 languages: list[str] | None = None, *, keyless: bool = False) -> None:
        if resource not in RESOURCE_TYPES:
            raise ValueError(f"unknown resource type {resource}")
        provider = self._providers.setdefault(provider_id, Provider(provider_id, name, keyless=keyless))
        existing = provider.resources.get(resource)
        if existing:
            existing.features = sorted(set(existing.features) | set(features))
        else:
            provider.resources[resource] = Resource(resource, sorted(set(features)), languages)

    def all(self, resource: str | None = None) -> list[Provider]:
        # A stable sort: within a rank, registration order (never the id: `google` must not beat `libre`).
        providers = sorted(self._providers.values(), key=lambda p: p.rank)
        if resource:
            providers = [p for p in providers if resource in p.resources]
        return providers

    def get(self, provider_id: str) -> Provider | None:
        return self._providers.get(provider_id)

    def pick(self, resource: str, features: list[str], provider_id: str | None = None) -> Provider:
        """The named provider if it can do everything asked, else the first that can; NO_PROVIDER otherwise."""
        if provider_id:
            provider = self._providers.get(provider_id)
            if provider is None:
                raise ValidationFailed(f"unknown provider {provider_id!r}", field=["provider"])
            missing = provider.supports(resource, features)
            if missing:
                raise NoProvider(f"provider {provider_id} does not support: {', '.join(missing)}", field=["provider"])
            return provider
        candidates = self.all(resource)
        for provider in candidates:
            if not provider.supports(resource, features):
                return provider
        supported = set().union(*(set(p.resources[resource].features) for p in candidates)) if candidates else set()
        missing = [f for f in features if f not in supported] or list(features)
        raise NoProvider(f"no configured provider supports: {', '.join(missing) or resource}", field=["features"])
