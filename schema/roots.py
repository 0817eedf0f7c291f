"""Query, Mutation and Subscription roots: each field hands its arguments to a resolver."""
from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from resolvers import health, viewer
from resolvers import analysis as analysis_resolvers
from resolvers import brandings as branding_resolvers
from resolvers import clips as clip_resolvers
from resolvers import pitch as pitch_resolvers
from resolvers import templates as template_resolvers
from resolvers import translation as translation_resolvers
from resolvers import webhooks as webhook_resolvers
from resolvers.assets import mutations as asset_mutations
from resolvers.assets import queries as asset_queries
from resolvers.jobs import mutations as job_mutations
from resolvers.jobs import queries as job_queries
from resolvers.jobs import subscriptions as job_subscriptions
from resolvers.providers import queries as provider_queries
from resolvers.transcripts import mutations as transcript_mutations
from resolvers.transcripts import queries as transcript_queries
from schema.assets.inputs import AssetFilter, CreateAssetInput, DeleteAssetInput, FinishUploadInput, StartUploadInput
from schema.assets.payloads import CreateAssetPayload, DeleteAssetPayload, FinishUploadPayload, StartUploadPayload
from schema.assets.types import Asset, AssetConnection, AudioTrack
from schema.jobs.payloads import CancelJobInput, CancelJobPayload, JobPayload, WebhookSecretPayload
from schema.templates.types import (
    DeletedPayload,
    Dictionary,
    DictionaryInput,
    DictionaryPage,
    DictionaryPayload,
    Template,
    TemplateInput,
    TemplatePage,
    TemplatePayload,
    WordList,
    WordListInput,
    WordListKind,
    WordListPage,
    WordListPayload,
)
from schema.transcripts.inputs import TranscribeInput
from schema.transcripts.payloads import (
    AddSegmentsInput,
    CreateSpeakerInput,
    DeleteSpeakerInput,
    DeleteSpeakerPayload,
    SegmentPayload,
    SegmentsPayload,
    SpeakerPayload,
    TranscriptionPayload,
    UpdateSegmentInput,
    UpdateSegmentsInput,
    UpdateSpeakerInput,
)
from schema.transcripts.types import Transcription
from schema.analysis.types import (AnalysisItem, AnalysisItemKind, AnalyzeMediaInput, AnalyzeVideoInput,
                                   DeleteAnalysisItemPayload)
from schema.brandings.types import (Branding, BrandingInput, BrandingMedia, BrandingMediaInput, BrandingMediaKind,
                                    BrandingMediaPage, BrandingMediaPayload, BrandingPage, BrandingPayload,
                                    BrandingUploadInput, BrandingUploadPayload, BrandingVariant, BrandingVariantInput,
                                    BrandingVariantPage, BrandingVariantPayload, FinishBrandingUploadInput,
                                    FinishBrandingUploadPayload, SubtitleStyle, SubtitleStyleInput, SubtitleStylePage,
                                    SubtitleStylePayload)
from schema.clips.types import (Clip, ClipPage, CreateClipsInput, CreateClipsPayload, DownloadClipsInput, ExportInput,
                                ExternalStorage, ExternalStorageInput, ExternalStoragePage, ExternalStoragePayload,
                                JobOnlyPayload)
from schema.common import JSONScalar
from schema.pitch.types import (Account, AccountInput, AccountPayload, CreateSubmissionInput, Submission,
                                SubmissionPayload, TaskResultInput, UploadAudioInput, UploadAudioPayload)
from schema.translation.types import Language, RetranslateInput, TranslateInput, TranslateTextInput, VoiceOverInput
from schema.jobs.types import Job, JobConnection, JobKind, JobStatus
from schema.providers.types import Health, Provider, ResourceType, Viewer


