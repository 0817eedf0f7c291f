"""Translation backends: deep-translator's engines and an OpenAI-compatible model, each one provider call per batch."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

from domain import languages
from domain.translation import batching

FORMALITY_HINT = {"formal": "Use a formal register (e.g. 'usted', 'Sie', 'vous').",
                  "informal": "Use an informal register (e.g. 'tú', 'du', 'tu')."}


class ProviderFailed(Exception):
    """The provider answered with an error or not at all; the caller retries, then fails the job. A permanent failure
    (a refused key, a bad request, an unsupported language: a 4xx other than 408 and 429) fails at once."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


TRANSIENT_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
RETRY_AFTER_CAP_S = 30.0


def _permanent_deep(exc: Exception) -> bool:
    """deep-translator's errors: which say that asking again cannot help."""
    from deep_translator import exceptions as e

    if isinstance(exc, (e.AuthorizationException, e.ApiKeyException, e.LanguageNotSupportedException,
                        e.InvalidSourceOrTargetLanguage, e.NotValidPayload, e.NotValidLength)):
        return True
    if isinstance(exc, e.ServerException):  # it keeps only the status's message: map it back
        status = {m: code for code, m in e.ServerException.errors.items()}.get(str(exc.args[0]) if exc.args else "")
        return status is not None and status not in TRANSIENT_STATUSES
    return False


class Mismatch(Exception):
    """The provider's answer could not be mapped back onto the batch (the caller splits the batch)."""


def provider_code(code: str, codes: set[str] | None) -> str | None:
    return languages.spelling(code, codes)


@dataclass
class Translator:
    """One configured backend. `languages` are the provider's own codes (None: any language)."""

    id: str
    name: str
    languages: set[str] | None
    features: list[str]
    make: Callable[[str, str], object] | None = None  # deep-translator factory (source, target) -> engine
    chat: "ChatClient | None" = None
    calls: int = field(default=0)

    def supports(self, code: str) -> bool:
        return provider_code(code, self.languages) is not None

    def translate_batch(self, texts: list[str], source: str | None, target: str, formality: str | None = None,
                        context: str | None = None) -> list[str]:
        """Exactly one provider request for all `texts`; raises Mismatch when the answer cannot be split back."""
        self.calls += 1
        if self.chat is not None:
            return self._chat_batch(texts, source, target, formality, context)
        src = provider_code(source, self.languages) if source else "auto"
        engine = self.make(src or "auto", provider_code(target, self.languages))
        joined = batching.join(texts)
        try:
            answer = engine.translate(joined)
        except Exception as exc:  # deep-translator raises its own and requests' exceptions
            raise ProviderFailed(f"{self.name}: {type(exc).__name__}: {exc}"[:300], _permanent_deep(exc)) from exc
        if answer is None:
            raise ProviderFailed(f"{self.name} returned no translation")
        parts = batching.split(answer, len(texts))
        if parts is None:
            raise Mismatch(f"{self.name} did not keep the segment markers")
        return parts

    def _chat_batch(self, texts, source, target, formality, context) -> list[str]:
        instructions = (
            f"Translate each item of the JSON array from {source or 'the detected language'} to {target}. "
            "Answer with a JSON array of the same length, the translations in the same order, nothing else. "
            "Keep line breaks inside items. " + FORMALITY_HINT.get(formality or "", "")
            + (f" Context from the requester: {context}" if context else ""))
        answer = self.chat.complete(instructions, json.dumps(texts, ensure_ascii=False))
        try:
            parsed = json.loads(batching.strip_code_fence(answer))
        except ValueError as exc:
            raise Mismatch("the model did not answer a JSON array") from exc
        if not isinstance(parsed, list) or len(parsed) != len(texts) or not all(isinstance(p, str) for p in parsed):
            raise Mismatch("the model answered a different number of items")
        return parsed


