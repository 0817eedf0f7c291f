"""A probe in process (PyAV over libav): the ffprobe-shaped report, thumbnail, waveform and audio-track copies.

No process is started: a Debian ffmpeg or ffprobe start loads ~215 libraries (~0.1 CPU s), more than a small file's
whole probe. The same confinement as the tools: `formats.INPUT` (format and protocol whitelists) is passed to
avformat_open_input, the opened demuxer is checked against the list again, and an MP4/MOV whose data reference names
another file is refused. Anything PyAV cannot open or derive raises `Unsupported`, and the caller runs the ffmpeg
tools instead, so their error codes and messages (`media.failure`) stay the only ones.
"""
from __future__ import annotations

import time
from pathlib import Path

import av
import numpy as np
from PIL import Image

from domain.errors import UnsupportedMedia
from workers.engines import formats, processes

THUMBNAIL_WIDTH = 640
WAVEFORM_SIZE = (1200, 240)
WAVEFORM_COLOUR = (0x3B, 0x82, 0xF6)


class Unsupported(Exception):
    """PyAV could not do this one (a demuxer or codec it lacks, a file it reads differently): use the ffmpeg tools."""


def _open(path: Path):
    try:
        container = av.open(str(path), container_options=formats.INPUT)
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise Unsupported(str(error)) from error
    if not set(container.format.name.split(",")) & set(formats.DEMUXERS):  # the whitelist refused it already
        container.close()
        raise UnsupportedMedia(f"unsupported media: its format ({container.format.name}) is not one this server "
                               f"reads; accepted: {', '.join(formats.DEMUXERS)}")
    return container


def _rate(rate) -> str:
    return f"{rate.numerator}/{rate.denominator}" if rate else "0/0"


def _seconds(value, time_base) -> str | None:
    return f"{float(value * time_base):.6f}" if value is not None and time_base else None


def _stream(stream) -> dict:
    codec = stream.codec_context
    entry = {"index": stream.index, "codec_type": stream.type,
             "codec_name": codec.codec.canonical_name if codec else None,  # "mp3", not the decoder "mp3float"
             "tags": dict(stream.metadata), "duration": _seconds(stream.duration, stream.time_base),
             "disposition": {"attached_pic": int(bool(stream.disposition & av.stream.Disposition.attached_pic))}}
    if stream.type == "video":
        entry.update(width=codec.width, height=codec.height, avg_frame_rate=_rate(stream.average_rate),
                     r_frame_rate=_rate(stream.base_rate))
    elif stream.type == "audio":
        entry.update(sample_rate=str(codec.sample_rate), channels=codec.channels)
    return entry


def report(path: Path) -> dict:
    """What `ffprobe -show_format -show_streams` says, in its shape, for the fields the summary and limits read."""
    with _open(path) as container:
        if container.format.name.startswith("mov,") and formats.names_other_files(path):
            raise UnsupportedMedia("unsupported media: the MP4/MOV file says its media data lives in another file "
                                   "(an external data reference)")
        duration = container.duration
        try:
            streams = [_stream(s) for s in container.streams]
        except (AttributeError, ValueError, av.error.FFmpegError) as error:  # a stream PyAV cannot describe
            raise Unsupported(str(error)) from error
        return {"format": {"format_name": container.format.name, "size": str(path.stat().st_size),
                           "duration": f"{duration / av.time_base:.6f}" if duration is not None else None,
                           "bit_rate": str(container.bit_rate) if container.bit_rate else None},
                "streams": streams}


def _limit(seconds: float) -> float:
    return time.monotonic() + processes.limit(seconds)


def _check(deadline: float) -> None:
    if time.monotonic() > deadline:  # in process nothing can be killed: the loops stop themselves at the tools' limit
        raise processes.ToolTimeout("the in-process probe ran past its limit and was stopped")


def thumbnail(path: Path, out: Path, at_seconds: float, stream_index: int) -> None:
    """One JPEG frame at `at_seconds` (the first frame at or after it, as ffmpeg's input seek), ≤ 640 px wide."""
    deadline = _limit(at_seconds)
    with _open(path) as container:
        stream = container.streams[stream_index]
        stream.thread_type = "NONE"  # one small frame: the decoder's thread pool costs more than it saves
        if at_seconds > 0:
            container.seek(int(at_seconds * av.time_base), backward=True)
        chosen = None
        for frame in container.decode(stream):
            _check(deadline)
            chosen = frame
            if frame.time is None or frame.time >= at_seconds - 1e-3:
                break
        if chosen is None:
            raise Unsupported("no frame decoded")
        # ffmpeg turns the picture upright (the display matrix, e.g. a phone's portrait video) before it scales
        turn = round(getattr(chosen, "rotation", 0) or 0) % 360
        across = turn in (90, 270)
        upright_w, upright_h = (chosen.height, chosen.width) if across else (chosen.width, chosen.height)
        width = min(THUMBNAIL_WIDTH, upright_w)
        height = max(2, round(upright_h * width / upright_w / 2) * 2)  # scale=…:-2 keeps it even
        image = chosen.to_image(width=height if across else width, height=width if across else height)
        if turn in (90, 180, 270):
            image = image.rotate(turn, expand=True)
    image.save(out, "JPEG", quality=90)  # ffmpeg's -q:v 3


