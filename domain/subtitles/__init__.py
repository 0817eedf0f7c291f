"""Subtitles: cues built from transcript segments, written as SRT, WebVTT, EBU-STL or JSON (pure functions)."""
