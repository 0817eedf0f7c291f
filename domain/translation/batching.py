"""Batches of segments for one provider call each: planning, numbered markers, and mapping answers back."""
from __future__ import annotations

import re

MARKER = re.compile(r"\[\[\s*(\d+)\s*\]\]")


def plan(texts: list[str], max_chars: int = 3000, max_items: int = 40) -> list[list[int]]:
    """Consecutive index runs under both limits; neighbours share a batch, so each is translated in context."""
    batches, current, size = [], [], 0
    for index, text in enumerate(texts):
        cost = len(text) + 8
        if current and (size + cost > max_chars or len(current) >= max_items):
            batches.append(current)
            current, size = [], 0
        current.append(index)
        size += cost
    if current:
        batches.append(current)
    return batches


def join(texts: list[str]) -> str:
    """One line per item, each led by `[[n]]`: markers machine translators pass through untouched."""
    if len(texts) == 1:
        return texts[0]
    return "\n".join(f"[[{n}]] {' '.join(t.split())}" for n, t in enumerate(texts, 1))


def split(answer: str, count: int) -> list[str] | None:
    """The items back in order, or None unless every marker 1..count came back exactly once, in order."""
    if count == 1:
        return [answer.strip()]
    pieces = MARKER.split(answer)
    numbers = [int(n) for n in pieces[1::2]]
    if numbers != list(range(1, count + 1)) or pieces[0].strip():
        return None
    texts = [p.strip() for p in pieces[2::2]]
    return texts if all(texts) else None


def strip_code_fence(text: str) -> str:
    """Language models like to wrap JSON in ``` fences."""
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip()


SENTENCE_END = re.compile(r"(?<=[.!?…。])\s+")


def pieces(text: str, limit: int = 2500) -> list[str]:
    """A text longer than one request allows, cut at sentence ends (or hard at `limit` when a sentence is longer)."""
    if len(text) <= limit:
        return [text]
    out, current = [], ""
    for sentence in SENTENCE_END.split(text):
        while len(sentence) > limit:
            out.append(sentence[:limit])
            sentence = sentence[limit:]
        if current and len(current) + 1 + len(sentence) > limit:
            out.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        out.append(current)
    return out
