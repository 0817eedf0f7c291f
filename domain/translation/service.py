"""Translation use cases: queue transcript translation and retranslation, record their results whole."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from domain.assets import service as assets
from domain.assets.models import Asset
from domain.db import UnitOfWork
from domain.errors import Conflict, NoProvider, NotFound, UnsupportedLanguage, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain import languages
from domain.ports import Ports
from domain.templates import repository as templates_repo
from domain.templates.models import Template
from domain.tenancy.service import Viewer
from domain.transcripts import repository
from domain.transcripts.models import ASR, MANUAL, TRANSLATION, Segment, Transcription
from domain.translation import catalog

FORMALITIES = ("default", "formal", "informal")


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def pick_provider(registry, codes: list[str], provider_id: str | None, formality: str | None,
                  field: list[str]) -> str:
    """The named provider if it translates into every target, else the first configured one that does."""
    candidates = registry.all("translations")
    if provider_id:
        candidates = [p for p in candidates if p.id == provider_id]
        if not candidates:
            raise ValidationFailed(f"unknown translation provider {provider_id!r}", field=["input", "provider"])
    if not candidates:
        raise NoProvider("no translation provider is configured (set LIBRETRANSLATE_URL, DEEPL_API_KEY, "
                         "OPENAI_BASE_URL, or TRANSLATION_PROVIDERS=google)", field=field)
    if formality not in (None, "default"):
        with_formality = [p for p in candidates if "formality" in p.resources["translations"].features]
        candidates = with_formality or candidates  # others translate in their default register
    for provider in candidates:
        offered = provider.resources["translations"].languages
        if all(languages.spelling(code, offered) is not None for code in codes):
            return provider.id
    raise UnsupportedLanguage(f"no configured translation provider translates into {', '.join(codes)}", field=field)


async def source_transcription(uow: UnitOfWork, asset: Asset) -> Transcription:
    """The transcript translations start from: the newest one written from speech or by hand."""
    found = [t for t in await repository.by_asset_ids(uow.session, asset.tenant_id, [asset.id])
             if t.source in (ASR, MANUAL)]
    if not found:
        raise Conflict(f"asset {asset.id} has no transcript yet; transcribe it first", field=["input", "assetId"])
    return found[-1]


@dataclass
class TranslateRequest:
    asset_id: str
    language_ids: list[str]
    provider: str | None = None
    formality: str | None = None
    priority: str = "standard"
    webhook: dict | None = None
    client_meta: dict | None = None
    parent_id: uuid.UUID | None = None


async def request(uow: UnitOfWork, ports: Ports, viewer: Viewer, req: TranslateRequest) -> Job:
    asset = await assets.get(uow, viewer, req.asset_id, field=["input", "assetId"])
    field = ["input", "languageIds"]
    targets = catalog.resolve_targets(ports.registry, req.language_ids, "translation", field)
    if req.formality not in (None, *FORMALITIES):
        raise ValidationFailed("formality must be default, formal or informal", field=["input", "formality"])
    source = await source_transcription(uow, asset)
    codes = [t.code for t in targets if t.code != source.language]
    if not codes:
        raise ValidationFailed(f"the transcript is already in {source.language}", field=field)
    provider = pick_provider(ports.registry, codes, req.provider, req.formality, field)
    return await jobs.create(uow, ports, viewer, kind="translation", asset_id=asset.id, provider=provider,
                             input={"asset_id": str(asset.id), "transcription_id": str(source.id), "languages": codes},
                             options={"formality": req.formality or "default", "source_language": source.language},
                             priority=req.priority, webhook=req.webhook, client_meta=req.client_meta,
                             parent_id=req.parent_id)


async def request_retranslation(uow: UnitOfWork, ports: Ports, viewer: Viewer, asset_id: str,
                                language_ids: list[str] | None = None, provider: str | None = None) -> Job:
    """Re-translate only the source segments that changed since their translation was made."""
    asset = await assets.get(uow, viewer, asset_id, field=["input", "assetId"])
    source = await source_transcription(uow, asset)
    existing = await translations_of(uow, asset, source)
    if language_ids:
        wanted = {t.code for t in catalog.resolve_targets(ports.registry, language_ids, "translation",
                                                          ["input", "languageIds"])}
        missing = wanted - {t.language for t in existing}
        if missing:
            raise Conflict(f"no translation into {', '.join(sorted(missing))} to update; translate first",
                           field=["input", "languageIds"])
        existing = [t for t in existing if t.language in wanted]
    if not existing:
        raise Conflict("the asset has no translations to update; translate it first", field=["input", "assetId"])
    codes = [t.language for t in existing]
    chosen = pick_provider(ports.registry, codes, provider or _last_provider(existing), None, ["input", "languageIds"])
    return await jobs.create(uow, ports, viewer, kind="retranslation", asset_id=asset.id, provider=chosen,
                             input={"asset_id": str(asset.id), "transcription_id": str(source.id), "languages": codes},
                             options={"source_language": source.language})


def _last_provider(translations: list[Transcription]) -> str | None:
    return (translations[-1].options or {}).get("provider") if translations else None


async def translations_of(uow: UnitOfWork, asset: Asset, source: Transcription) -> list[Transcription]:
    return [t for t in await repository.by_asset_ids(uow.session, asset.tenant_id, [asset.id])
            if t.source == TRANSLATION and t.original_id == source.id]


async def auto_targets(uow: UnitOfWork, asset: Asset) -> list[str]:
    """The template's automatic translation languages (ids), if the asset has a template."""
    if asset.template_id is None:
        return []
    template = await templates_repo.get(uow.session, Template, asset.tenant_id, asset.template_id)
    return list(template.translation_language_ids or []) if template else []


