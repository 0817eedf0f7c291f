"""The semantic half: each tenant's chunk vectors as one float32 matrix in process memory, scored with numpy.

The matrix is loaded by a tenant-scoped query and kept until the tenant's newest chunk changes, so a search costs
one index probe plus one matrix-vector product (~100k x 384 in ~15 ms)."""
from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from domain.search import repository

DIMENSIONS = 384
MAX_TENANTS = 16  # matrices kept; the least recently searched tenant's goes first


@dataclass
class Matrix:
    ids: list[uuid.UUID]
    assets: np.ndarray       # per row, the index of its asset in asset_index
    asset_index: dict[uuid.UUID, int]
    vectors: np.ndarray      # rows x 384, float32, L2-normalised


_cache: OrderedDict[uuid.UUID, tuple[tuple, Matrix]] = OrderedDict()
_lock = threading.Lock()


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, np.float32).tobytes()


def _build(rows) -> Matrix:
    asset_index: dict[uuid.UUID, int] = {}
    assets = np.fromiter((asset_index.setdefault(a, len(asset_index)) for _, a, _ in rows), np.int32, len(rows))
    vectors = np.frombuffer(b"".join(v for _, _, v in rows), np.float32).reshape(len(rows), DIMENSIONS)
    return Matrix([i for i, _, _ in rows], assets, asset_index, vectors)


async def matrix(session, tenant_id: uuid.UUID) -> Matrix:
    signature = await repository.signature(session, tenant_id)
    with _lock:
        cached = _cache.get(tenant_id)
        if cached is not None and cached[0] == signature:
            _cache.move_to_end(tenant_id)
            return cached[1]
    built = _build(await repository.vectors(session, tenant_id))
    with _lock:
        _cache[tenant_id] = (signature, built)
        _cache.move_to_end(tenant_id)
        while len(_cache) > MAX_TENANTS:
            _cache.popitem(last=False)
    return built


def nearest(found: Matrix, query: np.ndarray, asset_id: uuid.UUID | None, limit: int,
            floor: float) -> list[uuid.UUID]:
    """Row ids by cosine similarity to the query, best first, at or above `floor`."""
    if not found.ids:
        return []
    scores = found.vectors @ np.asarray(query, np.float32)
    if asset_id is not None:
        index = found.asset_index.get(asset_id)
        if index is None:
            return []
        scores = np.where(found.assets == index, scores, -np.inf)
    take = min(limit, len(scores))
    top = np.argpartition(-scores, take - 1)[:take]
    top = top[np.argsort(-scores[top])]
    return [found.ids[i] for i in top if scores[i] >= floor]
