"""MediaCopilot rows for transcriptions, subtitles, segments and speakers."""
from __future__ import annotations

import base64
from typing import Literal

import msgspec
from litestar import Response

from rest_compat.dialects.common import Page, lower, sliced
from rest_compat.table import Route

SEGMENT_FIELDS = "id startMs endMs text originalSegmentId speaker { id name label } words { word startMs endMs confidence speaker }"
TRANSCRIPTION_FIELDS = f"id assetId language source status model createdAt segments {{ {SEGMENT_FIELDS} }}"
SUBTITLE_TYPES = {"srt": "application/x-subrip; charset=utf-8", "vtt": "text/vtt; charset=utf-8",
                  "stl": "application/x-ebu-stl"}


class Word(msgspec.Struct):
    word: str
    start_ms: int
    end_ms: int
    confidence: float | None
    speaker: str | None


class Segment(msgspec.Struct):
    id: str
    start_ms: int
    end_ms: int
    text: str
    speaker: str | None
    speaker_id: str | None
    original_segment_id: str | None
    words: list[Word] | None


class Transcription(msgspec.Struct):
    id: str
    asset_id: str
    language: str
    source: Literal["asr", "translation", "manual"]
    status: str
    model: str | None
    created_at: str
    segments: list[Segment]


class TranscriptionList(msgspec.Struct):
    data: list[Transcription]
    page: int
    items: int
    total: int


class Speaker(msgspec.Struct):
    id: str
    name: str
    label: str


class Deleted(msgspec.Struct):
    id: str
    deleted: bool


class VttQuery(msgspec.Struct):
    flavor: Literal["standard", "simplified"] = "standard"
    include_sound_descriptions: bool = True


class NewSegment(msgspec.Struct, forbid_unknown_fields=True):
    text: str
    start_ms: int
    end_ms: int
    speaker: str
    original_segment_id: str | None = None


class AddSegments(msgspec.Struct, forbid_unknown_fields=True):
    segments: list[NewSegment]


class SegmentChange(msgspec.Struct, forbid_unknown_fields=True):
    speaker_id: str | None = None
    text: str | None = None
    start_ms: int | None = None
    end_ms: int | None = None


class SegmentChangeWithId(SegmentChange, forbid_unknown_fields=True):
    id: str = ""


class UpdateSegments(msgspec.Struct, forbid_unknown_fields=True):
    segments: list[SegmentChangeWithId]


class SpeakerName(msgspec.Struct, forbid_unknown_fields=True):
    name: str


def segment(s: dict) -> dict:
    speaker = s.get("speaker")
    words = s.get("words")
    return {"id": s["id"], "start_ms": s["startMs"], "end_ms": s["endMs"], "text": s["text"],
            "speaker": speaker["name"] if speaker else None, "speaker_id": speaker["id"] if speaker else None,
            "original_segment_id": s["originalSegmentId"],
            "words": None if words is None else [{"word": w["word"], "start_ms": w["startMs"], "end_ms": w["endMs"],
                                                  "confidence": w["confidence"], "speaker": w["speaker"]} for w in words]}


def transcription(t: dict, call=None) -> dict:
    return {"id": t["id"], "asset_id": t["assetId"], "language": t["language"], "source": lower(t["source"]),
            "status": t["status"], "model": t["model"], "created_at": t["createdAt"],
            "segments": [segment(s) for s in t["segments"]]}


def transcription_list(asset: dict, call) -> dict:
    items = asset["transcriptions"]
    return {"data": [transcription(t) for t in sliced(items, call.query)], "page": call.query.page,
            "items": call.query.items, "total": len(items)}


def subtitle_view(fmt: str):
    def render(t: dict, call) -> Response:
        content = base64.b64decode(t["subtitles"]) if fmt == "stl" else t["subtitles"]
        name = f"{t['id']}.{fmt}"
        return Response(content, media_type=SUBTITLE_TYPES[fmt],
                        headers={"Content-Disposition": f'inline; filename="{name}"'})

    return render


def speaker(s: dict, call=None) -> dict:
    return {"id": s["id"], "name": s["name"], "label": s["label"]}


SUBTITLES = """query($id: ID!, $asset: ID!, $format: SubtitleFormat!, $flavor: VttFlavor = STANDARD,
    $sounds: Boolean = true) { transcription(id: $id, assetId: $asset) {
    id subtitles(format: $format, flavor: $flavor, includeSoundDescriptions: $sounds) } }"""


def _subtitle_vars(fmt: str):
    def bind(call) -> dict:
        values = {"id": call.path["transcription_id"], "asset": call.path["asset_id"], "format": fmt.upper()}
        if fmt == "vtt":
            values |= {"flavor": call.query.flavor.upper(), "sounds": call.query.include_sound_descriptions}
        return values

    return bind