@strawberry.type
class Query:
    @strawberry.field(description="Liveness; the one field that needs no API key.")
    def health(self, info: strawberry.Info) -> Health:
        return health.health(info)

    @strawberry.field(description="The tenant and key this request acts as.")
    def me(self, info: strawberry.Info) -> Viewer:
        return viewer.me(info)

    @strawberry.field
    async def asset(self, info: strawberry.Info, id: strawberry.ID) -> Asset | None:
        return await asset_queries.asset(info, id)

    @strawberry.field
    async def asset_by_external_id(self, info: strawberry.Info, external_id: str) -> Asset | None:
        return await asset_queries.asset_by_external_id(info, external_id)

    @strawberry.field
    async def assets(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                     filter: AssetFilter | None = None, offset: int = 0) -> AssetConnection:
        return await asset_queries.assets(info, first, after, filter, offset)

    @strawberry.field
    async def audio_track(self, info: strawberry.Info, asset_id: strawberry.ID, id: strawberry.ID) -> AudioTrack | None:
        return await asset_queries.audio_track(info, asset_id, id)

    @strawberry.field
    async def transcription(self, info: strawberry.Info, id: strawberry.ID,
                            asset_id: strawberry.ID | None = None) -> Transcription | None:
        return await transcript_queries.transcription(info, id, asset_id)

    @strawberry.field
    async def template(self, info: strawberry.Info, id: strawberry.ID) -> Template | None:
        return await template_resolvers.one(info, "template", id)

    @strawberry.field
    async def templates(self, info: strawberry.Info, first: int | None = 16, offset: int = 0) -> TemplatePage:
        return await template_resolvers.many(info, "template", first, offset)

    @strawberry.field
    async def word_list(self, info: strawberry.Info, kind: WordListKind, id: strawberry.ID) -> WordList | None:
        return await template_resolvers.one(info, kind.value, id)

    @strawberry.field
    async def word_lists(self, info: strawberry.Info, kind: WordListKind, first: int | None = 16,
                         offset: int = 0) -> WordListPage:
        return await template_resolvers.many(info, kind.value, first, offset)

    @strawberry.field
    async def dictionary(self, info: strawberry.Info, id: strawberry.ID) -> Dictionary | None:
        return await template_resolvers.one(info, "dictionary", id)

    @strawberry.field
    async def dictionaries(self, info: strawberry.Info, first: int | None = 16, offset: int = 0) -> DictionaryPage:
        return await template_resolvers.many(info, "dictionary", first, offset)

    @strawberry.field
    async def job(self, info: strawberry.Info, id: strawberry.ID, kind: JobKind | None = None) -> Job | None:
        return await job_queries.job(info, id, kind)

    @strawberry.field
    async def jobs(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                   kinds: list[JobKind] | None = None, statuses: list[JobStatus] | None = None,
                   asset_id: strawberry.ID | None = None, label: str | None = None,
                   offset: int = 0) -> JobConnection:
        return await job_queries.jobs(info, first, after, kinds, statuses, asset_id, label, offset)

    @strawberry.field
    def providers(self, info: strawberry.Info, resource: ResourceType | None = None) -> list[Provider]:
        return provider_queries.providers(info, resource)

    @strawberry.field(description="The caller's account: notification email and credits used.")
    async def account(self, info: strawberry.Info) -> Account:
        return await pitch_resolvers.account(info)

    @strawberry.field
    async def submission(self, info: strawberry.Info, id: strawberry.ID) -> Submission | None:
        return await pitch_resolvers.submission(info, id)

    @strawberry.field(description="The asset pipeline's analysis results of one kind, in time order.")
    async def analysis_items(self, info: strawberry.Info, asset_id: strawberry.ID,
                             kind: AnalysisItemKind) -> list[AnalysisItem]:
        return await analysis_resolvers.items(info, asset_id, kind)

    @strawberry.field
    async def analysis_item(self, info: strawberry.Info, asset_id: strawberry.ID, kind: AnalysisItemKind,
                            id: strawberry.ID) -> AnalysisItem | None:
        return await analysis_resolvers.item(info, asset_id, kind, id)

    @strawberry.field(description="MetaVision's analysis categories and models, marking what needs a vision model.")
    def analysis_categories(self, info: strawberry.Info) -> JSONScalar:
        return analysis_resolvers.categories(info)

    @strawberry.field(description="Prices per media type and quality profile, and the billing rule.")
    def analysis_prices(self, info: strawberry.Info) -> JSONScalar:
        return analysis_resolvers.prices(info)

    @strawberry.field(description="Usage of media analysis: overall, today, week, month, per media type, a range.")
    async def analysis_balance(self, info: strawberry.Info,
                               since: Annotated[str | None, strawberry.argument(name="from")] = None,
                               until: Annotated[str | None, strawberry.argument(name="to")] = None) -> JSONScalar:
        return await analysis_resolvers.balance(info, since, until)

    @strawberry.field(description="Past media-analysis requests, newest first.")
    async def analysis_requests(self, info: strawberry.Info, page: int = 1, limit: int = 50, status: str | None = None,
                                media_type: str | None = None,
                                since: Annotated[str | None, strawberry.argument(name="from")] = None,
                                until: Annotated[str | None, strawberry.argument(name="to")] = None) -> JSONScalar:
        return await analysis_resolvers.requests(info, page, limit, status, media_type, since, until)

    @strawberry.field(description="The language catalog with what the configured providers offer per language.")
    def languages(self, info: strawberry.Info) -> list[Language]:
        return translation_resolvers.languages(info)

    @strawberry.field
    def language(self, info: strawberry.Info, id: strawberry.ID) -> Language | None:
        return translation_resolvers.language(info, id)


    @strawberry.field
    async def subtitle_style(self, info: strawberry.Info, id: strawberry.ID) -> SubtitleStyle | None:
        return await branding_resolvers.one(info, "subtitle_style", id)

    @strawberry.field
    async def subtitle_styles(self, info: strawberry.Info, first: int | None = 16, offset: int = 0) -> SubtitleStylePage:
        return await branding_resolvers.many(info, "subtitle_style", first, offset)

    @strawberry.field(description="An overlay image or an intro/outro clip.")
    async def branding_media(self, info: strawberry.Info, kind: BrandingMediaKind, id: strawberry.ID) -> BrandingMedia | None:
        return await branding_resolvers.one(info, kind.value, id)

    @strawberry.field
    async def branding_media_list(self, info: strawberry.Info, kind: BrandingMediaKind, first: int | None = 16,
                                  offset: int = 0) -> BrandingMediaPage:
        return await branding_resolvers.many(info, kind.value, first, offset)

    @strawberry.field
    async def branding(self, info: strawberry.Info, id: strawberry.ID) -> Branding | None:
        return await branding_resolvers.one(info, "branding", id)

    @strawberry.field
    async def brandings(self, info: strawberry.Info, first: int | None = 16, offset: int = 0) -> BrandingPage:
        return await branding_resolvers.many(info, "branding", first, offset)

    @strawberry.field
    async def branding_variant(self, info: strawberry.Info, branding_id: strawberry.ID,
                               id: strawberry.ID) -> BrandingVariant | None:
        return await branding_resolvers.variant(info, branding_id, id)

    @strawberry.field
    async def branding_variants(self, info: strawberry.Info, branding_id: strawberry.ID, first: int | None = 16,
                                offset: int = 0) -> BrandingVariantPage:
        return await branding_resolvers.many(info, "variant", first, offset, branding_id)

    @strawberry.field
    async def clip(self, info: strawberry.Info, id: strawberry.ID, asset_id: strawberry.ID | None = None) -> Clip | None:
        return await clip_resolvers.clip(info, id, asset_id)

    @strawberry.field
    async def clips(self, info: strawberry.Info, asset_id: strawberry.ID, first: int | None = 16,
                    offset: int = 0) -> ClipPage:
        return await clip_resolvers.clip_page(info, asset_id, first, offset)

    @strawberry.field(description="Rendered clips to download, checked (all ready) in the order asked.")
    async def ready_clips(self, info: strawberry.Info, asset_id: strawberry.ID,
                          clip_ids: list[strawberry.ID]) -> list[Clip]:
        return await clip_resolvers.ready_clips(info, asset_id, clip_ids)

    @strawberry.field
    async def external_storage(self, info: strawberry.Info, id: strawberry.ID) -> ExternalStorage | None:
        return await clip_resolvers.storage(info, id)

    @strawberry.field
    async def external_storages(self, info: strawberry.Info, first: int | None = 16,
                                offset: int = 0) -> ExternalStoragePage:
        return await clip_resolvers.storage_page(info, first, offset)

    @strawberry.field(description="Any tenant's storage (admin keys only).")
    async def admin_external_storage(self, info: strawberry.Info, id: strawberry.ID) -> ExternalStorage | None:
        return await clip_resolvers.storage(info, id, admin=True)

    @strawberry.field(description="Every tenant's storages (admin keys only).")
    async def admin_external_storages(self, info: strawberry.Info, first: int | None = 16,
                                      offset: int = 0) -> ExternalStoragePage:
        return await clip_resolvers.storage_page(info, first, offset, admin=True)

