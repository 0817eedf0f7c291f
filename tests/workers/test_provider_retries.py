"""Transient provider failures are tried again with backoff; permanent ones fail at once (a real chat server)."""
from __future__ import annotations

import uuid

import pytest

from workers.engines import translators
from workers.engines.translators import ChatClient, ProviderFailed, Translator


def _marker(n: int) -> str:
    return f"FLAKY-{n}-{uuid.uuid4().hex[:8]}"


def test_a_provider_that_answers_503_twice_then_200_succeeds(chat):
    marker = _marker(2)
    client = ChatClient(chat.url, "sk-test", "test-model", timeout=10, attempts=3)
    assert client.complete("Summarize this.", f"news {marker}").startswith("SUMMARY: ")
    assert chat.count(marker) == 3  # two refusals (Retry-After: 0 honoured), then the answer


def test_a_permanent_refusal_fails_at_once(chat):
    marker = uuid.uuid4().hex
    client = ChatClient(chat.url, "sk-test", "test-model", timeout=10, attempts=3)
    with pytest.raises(ProviderFailed) as caught:
        client.complete("Summarize this.", f"BAD-REQUEST {marker}")
    assert caught.value.permanent and chat.count(marker) == 1


def test_a_provider_still_down_after_every_attempt_fails(chat):
    marker = uuid.uuid4().hex
    client = ChatClient(chat.url, "sk-test", "test-model", timeout=10, attempts=2)
    with pytest.raises(ProviderFailed) as caught:
        client.complete("Summarize this.", f"PROVIDER-DOWN {marker}")
    assert not caught.value.permanent and chat.count(marker) == 2


async def test_translation_retries_a_flaky_batch_and_gives_up_on_a_bad_one_at_once(chat):
    from domain.errors import DomainError, ErrorCode

    model = Translator("openai-compatible", "chat", None, ["text"], chat=ChatClient(chat.url, "k", "m", 10, attempts=1))
    marker = _marker(1)
    out = await translators.translate_texts(model, [f"hello {marker}"], "en", "es", attempts=3, timeout=10)
    assert len(out) == 1 and chat.count(marker) == 2

    bad = uuid.uuid4().hex
    with pytest.raises(DomainError) as caught:
        await translators.translate_texts(model, [f"BAD-REQUEST {bad}"], "en", "es", attempts=3, timeout=10)
    assert caught.value.code == ErrorCode.PROVIDER_UNAVAILABLE and "after 1 attempt(s)" in caught.value.message
    assert chat.count(bad) == 1
