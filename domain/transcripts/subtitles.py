"""A transcription as subtitles: its segments become cues, written in the asked format."""
from __future__ import annotations

import base64

from domain.errors import ValidationFailed
from domain.subtitles import cues, stl, writers

FORMATS = ("srt", "vtt", "stl", "json")


def render(transcription, segments: list, speakers: dict, fmt: str, flavor: str = "standard",
           include_sound_descriptions: bool = True, title: str = "", sounds: list = (),
           speaker_labels: str = "name") -> str | bytes:
    """`speakers` maps speaker ids to Speaker rows. STL is binary; the other formats are text.

    `speaker_labels` names speakers by their editable `name`, their fixed `label` (SPEAKER_00, as the AI Gateway
    shows them) or `none`.

    `sounds` are the asset's sound-description analysis items (empty until that analysis has run): SRT, VTT and STL
    carry them as bracketed cues in time order unless `include_sound_descriptions` is false. JSON is the transcript's
    segments alone. "[speech]" items are left out: the transcript's own cues are the speech.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValidationFailed(f"format must be one of {', '.join(FORMATS)}", field=["format"])
    if flavor not in ("standard", "simplified"):
        raise ValidationFailed("flavor must be standard or simplified", field=["flavor"])
    if speaker_labels not in ("name", "label", "none"):
        raise ValidationFailed("speaker labels must be name, label or none", field=["speakerLabels"])
    ordered = sorted(segments, key=lambda s: (s.start_ms, s.end_ms))

    def who(segment) -> str | None:
        speaker = speakers.get(segment.speaker_id) if speaker_labels != "none" else None
        return getattr(speaker, speaker_labels) if speaker is not None else None

    if fmt == "json":
        return writers.as_json(transcription.language, [
            {"id": str(s.id), "start_ms": s.start_ms, "end_ms": s.end_ms, "text": s.text, "speaker": who(s)}
            for s in ordered])
    timed = [cues.Timed(s.start_ms, s.end_ms, s.text, who(s),
                        tuple((w["word"], w["start_ms"], w["end_ms"]) for w in s.words) if s.words else None)
             for s in ordered]
    built = cues.build(timed)
    if include_sound_descriptions:
        built = cues.merged(built, cues.sounds([i for i in sounds if (i.data or {}).get("kind") != "speech"]))
    if fmt == "srt":
        return writers.srt(built)
    if fmt == "vtt":
        return writers.vtt(built, flavor)
    return stl.write(built, language=transcription.language, title=title)


def as_text(rendered: str | bytes) -> str:
    """GraphQL carries strings: binary STL travels base64-encoded."""
    return base64.b64encode(rendered).decode() if isinstance(rendered, bytes) else rendered
