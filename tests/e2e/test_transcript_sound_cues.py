"""Transcript subtitles carry the asset's sound descriptions (MediaCopilot: include_sound_descriptions, default on)."""
from __future__ import annotations

import asyncio
import io

import srt
import webvtt

from tests.flows import ready_asset
from tests.harness import gql

SUBTITLES = """query($id: ID!) { asset(id: $id) {
  jobs(kinds: [VIDEO_ANALYSIS]) { edges { node { status } } }
  transcriptions { with: subtitles(format: VTT, includeSoundDescriptions: true)
    without: subtitles(format: VTT, includeSoundDescriptions: false) srt: subtitles(format: SRT) } } }"""


async def test_vtt_carries_the_pipelines_sound_descriptions_unless_left_out(client, tenant, media):
    # Four seconds of a 440 Hz tone: the pipeline transcribes no words and describes the tone as music.
    asset = await ready_asset(client, tenant.key, media["mp4"])
    for _ in range(1800):
        found = (await gql(client, tenant.key, SUBTITLES, {"id": asset["id"]}))["data"]["asset"]
        edges = found["jobs"]["edges"]
        if edges and edges[0]["node"]["status"] in {"COMPLETED", "FAILED"}:
            break
        await asyncio.sleep(0.1)
    assert edges and edges[0]["node"]["status"] == "COMPLETED", edges
    [transcription] = found["transcriptions"]
    cues = list(webvtt.from_buffer(io.StringIO(transcription["with"])))
    assert "[music]" in [c.text for c in cues] and all(c.voice is None for c in cues if c.text.startswith("["))
    assert not [c for c in webvtt.from_buffer(io.StringIO(transcription["without"])) if c.text.startswith("[")]
    assert [p.content for p in srt.parse(transcription["srt"])] == [c.text for c in cues]