class ChatClient:
    """OpenAI-compatible chat completions through the official client (its own retries off: ours apply).

    A transient failure (no connection, a timeout, 408/429/5xx) is tried again up to `attempts` times with
    exponential backoff, or after the answer's Retry-After (at most 30 s); any other error fails at once."""

    def __init__(self, base_url: str, api_key: str | None, model: str, timeout: float, attempts: int = 1):
        from openai import OpenAI

        self.model = model
        self.attempts = max(1, attempts)
        self.client = OpenAI(base_url=base_url, api_key=api_key or "unused", timeout=timeout, max_retries=0)

    def complete(self, system: str, user: str, images: list[bytes] | None = None) -> str:
        """One chat completion; `images` (JPEG bytes) go along as data URLs for a vision-language model."""
        import base64

        content = user if not images else [{"type": "text", "text": user}] + [
            {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64," + base64.b64encode(i).decode()}}
            for i in images]
        messages = [{"role": "system", "content": system}, {"role": "user", "content": content}]
        reply = self._create(messages)
        content = reply.choices[0].message.content if reply.choices else None
        if not content:
            raise ProviderFailed("openai-compatible: empty answer")
        return content

    def _create(self, messages: list[dict]):
        import time

        import openai

        for attempt in range(1, self.attempts + 1):
            try:
                return self.client.chat.completions.create(model=self.model, temperature=0, messages=messages)
            except Exception as exc:
                status = getattr(exc, "status_code", None)
                transient = isinstance(exc, (openai.APIConnectionError, openai.APITimeoutError)) or \
                    status in TRANSIENT_STATUSES
                failed = ProviderFailed(f"openai-compatible: {type(exc).__name__}: {exc}"[:300], not transient)
                if not transient or attempt == self.attempts:
                    raise failed from exc
                time.sleep(_pause(exc, attempt))
        raise AssertionError("unreachable")


def _pause(exc: Exception, attempt: int) -> float:
    """The answer's Retry-After (seconds, capped) when it gave one, else exponential backoff."""
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return min(RETRY_AFTER_CAP_S, max(0.0, float(value)))
    except (TypeError, ValueError):
        return min(8.0, 0.5 * 2 ** (attempt - 1))


def _deep(settings, provider_id: str) -> Translator | None:
    from deep_translator import (DeeplTranslator, GoogleTranslator, LibreTranslator, MicrosoftTranslator,
                                 MyMemoryTranslator, PapagoTranslator, QcriTranslator, YandexTranslator)
    from deep_translator import constants as c

    if provider_id == "libre" and settings.libretranslate_url:
        url = settings.libretranslate_url.rstrip("/") + "/"  # deep-translator joins "translate" onto it
        key = settings.libretranslate_api_key or "none"  # it refuses an empty key even where none is needed
        return Translator("libre", "LibreTranslate", set(c.LIBRE_LANGUAGES_TO_CODES.values()), ["text"],
                          lambda s, t: LibreTranslator(source=s, target=t, api_key=key, custom_url=url))
    if provider_id == "deepl" and settings.deepl_api_key:
        return Translator("deepl", "DeepL", set(c.DEEPL_LANGUAGE_TO_CODE.values()), ["text"],
                          lambda s, t: DeeplTranslator(source=s, target=t, api_key=settings.deepl_api_key,
                                                       use_free_api=settings.deepl_free_api))
    if provider_id == "microsoft" and settings.microsoft_translator_key:
        return Translator("microsoft", "Microsoft Translator", None, ["text"],
                          lambda s, t: MicrosoftTranslator(source=None if s == "auto" else s, target=t,
                                                           api_key=settings.microsoft_translator_key,
                                                           region=settings.microsoft_translator_region))
    if provider_id == "yandex" and settings.yandex_api_key:
        return Translator("yandex", "Yandex Translate", None, ["text"],
                          lambda s, t: YandexTranslator(source=s, target=t, api_key=settings.yandex_api_key))
    if provider_id == "papago" and settings.papago_client_id and settings.papago_secret_key:
        return Translator("papago", "Papago", set(c.PAPAGO_LANGUAGE_TO_CODE), ["text"],
                          lambda s, t: PapagoTranslator(client_id=settings.papago_client_id,
                                                        secret_key=settings.papago_secret_key, source=s, target=t))
    if provider_id == "qcri" and settings.qcri_api_key:
        return Translator("qcri", "QCRI", set(c.QCRI_LANGUAGE_TO_CODE.values()), ["text"],
                          lambda s, t: QcriTranslator(source="en" if s == "auto" else s, target=t,
                                                      api_key=settings.qcri_api_key))
    if provider_id == "google" and "google" in settings.translation_providers:
        return Translator("google", "Google Translate", set(c.GOOGLE_LANGUAGES_TO_CODES.values()), ["text"],
                          lambda s, t: GoogleTranslator(source=s, target=t))
    if provider_id == "mymemory" and "mymemory" in settings.translation_providers:
        return Translator("mymemory", "MyMemory", set(c.MY_MEMORY_LANGUAGES_TO_CODES.values()), ["text"],
                          lambda s, t: MyMemoryTranslator(source="en-US" if s == "auto" else s, target=t))
    return None


# Configured machine translation first (cheap, fast), then a language model (formality, context), then the
# keyless public endpoints; a request for formality prefers a provider that offers it.
ORDER = ("libre", "deepl", "microsoft", "yandex", "papago", "qcri", "openai-compatible", "google", "mymemory")


def language_model(settings, attempts: int | None = None) -> ChatClient | None:
    """The configured model; its transient failures retried PROVIDER_ATTEMPTS times (translation retries per batch
    itself, so it asks for one)."""
    if not settings.openai_base_url:
        return None
    return ChatClient(settings.openai_base_url, settings.openai_api_key, settings.openai_model,
                      settings.provider_timeout_s, settings.provider_attempts if attempts is None else attempts)


def configured(settings) -> list[Translator]:
    """The translators this deployment has, in order of preference."""
    found = []
    for provider_id in ORDER:
        if provider_id == "openai-compatible":
            chat = language_model(settings, attempts=1)
            if chat is not None:
                found.append(Translator("openai-compatible", f"OpenAI-compatible ({settings.openai_model})", None,
                                        ["text", "formality"], chat=chat))
            continue
        translator = _deep(settings, provider_id)
        if translator is not None:
            found.append(translator)
    return found


async def translate_texts(translator: Translator, texts: list[str], source: str | None, target: str, *,
                          formality: str | None = None, context: str | None = None, attempts: int = 3,
                          timeout: float = 30.0, on_batch=None) -> list[str]:
    """Translate every text; texts longer than one request allows are cut at sentence ends and joined again."""
    owners, flat = [], []
    for index, text in enumerate(texts):
        for piece in batching.pieces(text):
            owners.append(index)
            flat.append(piece)
    translated = await _translate_flat(translator, flat, source, target, formality=formality, context=context,
                                       attempts=attempts, timeout=timeout, on_batch=on_batch)
    joined: list[list[str]] = [[] for _ in texts]
    for owner, text in zip(owners, translated):
        joined[owner].append(text)
    return [" ".join(parts) if len(parts) > 1 else (parts[0] if parts else texts[i]) for i, parts in enumerate(joined)]


async def _translate_flat(translator: Translator, texts: list[str], source: str | None, target: str, *,
                          formality: str | None, context: str | None, attempts: int, timeout: float,
                          on_batch) -> list[str]:
    """Translate `texts` in planned batches; a batch whose answer cannot be mapped back is halved until it can.

    Provider errors and timeouts are retried with backoff; after `attempts` the job fails with
    PROVIDER_UNAVAILABLE and nothing is written."""
    import asyncio

    from domain.errors import DomainError, ErrorCode

    out: list[str | None] = [None] * len(texts)
    blank = [i for i, t in enumerate(texts) if not t.strip()]
    for i in blank:
        out[i] = texts[i]
    wanted = [i for i in range(len(texts)) if out[i] is None]
    batches = [[wanted[j] for j in run] for run in batching.plan([texts[i] for i in wanted])]
    done_batches = 0

    async def call(indices: list[int]) -> list[str]:
        for attempt in range(1, attempts + 1):
            try:
                return await asyncio.wait_for(asyncio.to_thread(
                    translator.translate_batch, [texts[i] for i in indices], source, target, formality, context),
                    timeout)
            except Mismatch:
                raise
            except (ProviderFailed, asyncio.TimeoutError) as exc:
                if attempt == attempts or getattr(exc, "permanent", False):
                    reason = "timed out" if isinstance(exc, asyncio.TimeoutError) else str(exc)
                    raise DomainError(f"translation provider {translator.id} failed after {attempt} attempt(s): {reason}",
                                      code=ErrorCode.PROVIDER_UNAVAILABLE) from exc
                await asyncio.sleep(min(4.0, 0.25 * 2 ** attempt))
        raise AssertionError("unreachable")

    async def run(indices: list[int]) -> None:
        try:
            results = await call(indices)
        except Mismatch:
            if len(indices) == 1:
                raise DomainError(f"translation provider {translator.id} returned an unusable answer",
                                  code=ErrorCode.PROVIDER_UNAVAILABLE)
            half = len(indices) // 2
            await run(indices[:half])
            await run(indices[half:])
            return
        for i, text in zip(indices, results):
            out[i] = text

    for indices in batches:
        await run(indices)
        done_batches += 1
        if on_batch is not None:
            await on_batch(done_batches, len(batches))
    return [t if t is not None else "" for t in out]
