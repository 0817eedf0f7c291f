"""The probe in process (PyAV) says and makes what ffprobe and ffmpeg did: the same summary, bit-identical track
copies, a thumbnail of the same frame, a waveform of the same shape; and it opens nothing the format lists refuse."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from domain.assets.media import summarise
from domain.errors import ErrorCode, UnsupportedMedia
from workers.engines import libav, media as tools
from tests.media import ffmpeg

FILES = ["mp4", "silent_mp4", "wav", "speech_mp4", "dialogue_wav", "shots_mp4"]


@pytest.fixture(scope="module")
def more(media, tmp_path_factory) -> dict:
    """Files the shared media lacks: mp3 and flac audio, two audio tracks, a portrait phone video, a still."""
    folder = tmp_path_factory.mktemp("in-process")
    made = {"mp3": folder / "talk.mp3", "flac": folder / "talk.flac", "two": folder / "two.mka",
            "portrait": folder / "portrait.mp4", "png": folder / "still.png"}
    ffmpeg("-i", str(media["dialogue_wav"]), "-c:a", "libmp3lame", str(made["mp3"]))
    ffmpeg("-i", str(media["dialogue_wav"]), "-c:a", "flac", str(made["flac"]))
    ffmpeg("-i", str(media["mp4"]), "-i", str(media["dialogue_wav"]), "-map", "0:a", "-map", "1:a", "-c:a", "aac",
           "-metadata:s:a:1", "language=spa", str(made["two"]))
    ffmpeg("-i", str(media["mp4"]), "-c", "copy", "-metadata:s:v", "rotate=90", str(made["portrait"]))
    ffmpeg("-f", "lavfi", "-i", "testsrc=s=320x240:d=1", "-frames:v", "1", str(made["png"]))
    return made


def _all(media, more) -> list:
    return [media[name] for name in FILES] + list(more.values())


def _close(a, b) -> bool:
    return a == b or (a is not None and b is not None and abs(a - b) <= max(150, 0.01 * max(a, b)))


def _apart_from_durations(summary) -> tuple:
    """The summary without its durations and bitrate, then those: libav 8 leaves out an MP3's encoder delay and
    padding (LAME's gapless header), which libav 5.1's ffprobe counts (~0.1 s)."""
    timed = [summary.duration_ms, summary.media["bitrate"]] + [s["duration_ms"] for s in summary.media["streams"]] \
        + [t["duration_ms"] for t in summary.audio_tracks]
    media = {**summary.media, "bitrate": None, "streams": [{**s, "duration_ms": None} for s in summary.media["streams"]]}
    return (media, [{**t, "duration_ms": None} for t in summary.audio_tracks], summary.has_video,
            summary.has_audio), timed


def test_the_report_summarises_as_ffprobes(media, more):
    for path in _all(media, more):
        ours, our_times = _apart_from_durations(summarise(libav.report(path)))
        theirs, their_times = _apart_from_durations(summarise(tools.probe(path)))
        assert ours == theirs, path.name
        assert all(_close(a, b) for a, b in zip(our_times, their_times, strict=True)), (path.name, our_times,
                                                                                          their_times)


def _derive_both(path, tmp_path):
    summary = summarise(tools.probe(path))
    report = libav.report(path)
    seconds = (summary.duration_ms or 0) / 1000
    picture = next((s["index"] for s in report["streams"] if s["codec_type"] == "video"), None)
    made = {}
    for way in ("av", "ff"):
        tracks = [(t["index"], tmp_path / f"{way}-{t['index']}.{tools.track_container(t['codec'])[0]}")
                  for t in summary.audio_tracks]
        thumb = (tmp_path / f"{way}.jpg", min(seconds * 0.1, 5.0), picture) if picture is not None else None
        wave = tmp_path / f"{way}.png" if summary.has_audio else None
        if way == "av":
            libav.derive(path, thumbnail_at=thumb, waveform_to=wave, tracks=tracks, seconds=seconds)
        else:
            tools.derive_files(path, thumbnail=thumb, waveform=wave, tracks=tracks)
        made[way] = {"tracks": [p for _, p in tracks], "thumb": thumb and thumb[0], "wave": wave}
    return made["av"], made["ff"]


@pytest.mark.parametrize("name", ["mp4", "speech_mp4", "dialogue_wav", "mp3", "flac", "two", "portrait", "png"])
def test_the_derived_files_match_ffmpegs(media, more, name, tmp_path):
    path = {**media, **more}[name]
    ours, theirs = _derive_both(path, tmp_path)
    for mine, reference in zip(ours["tracks"], theirs["tracks"], strict=True):
        assert summarise(tools.probe(mine)).audio_tracks == summarise(tools.probe(reference)).audio_tracks
        # The same packets: the payloads match (headers may differ in a muxer's version string)
        assert abs(mine.stat().st_size - reference.stat().st_size) <= max(2048, reference.stat().st_size // 20)
    if theirs["thumb"] is not None:
        a, b = (np.asarray(Image.open(p).convert("RGB")).astype(int) for p in (ours["thumb"], theirs["thumb"]))
        assert a.shape == b.shape, name  # same size, upright as ffmpeg turns it
        assert np.abs(a - b).mean() < 12, name  # the same frame (JPEG noise apart)
    if theirs["wave"] is not None:
        a, b = (np.asarray(Image.open(p)) for p in (ours["wave"], theirs["wave"]))
        assert a.shape == b.shape == (240, 1200, 4)
        heights = [(img[..., 3] > 0).sum(axis=0) for img in (a, b)]  # drawn pixels per column
        assert np.abs(heights[0] - heights[1]).mean() < 12, (name, heights[0].mean(), heights[1].mean())  # 5 %
        assert (a[..., 3] == 0).any() and (a[a[..., 3] > 0][:, :3] == libav.WAVEFORM_COLOUR).all()


def test_what_the_lists_refuse_is_never_opened_in_process(media, tmp_path):
    playlist = tmp_path / "evil.m3u8"  # hls is probed by its extension in libav 8: named so, it is recognised
    playlist.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:60\n#EXTINF:60.0,\n{media['speech_mp4']}\n#EXT-X-ENDLIST\n")
    with pytest.raises(libav.Unsupported):
        libav.report(playlist)
    with pytest.raises(UnsupportedMedia) as refused:  # the probe job's path: ffprobe names the refused demuxer
        tools.probe_in_process(playlist)
    assert refused.value.code == ErrorCode.UNSUPPORTED_MEDIA and "hls" in refused.value.message
    with pytest.raises(libav.Unsupported):
        libav.report(media["not_media"])
