"""Cue building by broadcast practice: at most 2 lines of 42 characters, 1 to 7 seconds, split at sentence
and clause boundaries. Written by hand: subtitle libraries read and write formats, none segments speech."""
from __future__ import annotations

from dataclasses import dataclass

MAX_LINE = 42
MAX_LINES = 2
MIN_MS = 1000
MAX_MS = 7000
SENTENCE_END = (".", "?", "!", "…")
CLAUSE_END = (",", ";", ":", "—", "–")


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speaker: str | None = None
    kind: str = "speech"

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Timed:
    """A stretch of speech: segment text with optional word timings [(word, start_ms, end_ms)]."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    words: tuple[tuple[str, int, int], ...] | None = None


def _balanced(text: str) -> tuple[str, ...] | None:
    """One line if it fits, else two lines broken at a space (best balanced; clause marks win); None if impossible."""
    if len(text) <= MAX_LINE:
        return (text,)
    words = text.split(" ")
    best, best_cost = None, None
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        if len(first) > MAX_LINE or len(second) > MAX_LINE:
            continue
        cost = abs(len(first) - len(second)) - (12 if first.endswith(SENTENCE_END + CLAUSE_END) else 0)
        if best_cost is None or cost < best_cost:
            best, best_cost = (first, second), cost
    return best


def wrap(text: str) -> tuple[str, ...]:
    text = " ".join(text.split())
    lines = _balanced(text)
    if lines is None:  # only a single word longer than a line gets here: break it where it must
        return tuple(text[i:i + MAX_LINE] for i in range(0, len(text), MAX_LINE))
    return lines


def _word_times(piece: Timed) -> list[tuple[str, int, int]]:
    if piece.words:
        return [(w, s, e) for w, s, e in piece.words if w.strip()]
    words = piece.text.split()
    total = sum(len(w) + 1 for w in words) or 1
    span, cursor, out = piece.end_ms - piece.start_ms, piece.start_ms, []
    for word in words:  # no word timings: share the segment's time by characters
        length = round(span * (len(word) + 1) / total)
        out.append((word, cursor, min(piece.end_ms, cursor + length)))
        cursor += length
    return out


def _fits(words: list[str]) -> bool:
    return len(words) == 1 or _balanced(" ".join(words)) is not None


def _chunks(piece: Timed) -> list[list[tuple[str, int, int]]]:
    """Greedy split into cue-sized chunks, preferring to end a chunk at a sentence, then a clause."""
    timed = _word_times(piece)
    chunks, current = [], []
    for index, item in enumerate(timed):
        candidate = current + [item]
        too_long = current and (not _fits([w for w, _, _ in candidate]) or candidate[-1][2] - candidate[0][1] > MAX_MS)
        if too_long:
            # Back up to the last sentence or clause end within the chunk, if one is reasonably far in.
            cut = len(current)
            for marks in (SENTENCE_END, CLAUSE_END):
                found = [i for i, (w, _, _) in enumerate(current) if w.endswith(marks) and i + 1 >= len(current) // 2]
                if found:
                    cut = found[-1] + 1
                    break
            chunks.append(current[:cut])
            current = current[cut:] + [item]
        else:
            current = candidate
        if current and current[-1][0].endswith(SENTENCE_END) and index + 1 < len(timed) and \
                len(" ".join(w for w, _, _ in current)) >= MAX_LINE:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def build(pieces: list[Timed]) -> list[Cue]:
    cues: list[Cue] = []
    for piece in sorted(pieces, key=lambda p: (p.start_ms, p.end_ms)):
        if not piece.text.strip():
            continue
        for chunk in _chunks(piece):
            start = max(chunk[0][1], piece.start_ms)
            end = max(min(chunk[-1][2], piece.end_ms), start)
            cues.append(Cue(start, end, wrap(" ".join(w for w, _, _ in chunk)), piece.speaker))
    return _timed(cues)


def sounds(items, start: int = 0, end: int | None = None) -> list[Cue]:
    """Sound-description analysis items (start_ms, end_ms, data["text"]) as bracketed cues, cut to [start, end)
    and shifted so `start` is 0 (a clip's range; a whole transcript keeps its times)."""
    out = []
    for item in items:
        if item.start_ms is None or item.end_ms is None or item.end_ms <= start or \
                (end is not None and item.start_ms >= end):
            continue
        text = str((item.data or {}).get("text") or "").strip()
        if text:
            text = text if text.startswith("[") else f"[{text}]"
            stop = item.end_ms if end is None else min(item.end_ms, end)
            out.append(Cue(max(item.start_ms, start) - start, stop - start, (text,), kind="sound"))
    return out


def merged(speech: list[Cue], sound: list[Cue]) -> list[Cue]:
    """Both kinds in time order; they may overlap (players show both, sound cues at the top in burnt-in clips)."""
    return sorted(speech + sound, key=lambda c: (c.start_ms, c.end_ms))


def _timed(cues: list[Cue]) -> list[Cue]:
    """At least 1 s on screen where the next cue allows, never overlapping, never over 7 s."""
    out = []
    for index, cue in enumerate(cues):
        start = max(cue.start_ms, out[-1].end_ms if out else 0)
        limit = cues[index + 1].start_ms if index + 1 < len(cues) else None
        end = max(cue.end_ms, start + MIN_MS)
        if limit is not None:
            end = min(end, max(limit, start + 1))
        end = min(end, start + MAX_MS)
        out.append(Cue(start, max(end, start + 1), cue.lines, cue.speaker, cue.kind))
    return out
