"""What of an asset is searchable, cut into chunks: ~30 s windows of each transcript (10 s overlap, so a moment
near a cut is whole in one of them), one chunk per on-screen text line, one per metadata field."""
from __future__ import annotations

import hashlib
import re
import uuid
import dataclasses
from dataclasses import dataclass

from domain.search.models import METADATA, ON_SCREEN_TEXT, SPEECH

WINDOW_MS = 30_000
STEP_MS = 20_000


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Draft:
    source: str
    ref_id: uuid.UUID | None
    start_ms: int
    end_ms: int
    text: str
    field: str | None = None
    language: str | None = None
    spans: list | None = dataclasses.field(default=None, compare=False)

    @property
    def text_digest(self) -> str:
        return sha(self.text)

    @property
    def digest(self) -> str:
        return sha(f"{self.source}|{self.ref_id}|{self.field}|{self.language}|{self.start_ms}|{self.end_ms}|{self.text}")


def speech(transcription_id: uuid.UUID, language: str | None, segments) -> list[Draft]:
    """`segments`: objects with start_ms, end_ms and text, of one transcript."""
    pieces = sorted(((s.start_ms, s.end_ms, (s.text or "").strip()) for s in segments if (s.text or "").strip()))
    drafts, i = [], 0
    while i < len(pieces):
        begin = pieces[i][0]
        j = i
        while j + 1 < len(pieces) and pieces[j + 1][0] < begin + WINDOW_MS:
            j += 1
        text, spans = "", []
        for start, end, words in pieces[i:j + 1]:
            spans.append([start, end, len(text) + (1 if text else 0)])
            text = f"{text} {words}" if text else words
        drafts.append(Draft(SPEECH, transcription_id, begin, max(p[1] for p in pieces[i:j + 1]), text,
                            language=language, spans=spans))
        if j == len(pieces) - 1:
            break
        i = next((k for k in range(i + 1, j + 1) if pieces[k][0] >= begin + STEP_MS), j + 1)
    return drafts


def on_screen(metadata_id: uuid.UUID, ocr: list[dict] | None) -> list[Draft]:
    drafts = []
    for line in ocr or []:
        text, instances = (line.get("text") or "").strip(), line.get("instances") or []
        if text and instances:
            drafts.append(Draft(ON_SCREEN_TEXT, metadata_id, int(instances[0]["start_ms"]),
                                int(instances[-1]["end_ms"]), text))
    return drafts


def _filename_words(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    return re.sub(r"[_\-.]+", " ", stem).strip() or name


def metadata(filename: str, duration_ms: int | None, metadata_id: uuid.UUID | None, data: dict | None) -> list[Draft]:
    """The asset's own fields: its filename always; topics, summary and entities once analysed."""
    data, end = data or {}, int(duration_ms or 0)
    fields = {"filename": _filename_words(filename)}
    topics = [t.get("name") if isinstance(t, dict) else str(t) for t in data.get("topics") or []]
    fields["topics"] = ", ".join(t for t in topics if t)
    summary = data.get("summary")
    fields["summary"] = summary if isinstance(summary, str) else " ".join(str(s) for s in summary or [])
    fields["entities"] = ", ".join(str(e) for e in data.get("entities") or [])
    return [Draft(METADATA, metadata_id, 0, end, text.strip(), field=name)
            for name, text in fields.items() if text and text.strip()]
