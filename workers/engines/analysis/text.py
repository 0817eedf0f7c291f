"""Text analysers over the transcript (and on-screen text): VADER sentiment, YAKE topics, extractive summary."""
from __future__ import annotations

import functools

from workers.engines import summarizer


@functools.lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _label(score: float) -> str:
    return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"


def sentiment(segments: list[dict]) -> dict:
    """Per segment and overall (duration-weighted compound score, -1..1)."""
    instances, weighted, total = [], 0.0, 0
    for s in segments:
        score = _vader().polarity_scores(s["text"])["compound"]
        length = max(1, s["end_ms"] - s["start_ms"])
        weighted, total = weighted + score * length, total + length
        instances.append({"start_ms": s["start_ms"], "end_ms": s["end_ms"], "label": _label(score),
                          "score": round(score, 3)})
    overall = weighted / total if total else 0.0
    return {"overall": _label(overall), "score": round(overall, 3), "instances": instances}


def topics(segments: list[dict], screen_text: list[dict], top: int = 8) -> list[dict]:
    """Key phrases (YAKE, lower score = more relevant) with where they are said or shown."""
    import yake

    text = " ".join([s["text"] for s in segments] + [t["text"] for t in screen_text])
    if len(text.split()) < 3:
        return []
    phrases = yake.KeywordExtractor(lan="en", n=2, top=top).extract_keywords(text)
    out = []
    for phrase, score in phrases:
        needle = phrase.lower()
        spans = [{"start_ms": s["start_ms"], "end_ms": s["end_ms"], "confidence": None} for s in segments
                 if needle in s["text"].lower()]
        spans += [dict(i) for t in screen_text if needle in t["text"].lower() for i in t["instances"]]
        out.append({"name": phrase, "confidence": round(float(1 / (1 + score)), 3), "instances": spans})
    return out


def summary(segments: list[dict]) -> str:
    return summarizer.extractive(" ".join(s["text"] for s in segments), sentences=3)
