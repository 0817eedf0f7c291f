"""The language catalog as this deployment can serve it: which capabilities its providers offer per language."""
from __future__ import annotations

from dataclasses import dataclass

from domain import languages
from domain.errors import NotFound, UnsupportedLanguage, ValidationFailed
from domain.languages import Language

RESOURCES = {"transcription": "transcriptions", "translation": "translations", "voice_over": "speech"}


@dataclass(frozen=True)
class LanguageEntry:
    language: Language
    transcription: bool
    translation: bool
    voice_over: bool

    @property
    def id(self):
        return self.language.id


def _offered(registry, resource: str, code: str) -> bool:
    return any(languages.spelling(code, p.resources[resource].languages) is not None
               for p in registry.all(resource))


def entry(registry, language: Language) -> LanguageEntry:
    return LanguageEntry(language, *(_offered(registry, r, language.code) for r in RESOURCES.values()))


def all_entries(registry) -> list[LanguageEntry]:
    return [entry(registry, lang) for lang in languages.LANGUAGES]


def get(registry, language_id: str) -> LanguageEntry:
    found = languages.by_id(language_id)
    if found is None:
        raise NotFound("language", language_id)
    return entry(registry, found)


def resolve_targets(registry, ids: list[str] | None, capability: str, field: list[str]) -> list[Language]:
    """Language ids (or BCP 47 codes) to catalog entries; unknown ones and ones nobody offers are named."""
    if not ids:
        raise ValidationFailed("give at least one target language", field=field)
    found, unknown = [], []
    for value in ids:
        lang = languages.by_id(value) or languages.by_code(value) if value else None
        if lang is None:
            unknown.append(str(value))
        elif lang not in found:
            found.append(lang)
    if unknown:
        raise ValidationFailed(f"unknown language id(s): {', '.join(unknown)}; see the languages catalog", field=field)
    missing = [lang.code for lang in found if not _offered(registry, RESOURCES[capability], lang.code)]
    if missing:
        raise UnsupportedLanguage(f"no configured provider offers {capability.replace('_', '-')} into "
                                  f"{', '.join(missing)}", field=field)
    return found
