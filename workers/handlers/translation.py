"""Translation and retranslation jobs: batches to the provider, every target written in one final transaction."""
from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from domain.errors import DomainError, ErrorCode, PayloadTooLarge
from domain.search import service as search
from domain.translation import service as translation
from domain.translation import texts as texts_module
from workers.engines import documents, download, translators
from workers.runner import JobContext, handles


def translator_for(ctx: JobContext) -> translators.Translator:
    for candidate in translators.configured(ctx.ports.settings):
        if candidate.id == ctx.job.provider:
            return candidate
    raise DomainError(f"translation provider {ctx.job.provider} is no longer configured",
                      code=ErrorCode.PROVIDER_UNAVAILABLE)


async def run_texts(ctx: JobContext, translator, texts: list[str], source: str | None, target: str,
                    start: int, span: int, formality: str | None = None, context: str | None = None) -> list[str]:
    """Translate with progress from `start` over `span` percent; retries and timeouts from settings."""
    settings = ctx.ports.settings

    async def on_batch(done: int, total: int) -> None:
        await ctx.progress(start + int(span * done / total))

    return await translators.translate_texts(
        translator, texts, source, target, formality=formality, context=context,
        attempts=settings.provider_attempts, timeout=settings.provider_timeout_s, on_batch=on_batch)


@handles("translation")
async def translate_transcript(ctx: JobContext) -> None:
    translator = translator_for(ctx)
    async with ctx.uow() as uow:
        source = await translation.source_segments(uow, ctx.job.tenant_id, ctx.job.input["transcription_id"])
    texts = [s.text for s in source]
    targets = ctx.job.input["languages"]
    options = ctx.job.options or {}
    await ctx.progress(2, stage="translating")
    results = {}
    for n, code in enumerate(targets):
        span = 90 // len(targets)
        results[code] = await run_texts(ctx, translator, texts, options.get("source_language"), code,
                                        5 + n * span, span, options.get("formality"))
    await ctx.progress(96, stage="storing")
    characters = sum(len(t) for t in texts) * len(targets)
    async with ctx.uow() as uow:
        job = await ctx.load(uow)
        written = [await translation.record(uow, job, code, source, results[code]) for code in targets]
        await search.request_index(uow, ctx.ports, job.tenant_id, job.asset_id, job.id)
        await ctx.complete(uow, {
            "transcriptions": [{"id": str(t.id), "language": t.language} for t in written],
            "source_language": options.get("source_language"), "segments": len(texts),
            "character_count": characters, "provider_calls": translator.calls,
        }, usage_quantity=characters, unit="character")


@handles("retranslation")
async def retranslate(ctx: JobContext) -> None:
    translator = translator_for(ctx)
    async with ctx.uow() as uow:
        job = await ctx.load(uow)
        source, work = await translation.stale(uow, job)
    await ctx.progress(2, stage="translating")
    outputs = []
    for n, item in enumerate(work):
        span = 90 // max(1, len(work))
        texts = [s.text for s in item.changed]
        outputs.append(await run_texts(ctx, translator, texts, (ctx.job.options or {}).get("source_language"),
                                       item.translation.language, 5 + n * span, span) if texts else [])
    characters = sum(len(s.text) for item in work for s in item.changed)
    async with ctx.uow() as uow:
        job = await ctx.load(uow)
        summaries = [await translation.apply_retranslation(uow, job, source, item, texts)
                     for item, texts in zip(work, outputs)]
        await search.request_index(uow, ctx.ports, job.tenant_id, job.asset_id, job.id)
        await ctx.complete(uow, {"transcriptions": summaries, "character_count": characters,
                                 "provider_calls": translator.calls}, usage_quantity=characters, unit="character")


@handles("text_translation")
async def translate_text(ctx: JobContext) -> None:
    """Text, or a document fetched by the guarded downloader and rebuilt in its own format."""
    translator = translator_for(ctx)
    data, url = ctx.job.input.get("content"), ctx.job.input.get("url")
    if url:
        await ctx.progress(2, stage="downloading")
        with tempfile.TemporaryDirectory(prefix="mg-doc-") as tmp:
            target = Path(tmp) / "document"
            settings = ctx.ports.settings
            await download.fetch(url, target, max_bytes=settings.max_text_chars * 8,
                                 allow_private=settings.allow_private_urls)
            document = await asyncio.to_thread(lambda: documents.parse(target.read_bytes(), url,
                                                                       settings.max_document_bytes))
    else:
        document = documents.parse_text(data)
    characters = sum(len(u) for u in document.units)
    if characters > ctx.ports.settings.max_text_chars:
        raise PayloadTooLarge(f"the document has {characters} characters; the limit is "
                              f"{ctx.ports.settings.max_text_chars}")
    options = ctx.job.options or {}
    source = options.get("source_language")
    if source in (None, "auto"):
        source = await asyncio.to_thread(documents.detect_language, "\n".join(document.units))
    target_code = ctx.job.input["target_language"]
    await ctx.progress(10, stage="translating")
    texts = await run_texts(ctx, translator, document.units, source, target_code, 10, 80, options.get("formality"))
    body = await asyncio.to_thread(document.rebuild, texts)
    result = {"source_language": source, "target_language": target_code, "character_count": characters,
              "provider_calls": translator.calls, "format": document.format}
    if document.format == "text":
        result["content"] = body.decode()
    else:
        name = PurePosixPath(urlsplit(url).path).stem or "document"
        filename = f"{name}.{target_code}.{document.format}"
        key = f"t/{ctx.job.tenant_id}/translations/{ctx.job.id}/{filename}"
        with tempfile.NamedTemporaryFile(prefix="mg-doc-") as out:
            out.write(body)
            out.flush()
            size = await ctx.ports.storage.put_file(key, Path(out.name), texts_module.DOCUMENT_TYPES[document.format])
    async with ctx.uow() as uow:
        job = await ctx.load(uow)
        if document.format != "text":
            stored = await texts_module.record_document(uow, job, key, size, filename, document.format)
            result["file_id"] = str(stored.id)
        await ctx.complete(uow, result, usage_quantity=characters, unit="character")
