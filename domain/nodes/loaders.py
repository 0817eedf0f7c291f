"""Batch loads by id for every model a GraphQL Node type is built from (ids are UUIDs, unique across tables)."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.analysis.models import AnalysisItem
from domain.assets.models import Asset, AudioTrack, StoredFile
from domain.catalog.models import Collection, View
from domain.brandings.models import Branding, BrandingMedia, BrandingVariant, SubtitleStyle
from domain.clips.models import Clip
from domain.editor.models import Project, TimelineSegment
from domain.exports.models import ExternalStorage
from domain.jobs.models import Job
from domain.nodes import repository
from domain.templates.models import Dictionary, Template, WordList
from domain.transcripts.models import Segment, Speaker, Transcription

# The order a lookup tries them in: the objects clients refetch most come first, so most ids cost one query.
MODELS = (Asset, Job, Transcription, Clip, Segment, Speaker, StoredFile, AudioTrack, AnalysisItem, Template,
          WordList, Dictionary, Branding, BrandingVariant, BrandingMedia, SubtitleStyle, ExternalStorage, Project,
          TimelineSegment, Collection, View)


def by_id(model):
    async def load(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
        found = {row.id: row for row in await repository.by_ids(session, model, tenant_id, keys)}
        return [found.get(k) for k in keys]

    return load
