"""Text and document translation (the AI Gateway's translations): request checks and the recorded result."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain import languages, urls
from domain.assets.models import StoredFile
from domain.assets import repository as assets_repo
from domain.db import UnitOfWork
from domain.errors import PayloadTooLarge, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.ports import Ports
from domain.tenancy.service import Viewer
from domain.translation import catalog
from domain.translation.service import FORMALITIES, pick_provider

KIND = "text_translation"
DOCUMENT_TYPES = {"txt": "text/plain; charset=utf-8", "srt": "application/x-subrip; charset=utf-8",
                  "vtt": "text/vtt; charset=utf-8",
                  "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass
class TextRequest:
    type: str
    target_language: str
    content: str | None = None
    url: str | None = None
    source_language: str | None = None
    formality: str | None = None
    priority: str = "standard"
    provider: str | None = None
    webhook: dict | None = None
    client_meta: dict | None = None


def source_code(value: str | None) -> str:
    """`auto` (or nothing) asks for offline detection; anything else must be a language code."""
    if value in (None, "", "auto"):
        return "auto"
    lang = languages.by_code(value) or languages.by_id(value)
    if lang is None:
        raise ValidationFailed(f"unknown source language {value!r}", field=["options", "source_language"])
    return lang.code


async def request(uow: UnitOfWork, ports: Ports, viewer: Viewer, req: TextRequest) -> Job:
    limit = ports.settings.max_text_chars
    if req.type not in ("text", "document"):
        raise ValidationFailed("type must be text or document", field=["input", "type"])
    if req.type == "text":
        if not (req.content or "").strip():
            raise ValidationFailed("content is required for text input", field=["input", "content"])
        if len(req.content) > limit:
            raise PayloadTooLarge(f"content has {len(req.content)} characters; the limit is {limit}",
                                  field=["input", "content"])
    else:
        if not req.url:
            raise ValidationFailed("url is required for document input", field=["input", "url"])
        await urls.check(req.url, allow_private=ports.settings.allow_private_urls, field=["input", "url"])
    [target] = catalog.resolve_targets(ports.registry, [req.target_language], "translation",
                                       ["input", "target_language"])
    if req.formality not in (None, *FORMALITIES):
        raise ValidationFailed("formality must be default, formal or informal", field=["options", "formality"])
    source = source_code(req.source_language)
    provider = pick_provider(ports.registry, [target.code], req.provider, req.formality, ["input", "target_language"])
    document = {"url": req.url} if req.type == "document" else {"content": req.content}
    return await jobs.create(uow, ports, viewer, kind=KIND, provider=provider,
                             input={"type": req.type, **document, "target_language": target.code},
                             options={"source_language": source, "formality": req.formality or "default",
                                      "priority": req.priority},
                             priority=req.priority, webhook=req.webhook, client_meta=req.client_meta)


async def record_document(uow: UnitOfWork, job: Job, key: str, size: int, filename: str, fmt: str) -> StoredFile:
    stored = StoredFile(id=uuid.uuid4(), tenant_id=job.tenant_id, asset_id=None, role="translated_document", key=key,
                        content_type=DOCUMENT_TYPES[fmt].split(";")[0], size=size, filename=filename)
    assets_repo.add(uow.session, stored)
    await uow.session.flush()
    return stored
