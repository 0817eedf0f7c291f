"""ffmpeg/ffprobe engine: probe reports, thumbnails and waveforms from local files of the accepted formats only."""
from __future__ import annotations

import shutil
from pathlib import Path

import ffmpeg

from domain.errors import AudioUnreadable, DomainError, MediaUnreadable, UnsupportedMedia
from workers.engines import formats, processes


def available() -> bool:
    return bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))


def _reason(error: ffmpeg.Error) -> str:
    text = (error.stderr or b"").decode(errors="replace").strip().splitlines()
    return text[-1] if text else "ffmpeg could not read the file"


def failure(error: ffmpeg.Error, what: str, kind: type[DomainError] = MediaUnreadable) -> DomainError:
    """The domain error for a failed ffmpeg run: UNSUPPORTED_MEDIA when the format lists refused the input."""
    refused = formats.refusal(error.stderr)
    if refused:
        return UnsupportedMedia(f"unsupported media: {refused}")
    return kind(f"{what}: {_reason(error)}")


def probe(path: Path) -> dict:
    try:
        report = processes.probe(path, timeout=processes.limit(floor_s=120))
    except ffmpeg.Error as error:
        raise failure(error, "not a readable media file") from error
    if (report.get("format") or {}).get("format_name", "").startswith("mov,") and formats.names_other_files(path):
        raise UnsupportedMedia("unsupported media: the MP4/MOV file says its media data lives in another file "
                               "(an external data reference)")
    streams = [s for s in report.get("streams", []) if s.get("codec_type") in {"audio", "video"}]
    if not streams:
        raise MediaUnreadable("the file has no audio or video stream")
    return report


def probe_in_process(path: Path) -> dict:
    """The probe job's report read in this process (PyAV, same format lists); ffprobe when PyAV cannot open the file,
    so a refused or unreadable file fails with the codes and messages it always had."""
    from workers.engines import libav  # only the probe needs libav loaded

    try:
        report = libav.report(path)
    except libav.Unsupported:
        return probe(path)
    if not any(s.get("codec_type") in {"audio", "video"} for s in report["streams"]):
        raise MediaUnreadable("the file has no audio or video stream")
    return report


def derive_in_process(path: Path, *, thumbnail: tuple[Path, float, int] | None = None, waveform: Path | None = None,
                      tracks: list[tuple[int, Path]] = (), seconds: float = 0.0) -> None:
    """`derive_files`' outputs made in this process; one ffmpeg run (`derive_files`) where PyAV cannot make them (a
    codec its build lacks, a file it reads differently): that run's errors are the job's."""
    from workers.engines import libav

    try:
        libav.derive(path, thumbnail_at=thumbnail, waveform_to=waveform, tracks=tracks, seconds=seconds)
    except libav.Unsupported:
        derive_files(path, thumbnail=thumbnail, waveform=waveform, tracks=tracks, seconds=seconds)


def thumbnail(path: Path, out: Path, at_seconds: float, width: int = 640) -> Path:
    try:
        processes.run_stream(ffmpeg.input(str(path), ss=max(0.0, at_seconds), **formats.INPUT)
                             .output(str(out), vframes=1, vf=f"scale='min({width},iw)':-2", **{"q:v": 3}),
                             timeout=processes.limit(floor_s=120))
    except ffmpeg.Error as error:
        raise failure(error, "cannot extract a thumbnail") from error
    return out


def waveform(path: Path, out: Path, size: str = "1200x240", media_s: float | None = None) -> Path:
    try:
        processes.run_stream(ffmpeg.input(str(path), **formats.INPUT)
                             .audio.filter("aformat", channel_layouts="mono")
                             .filter("showwavespic", s=size, colors="#3b82f6")
                             .output(str(out), vframes=1), timeout=processes.limit(media_s))
    except ffmpeg.Error as error:
        raise failure(error, "cannot draw a waveform") from error
    return out


