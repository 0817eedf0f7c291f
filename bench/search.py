"""Search: latency of one hybrid search (query embedding, full-text, numpy scoring over the tenant's matrix, the hit
rows) at 10k and 100k generated chunks, through the domain service as a resolver calls it; and indexing throughput
(chunks embedded by the ONNX model and written, per second). SQLite always; PostgreSQL too when DATABASE_URL is set.

The 100k corpus is generated: sentences drawn by Zipf's law from ~20k English words, and random unit
vectors (scoring costs the same whatever the vectors hold; embedding 100k texts would take minutes and measure the
model, which the throughput row does)."""
from __future__ import annotations

import asyncio
import math
import os
import random
import tempfile
import time
import uuid

import numpy as np
import sqlalchemy as sa

from app import migrate
from bench.common import percentile, table
from domain.assets.models import Asset
from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.search import service, vectors
from domain.search.chunking import sha
from domain.search.models import SPEECH, SearchChunk, fts_key
from domain.settings import Settings
from domain.tenancy import service as tenancy
from domain.tenancy.service import Viewer
from workers.engines import embeddings  # noqa: F401  (installs the encoder)

SIZES = tuple(int(s) for s in os.environ.get("BENCH_SEARCH_SIZES", "10000,100000").split(","))
SEARCHES = int(os.environ.get("BENCH_SEARCHES", "200"))
INDEXED = int(os.environ.get("BENCH_INDEXED", "1000"))
PER_ASSET = 100
WORDS = ("council budget transport buses trains roads region residents schools parks library hospital doctors "
         "ward children heart airport runway repairs students university rents housing rain flood river streets "
         "firefighters basements bakery bread prize football coach defence tennis final marathon storm runners "
         "election results snow warning mountains weather").split()
QUERIES = ["when will the buses run more often", "flooded streets near the river", "who won the bread prize",
           "new ward for children at the hospital", "airport runway closed for repairs",
           "students protest about rent", "football coach and the defence", "marathon cancelled by the storm",
           "snow warning for the mountains", "election results tonight"]


def vocabulary() -> list[str]:
    """~20k English words (the model's WordPiece vocabulary, whole alphabetic words only), in a fixed random order
    that serves as their frequency rank: sentences drawn from it by Zipf's law match a query term about as often
    as real transcripts do, with the news words above mixed in (each in ~7 % of chunks)."""
    import json

    from workers.engines.embeddings import TOKENIZER, locate

    vocab = json.loads(locate(*TOKENIZER).read_text())["model"]["vocab"]
    words = sorted(w for w in vocab if w.isalpha() and w.isascii() and len(w) > 1)
    random.Random(3).shuffle(words)
    return words


VOCABULARY: list[str] = []


def sentence(rng: random.Random) -> str:
    if not VOCABULARY:
        VOCABULARY.extend(vocabulary())
    picks = []
    for _ in range(rng.randint(40, 80)):
        if rng.random() < 0.05:
            picks.append(rng.choice(WORDS))
        else:
            picks.append(VOCABULARY[int(math.exp(rng.random() * math.log(len(VOCABULARY)))) - 1])  # P(rank) ~ 1/rank
    return " ".join(picks).capitalize() + "."


async def tenant_of(sessionmaker) -> uuid.UUID:
    async with UnitOfWork(sessionmaker) as uow:
        tenant, _ = await tenancy.create_tenant_with_key(uow.session, f"bench-{uuid.uuid4().hex[:6]}")
    return tenant.id


async def fill(sessionmaker, tenant_id: uuid.UUID, count: int, rng: random.Random) -> float:
    """Generated chunks (random unit vectors) in assets of PER_ASSET chunks; returns seconds taken."""
    started = time.perf_counter()
    for first in range(0, count, 5000):
        unit = iter(random_units(rng, min(count, first + 5000) - first))
        async with UnitOfWork(sessionmaker) as uow:
            assets, rows = [], []
            for n in range(first, min(count, first + 5000)):
                if n % PER_ASSET == 0:
                    assets.append({"id": uuid.uuid4(), "tenant_id": tenant_id, "filename": f"bench-{n}.mp4",
                                   "status": "ready"})
                text = sentence(rng)
                vector = next(unit)
                ident = uuid.uuid4()
                rows.append({"id": ident, "tenant_id": tenant_id, "asset_id": assets[-1]["id"], "source": SPEECH,
                             "start_ms": (n % PER_ASSET) * 20_000, "end_ms": (n % PER_ASSET) * 20_000 + 30_000,
                             "text": text, "digest": sha(f"{ident}"), "text_digest": sha(text), "vector": vector,
                             "fts_key": fts_key(ident), "language": "en"})
            await uow.session.execute(sa.insert(Asset), assets)
            await uow.session.execute(sa.insert(SearchChunk), rows)
    return time.perf_counter() - started


