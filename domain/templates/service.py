"""Templates, word lists and dictionaries: validated CRUD within the tenant, and an asset's vocabulary."""
from __future__ import annotations

import enum
import uuid

from domain import languages
from domain.db import UnitOfWork
from domain.errors import NotFound, ValidationFailed
from domain.jobs.service import parse_id
from domain.pagination import Page, clamp_first, decode_cursor
from domain.templates import repository
from domain.templates.models import Dictionary, Template, WordList
from domain.templates.vocabulary import split_words
from domain.tenancy.service import Viewer



class Kind(enum.StrEnum):
    """What a row of this area is; the word-list kinds' values are those of `WordList.kind`."""
    TEMPLATE = "template"
    BLACKLIST = "blacklist"
    WHITELIST = "whitelist"
    DICTIONARY = "dictionary"


KINDS = {Kind.TEMPLATE: Template, Kind.BLACKLIST: WordList, Kind.WHITELIST: WordList, Kind.DICTIONARY: Dictionary}
LABELS = {kind: kind.value for kind in Kind}


async def get(uow: UnitOfWork, viewer: Viewer, kind: Kind, ident: str | uuid.UUID):
    model = KINDS[kind]
    found = await repository.get(uow.session, model, viewer.tenant_id, parse_id(ident, LABELS[kind]),
                                 str(kind) if model is WordList else None)
    if found is None:
        raise NotFound(LABELS[kind], ident)
    return found


async def page(uow: UnitOfWork, viewer: Viewer, kind: Kind, first: int | None, after: str | None,
               offset: int) -> Page:
    model = KINDS[kind]
    return Page(*await repository.page(uow.session, model, viewer.tenant_id, limit=clamp_first(first, 16),
                                       offset=max(0, offset), after=decode_cursor(after),
                                       kind=kind if model is WordList else None))


def _text(value, name: str, required: bool) -> str | None:
    if value is None:
        if required:
            raise ValidationFailed(f"{name} is required", field=["input", name])
        return None
    value = str(value).strip()
    if not value or len(value) > 200:
        raise ValidationFailed(f"{name} must be 1 to 200 characters", field=["input", name])
    return value


async def _ids(uow: UnitOfWork, viewer: Viewer, values, kind: Kind, name: str) -> list[str]:
    ids = [parse_id(v, LABELS[kind], ["input", name]) for v in values or []]
    model = KINDS[kind]
    found = await repository.existing_ids(uow.session, model, viewer.tenant_id, ids,
                                          str(kind) if model is WordList else None)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise NotFound(LABELS[kind], missing[0], field=["input", name])
    return [str(i) for i in dict.fromkeys(ids)]


def _languages(values, name: str) -> list[str]:
    out = []
    for value in values or []:
        language = languages.by_id(value)
        if language is None:
            raise ValidationFailed(f"unknown language id {value}", field=["input", name])
        out.append(str(language.id))
    return list(dict.fromkeys(out))


async def save_template(uow: UnitOfWork, viewer: Viewer, ident: str | None, data: dict) -> Template:
    template = await get(uow, viewer, Kind.TEMPLATE, ident) if ident else \
        Template(id=uuid.uuid4(), tenant_id=viewer.tenant_id)
    name = _text(data.get("name"), "name", required=ident is None)
    if name is not None:
        template.name = name
    for field, kind in (("dictionary_ids", Kind.DICTIONARY), ("blacklist_ids", Kind.BLACKLIST),
                        ("whitelist_ids", Kind.WHITELIST)):
        if field in data and data[field] is not None:
            setattr(template, field, await _ids(uow, viewer, data[field], kind, field))
    for field in ("translation_language_ids", "voice_over_language_ids"):
        if field in data and data[field] is not None:
            setattr(template, field, _languages(data[field], field))
    if data.get("enabled_ocr") is not None:
        template.enabled_ocr = bool(data["enabled_ocr"])
    if data.get("voice_over_config") is not None:
        config = data["voice_over_config"]
        template.voice_over_config = {"clone_voice": bool(config.get("clone_voice", False)),
                                      "mute_original_voice": bool(config.get("mute_original_voice", False))}
    elif ident is None:
        template.voice_over_config = {"clone_voice": False, "mute_original_voice": False}
    if ident is None:
        for field in ("dictionary_ids", "blacklist_ids", "whitelist_ids", "translation_language_ids",
                      "voice_over_language_ids"):
            if getattr(template, field, None) is None:
                setattr(template, field, [])
        repository.add(uow.session, template)
    await uow.session.flush()
    return template


