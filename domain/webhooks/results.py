"""The AI Gateway's documented Result objects (times in seconds) for its three job kinds, as its webhook events carry
them in `data.attributes.result`, and the transcript file a transcription's `download_url` points at.

Two steps, so no storage I/O happens inside a transaction: `gather` reads what a Result needs from the database,
`finish` stores the transcript file (content-addressed: the same transcript is the same key) and signs the URLs."""
from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from domain.assets import repository as assets_repo
from domain.assets.service import asset_prefix
from domain.transcripts import repository as transcripts_repo
from domain.transcripts import subtitles

# The options each kind's document lists (priority comes from the job's own column).
OPTIONS = {"transcription": ("language", "timestamps", "format", "diarization"),
           "text_translation": ("source_language", "formality"),
           "video_analysis": ("language", "confidence_threshold")}
FILE_TYPES = {"json": "application/json", "srt": "application/x-subrip", "vtt": "text/vtt"}
LINK_SECONDS = 24 * 3600  # a webhook may be retried for a while: its links outlive the backoff of one delivery


def documented_options(kind: str, options: dict | None, priority: str | None) -> dict:
    options = options or {}
    if kind not in OPTIONS:
        return options
    out = {name: options[name] for name in OPTIONS[kind] if name in options}
    out["priority"] = (priority or "standard").lower()
    return out


def _s(ms) -> float | None:
    return round(ms / 1000, 3) if ms is not None else None


def _instances(items: list[dict]) -> list[dict]:
    return [{"start": _s(i["start_ms"]), "end": _s(i["end_ms"]), "confidence": i.get("confidence")} for i in items]


def video_analysis(r: dict) -> dict:
    """The requested features only (the REST `/result`, job documents and webhook events all show this)."""
    features = set(r.get("features") or [])
    meta = r.get("video_metadata") or {}
    out: dict = {"video_metadata": {"duration": _s(meta.get("duration_ms")), "width": meta.get("width"),
                                    "height": meta.get("height"), "frame_rate": meta.get("frame_rate"),
                                    "format": meta.get("format"), "codec": meta.get("codec")}}
    for kind in ("labels", "brands"):
        if kind in features:
            out[kind] = [{"name": x["name"], "confidence": x["confidence"], "instances": _instances(x["instances"])}
                         for x in r.get(kind) or []]
    if "scenes" in features:
        out["scenes"] = [{"index": s["index"], "start": _s(s["start_ms"]), "end": _s(s["end_ms"])}
                         for s in r.get("scenes") or []]
    if "faces" in features:
        out["faces"] = [{"track_id": f["track_id"], "fingerprint": f["fingerprint"],
                         "instances": _instances(f["instances"])} for f in r.get("faces") or []]
    if "speech_to_text" in features:
        out["speech_to_text"] = [{"start": _s(s["start_ms"]), "end": _s(s["end_ms"]), "text": s["text"],
                                  "speaker_id": s["speaker_id"], "language": s["language"],
                                  "confidence": s["confidence"]} for s in r.get("speech_to_text") or []]
    if "ocr" in features:
        out["ocr"] = [{"text": o["text"], "confidence": o["confidence"], "language": o.get("language"),
                       "instances": _instances(o["instances"])} for o in r.get("ocr") or []]
    if "content_moderation" in features:
        moderation = r.get("content_moderation") or {"is_safe": True, "signals": []}
        out["content_moderation"] = {"is_safe": moderation["is_safe"], "signals": [
            {"label": s["label"], "confidence": s["confidence"], "instances": _instances(s["instances"])}
            for s in moderation["signals"]]}
    if "sentiment" in features:
        sentiment = r.get("sentiment") or {"overall": "neutral", "score": 0.0, "instances": []}
        out["sentiment"] = {"overall": sentiment["overall"], "score": sentiment["score"], "instances": [
            {"start": _s(i["start_ms"]), "end": _s(i["end_ms"]), "label": i["label"], "score": i["score"]}
            for i in sentiment["instances"]]}
    if "topics" in features:
        out["topics"] = [{"name": t["name"], "confidence": t["confidence"], "instances": _instances(t["instances"])}
                         for t in r.get("topics") or []]
    if "summary" in features:
        out["summary"] = r.get("summary") or ""
    return out


