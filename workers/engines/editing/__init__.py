"""Editor engines: colour grades, timeline frames, region edits, scoring and smart rendering (ffmpeg, one file each)."""
