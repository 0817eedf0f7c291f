"""Smart rendering of a timeline to one MP4: plain cuts are stream-copied GOP by GOP, only the frames around cut points
that do not start on a keyframe (and graded or foreign pieces) are encoded, with the source's own codec parameters.

How the parts meet without a concat demuxer or playlist (ffmpeg reads exactly the one file it is given): every video
part is written as MPEG-TS whose timestamps already are its place on the timeline (`-output_ts_offset`), the parts'
bytes are joined here, and one remux (`-i joined.ts -c copy`) makes the MP4. The audio is rendered in one pass from the
sources (one `-i` per piece, the concat *filter*, AAC) with sample counts derived from the frame counts, and muxed in
that same remux, so sound and picture cannot drift apart.
"""
from __future__ import annotations

import asyncio
import bisect
import json
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from domain.errors import MediaUnreadable, UnsupportedMedia
from workers.engines import formats, processes

PRESET, CRF = "veryfast", 18  # the encode of the frames that cannot be copied (and of graded pieces)
AUDIO = ("-c:a", "aac", "-b:a", "160k")
SAMPLE_RATE = 48000
BASE_S = 10  # every part's timestamps start this far in, so no muxer ever shifts a negative DTS of one part alone
PARALLEL = max(1, min(4, os.cpu_count() or 1))
_PROFILES = {"High": "high", "Main": "main", "Baseline": "baseline", "Constrained Baseline": "baseline"}


@dataclass(frozen=True)
class Piece:
    """`duration_s` of `path` from `start_s`; `grade` is an ffmpeg filter chain applied to its pixels (None: a plain
    cut)."""

    path: Path
    start_s: float
    duration_s: float
    grade: str | None = None


@dataclass
class Source:
    """What ffprobe says about one file: the video parameters a copy must match, its frames' times and keyframes."""

    path: Path
    video: dict
    has_audio: bool
    fps: Fraction
    start: float = 0.0  # the file's start time: ffmpeg's -ss and our piece times count from it
    times: list[float] = field(default_factory=list)  # presentation times of the video frames, sorted
    keys: list[int] = field(default_factory=list)  # indexes (into `times`) of the keyframes a copy may start at
    regular: bool = True  # constant frame rate: copied frames land where the frame count says

    def signature(self) -> tuple:
        v = self.video
        return (v.get("codec_name"), v.get("profile"), v.get("level"), v.get("pix_fmt"), v.get("width"),
                v.get("height"), v.get("sample_aspect_ratio") or "1:1", self.fps, v.get("has_b_frames"),
                v.get("field_order") or "progressive")

    def index_at(self, t: float) -> int:
        """The frame shown at time `t` (the nearest frame start, so float noise in `t` does not move it)."""
        return bisect.bisect_left(self.times, self.start + t - 0.5 / float(self.fps))


@dataclass
class Part:
    kind: str  # "copy" or "encode"
    piece: int
    first: int  # source frame index (copy), or the seek time's frame (encode)
    frames: int
    at: int  # the output frame it starts at
    path: Path | None = None


@dataclass
class Report:
    frames: int
    fps: Fraction
    copied_frames: int
    encoded_frames: int
    parts: list[dict]

    @property
    def duration_s(self) -> float:
        return self.frames / float(self.fps)


def _fail(what: str, stderr: bytes) -> Exception:
    text = stderr.decode(errors="replace").strip()
    if refused := formats.refusal(text):
        return UnsupportedMedia(f"unsupported media: {refused}")
    lines = text.splitlines()
    return MediaUnreadable(f"{what}: {lines[-1] if lines else 'ffmpeg failed'}")


async def _run(argv: list[str], what: str, media_s: float = 0.0) -> bytes:
    process = await processes.start(argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                                    stderr=asyncio.subprocess.PIPE)
    out, err = await processes.communicate(process, argv, timeout=processes.limit(media_s))
    if process.returncode != 0:
        raise _fail(what, err)
    return out