def derive_files(path: Path, *, thumbnail: tuple[Path, float, int] | None = None, waveform: Path | None = None,
                 tracks: list[tuple[int, Path]] = (), seconds: float = 0.0) -> None:
    """A probe's files in one ffmpeg run: the thumbnail (path, second, stream index), the waveform of the first
    audio track and each audio track copied bit for bit (index among audio tracks, path).

    One process instead of one per file: each ffmpeg start costs ~0.1 CPU s here (it loads ~200 libraries). The
    outputs are those of `thumbnail`, `waveform` and `extract_track`; the thumbnail's input seeks on its own.
    """
    source = ffmpeg.input(str(path), **formats.INPUT)
    outputs = []
    if thumbnail is not None:
        out, at_seconds, stream = thumbnail
        still = source if at_seconds <= 0 else ffmpeg.input(str(path), ss=at_seconds, **formats.INPUT)
        outputs.append(still[str(stream)].output(str(out), vframes=1, vf="scale='min(640,iw)':-2", **{"q:v": 3}))
    if waveform is not None:
        outputs.append(source["a:0"].filter("aformat", channel_layouts="mono")
                       .filter("showwavespic", s="1200x240", colors="#3b82f6").output(str(waveform), vframes=1))
    for index, out in tracks:
        outputs.append(source[f"a:{index}"].output(str(out), acodec="copy", vn=None, sn=None, dn=None))
    if not outputs:
        return
    try:
        processes.run_stream(ffmpeg.merge_outputs(*outputs), timeout=processes.limit(seconds))
    except ffmpeg.Error as error:
        raise failure(error, "cannot derive the thumbnail, waveform and audio tracks") from error


# Stream copy keeps the track bit for bit; the container is the natural one for the codec.
TRACK_CONTAINERS = {"aac": ("m4a", "audio/mp4"), "alac": ("m4a", "audio/mp4"), "mp3": ("mp3", "audio/mpeg"),
                    "opus": ("ogg", "audio/ogg"), "vorbis": ("ogg", "audio/ogg"), "flac": ("flac", "audio/flac")}


def track_container(codec: str | None) -> tuple[str, str]:
    if codec and codec.startswith("pcm_"):
        return "wav", "audio/wav"
    return TRACK_CONTAINERS.get(codec or "", ("mka", "audio/x-matroska"))


def extract_track(path: Path, index: int, out: Path, media_s: float | None = None) -> Path:
    try:
        processes.run_stream(ffmpeg.input(str(path), **formats.INPUT)
                             .output(str(out), map=f"0:a:{index}", acodec="copy", vn=None, sn=None, dn=None),
                             timeout=processes.limit(media_s))
    except ffmpeg.Error as error:
        raise failure(error, f"cannot extract audio track {index}") from error
    return out


def extract_speech_audio(path: Path, out: Path, track: int = 0, media_s: float | None = None) -> Path:
    """The chosen audio track as 16 kHz mono PCM, the input Whisper and the diarizer expect."""
    try:
        processes.run_stream(ffmpeg.input(str(path), **formats.INPUT)
                             .output(str(out), map=f"0:a:{track}", ac=1, ar=16000, acodec="pcm_s16le", vn=None),
                             timeout=processes.limit(media_s))
    except ffmpeg.Error as error:
        raise failure(error, f"cannot read audio track {track}", AudioUnreadable) from error
    return out


def keyframe_at_or_before(path: Path, seconds: float) -> float:
    """Where a stream copy starting at `seconds` really starts: the last video keyframe not after it.

    Reads packet flags only (nothing is decoded), over the 10 s before `seconds`, then further back if needed.
    """
    for window in (10.0, 60.0, seconds):
        try:
            report = processes.probe(path, timeout=processes.limit(window), select_streams="v:0",
                                     show_entries="packet=pts_time,flags",
                                     read_intervals=f"{max(0.0, seconds - window):.3f}%{seconds + 0.001:.3f}")
        except ffmpeg.Error as error:
            raise failure(error, "cannot read the keyframes") from error
        times = [float(p["pts_time"]) for p in report.get("packets") or []
                 if "K" in (p.get("flags") or "") and p.get("pts_time") not in (None, "N/A")]
        before = [t for t in times if t <= seconds + 0.0005]
        if before:
            return max(before)
        if window >= seconds:
            break
    return 0.0