def random_units(rng: random.Random, count: int) -> list[bytes]:
    v = np.random.default_rng(rng.getrandbits(32)).standard_normal((count, 384)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return [vectors.to_blob(row) for row in v]


async def throughput(sessionmaker, tenant_id: uuid.UUID, rng: random.Random) -> float:
    """Chunks per second of the real path: texts embedded by the model, rows written with their FTS entries."""
    texts = {}
    while len(texts) < INDEXED:
        text = sentence(rng)
        texts[sha(text)] = text
    started = time.perf_counter()
    blobs = await asyncio.to_thread(service.embed, texts)
    async with UnitOfWork(sessionmaker) as uow:
        asset = uuid.uuid4()
        await uow.session.execute(sa.insert(Asset), [{"id": asset, "tenant_id": tenant_id, "filename": "x.mp4",
                                                      "status": "ready"}])
        for n, (digest, text) in enumerate(texts.items()):
            ident = uuid.uuid4()
            uow.session.add(SearchChunk(id=ident, tenant_id=tenant_id, asset_id=asset, source=SPEECH,
                                        start_ms=n * 20_000, end_ms=n * 20_000 + 30_000, text=text,
                                        digest=sha(f"{ident}"), text_digest=digest, vector=blobs[digest],
                                        fts_key=fts_key(ident)))
    return len(texts) / (time.perf_counter() - started)


async def latencies(sessionmaker, tenant_id: uuid.UUID) -> tuple[list[float], list[float], float]:
    """Wall and CPU milliseconds per search (CPU: this process, all its threads: what the search costs when the
    machine is shared; the database server's own CPU is in the wall time only)."""
    viewer = Viewer(tenant_id=tenant_id, name="bench")
    cold = time.perf_counter()
    async with UnitOfWork(sessionmaker) as uow:
        await service.search(uow, viewer, service.SearchRequest(QUERIES[0]))
    cold = time.perf_counter() - cold
    timings, cpu = [], []
    for n in range(SEARCHES):
        started, used = time.perf_counter(), time.process_time()
        async with UnitOfWork(sessionmaker) as uow:
            hits = await service.search(uow, viewer, service.SearchRequest(QUERIES[n % len(QUERIES)]))
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        assert hits
    return timings, cpu, cold


def load() -> str:
    """The machine's 1-minute load average: on a shared 2-core machine, wall times mean little without it."""
    return f"{os.getloadavg()[0]:.1f}"


async def run(label: str, settings: Settings) -> list[tuple]:
    await asyncio.to_thread(migrate, settings)
    engine = make_engine(settings.database_url)
    sessionmaker = make_sessionmaker(engine)
    rows = []
    try:
        rng = random.Random(7)
        tenant_id = await tenant_of(sessionmaker)
        rate = await throughput(sessionmaker, tenant_id, rng)
        print(f"{label} indexing: {rate:.0f} chunks/s, load {load()}", flush=True)
        rows.append((label, "indexing", f"{INDEXED} chunks", f"{rate:.0f} chunks/s", "", "", "", "",
                     load(), ""))
        have = INDEXED
        for size in SIZES:
            await fill(sessionmaker, tenant_id, size - have, rng)
            have = size
            timings, cpu, cold = await latencies(make_sessionmaker(engine, reads=True), tenant_id)
            print(f"{label} {size} chunks: p50 {percentile(timings, 50):.1f} p95 {percentile(timings, 95):.1f} ms "
                  f"(CPU {percentile(cpu, 50):.1f}/{percentile(cpu, 95):.1f}), load {load()}", flush=True)
            rows.append((label, "search", f"{size:,} chunks", f"{percentile(timings, 50):.1f}",
                         f"{percentile(timings, 95):.1f}", f"{percentile(cpu, 50):.1f}", f"{percentile(cpu, 95):.1f}",
                         f"{cold * 1000:.0f}", load(), "p95 <= 100 ms" if size >= 100_000 else ""))
    finally:
        await engine.dispose()
    return rows


def main() -> None:
    out = [("backend", "what", "size", "p50 ms / rate", "p95 ms", "p50 CPU ms", "p95 CPU ms",
            "first (matrix load) ms", "load avg", "goal")]
    with tempfile.TemporaryDirectory(prefix="mg-bench-search-") as folder:
        out += asyncio.run(run("SQLite", Settings.from_env({"DATA_DIR": folder})))
    url = os.environ.get("DATABASE_URL")
    if url:
        import asyncpg

        name = f"mg_bench_{uuid.uuid4().hex[:8]}"

        async def create() -> None:
            conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
            await conn.execute(f'CREATE DATABASE "{name}"')
            await conn.close()

        async def drop() -> None:
            conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.close()

        asyncio.run(create())
        try:
            with tempfile.TemporaryDirectory(prefix="mg-bench-search-") as folder:
                base = url.rsplit("/", 1)[0]
                out += asyncio.run(run("PostgreSQL", Settings.from_env({"DATA_DIR": folder,
                                                                         "DATABASE_URL": f"{base}/{name}"})))
        finally:
            asyncio.run(drop())
    table(f"Search: one hybrid query ({SEARCHES} searches, {len(QUERIES)} questions in turn, max 10 hits); "
          f"indexing with the ONNX model, {os.cpu_count()} cores", out)


if __name__ == "__main__":
    main()
