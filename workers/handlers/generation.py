"""Generation jobs: a summary or a paraphrase of a transcript, by the language model or (summary) offline."""
from __future__ import annotations

import asyncio

from domain.errors import DomainError, ErrorCode
from domain.translation import service as translation
from workers.engines import summarizer, translators
from workers.runner import JobContext, handles


@handles("generation")
async def generate(ctx: JobContext) -> None:
    operation, context = ctx.job.input["operation"], ctx.job.input.get("context")
    async with ctx.uow() as uow:
        segments = await translation.source_segments(uow, ctx.job.tenant_id, ctx.job.input["transcription_id"])
    text = " ".join(s.text.strip() for s in segments)
    await ctx.progress(10, stage=operation)
    if ctx.job.provider == "openai-compatible":
        chat = translators.language_model(ctx.ports.settings)
        if chat is None:
            raise DomainError("the language model is no longer configured", code=ErrorCode.PROVIDER_UNAVAILABLE)
        try:
            output = await asyncio.to_thread(summarizer.with_model, chat, operation, text, context)
        except translators.ProviderFailed as exc:
            raise DomainError(str(exc), code=ErrorCode.PROVIDER_UNAVAILABLE) from exc
    elif operation == "summary":
        output = await asyncio.to_thread(summarizer.extractive, text)
    else:
        raise DomainError(f"{operation} needs a language-model provider", code=ErrorCode.NO_PROVIDER)
    async with ctx.uow() as uow:
        await ctx.complete(uow, {"operation": operation, "text": output, "provider": ctx.job.provider,
                                 "method": "language model" if ctx.job.provider != "local" else "extractive (LexRank)",
                                 "characters": len(text)}, usage_quantity=len(text), unit="character")
