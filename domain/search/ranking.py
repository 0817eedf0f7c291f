"""Reciprocal Rank Fusion of the full-text and semantic rankings, and hits made from the fused chunks: a speech
window lands on the segment that matched, and a moment several chunks or sources found is returned once."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain.search import text as words
from domain.search.models import METADATA, SPEECH, SearchChunk

RRF_K = 60  # the constant of Cormack et al.; it damps the weight of the very first ranks


@dataclass
class Hit:
    asset_id: uuid.UUID
    start_ms: int
    end_ms: int
    text: str
    score: float
    source: str
    transcription_id: uuid.UUID | None
    metadata_id: uuid.UUID | None
    field: str | None
    language: str | None
    chunk_id: uuid.UUID


def fuse(rankings: list[list[uuid.UUID]], k: int = RRF_K) -> list[tuple[uuid.UUID, float]]:
    scores: dict[uuid.UUID, float] = {}
    for ranking in rankings:
        for rank, ident in enumerate(ranking, start=1):
            scores[ident] = scores.get(ident, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))


def _narrowed(chunk: SearchChunk, terms: list[str]) -> tuple[int, int, str]:
    """Speech: the segment with the most matched words (its times, the snippet from it); else the whole chunk."""
    start, end, offset = chunk.start_ms, chunk.end_ms, 0
    if chunk.source == SPEECH and chunk.spans and terms:
        bounds = [s[2] for s in chunk.spans] + [len(chunk.text)]
        best, best_count = None, 0
        for n, (s_start, s_end, s_offset) in enumerate(chunk.spans):
            count = words.count_matches(chunk.text[s_offset:bounds[n + 1]], terms)
            if count > best_count:
                best, best_count = (s_start, s_end, s_offset), count
        if best is not None:
            start, end, offset = best
    snippet, _ = words.marked(chunk.text[offset:], terms)
    return start, end, ("…" + snippet if offset else snippet)


def _same_moment(a: Hit, b: Hit) -> bool:
    if a.asset_id != b.asset_id:
        return False
    if (a.source == METADATA) != (b.source == METADATA):
        return False  # the asset's description is not a moment of it
    if a.source == METADATA:
        return True
    return a.start_ms < b.end_ms and b.start_ms < a.end_ms or a.start_ms == b.start_ms


def hits(fused: list[tuple[uuid.UUID, float]], chunks: dict[uuid.UUID, SearchChunk], terms: list[str],
         limit: int) -> list[Hit]:
    found: list[Hit] = []
    for ident, score in fused:
        chunk = chunks.get(ident)
        if chunk is None:
            continue
        start, end, snippet = _narrowed(chunk, terms)
        hit = Hit(chunk.asset_id, start, end, snippet, round(score, 6), chunk.source,
                  chunk.ref_id if chunk.source == SPEECH else None,
                  chunk.ref_id if chunk.source != SPEECH else None, chunk.field, chunk.language, chunk.id)
        if any(_same_moment(hit, kept) for kept in found):
            continue  # a better-ranked hit already stands for this moment
        found.append(hit)
        if len(found) == limit:
            break
    return found
