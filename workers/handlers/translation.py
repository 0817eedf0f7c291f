"""Translation and retranslation jobs: batches to the provider, every target written in one final transaction."""
from __future__ import annotations

from domain.errors import DomainError, ErrorCode
from domain.translation import service as translation
from workers.engines import translators
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
        await ctx.complete(uow, {"transcriptions": summaries, "character_count": characters,
                                 "provider_calls": translator.calls}, usage_quantity=characters, unit="character")