async def source_segments(uow: UnitOfWork, tenant_id: uuid.UUID, transcription_id: str) -> list[Segment]:
    return await repository.segments_by_transcription_ids(uow.session, tenant_id, [uuid.UUID(transcription_id)])


async def record(uow: UnitOfWork, job: Job, language: str, source: list[Segment], texts: list[str],
                 provider: str | None = None) -> Transcription:
    """Write one translated transcript (replacing an earlier one of that language) in the job's transaction."""
    session = uow.session
    original_id = uuid.UUID(job.input["transcription_id"])
    for old in await repository.by_asset_ids(session, job.tenant_id, [job.asset_id]):
        if old.source == TRANSLATION and old.original_id == original_id and old.language == language:
            await repository.delete(session, old)
    translation = Transcription(
        id=uuid.uuid4(), tenant_id=job.tenant_id, asset_id=job.asset_id, job_id=job.id, original_id=original_id,
        language=language, source=TRANSLATION, status="completed", model=provider or job.provider,
        options={"provider": provider or job.provider, "formality": (job.options or {}).get("formality"),
                 "sources": {str(s.id): text_hash(s.text) for s in source}})
    repository.add(session, translation)
    await session.flush()
    for segment, text in zip(source, texts):
        repository.add(session, Segment(id=uuid.uuid4(), tenant_id=job.tenant_id, transcription_id=translation.id,
                                        start_ms=segment.start_ms, end_ms=segment.end_ms, text=text,
                                        speaker_id=segment.speaker_id, original_segment_id=segment.id))
    await session.flush()
    return translation


@dataclass
class Stale:
    """What a retranslation must do for one translated transcript."""

    translation: Transcription
    changed: list[Segment]        # source segments whose text changed or that are new
    targets: dict                 # source segment id -> the translated segment to update (absent: add one)
    orphans: list[Segment]        # translated segments whose source segment is gone


async def stale(uow: UnitOfWork, job: Job) -> tuple[list[Segment], list[Stale]]:
    source_id = uuid.UUID(job.input["transcription_id"])
    source = await repository.segments_by_transcription_ids(uow.session, job.tenant_id, [source_id])
    found = []
    for translation in await repository.by_asset_ids(uow.session, job.tenant_id, [job.asset_id]):
        if translation.source != TRANSLATION or translation.original_id != source_id \
                or translation.language not in job.input["languages"]:
            continue
        hashes = (translation.options or {}).get("sources") or {}
        segments = await repository.segments_by_transcription_ids(uow.session, job.tenant_id, [translation.id])
        by_original = {s.original_segment_id: s for s in segments if s.original_segment_id}
        changed = [s for s in source if hashes.get(str(s.id)) != text_hash(s.text) or s.id not in by_original]
        live = {s.id for s in source}
        orphans = [s for s in segments if s.original_segment_id not in live]
        found.append(Stale(translation, changed, by_original, orphans))
    return source, found


async def apply_retranslation(uow: UnitOfWork, job: Job, source: list[Segment], item: Stale, texts: list[str]) -> dict:
    """Update only what changed; every other translated segment keeps its row and its text byte for byte."""
    session = uow.session
    translation = await repository.get(session, job.tenant_id, item.translation.id)
    if translation is None:
        raise NotFound("translation", item.translation.id)
    added = updated = 0
    for segment, text in zip(item.changed, texts):
        target = item.targets.get(segment.id)
        if target is None:
            repository.add(session, Segment(id=uuid.uuid4(), tenant_id=job.tenant_id, transcription_id=translation.id,
                                            start_ms=segment.start_ms, end_ms=segment.end_ms, text=text,
                                            speaker_id=segment.speaker_id, original_segment_id=segment.id))
            added += 1
        else:
            fresh = await repository.segment(session, job.tenant_id, translation.id, target.id)
            fresh.text, fresh.start_ms, fresh.end_ms = text, segment.start_ms, segment.end_ms
            updated += 1
    for orphan in item.orphans:
        gone = await repository.segment(session, job.tenant_id, translation.id, orphan.id)
        if gone is not None:
            await repository.delete(session, gone)
    translation.options = {**(translation.options or {}), "provider": job.provider,
                           "sources": {str(s.id): text_hash(s.text) for s in source}}
    await session.flush()
    return {"transcription_id": str(translation.id), "language": translation.language, "updated": updated,
            "added": added, "removed": len(item.orphans)}