@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_asset(self, info: strawberry.Info, input: CreateAssetInput) -> CreateAssetPayload:
        return await asset_mutations.create_asset(info, input)

    @strawberry.mutation(description="One signed URL per part; PUT each part and keep the ETag header.")
    async def start_upload(self, info: strawberry.Info, input: StartUploadInput) -> StartUploadPayload:
        return await asset_mutations.start_upload(info, input.asset_id, input.parts, input.size)

    @strawberry.mutation(description="Assemble the parts (ETags in part order) and queue the probe job.")
    async def finish_upload(self, info: strawberry.Info, input: FinishUploadInput) -> FinishUploadPayload:
        return await asset_mutations.finish_upload(info, input.asset_id, input.etags)

    @strawberry.mutation
    async def delete_asset(self, info: strawberry.Info, input: DeleteAssetInput) -> DeleteAssetPayload:
        return await asset_mutations.delete_asset(info, input.id)

    @strawberry.mutation(description="Transcribe an asset's audio; progress arrives on jobUpdated.")
    async def transcribe(self, info: strawberry.Info, input: TranscribeInput) -> JobPayload:
        return await transcript_mutations.transcribe(info, input)

    @strawberry.mutation(description="Translate the asset's transcript into each language (one transcript per language).")
    async def translate(self, info: strawberry.Info, input: TranslateInput) -> JobPayload:
        return await translation_resolvers.translate(info, input)

    @strawberry.mutation(description="Translate text, or a document (plain text, SRT, WebVTT, DOCX) at a URL.")
    async def translate_text(self, info: strawberry.Info, input: TranslateTextInput) -> JobPayload:
        return await translation_resolvers.translate_text(info, input)

    @strawberry.mutation(description="Re-translate only the segments whose source text changed since translation.")
    async def retranslate(self, info: strawberry.Info, input: RetranslateInput) -> JobPayload:
        return await translation_resolvers.retranslate(info, input)

    @strawberry.mutation(description="Dub the asset: espeak-ng speech per translated segment, fitted and mixed "
                                     "(ducked, or the original muted), stored as new audio tracks and an mp4.")
    async def voice_over(self, info: strawberry.Info, input: VoiceOverInput) -> JobPayload:
        return await translation_resolvers.voice_over_asset(info, input)

    @strawberry.mutation(description="Upload an audio (<= 25 MB; mp3, wav, m4a, aac, flac, ogg, checked by content).")
    async def upload_audio(self, info: strawberry.Info, input: UploadAudioInput) -> UploadAudioPayload:
        return await pitch_resolvers.upload_audio(info, input)

    @strawberry.mutation(description="Submit an audio for services; one task runs them as child jobs.")
    async def create_submission(self, info: strawberry.Info, input: CreateSubmissionInput) -> SubmissionPayload:
        return await pitch_resolvers.create_submission(info, input)

    @strawberry.mutation(description="A processing worker reports on a task; completed notifies and bills.")
    async def submit_task_result(self, info: strawberry.Info, input: TaskResultInput) -> JobPayload:
        return await pitch_resolvers.task_result(info, input)

    @strawberry.mutation(description="Set where completion notices are mailed.")
    async def update_account(self, info: strawberry.Info, input: AccountInput) -> AccountPayload:
        return await pitch_resolvers.update_account(info, input)

    @strawberry.mutation(description="Analyse a video (an asset or a URL): scenes, faces, OCR, moderation, speech, "
                                     "sentiment, topics, summary; one decode feeds every frame analyser.")
    async def analyze_video(self, info: strawberry.Info, input: AnalyzeVideoInput) -> JobPayload:
        return await analysis_resolvers.analyze_video(info, input)

    @strawberry.mutation(description="Delete one analysis result (a wrong sound description, a face to forget).")
    async def delete_analysis_item(self, info: strawberry.Info, asset_id: strawberry.ID, kind: AnalysisItemKind,
                                   id: strawberry.ID) -> DeleteAnalysisItemPayload:
        return await analysis_resolvers.delete_item(info, asset_id, kind, id)

    @strawberry.mutation(description="MetaVision analysis of a URL or base64 media: optimizing, transcribing, "
                                     "analyzing; categories answered by the local agent (or a vision model).")
    async def analyze_media(self, info: strawberry.Info, input: AnalyzeMediaInput) -> JobPayload:
        return await analysis_resolvers.analyze_media(info, input)

    @strawberry.mutation(description="Add segments by hand (all validated before any is written).")
    async def add_segments(self, info: strawberry.Info, input: AddSegmentsInput) -> TranscriptionPayload:
        return await transcript_mutations.add_segments(info, input)

    @strawberry.mutation(description="Change many segments at once: start < end, within the media, text not empty.")
    async def update_segments(self, info: strawberry.Info, input: UpdateSegmentsInput) -> SegmentsPayload:
        return await transcript_mutations.update_segments(info, input.transcription_id, input.asset_id, input.segments)

    @strawberry.mutation(description="Change one segment (validated like updateSegments).")
    async def update_segment(self, info: strawberry.Info, input: UpdateSegmentInput) -> SegmentPayload:
        return await transcript_mutations.update_segment(info, input.transcription_id, input.asset_id, input.segment)

    @strawberry.mutation
    async def create_speaker(self, info: strawberry.Info, input: CreateSpeakerInput) -> SpeakerPayload:
        return await transcript_mutations.create_speaker(info, input.asset_id, input.name)

    @strawberry.mutation
    async def update_speaker(self, info: strawberry.Info, input: UpdateSpeakerInput) -> SpeakerPayload:
        return await transcript_mutations.rename_speaker(info, input.asset_id, input.id, input.name)

    @strawberry.mutation(description="Delete a speaker; its segments stay, unassigned.")
    async def delete_speaker(self, info: strawberry.Info, input: DeleteSpeakerInput) -> DeleteSpeakerPayload:
        return await transcript_mutations.delete_speaker(info, input.asset_id, input.id)

    @strawberry.mutation(description="A new webhook signing secret (Standard Webhooks), shown this once.")
    async def rotate_webhook_secret(self, info: strawberry.Info) -> WebhookSecretPayload:
        return await webhook_resolvers.rotate_secret(info)

    @strawberry.mutation(description="Create a template (no id) or update one (id).")
    async def save_template(self, info: strawberry.Info, input: TemplateInput) -> TemplatePayload:
        return await template_resolvers.save(info, "template", input)

    @strawberry.mutation
    async def delete_template(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await template_resolvers.delete(info, "template", id)

    @strawberry.mutation(description="Create or update a blacklist (masked in outputs) or whitelist (preferred spellings).")
    async def save_word_list(self, info: strawberry.Info, input: WordListInput) -> WordListPayload:
        return await template_resolvers.save(info, input.kind.value, input)

    @strawberry.mutation
    async def delete_word_list(self, info: strawberry.Info, kind: WordListKind, id: strawberry.ID) -> DeletedPayload:
        return await template_resolvers.delete(info, kind.value, id)

    @strawberry.mutation(description="Create or update a dictionary of term expansions.")
    async def save_dictionary(self, info: strawberry.Info, input: DictionaryInput) -> DictionaryPayload:
        return await template_resolvers.save(info, "dictionary", input)

    @strawberry.mutation
    async def delete_dictionary(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await template_resolvers.delete(info, "dictionary", id)

    @strawberry.mutation(description="Cancel a queued job; a running job answers CONFLICT.")
    async def cancel_job(self, info: strawberry.Info, input: CancelJobInput) -> CancelJobPayload:
        return await job_mutations.cancel_job(info, input.id, input.kind)


    @strawberry.mutation(description="Create (no id) or update a subtitle style; font_family must be installed.")
    async def save_subtitle_style(self, info: strawberry.Info, input: SubtitleStyleInput) -> SubtitleStylePayload:
        return await branding_resolvers.save(info, "subtitle_style", input)

    @strawberry.mutation
    async def delete_subtitle_style(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await branding_resolvers.delete(info, "subtitle_style", id)

    @strawberry.mutation(description="Create (no id) or rename an overlay or intro/outro clip; then upload its file.")
    async def save_branding_media(self, info: strawberry.Info, input: BrandingMediaInput) -> BrandingMediaPayload:
        return await branding_resolvers.save(info, input.kind.value, input)

    @strawberry.mutation(description="Delete an overlay or clip no variant uses.")
    async def delete_branding_media(self, info: strawberry.Info, kind: BrandingMediaKind,
                                    id: strawberry.ID) -> DeletedPayload:
        return await branding_resolvers.delete(info, kind.value, id)

    @strawberry.mutation(description="Presigned URLs for the media's file, one per part.")
    async def start_branding_upload(self, info: strawberry.Info, input: BrandingUploadInput) -> BrandingUploadPayload:
        return await branding_resolvers.start_upload(info, input)

    @strawberry.mutation(description="Confirm the upload; a job probes it (an image for overlays, a video for clips).")
    async def finish_branding_upload(self, info: strawberry.Info,
                                     input: FinishBrandingUploadInput) -> FinishBrandingUploadPayload:
        return await branding_resolvers.finish_upload(info, input)

    @strawberry.mutation
    async def save_branding(self, info: strawberry.Info, input: BrandingInput) -> BrandingPayload:
        return await branding_resolvers.save(info, "branding", input)

    @strawberry.mutation
    async def delete_branding(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await branding_resolvers.delete(info, "branding", id)

    @strawberry.mutation(description="Create or update a branding's variant for one aspect ratio (one per ratio).")
    async def save_branding_variant(self, info: strawberry.Info, input: BrandingVariantInput) -> BrandingVariantPayload:
        return await branding_resolvers.save(info, "variant", input)

    @strawberry.mutation
    async def delete_branding_variant(self, info: strawberry.Info, branding_id: strawberry.ID,
                                      id: strawberry.ID) -> DeletedPayload:
        return await branding_resolvers.delete(info, "variant", id, str(branding_id))

    @strawberry.mutation(description="Cut clips from an asset: all are validated before any is queued; each renders "
                                     "in one ffmpeg pass.")
    async def create_clips(self, info: strawberry.Info, input: CreateClipsInput) -> CreateClipsPayload:
        return await clip_resolvers.create_clips(info, input)

    @strawberry.mutation(description="Zip rendered clips in the background; the job's result has the signed URL.")
    async def download_clips(self, info: strawberry.Info, input: DownloadClipsInput) -> JobOnlyPayload:
        return await clip_resolvers.download_clips(info, input)

    @strawberry.mutation(description="Export a clip, subtitles or metadata to an external storage.")
    async def export(self, info: strawberry.Info, input: ExportInput) -> JobOnlyPayload:
        return await clip_resolvers.export(info, input)

    @strawberry.mutation(description="Create (no id) or update an external storage; credentials are write-only.")
    async def save_external_storage(self, info: strawberry.Info, input: ExternalStorageInput) -> ExternalStoragePayload:
        return await clip_resolvers.save_storage(info, input)

    @strawberry.mutation
    async def delete_external_storage(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await clip_resolvers.delete_storage(info, id)

@strawberry.type
class Subscription:
    @strawberry.subscription(description="The job now, then every transition and progress step until it ends.")
    async def job_updated(self, info: strawberry.Info, id: strawberry.ID) -> AsyncGenerator[Job, None]:
        async for event in job_subscriptions.job_updated(info, id):
            yield event

    @strawberry.subscription(description="Events of all jobs of an asset, or of the whole tenant.")
    async def job_events(self, info: strawberry.Info, asset_id: strawberry.ID | None = None,
                         kinds: list[JobKind] | None = None) -> AsyncGenerator[Job, None]:
        async for event in job_subscriptions.job_events(info, asset_id, kinds):
            yield event
