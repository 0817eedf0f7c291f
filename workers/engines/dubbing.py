"""Voice-over audio: each segment spoken, fitted to its slot, laid on a timeline, mixed over the original."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import ffmpeg
import numpy as np
import soundfile

from domain.errors import DomainError, ErrorCode
from workers.engines import formats, processes, speech
from workers.engines.media import _reason, failure

RATE = 48000
MIN_TEMPO, MAX_TEMPO = 0.8, 1.5
FADE_MS = 30


@dataclass
class Line:
    segment_id: str
    start_ms: int
    end_ms: int
    text: str


@dataclass
class Fitted:
    timeline: Path
    tempos: list[float] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


def _retime(raw: Path, out: Path, tempo: float) -> np.ndarray:
    """ffmpeg's atempo (pitch kept) and resampling to the mix rate, read back as float32 mono."""
    stream = ffmpeg.input(str(raw), **formats.INPUT).audio
    if abs(tempo - 1.0) > 0.005:
        stream = stream.filter("atempo", f"{tempo:.4f}")
    try:
        processes.run_stream(ffmpeg.output(stream, str(out), ac=1, ar=RATE, acodec="pcm_f32le"),
                             timeout=processes.limit(soundfile.info(str(raw)).duration))
    except ffmpeg.Error as error:
        raise DomainError(f"cannot retime synthesized speech: {_reason(error)}", code=ErrorCode.INTERNAL) from error
    data, _ = soundfile.read(str(out), dtype="float32", always_2d=False)
    return data


def fit(lines: list[Line], voice: str, duration_ms: int, work: Path) -> Fitted:
    """Speak every line; speed it up (at most 1.5x) when it overruns its slot, trim what still overruns.

    Speech shorter than its slot is left at its natural pace: slowing it only to fill silence sounds wrong."""
    total = int(RATE * duration_ms / 1000) + RATE
    timeline = np.zeros(total, dtype=np.float32)
    fitted = Fitted(work / "voice.wav")
    for n, line in enumerate(lines):
        if not line.text.strip():
            continue
        raw = speech.synthesize(line.text, voice, work / f"raw-{n}.wav")
        natural_ms = soundfile.info(str(raw)).duration * 1000
        slot_ms = max(1, line.end_ms - line.start_ms)
        needed = natural_ms / slot_ms
        tempo = min(max(needed, 1.0), MAX_TEMPO)
        fitted.tempos.append(round(tempo, 3))
        audio = _retime(raw, work / f"fit-{n}.wav", tempo)
        room = int(RATE * slot_ms / 1000)
        if len(audio) > room:
            fade = min(room, int(RATE * FADE_MS / 1000))
            audio = audio[:room].copy()
            audio[room - fade:] *= np.linspace(1, 0, fade, dtype=np.float32)
            fitted.warnings.append({"segment_id": line.segment_id, "code": "TRIMMED",
                                    "message": f"speech needed {needed:.2f}x to fit; sped up {tempo:.2f}x and "
                                               f"trimmed {natural_ms / tempo - slot_ms:.0f} ms",
                                    "needed_tempo": round(needed, 3), "tempo": round(tempo, 3)})
        start = int(RATE * line.start_ms / 1000)
        end = min(total, start + len(audio))
        timeline[start:end] += audio[:end - start]
        raw.unlink(missing_ok=True)
    np.clip(timeline, -1.0, 1.0, out=timeline)
    soundfile.write(str(fitted.timeline), timeline[:int(RATE * duration_ms / 1000)], RATE, subtype="FLOAT")
    return fitted


def mix(original: Path, voice: Path, out: Path, audio_track: int, mute_original: bool) -> Path:
    """The dubbed track as AAC: the voice alone, or over the original, ducked under the voice (sidechain)."""
    length_s = soundfile.info(str(voice)).duration  # the voice track spans the original: the limit scales with it
    voice_in = ffmpeg.input(str(voice), **formats.INPUT).audio
    if mute_original:
        mixed = voice_in
    else:
        bed = ffmpeg.input(str(original), **formats.INPUT)[f"a:{audio_track}"].filter(
            "aformat", sample_rates=RATE, channel_layouts="mono")
        split = voice_in.filter_multi_output("asplit", 2)
        key, over = split[0], split[1]
        ducked = ffmpeg.filter([bed, key], "sidechaincompress", threshold=0.02, ratio=8, attack=20, release=400)
        mixed = ffmpeg.filter([ducked, over], "amix", inputs=2, duration="first", normalize=0)
    try:
        processes.run_stream(ffmpeg.output(mixed, str(out), acodec="aac", audio_bitrate="128k", ar=RATE, ac=1),
                             timeout=processes.limit(length_s))
    except ffmpeg.Error as error:
        raise failure(error, "cannot mix the voice-over", DomainError) from error
    return out


def mux(original: Path, tracks: list[tuple[Path, str]], out: Path, has_video: bool, audio_codec: str | None,
        media_s: float | None = None) -> Path:
    """An mp4 with the original picture and audio plus each dubbed track, tagged with its ISO 639-2 language."""
    import pycountry

    source = ffmpeg.input(str(original), **formats.INPUT)
    streams = ([source["v:0"]] if has_video else []) + [source["a:0"]]
    # The original audio is kept bit for bit where mp4 can carry it; the dubbed tracks are AAC already.
    extra = {"c:a": "copy", "c:a:0": "copy" if audio_codec in ("aac", "mp3", "alac") else "aac"}
    for n, (path, code) in enumerate(tracks, start=1):
        streams.append(ffmpeg.input(str(path), **formats.INPUT)["a:0"])
        found = pycountry.languages.get(alpha_2=code.split("-")[0])
        extra[f"metadata:s:a:{n}"] = f"language={found.alpha_3 if found else 'und'}"
    try:
        processes.run_stream(ffmpeg.output(*streams, str(out), vcodec="copy", movflags="+faststart",
                                           **{"disposition:a:0": "default"}, **extra), timeout=processes.limit(media_s))
    except ffmpeg.Error as error:
        raise failure(error, "cannot write the dubbed video", DomainError) from error
    return out
