"""The per-request context: app state, the viewer, the request's read transaction and its dataloaders."""
from __future__ import annotations

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


class Loaders:
    """One set per operation, so batching and caching never leak between requests or tenants."""

    def __init__(self, uow: UnitOfWork, viewer: Viewer):
        def make(fn):
            async def load(keys):
                return await fn(uow.session, viewer.tenant_id, keys)

            return DataLoader(load_fn=load)

        self.asset = make(asset_loaders.assets_by_id)
        self.file = make(asset_loaders.files_by_id)
        self.tracks_by_asset = make(asset_loaders.tracks_by_asset)
        self.job = make(job_loaders.jobs_by_id)
        self.jobs_by_asset = make(job_loaders.jobs_by_asset)
        self.children = make(job_loaders.children_by_parent)
        self.transcriptions_by_asset = make(transcript_loaders.transcriptions_by_asset)
        self.segments = make(transcript_loaders.segments_by_transcription)
        self.speakers_by_asset = make(transcript_loaders.speakers_by_asset)
        self.speaker = make(transcript_loaders.speakers_by_id)
        self.deliveries = make(webhook_loaders.deliveries_by_job)
        self.analysis_by_asset = make(analysis_loaders.items_by_asset)
        self.variants_by_branding = make(branding_loaders.variants_by_branding)
        self.export_identity = make(export_loaders.identities_by_tenant)
        self.clips_by_asset = make(clip_loaders.clips_by_asset)
        # node(id)/nodes(ids): one loader per Node model, tried in node_loaders.MODELS order.
        self.nodes = {model: make(node_loaders.by_id(model)) for model in node_loaders.MODELS}


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
