"""Engines: heavy adapters (ffmpeg, models) behind small functions; they only ever read local files."""
