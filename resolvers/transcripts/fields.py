"""Fields of Asset (transcriptions, speakers), Transcription and Segment, batched through dataloaders."""
from __future__ import annotations

from types import SimpleNamespace

from strawberry import Info

from domain import languages
from domain.transcripts import subtitles as rendering


async def transcriptions(root, info: Info, language: str | None):
    items = await info.context.loaders.transcriptions_by_asset.load(root.id)
    if language:
        wanted = languages.normalize(language)
        items = [t for t in items if t.language == wanted or t.language.split("-")[0] == wanted]
    return items


async def speakers(root, info: Info):
    return await info.context.loaders.speakers_by_asset.load(root.id)


async def segments(root, info: Info):
    return await info.context.loaders.segments.load(root.id)


async def segment_speaker(root, info: Info):
    return await info.context.loaders.speaker.load(root.speaker_id) if root.speaker_id else None


def words(root, info: Info):
    if root.words is None:
        return None
    return [SimpleNamespace(word=w["word"], start_ms=w["start_ms"], end_ms=w["end_ms"],
                            confidence=w.get("confidence"), speaker=w.get("speaker")) for w in root.words]


async def subtitles(root, info: Info, fmt: str, flavor: str, include_sound_descriptions: bool,
                    speaker_labels: str = "name") -> str:
    segments = await info.context.loaders.segments.load(root.id)
    ids = list({s.speaker_id for s in segments if s.speaker_id})
    speakers = {s.id: s for s in await info.context.loaders.speaker.load_many(ids) if s}
    sounds = [i for i in await info.context.loaders.analysis_by_asset.load(root.asset_id)
              if i.kind == "sound_description"] if include_sound_descriptions else []
    return rendering.as_text(rendering.render(root, segments, speakers, fmt, flavor, include_sound_descriptions,
                                              sounds=sounds, speaker_labels=speaker_labels))
