"""Search requests and indexing: hybrid ranking (full-text + semantic, fused by RRF) over an asset's transcripts,
on-screen text and metadata; the `search_index` job that keeps an asset's chunks in step, re-embedding only the
chunks whose text changed."""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from domain.analysis import repository as analysis_repo
from domain.assets import repository as assets_repo
from domain.assets import service as assets
from domain.db import UnitOfWork
from domain.errors import ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.ports import Ports
from domain.search import chunking, encoder, ranking, repository, text, vectors
from domain.search.models import SearchChunk, fts_key
from domain.tenancy.service import Viewer
from domain.transcripts import repository as transcripts_repo

KIND = "search_index"
MODES = ("hybrid", "full_text", "semantic")
MAX_RESULTS, MAX_QUERY = 50, 1000
CANDIDATES = 50         # taken from each ranking before fusion
SEMANTIC_FLOOR = 0.15   # cosine below which a chunk is not a semantic candidate at all


@dataclass
class SearchRequest:
    query: str
    asset_id: str | None = None
    max_results: int = 10
    mode: str = "hybrid"


async def search(uow: UnitOfWork, viewer: Viewer, req: SearchRequest) -> list[ranking.Hit]:
    query = (req.query or "").strip()
    if not query:
        raise ValidationFailed("give a query", field=["query"])
    if len(query) > MAX_QUERY:
        raise ValidationFailed(f"a query has at most {MAX_QUERY} characters", field=["query"])
    if not 1 <= req.max_results <= MAX_RESULTS:
        raise ValidationFailed(f"max results must be between 1 and {MAX_RESULTS}", field=["maxResults"])
    if req.mode not in MODES:
        raise ValidationFailed(f"mode must be one of {', '.join(MODES)}", field=["mode"])
    asset_id = (await assets.get(uow, viewer, req.asset_id, field=["assetId"])).id if req.asset_id else None
    terms = text.terms(query)
    rankings = []
    if req.mode != "semantic":
        rankings.append(await repository.full_text(uow.session, viewer.tenant_id, terms, asset_id, CANDIDATES))
    if req.mode != "full_text":
        vector = (await asyncio.to_thread(encoder.get().encode, [query]))[0]
        found = await vectors.matrix(uow.session, viewer.tenant_id)
        # numpy over up to 100k rows (~20 ms): off the event loop, like the query's embedding
        rankings.append(await asyncio.to_thread(vectors.nearest, found, vector, asset_id, CANDIDATES, SEMANTIC_FLOOR))
    fused = ranking.fuse(rankings)[: req.max_results * 4]
    chunks = {c.id: c for c in await repository.by_ids(uow.session, viewer.tenant_id, [i for i, _ in fused])}
    return ranking.hits(fused, chunks, terms, req.max_results)


# ---------------------------------------------------------------- indexing
async def request_index(uow: UnitOfWork, ports: Ports, tenant_id: uuid.UUID, asset_id: uuid.UUID | None,
                        parent_id: uuid.UUID | None = None) -> Job | None:
    """The one call a completion point makes after it changed what an asset says or shows."""
    if asset_id is None:
        return None
    return await jobs.create(uow, ports, Viewer(tenant_id=tenant_id, name="search"), kind=KIND, asset_id=asset_id,
                             parent_id=parent_id, input={"asset_id": str(asset_id)}, provider="local", priority="low")


async def drafts(uow: UnitOfWork, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> list[chunking.Draft] | None:
    """Everything searchable of the asset now (None: the asset is gone)."""
    asset = await assets_repo.get_unscoped(uow.session, asset_id)
    if asset is None or asset.tenant_id != tenant_id:
        return None
    latest = {}
    for transcription in await transcripts_repo.by_asset_ids(uow.session, tenant_id, [asset_id]):
        if transcription.status == "completed":
            latest[transcription.language] = transcription  # ordered by creation: the newest per language wins
    segments = await transcripts_repo.segments_by_transcription_ids(uow.session, tenant_id,
                                                                    [t.id for t in latest.values()])
    found = []
    for transcription in latest.values():
        found += chunking.speech(transcription.id, transcription.language,
                                 [s for s in segments if s.transcription_id == transcription.id])
    items = await analysis_repo.for_asset(uow.session, tenant_id, asset_id, "metadata")
    item = items[-1] if items else None
    if item is not None:
        found += chunking.on_screen(item.id, (item.data or {}).get("ocr"))
    found += chunking.metadata(asset.filename, asset.duration_ms, item.id if item else None,
                               item.data if item else None)
    return found


async def known_vectors(uow: UnitOfWork, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> dict[str, bytes]:
    return {c.text_digest: c.vector for c in await repository.of_asset(uow.session, tenant_id, asset_id)}


def embed(texts: dict[str, str]) -> dict[str, bytes]:
    """text digest -> vector blob, for texts no chunk has yet (runs the model: call it off the event loop)."""
    if not texts:
        return {}
    keys = list(texts)
    encoded = encoder.get().encode([texts[k] for k in keys])
    return {k: vectors.to_blob(v) for k, v in zip(keys, encoded)}


async def apply(uow: UnitOfWork, tenant_id: uuid.UUID, asset_id: uuid.UUID, embedded: dict[str, bytes]) -> dict:
    """Make the asset's chunks what its content is now, in the caller's transaction, one index job at a time."""
    if await repository.lock_asset(uow.session, asset_id) is None:
        return {"chunks": 0, "added": 0, "removed": 0, "kept": 0, "embedded": 0, "status": "asset deleted"}
    wanted = await drafts(uow, tenant_id, asset_id) or []
    existing = await repository.of_asset(uow.session, tenant_id, asset_id)
    known = {c.text_digest: c.vector for c in existing} | embedded
    missing = {d.text_digest: d.text for d in wanted if d.text_digest not in known}
    if missing:  # content changed between planning and writing: embed the rest now
        late = await asyncio.to_thread(embed, missing)
        known |= late
    kept = {c.digest for c in existing}
    by_digest = {d.digest: d for d in wanted}
    stale = [c.id for c in existing if c.digest not in by_digest]
    await repository.delete_ids(uow.session, tenant_id, stale)
    added = 0
    for digest, draft in by_digest.items():
        if digest in kept:
            continue
        ident = uuid.uuid4()
        repository.add(uow.session, SearchChunk(
            id=ident, tenant_id=tenant_id, asset_id=asset_id, source=draft.source, ref_id=draft.ref_id,
            field=draft.field, language=draft.language, start_ms=draft.start_ms, end_ms=draft.end_ms,
            text=draft.text, spans=draft.spans, digest=digest, text_digest=draft.text_digest,
            vector=known[draft.text_digest], fts_key=fts_key(ident)))
        added += 1
    await uow.session.flush()
    return {"chunks": len(by_digest), "added": added, "removed": len(stale), "kept": len(by_digest) - added,
            "embedded": len(embedded) + len(missing)}
