"""The per-request context: app state, the viewer, the request's read transaction and its dataloaders."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.litestar import BaseContext

from domain.assets import loaders as asset_loaders
from domain.brandings import loaders as branding_loaders
from domain.clips import loaders as clip_loaders
from domain.exports import loaders as export_loaders
from domain.db import UnitOfWork
from domain.errors import Unauthenticated
from domain.jobs import loaders as job_loaders
from domain.nodes import loaders as node_loaders
from domain.transcripts import loaders as transcript_loaders
from domain.analysis import loaders as analysis_loaders
from domain.webhooks import loaders as webhook_loaders
from domain.ports import Ports
from domain.tenancy.service import Viewer


@dataclass
class AppState:
    """What app.py wires: settings, ports, the API process's session factory."""

    ports: Ports
    sessionmaker: Any  # for work that writes (mutations)
    authenticate: Any  # async (raw credential) -> Viewer | None
    read_sessionmaker: Any = None  # one snapshot per request
    issue_token: Any = None  # async (client_id, client_secret) -> JWT | None, for /oauth/token

    @property
    def settings(self):
        return self.ports.settings


class _Loader:
    """A loader made on first use (most operations use two or three of them; a subscription event, often none):
    a non-data descriptor, so once made, the instance's own attribute is found first."""

    def __init__(self, fn):
        self.fn = fn

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, loaders, owner=None):
        if loaders is None:
            return self
        made = loaders.__dict__[self.name] = loaders.make(self.fn)
        return made


class Loaders:
    """One set per operation, so batching and caching never leak between requests or tenants."""

    asset = _Loader(asset_loaders.assets_by_id)
    file = _Loader(asset_loaders.files_by_id)
    tracks_by_asset = _Loader(asset_loaders.tracks_by_asset)
    job = _Loader(job_loaders.jobs_by_id)
    jobs_by_asset = _Loader(job_loaders.jobs_by_asset)
    children = _Loader(job_loaders.children_by_parent)
    transcriptions_by_asset = _Loader(transcript_loaders.transcriptions_by_asset)
    segments = _Loader(transcript_loaders.segments_by_transcription)
    speakers_by_asset = _Loader(transcript_loaders.speakers_by_asset)
    speaker = _Loader(transcript_loaders.speakers_by_id)
    deliveries = _Loader(webhook_loaders.deliveries_by_job)
    analysis_by_asset = _Loader(analysis_loaders.items_by_asset)
    variants_by_branding = _Loader(branding_loaders.variants_by_branding)
    export_identity = _Loader(export_loaders.identities_by_tenant)
    clips_by_asset = _Loader(clip_loaders.clips_by_asset)

    def __init__(self, uow: UnitOfWork, viewer: Viewer):
        self.uow, self.viewer = uow, viewer

    def make(self, fn) -> DataLoader:
        uow, tenant_id = self.uow, self.viewer.tenant_id

        async def load(keys):
            return await fn(uow.session, tenant_id, keys)

        return DataLoader(load_fn=load)

    @functools.cached_property
    def nodes(self) -> dict:
        """node(id)/nodes(ids): one loader per Node model, tried in node_loaders.MODELS order."""
        return {model: self.make(node_loaders.by_id(model)) for model in node_loaders.MODELS}


class Context(BaseContext, kw_only=True):
    state: Any = None
    viewer: Any = None
    uow: Any = None
    loaders: Any = None
    connection_params: Any = None
    client_meta: Any = None
    socket: Any = None  # over a websocket: its subscriptions and key re-checks (resolvers/sockets.py)
    stream: Any = None  # over our websocket: where a caught-up subscription is handed over (resolvers/jobs/transport.py)

    @property
    def ports(self) -> Ports:
        return self.state.ports

    def require_viewer(self) -> Viewer:
        if self.viewer is None:
            raise Unauthenticated("a valid API key is required")
        return self.viewer

    def begin(self) -> None:
        """Fresh read transaction and loaders for one operation (a websocket carries many)."""
        self.uow = UnitOfWork(self.state.read_sessionmaker or self.state.sessionmaker)
        self.loaders = Loaders(self.uow, self.viewer) if self.viewer else None

    async def renew(self) -> None:
        """Between a subscription's events: end the last event's read transaction (its connection goes back to
        the pool) and start the next one with fresh loaders."""
        if self.uow is not None:
            await self.uow.rollback()
            await self.uow.close()
        self.begin()

    def new_uow(self) -> UnitOfWork:
        return UnitOfWork(self.state.sessionmaker)

    def read_uow(self) -> UnitOfWork:
        """A short read transaction of its own (a subscription's lookups: no write lock taken on SQLite)."""
        return UnitOfWork(self.state.read_sessionmaker or self.state.sessionmaker)
