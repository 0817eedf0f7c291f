"""External storages and exports to them (clips, subtitles, metadata)."""