async def probe(path: Path, with_frames: bool) -> Source:
    report = json.loads(await _run(["ffprobe", "-v", "error", *formats.ARGV, "-show_streams", "-show_format",
                                    "-of", "json", str(path)], f"cannot read {path.name}"))
    streams = report.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None:
        raise MediaUnreadable(f"{path.name} has no video stream")
    rate = video.get("avg_frame_rate")
    if rate in (None, "0/0"):
        rate = video.get("r_frame_rate")
    fps = Fraction(rate or "25/1")
    # ffprobe's avg_frame_rate of a short x264 file can be a long fraction of the real one: snap to r_frame_rate
    real = Fraction(video.get("r_frame_rate") or rate)
    if real and abs(float(fps) - float(real)) < 0.01:
        fps = real
    source = Source(path, video, any(s.get("codec_type") == "audio" for s in streams), fps,
                    float((report.get("format") or {}).get("start_time") or 0.0))
    if with_frames:
        # packet flags and times only: nothing is decoded
        text = (await _run(["ffprobe", "-v", "error", *formats.ARGV, "-select_streams", "v:0", "-show_entries",
                            "packet=pts_time,flags", "-of", "csv=p=0", str(path)], f"cannot read {path.name}")).decode()
        packets, open_gop = [], set()  # in decode order
        for line in text.splitlines():
            pts, _, flags = line.partition(",")
            if pts not in ("", "N/A"):
                packets.append((float(pts), "K" in flags))
        key_pts = None
        for pts, key in packets:
            if key:
                key_pts = pts
            elif key_pts is not None and pts < key_pts:
                open_gop.add(key_pts)  # frames after it in decode order show before it: they need the GOP before
        ordered = sorted(packets)
        source.times = [t for t, _ in ordered]
        source.keys = [i for i, (t, key) in enumerate(ordered) if key and t not in open_gop]
        step = 1 / float(fps)
        source.regular = all(abs(t - source.times[0] - i * step) < step / 4 for i, t in enumerate(source.times))
    return source


def _copyable(source: Source, target: Source) -> bool:
    return source.signature() == target.signature() and source.video.get("codec_name") == "h264" \
        and source.video.get("profile") in _PROFILES and source.video.get("pix_fmt") == "yuv420p" and source.regular


def _x264(target: Source) -> list[str]:
    """Encoder settings that make an encoded part interchangeable with the copied ones: same profile, level,
    pixel format, size, aspect and the same B-frame reorder delay (so decode timestamps stay monotonic at a join)."""
    v = target.video
    args = ["-c:v", "libx264", "-preset", PRESET, "-crf", str(CRF), "-pix_fmt", "yuv420p"]
    if target.video.get("codec_name") == "h264" and v.get("profile") in _PROFILES:
        args += ["-profile:v", _PROFILES[v["profile"]]]
        if isinstance(v.get("level"), int) and v["level"] > 0:
            args += ["-level:v", f"{v['level'] / 10:.1f}"]
    delay = int(v.get("has_b_frames") or 0) if v.get("codec_name") == "h264" else 2
    params = {0: "bframes=0", 1: "bframes=1:b-pyramid=none"}.get(delay, "bframes=3:b-pyramid=normal")
    args += ["-x264-params", params]
    for option, key in (("-color_primaries", "color_primaries"), ("-color_trc", "color_transfer"),
                        ("-colorspace", "color_space"), ("-color_range", "color_range")):
        if v.get(key) and v[key] != "unknown":
            args += [option, v[key]]
    return args


def _plan(pieces: list[Piece], sources: dict[Path, Source], target: Source) -> tuple[list[Part], list[int]]:
    """Timeline frame counts (cumulative rounding, so the total is exact) and the parts that render them."""
    fps = target.fps
    bounds, elapsed = [0], 0.0
    for piece in pieces:
        elapsed += piece.duration_s
        bounds.append(round(elapsed * fps))
    parts: list[Part] = []
    for n, piece in enumerate(pieces):
        count, at = bounds[n + 1] - bounds[n], bounds[n]
        if count <= 0:
            continue
        source = sources[piece.path]
        if piece.grade is None and _copyable(source, target) and source.times:
            first = source.index_at(piece.start_s)
            last = min(first + count, len(source.times))
            key_in = bisect.bisect_left(source.keys, first)
            key_out = bisect.bisect_right(source.keys, last) - 1
            k1 = source.keys[key_in] if key_in < len(source.keys) else last
            k2 = source.keys[key_out] if key_out >= 0 else first
            if first <= k1 < k2 <= last:
                if k1 > first:
                    parts.append(Part("encode", n, first, k1 - first, at))
                parts.append(Part("copy", n, k1, k2 - k1, at + k1 - first))
                if k2 < first + count:
                    parts.append(Part("encode", n, k2, first + count - k2, at + k2 - first))
                continue
            parts.append(Part("encode", n, first, count, at))
            continue
        first = source.index_at(piece.start_s) if source.times else round(piece.start_s * source.fps)
        parts.append(Part("encode", n, first, count, at))
    return parts, bounds


