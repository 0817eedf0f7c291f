"""EBU content genre (ContentCS, the genre part of EBU Tech 3321) as far as words and sound can tell: a keyword
vote over the transcript, on-screen text and topics, and music for programmes that are mostly music. Returns
None when nothing is clear; it never guesses from pictures. Entities are proper-noun phrases and key phrases."""
from __future__ import annotations

import re

GENRES = [
    ("3.1.1 News", {"news", "tonight", "today", "report", "reporter", "council", "government", "minister",
                    "election", "police", "budget", "president", "city", "announced", "breaking"}),
    ("3.1.1.12 Weather forecast", {"weather", "temperature", "temperatures", "rain", "sunny", "forecast", "wind",
                                   "degrees", "cloud", "storm", "dry"}),
    ("3.4 Sport", {"match", "team", "coach", "goal", "league", "players", "season", "win", "won", "score",
                   "championship", "game"}),
    ("3.1.3 Documentary", {"history", "scientists", "study", "nature", "species", "century", "research",
                           "discovered", "ancient"}),
    ("3.5 Entertainment", {"show", "audience", "guest", "quiz", "comedy", "celebrity", "welcome"}),
]
MUSIC = "3.6 Music"
PROPER = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)\b")


def classify(texts: list[str], sound_cues: list[dict], duration_ms: int | None) -> str | None:
    music_ms = sum(c["end_ms"] - c["start_ms"] for c in sound_cues if c.get("kind") == "music")
    if duration_ms and music_ms > duration_ms * 0.5:
        return MUSIC
    words = re.findall(r"[a-z]+", " ".join(texts).lower())
    scores = [(sum(w in vocabulary for w in words), genre) for genre, vocabulary in GENRES]
    best, genre = max(scores)
    return genre if best >= 2 else None


def entities(texts: list[str], topics: list[dict], limit: int = 20) -> list[str]:
    found = []
    for text in texts:
        found += PROPER.findall(text)
    found += [t["name"] for t in topics]
    out = []
    for name in found:
        key = " ".join(name.split()).lower()
        if key and key not in out:
            out.append(key)
    return out[:limit]
