"""The language catalog: stable UUIDs (uuid5 of the BCP 47 code), English and native names, code normalisation."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

NAMESPACE = uuid.UUID("6f1c1e4e-2b7a-4d43-9b7f-0d5a3c8e9a10")

# (BCP 47 code, English name, native name); regional defaults follow common broadcast practice.
_CATALOG = [
    ("en-US", "English (United States)", "English"), ("en-GB", "English (United Kingdom)", "English"),
    ("es-ES", "Spanish (Spain)", "Español"), ("es-MX", "Spanish (Mexico)", "Español (México)"),
    ("fr-FR", "French", "Français"), ("de-DE", "German", "Deutsch"), ("it-IT", "Italian", "Italiano"),
    ("pt-PT", "Portuguese (Portugal)", "Português"), ("pt-BR", "Portuguese (Brazil)", "Português (Brasil)"),
    ("ca-ES", "Catalan", "Català"), ("eu-ES", "Basque", "Euskara"), ("gl-ES", "Galician", "Galego"),
    ("nl-NL", "Dutch", "Nederlands"), ("sv-SE", "Swedish", "Svenska"), ("da-DK", "Danish", "Dansk"),
    ("nb-NO", "Norwegian Bokmål", "Norsk bokmål"), ("fi-FI", "Finnish", "Suomi"), ("pl-PL", "Polish", "Polski"),
    ("cs-CZ", "Czech", "Čeština"), ("ro-RO", "Romanian", "Română"), ("hu-HU", "Hungarian", "Magyar"),
    ("el-GR", "Greek", "Ελληνικά"), ("tr-TR", "Turkish", "Türkçe"), ("ru-RU", "Russian", "Русский"),
    ("uk-UA", "Ukrainian", "Українська"), ("ar-SA", "Arabic", "العربية"), ("he-IL", "Hebrew", "עברית"),
    ("hi-IN", "Hindi", "हिन्दी"), ("zh-CN", "Chinese (Simplified)", "中文（简体）"), ("ja-JP", "Japanese", "日本語"),
    ("ko-KR", "Korean", "한국어"), ("id-ID", "Indonesian", "Bahasa Indonesia"), ("vi-VN", "Vietnamese", "Tiếng Việt"),
]
_DEFAULT_REGION = {code.split("-")[0]: code for code, _, _ in reversed(_CATALOG)}


@dataclass(frozen=True)
class Language:
    id: uuid.UUID
    code: str
    name: str
    native_name: str

    @property
    def base(self) -> str:
        return self.code.split("-")[0]


LANGUAGES = [Language(uuid.uuid5(NAMESPACE, code), code, name, native) for code, name, native in _CATALOG]
_BY_ID = {lang.id: lang for lang in LANGUAGES}
_BY_CODE = {lang.code.lower(): lang for lang in LANGUAGES}


def normalize(code: str | None) -> str | None:
    """`en` -> `en-US`, `EN_gb` -> `en-GB`; unknown codes keep their own casing rules (ll-RR)."""
    if not code:
        return None
    parts = code.replace("_", "-").split("-")
    if len(parts) == 1:
        return _DEFAULT_REGION.get(parts[0].lower(), parts[0].lower())
    return f"{parts[0].lower()}-{parts[1].upper()}"


def by_id(value: uuid.UUID | str | None) -> Language | None:
    try:
        return _BY_ID.get(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None


def by_code(code: str | None) -> Language | None:
    normal = normalize(code)
    return _BY_CODE.get(normal.lower()) if normal else None


_ALIASES = {"he": "iw", "nb": "no", "zh": "zh-CN"}


def spelling(code: str, codes: set[str] | list[str] | None) -> str | None:
    """`code` as a provider spells it (`es-ES` -> `es`, `zh-CN` kept, `he` -> `iw`), or None if it lacks it.

    `codes` None means the provider takes any language."""
    if codes is None:
        return code
    known = {c.lower(): c for c in codes}
    base = code.split("-")[0].lower()
    for candidate in (code.lower(), base, _ALIASES.get(base, "").lower()):
        if candidate and candidate in known:
            return known[candidate]
    return None
