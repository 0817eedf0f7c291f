"""Every SQLAlchemy model, imported in one place for metadata (migrations, tests)."""
from domain.assets.models import Asset, AudioTrack, StoredFile
from domain.analysis.models import AnalysisItem
from domain.catalog.models import Collection, View
from domain.brandings.models import Branding, BrandingMedia, BrandingVariant, SubtitleStyle
from domain.clips.models import Clip
from domain.editor.models import Project, TimelineSegment, Variant
from domain.events.models import EventSequence, JobEvent
from domain.exports.models import ExternalStorage
from domain.idempotency.models import IdempotencyKey
from domain.jobs.models import Job
from domain.pitch.models import PitchNumber, Submission
from domain.search.models import SearchChunk
from domain.templates.models import Dictionary, Template, WordList
from domain.tenancy.models import ApiKey, Tenant
from domain.tombstones.models import StorageTombstone
from domain.transcripts.models import Segment, Speaker, Transcription
from domain.usage.models import UsageRecord
from domain.webhooks.models import WebhookDelivery, WebhookSecret

__all__ = ["Dictionary", "Template", "WordList", "ApiKey", "Asset", "AudioTrack", "Job", "Segment", "Speaker", "StoredFile", "Tenant", "Transcription",
           "UsageRecord", "WebhookDelivery", "WebhookSecret", "Submission", "AnalysisItem",
           "Branding", "BrandingMedia", "BrandingVariant", "SubtitleStyle", "Clip", "ExternalStorage",
           "Project", "TimelineSegment", "Variant", "SearchChunk", "Collection", "View",
           "EventSequence", "JobEvent", "StorageTombstone"]