def waveform(levels: np.ndarray, out: Path) -> None:
    """The first audio track drawn as showwavespic draws it: a transparent picture, one centred bar per column."""
    width, height = WAVEFORM_SIZE
    half = np.clip(np.round(levels * height / 2), 0, height // 2).astype(np.int64)
    rows = np.abs(np.arange(height) - height // 2)[:, None]
    drawn = (rows <= half[None, :]) & (half[None, :] > 0)  # a silent column stays empty, as in showwavespic
    picture = np.zeros((height, width, 4), dtype=np.uint8)
    picture[drawn] = (*WAVEFORM_COLOUR, 255)
    Image.fromarray(picture, "RGBA").save(out, "PNG")


class _Levels:
    """Mean |sample| of the mono mix per picture column (showwavespic's default `filter=average`), kept as sums over
    blocks of about an eighth of a column: a two-hour file's samples are never all held, as ffmpeg's filter holds them."""

    def __init__(self, expected_samples: int, columns: int):
        self.block = max(1, expected_samples // (columns * 8)) if expected_samples else 256
        self.sums: list[np.ndarray] = []
        self.carry = np.zeros(0, dtype=np.float32)

    def add(self, samples: np.ndarray) -> None:
        data = np.concatenate((self.carry, np.abs(samples.reshape(-1))))
        whole = data.size // self.block * self.block
        if whole:
            self.sums.append(data[:whole].reshape(-1, self.block).sum(axis=1, dtype=np.float64))
        self.carry = data[whole:]

    def per_column(self, columns: int) -> np.ndarray:
        sums = np.concatenate([*self.sums, [self.carry.sum(dtype=np.float64)]])
        counts = np.full(sums.size, self.block, dtype=np.float64)
        counts[-1] = self.carry.size
        total = counts.sum()
        if total == 0:
            return np.zeros(columns)
        starts = np.concatenate(([0.0], np.cumsum(counts)[:-1]))
        column = np.minimum((starts * columns / total).astype(np.int64), columns - 1)
        level = np.bincount(column, weights=sums, minlength=columns)
        return level / np.maximum(np.bincount(column, weights=counts, minlength=columns), 1)


def derive(path: Path, *, thumbnail_at: tuple[Path, float, int] | None = None, waveform_to: Path | None = None,
           tracks: list[tuple[int, Path]] = (), seconds: float = 0.0) -> None:
    """The probe's files without ffmpeg: the thumbnail, then one demux pass for the waveform and the track copies
    (packets remuxed, never re-encoded, each into the container `media.track_container` names by its extension)."""
    try:
        if thumbnail_at is not None:
            thumbnail(path, *thumbnail_at)
        if waveform_to is not None or tracks:
            _audio_pass(path, waveform_to, tracks, seconds)
    except (av.error.FFmpegError, ValueError) as error:  # a codec or muxing this build lacks: ffmpeg does it
        raise Unsupported(str(error)) from error


def _audio_pass(path: Path, waveform_to: Path | None, tracks: list[tuple[int, Path]], seconds: float) -> None:
    deadline = _limit(seconds)
    with _open(path) as container:
        audio = list(container.streams.audio)
        outputs = {}
        try:
            for position, out in tracks:
                muxer = av.open(str(out), mode="w")
                muxer.metadata.update(container.metadata)  # as ffmpeg copies them: title, the track's language
                copy = muxer.add_stream_from_template(audio[position])
                copy.metadata.update(audio[position].metadata)
                outputs[audio[position].index] = (muxer, copy)
            first = audio[0] if waveform_to is not None else None
            if first is not None:
                decoder = first.codec_context
                resampler = av.AudioResampler(format="flt", layout="mono")
                levels = _Levels(int(seconds * (decoder.sample_rate or 0)), WAVEFORM_SIZE[0])
            for packet in container.demux(*audio):
                _check(deadline)
                if first is not None and packet.stream.index == first.index:
                    for frame in decoder.decode(packet):
                        for mixed in resampler.resample(frame):
                            levels.add(mixed.to_ndarray())
                if packet.dts is not None and packet.stream.index in outputs:
                    muxer, copy = outputs[packet.stream.index]
                    packet.stream = copy
                    muxer.mux(packet)
            if first is not None:  # demux ends each stream with an empty packet: the decoder is flushed already
                for mixed in resampler.resample(None):
                    levels.add(mixed.to_ndarray())
                waveform(levels.per_column(WAVEFORM_SIZE[0]), waveform_to)
        finally:
            for muxer, _ in outputs.values():
                muxer.close()