def _subtitle_row(fmt: str) -> Route:
    return Route("GET", f"/v1/assets/{{asset_id}}/transcriptions/{{transcription_id}}/{fmt}", SUBTITLES,
                 "transcription", subtitle_view(fmt), _subtitle_vars(fmt), query=VttQuery if fmt == "vtt" else None,
                 summary=f"Subtitles as {fmt.upper()}")


def _add_vars(call) -> dict:
    return {"input": {"transcriptionId": call.path["transcription_id"], "assetId": call.path["asset_id"],
                      "segments": [{"startMs": s.start_ms, "endMs": s.end_ms, "text": s.text, "speaker": s.speaker,
                                    "originalSegmentId": s.original_segment_id} for s in call.body.segments]}}


def _patch(change, ident: str) -> dict:
    return {"id": ident, "startMs": change.start_ms, "endMs": change.end_ms, "text": change.text,
            "speakerId": change.speaker_id}


UPDATE = f"""mutation($input: UpdateSegmentsInput!) {{ updateSegments(input: $input) {{
    segments {{ {SEGMENT_FIELDS} }} transcription {{ {TRANSCRIPTION_FIELDS} }} errors {{ field code message }} }} }}"""

ROUTES = [
    Route("GET", "/v1/assets/{asset_id}/transcriptions",
          f"query($id: ID!) {{ asset(id: $id) {{ transcriptions {{ {TRANSCRIPTION_FIELDS} }} }} }}", "asset",
          transcription_list, {"id": "path.asset_id"}, query=Page, response=TranscriptionList,
          summary="The asset's transcriptions with their segments"),
    Route("GET", "/v1/assets/{asset_id}/transcriptions/{transcription_id}",
          f"query($id: ID!, $asset: ID!) {{ transcription(id: $id, assetId: $asset) {{ {TRANSCRIPTION_FIELDS} }} }}",
          "transcription", transcription, {"id": "path.transcription_id", "asset": "path.asset_id"},
          response=Transcription, summary="A transcription with its segments"),
    _subtitle_row("vtt"), _subtitle_row("srt"), _subtitle_row("stl"),
    Route("POST", "/v1/assets/{asset_id}/transcriptions/{transcription_id}/segments",
          f"""mutation($input: AddSegmentsInput!) {{ addSegments(input: $input) {{
            transcription {{ {TRANSCRIPTION_FIELDS} }} errors {{ field code message }} }} }}""",
          "addSegments", lambda v, c: transcription(v["transcription"]), _add_vars, body=AddSegments,
          response=Transcription, status=201, payload=True, summary="Add segments"),
    Route("PATCH", "/v1/assets/{asset_id}/transcriptions/{transcription_id}/segments", UPDATE, "updateSegments",
          lambda v, c: transcription(v["transcription"]),
          lambda c: {"input": {"transcriptionId": c.path["transcription_id"], "assetId": c.path["asset_id"],
                               "segments": [_patch(s, s.id) for s in c.body.segments]}},
          body=UpdateSegments, response=Transcription, payload=True, summary="Update several segments"),
    Route("PATCH", "/v1/assets/{asset_id}/transcriptions/{transcription_id}/segments/{segment_id}", UPDATE,
          "updateSegments", lambda v, c: segment(v["segments"][0]),
          lambda c: {"input": {"transcriptionId": c.path["transcription_id"], "assetId": c.path["asset_id"],
                               "segments": [_patch(c.body, c.path["segment_id"])]}},
          body=SegmentChange, response=Segment, payload=True, summary="Update one segment"),
    Route("POST", "/v1/assets/{asset_id}/speakers",
          "mutation($a: ID!, $n: String!) { createSpeaker(input: {assetId: $a, name: $n}) { speaker { id name label } errors { field code message } } }",
          "createSpeaker", lambda v, c: speaker(v["speaker"]), {"a": "path.asset_id", "n": "body.name"},
          body=SpeakerName, response=Speaker, status=201, payload=True, summary="Create a speaker"),
    Route("PATCH", "/v1/assets/{asset_id}/speakers/{speaker_id}",
          "mutation($a: ID!, $id: ID!, $n: String!) { updateSpeaker(input: {assetId: $a, id: $id, name: $n}) { speaker { id name label } errors { field code message } } }",
          "updateSpeaker", lambda v, c: speaker(v["speaker"]),
          {"a": "path.asset_id", "id": "path.speaker_id", "n": "body.name"}, body=SpeakerName, response=Speaker,
          payload=True, summary="Rename a speaker"),
    Route("DELETE", "/v1/assets/{asset_id}/speakers/{speaker_id}",
          "mutation($a: ID!, $id: ID!) { deleteSpeaker(input: {assetId: $a, id: $id}) { deletedId errors { field code message } } }",
          "deleteSpeaker", lambda v, c: {"id": v["deletedId"], "deleted": True},
          {"a": "path.asset_id", "id": "path.speaker_id"}, response=Deleted, payload=True,
          summary="Delete a speaker (its segments stay, unassigned)"),
]
