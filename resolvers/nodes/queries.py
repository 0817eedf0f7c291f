"""The `node` and `nodes` queries: a tenant's objects by id, one query per Node model however many ids are asked."""
from __future__ import annotations

import uuid

from domain.errors import NotFound


def _parsed(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None  # a malformed id is simply not found, like another tenant's


async def _found(info, ids) -> dict[uuid.UUID, object]:
    loaders = info.context.loaders
    info.context.require_viewer()
    wanted = {key for key in map(_parsed, ids) if key is not None}
    found = {}
    # The models in a fixed order, each loader batching every id still unknown: the statements a `nodes` call
    # issues are bounded by the number of Node models, not by the number of ids.
    for loader in loaders.nodes.values():
        remaining = [key for key in wanted if key not in found]
        if not remaining:
            break
        found.update((key, row) for key, row in zip(remaining, await loader.load_many(remaining)) if row is not None)
    return found


async def _missing(id: str):
    raise NotFound("node", id)


async def node(info, id: str):
    found = await _found(info, [id])
    row = found.get(_parsed(id))
    if row is None:
        raise NotFound("node", id)
    return row


async def nodes(info, ids: list[str]) -> list:
    found = await _found(info, ids)
    # An id not found reads as a null entry with its own NOT_FOUND error at nodes[i].
    return [found.get(_parsed(id)) or _missing(id) for id in ids]