async def save_word_list(uow: UnitOfWork, viewer: Viewer, kind: Kind, ident: str | None, data: dict) -> WordList:
    words_list = await get(uow, viewer, kind, ident) if ident else \
        WordList(id=uuid.uuid4(), tenant_id=viewer.tenant_id, kind=str(kind))
    name = _text(data.get("name"), "name", required=ident is None)
    if name is not None:
        words_list.name = name
    if data.get("words") is not None or ident is None:
        words = split_words(data.get("words") or [])
        if not words:
            raise ValidationFailed("words must name at least one word", field=["input", "words"])
        words_list.words = words
    if data.get("language_id") is not None or (kind == Kind.BLACKLIST and ident is None):
        language = languages.by_id(data.get("language_id"))
        if language is None:
            raise ValidationFailed("languageId must name a language of the catalog", field=["input", "languageId"])
        words_list.language_id = language.id
    if data.get("template_id") is not None:
        words_list.template_id = (await get(uow, viewer, Kind.TEMPLATE, data["template_id"])).id
    if ident is None:
        repository.add(uow.session, words_list)
    await uow.session.flush()
    return words_list


async def save_dictionary(uow: UnitOfWork, viewer: Viewer, ident: str | None, data: dict) -> Dictionary:
    dictionary = await get(uow, viewer, Kind.DICTIONARY, ident) if ident else \
        Dictionary(id=uuid.uuid4(), tenant_id=viewer.tenant_id)
    name = _text(data.get("name"), "name", required=ident is None)
    if name is not None:
        dictionary.name = name
    if data.get("dictionary") is not None or ident is None:
        entries = data.get("dictionary")
        if not isinstance(entries, dict) or not entries or not all(
                isinstance(k, str) and k.strip() and isinstance(v, list) and v and all(isinstance(e, str) for e in v)
                for k, v in entries.items()):
            raise ValidationFailed('dictionary must map terms to lists of expansions, e.g. {"AI": ["Artificial Intelligence"]}',
                                   field=["input", "dictionary"])
        dictionary.entries = entries
    if data.get("template_id") is not None:
        dictionary.template_id = (await get(uow, viewer, Kind.TEMPLATE, data["template_id"])).id
    if ident is None:
        repository.add(uow.session, dictionary)
    await uow.session.flush()
    return dictionary


async def delete(uow: UnitOfWork, viewer: Viewer, kind: Kind, ident: str) -> uuid.UUID:
    found = await get(uow, viewer, kind, ident)
    await repository.delete(uow.session, found)
    await uow.session.flush()
    return found.id


async def vocabulary(uow: UnitOfWork, tenant_id: uuid.UUID, template_id: uuid.UUID | None) -> dict | None:
    """What a template asks of transcription: words to mask, words to prefer, terms to expand."""
    if template_id is None:
        return None
    template = await repository.get(uow.session, Template, tenant_id, template_id)
    if template is None:
        return None
    lists, dictionaries = await repository.for_template(uow.session, tenant_id, template)
    entries: dict = {}
    for dictionary in dictionaries:
        entries.update(dictionary.entries or {})
    return {"blacklist": sorted({w for l in lists if l.kind == "blacklist" for w in l.words}),
            "whitelist": sorted({w for l in lists if l.kind == "whitelist" for w in l.words}),
            "dictionary": entries}