def _frame_time(source: Source, index: int) -> float:
    if source.times and index < len(source.times):
        return source.times[index]
    return float(index / source.fps) + (source.times[0] if source.times else source.start)


def _ts(seconds: float) -> str:
    return f"{seconds:.6f}"


def _part_argv(part: Part, piece: Piece, source: Source, target: Source, out: Path) -> list[str]:
    offset = BASE_S + float(part.at / target.fps)
    common = ["-map_metadata", "-1", "-an", "-sn", "-dn", "-f", "mpegts", str(out)]
    if part.kind == "copy":
        # lands exactly on the keyframe; in decode order its closed GOPs hold exactly these frames
        return ["ffmpeg", "-nostdin", "-v", "error", "-y", *formats.ARGV, "-ss",
                _ts(source.times[part.first] - source.start),
                "-i", str(source.path), "-map", "0:v:0", "-c:v", "copy", "-frames:v", str(part.frames),
                # the parameter sets ahead of the first keyframe even when it is not an IDR frame
                "-bsf:v", "h264_mp4toannexb,dump_extra=freq=keyframe",
                "-output_ts_offset", _ts(offset), *common]
    v = target.video
    chain = [piece.grade] if piece.grade else []
    if (source.video.get("width"), source.video.get("height")) != (v["width"], v["height"]):
        chain.append(f"scale={v['width']}:{v['height']}:force_original_aspect_ratio=decrease,"
                     f"pad={v['width']}:{v['height']}:(ow-iw)/2:(oh-ih)/2")
    sar = (v.get("sample_aspect_ratio") or "1:1").replace(":", "/")
    chain += [f"setsar={sar if sar != '0/1' else '1'}", "format=yuv420p",
              f"setpts=N/({target.fps.numerator}/{target.fps.denominator})/TB"]
    # accurate seek: ffmpeg decodes from the keyframe before and drops frames before half a frame ahead of ours
    seek = max(0.0, _frame_time(source, part.first) - source.start - 0.5 / float(source.fps))
    return ["ffmpeg", "-nostdin", "-v", "error", "-y", *formats.ARGV, "-ss", _ts(seek), "-i", str(source.path),
            "-map", "0:v:0", "-vf", ",".join(chain), "-frames:v", str(part.frames), "-fps_mode", "passthrough",
            *_x264(target), "-output_ts_offset", _ts(offset), *common]


def _audio_argv(pieces: list[Piece], sources: dict[Path, Source], bounds: list[int], fps: Fraction,
                out: Path) -> list[str]:
    """One pass: each piece's sound cut to exactly its share of samples (silence where a file has none), joined by
    the concat filter."""
    opened: list[list[str]] = []  # each file input's own options (ffmpeg's input options precede each -i)
    chains, labels = [], []
    for n, piece in enumerate(pieces):
        samples = round(bounds[n + 1] / fps * SAMPLE_RATE) - round(bounds[n] / fps * SAMPLE_RATE)
        if samples <= 0:
            continue
        if sources[piece.path].has_audio:
            chains.append(f"[{len(opened)}:a:0]aresample={SAMPLE_RATE},"
                          f"aformat=sample_fmts=fltp:channel_layouts=stereo,"
                          f"apad,atrim=end_sample={samples},asetpts=N/SR/TB[a{n}]")
            opened.append(["-ss", _ts(piece.start_s), "-t", _ts(piece.duration_s + 0.5), "-i", str(piece.path)])
        else:
            chains.append(f"anullsrc=r={SAMPLE_RATE}:cl=stereo,atrim=end_sample={samples},aformat=sample_fmts=fltp"
                          f"[a{n}]")
        labels.append(f"[a{n}]")
    graph = ";".join(chains) + ";" + "".join(labels) + f"concat=n={len(labels)}:v=0:a=1[aout]"
    later = [arg for extra in opened[1:] for arg in (*formats.ARGV, *extra)]
    return ["ffmpeg", "-nostdin", "-v", "error", "-y", *formats.ARGV, *opened[0], *later, "-filter_complex", graph,
            "-map", "[aout]", *AUDIO, "-ar", str(SAMPLE_RATE), "-vn", str(out)]


