"""Title and description derived from what the local analysis measured (shots, faces, on-screen text, speech,
topics), for deployments without a vision-language model. Every phrase states a measurement; nothing is guessed
about what the picture shows."""
from __future__ import annotations

from dataclasses import dataclass, field

NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
MAX_QUOTE = 120
TITLE_CHARS = 80


@dataclass
class Measured:
    """What the pipeline found; times in seconds, texts as read or heard."""
    media_type: str
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    shots: int = 0
    faces: int = 0
    screen_text: list[str] = field(default_factory=list)  # in order of first appearance
    speech: list[str] = field(default_factory=list)  # transcript segments, in order
    summary: str = ""  # an extractive summary of the speech (sentences as spoken)
    topics: list[str] = field(default_factory=list)  # most relevant first


@dataclass(frozen=True)
class Derived:
    title: str
    description: str
    sources: list[str]  # which measurements the texts rest on: transcript, on_screen_text, topics, shots, faces


def _count(n: int, noun: str) -> str:
    word = NUMBERS[n] if n < len(NUMBERS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def _quote(text: str, limit: int = MAX_QUOTE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def _extent(m: Measured) -> str:
    """`16-second video in three shots`, `1280x720 image`, `9-second audio`."""
    if m.media_type == "image":
        return f"{m.width}x{m.height} image" if m.width and m.height else "image"
    length = f"{round(m.duration_s)}-second " if m.duration_s else ""
    head = f"{length}{m.media_type}"
    if m.media_type == "video" and m.shots:
        head += f" in {_count(m.shots, 'shot')}"
    return head


def _first_sentence(text: str) -> str:
    for end in (". ", "? ", "! "):
        if end in text:
            text = text.split(end, 1)[0] + end.strip()
    return text.strip()


def derive(m: Measured) -> Derived:
    sources, parts = [], [_extent(m)]
    if m.media_type == "video" and m.shots:
        sources.append("shots")
    if m.media_type != "audio":
        parts[0] += f" with {_count(m.faces, 'distinct face')}" if m.faces else ""
        if m.faces:
            sources.append("faces")
    if m.screen_text:
        parts.append("on-screen text " + ", ".join(f"'{_quote(t, 60)}'" for t in m.screen_text[:3]))
        sources.append("on_screen_text")
    spoken = " ".join(s.strip() for s in m.speech if s.strip())
    if spoken:
        parts.append(f"speech: '{_quote(m.summary or spoken)}'")
        sources.append("transcript")
    elif m.media_type != "image":
        parts.append("no speech recognised")
    if m.topics:
        parts.append("topics: " + ", ".join(m.topics[:5]))
        sources.append("topics")
    description = "; ".join(parts) + "."
    description = description[0].upper() + description[1:]
    # The title is the most specific thing measured: text shown on screen, else what is said, else the topics.
    if m.screen_text:
        title = _quote(m.screen_text[0], TITLE_CHARS)
    elif spoken:
        title = _quote(_first_sentence(m.summary or spoken), TITLE_CHARS).rstrip(".")
    elif m.topics:
        title = ", ".join(m.topics[:3])
        title = title[0].upper() + title[1:]
    else:
        title = parts[0][0].upper() + parts[0][1:]
    return Derived(title=title, description=description, sources=sources)