@dataclass
class Pending:
    """What `finish` needs: the Result so far, and for a transcription the file to store and link."""
    result: dict
    file_key: str | None = None
    file_body: bytes | None = None
    file_name: str | None = None
    file_type: str | None = None
    stored_key: str | None = None  # a file the job already stored (a translated document)
    stored_name: str | None = None
    stored_type: str | None = None


def transcript_file(result: dict, fmt: str, transcription, segments: list, speakers: dict) -> bytes:
    """JSON is the documented Result itself; SRT and WebVTT are the one subtitle renderer's, speakers by label."""
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=1).encode()
    text = subtitles.render(transcription, segments, speakers, fmt, include_sound_descriptions=False,
                            speaker_labels="label")
    return text.encode() if isinstance(text, str) else text


async def gather(session, job, with_content: bool = False) -> Pending | None:
    """Reads only. None for a kind without a documented Result (or a job that has none). `with_content` adds an
    SRT/VTT transcript's text as `content` (the REST `/result` answers with it)."""
    data = job.result or {}
    if job.kind == "video_analysis":
        return Pending(video_analysis(data))
    if job.kind == "text_translation":
        body = {"source_language": data.get("source_language"), "target_language": data.get("target_language"),
                "character_count": data.get("character_count") or 0}
        if "content" in data:
            return Pending({**body, "content": data["content"]})
        files = await assets_repo.files_by_ids(session, job.tenant_id, [uuid.UUID(data["file_id"])]) \
            if data.get("file_id") else []
        if not files:
            return Pending({**body, "download_url": None})
        return Pending(body, stored_key=files[0].key, stored_name=files[0].filename, stored_type=files[0].content_type)
    if job.kind != "transcription" or not data.get("transcription_id"):
        return None
    transcription = await transcripts_repo.get(session, job.tenant_id, uuid.UUID(data["transcription_id"]))
    if transcription is None:
        return None
    segments = sorted(await transcripts_repo.segments_by_transcription_ids(session, job.tenant_id, [transcription.id]),
                      key=lambda s: (s.start_ms, s.end_ms))
    ids = list({s.speaker_id for s in segments if s.speaker_id})
    speakers = {s.id: s for s in await transcripts_repo.speakers_by_ids(session, job.tenant_id, ids)} if ids else {}
    fmt = (job.options or {}).get("format") or "json"
    # "Total duration of the media file": the probed file's, which can outlast its audio track.
    asset = await assets_repo.get(session, job.tenant_id, job.asset_id) if job.asset_id else None
    length = (asset.duration_ms if asset is not None and asset.duration_ms else None) or data.get("duration_ms") or 0
    result = {"format": fmt, "duration": _s(length), "language": transcription.language,
              "segments": [{"start": _s(s.start_ms), "end": _s(s.end_ms), "text": s.text,
                            "speaker": getattr(speakers.get(s.speaker_id), "label", None)} for s in segments]}
    body = transcript_file(result, fmt, transcription, segments, speakers)
    if with_content and fmt != "json":
        result["content"] = body.decode()
    digest = hashlib.sha256(body).hexdigest()[:16]
    key = f"{asset_prefix(job.tenant_id, job.asset_id)}exports/gateway/transcript-{job.id}-{digest}.{fmt}"
    return Pending(result, file_key=key, file_body=body, file_name=f"transcript-{job.id}.{fmt}",
                   file_type=FILE_TYPES[fmt])


async def finish(storage, pending: Pending, expires_s: int = LINK_SECONDS) -> dict:
    """Outside any transaction: store the transcript file and sign the download links."""
    result = dict(pending.result)
    if pending.file_key is not None:
        with tempfile.TemporaryDirectory(prefix="mg-result-") as tmp:
            path = Path(tmp) / "result"
            path.write_bytes(pending.file_body)
            await storage.put_file(pending.file_key, path, pending.file_type)
        result["download_url"] = await storage.signed_url(pending.file_key, expires_s, filename=pending.file_name,
                                                          content_type=pending.file_type)
    elif pending.stored_key is not None:
        result["download_url"] = await storage.signed_url(pending.stored_key, expires_s, filename=pending.stored_name,
                                                          content_type=pending.stored_type)
    return result