TS_PACKET = 188


def join(parts: list[Path], out: Path) -> None:
    """The parts' MPEG-TS bytes one after another, continuity counters renumbered per PID so the demuxer sees one
    unbroken stream (the timestamps already run on)."""
    following: dict[int, int] = {}
    with open(out, "wb") as sink:
        for path in parts:
            data = bytearray(path.read_bytes())
            if len(data) % TS_PACKET:
                raise MediaUnreadable(f"{path.name} is not a whole MPEG-TS stream")
            for at in range(0, len(data), TS_PACKET):
                pid = ((data[at + 1] & 0x1F) << 8) | data[at + 2]
                flags = data[at + 3]
                if pid == 0x1FFF:
                    continue  # null packets carry no counter
                if flags & 0x10:  # a payload: the counter advances
                    counter = following.get(pid, flags & 0x0F)
                    following[pid] = (counter + 1) & 0x0F
                else:  # adaptation field only: the counter repeats the last one
                    counter = (following.get(pid, (flags & 0x0F) + 1) - 1) & 0x0F
                data[at + 3] = (flags & 0xF0) | counter
            sink.write(data)


Progress = Callable[[float], Awaitable[None]]


async def render(pieces: list[Piece], out: Path, work: Path, on_progress: Progress | None = None) -> Report:
    """Render `pieces` in order to `out` (MP4, faststart), working in the folder `work`."""
    if not pieces:
        raise MediaUnreadable("the timeline has no segment to render")
    pieces = [p if isinstance(p, Piece) else Piece(Path(p["path"]), float(p["start_s"]), float(p["duration_s"]),
                                                   p.get("grade")) for p in pieces]
    paths = list(dict.fromkeys(p.path for p in pieces))
    sources = dict(zip(paths, await asyncio.gather(*(probe(path, True) for path in paths))))
    # the output takes the parameters of the file that plays longest: the most of it can then be copied
    share: dict[Path, float] = {}
    for piece in pieces:
        share[piece.path] = share.get(piece.path, 0.0) + (piece.duration_s if piece.grade is None else 0.0)
    target = sources[max(paths, key=lambda p: share[p])]
    parts, bounds = _plan(pieces, sources, target)
    work.mkdir(parents=True, exist_ok=True)
    for n, part in enumerate(parts):
        part.path = work / f"part-{n:04d}.ts"
    audio = work / "audio.m4a"
    has_audio = any(sources[p].has_audio for p in paths)
    gate, done, total = asyncio.Semaphore(PARALLEL), 0, sum(p.frames for p in parts) or 1
    length_s = sum(p.duration_s for p in pieces)  # what the sound pass and the join read: their time limits scale

    async def one(part: Part) -> None:
        nonlocal done
        async with gate:
            piece = pieces[part.piece]
            await _run(_part_argv(part, piece, sources[piece.path], target, part.path), "a part failed to render",
                       part.frames / float(target.fps))
        done += part.frames
        if on_progress is not None:
            await on_progress(0.9 * done / total)

    jobs = [one(part) for part in parts]
    if has_audio:
        jobs.append(_run(_audio_argv(pieces, sources, bounds, target.fps, audio), "the sound failed to render",
                         length_s))
    await asyncio.gather(*jobs)
    joined = work / "joined.ts"
    join([part.path for part in parts], joined)
    timescale = Fraction(target.video.get("time_base") or "1/90000").denominator
    argv = ["ffmpeg", "-nostdin", "-v", "error", "-y", *formats.ARGV, "-i", str(joined)]
    if has_audio:
        argv += [*formats.ARGV, "-i", str(audio), "-map", "0:v:0", "-map", "1:a:0"]
    else:
        argv += ["-map", "0:v:0"]
    argv += ["-c", "copy", "-video_track_timescale", str(timescale), "-map_metadata", "-1", "-movflags", "+faststart",
             "-f", "mp4", str(out)]
    await _run(argv, "the parts could not be joined", length_s)
    if on_progress is not None:
        await on_progress(1.0)
    copied = sum(p.frames for p in parts if p.kind == "copy")
    return Report(bounds[-1], target.fps, copied, bounds[-1] - copied,
                  [{"kind": p.kind, "piece": p.piece, "frames": p.frames, "at": p.at} for p in parts])
