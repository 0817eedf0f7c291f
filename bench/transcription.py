"""Transcription: a job end to end (submit -> completed event, warm worker) against raw faster-whisper on the
same file, model and options; and WER on espeak-ng speech of 10, 30 and 60 s as mp3, wav and mp4."""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import jiwer
import websockets

from bench.common import EMBEDDED, running_server, table
from workers.engines import transcriber

SENTENCES = [
    "Good morning and welcome to the evening news.", "The city council approved a new budget for public transport.",
    "Buses will run every ten minutes in the centre from next spring.", "Local businesses expect more visitors.",
    "The weather will stay dry for most of the week.", "Temperatures will rise slowly towards the weekend.",
    "In sport, the home team won their third match in a row.", "The coach praised the young players after the game.",
    "A new library opened in the north of the city yesterday.", "It has space for more than fifty thousand books.",
    "Scientists presented a study about clean water in rural areas.", "The results will be published next month.",
]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def speech(seconds: int, folder: Path) -> tuple[Path, str]:
    text, index = "", 0
    while True:
        candidate = (text + " " + SENTENCES[index % len(SENTENCES)]).strip()
        wav = folder / f"probe-{seconds}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us+m3", "-s", "150", "-w", str(wav), candidate], check=True)
        length = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                       str(wav)], capture_output=True, text=True).stdout)
        if length > seconds and text:
            break
        text, index = candidate, index + 1
    out = folder / f"speech-{seconds}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us+m3", "-s", "150", "-w", str(out), text], check=True)
    return out, text


def encode(wav: Path, fmt: str) -> Path:
    out = wav.with_suffix(f".{fmt}")
    if fmt == "mp3":
        args = ["-i", str(wav), "-c:a", "libmp3lame", "-q:a", "4"]
    elif fmt == "mp4":
        args = ["-i", str(wav), "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25", "-map", "1:v", "-map", "0:a",
                "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"]
    else:
        return wav
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(out)], check=True)
    return out


def normalise(text: str) -> str:
    return " ".join(jiwer.RemovePunctuation()(text.lower()).split())


async def upload_and_transcribe(base: str, key: str, path: Path) -> tuple[str, str, int]:
    """Upload and let the pipeline transcribe; returns the text, the asset id and segments ending past the media."""
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=600) as client:
        asset = (await client.post("/v1/assets", json={"filename": path.name})).json()
        url = (await client.post(f"/v1/assets/{asset['id']}/start_upload", json={})).json()["parts"][0]["url"]
        etag = (await client.put(url, content=path.read_bytes())).headers["etag"]
        await client.post(f"/v1/assets/{asset['id']}/finish_upload", json={"etags": [etag]})
        query = """query($id: ID!) { asset(id: $id) { durationMs transcriptions { segments { text endMs } }
            jobs(kinds: [TRANSCRIPTION]) { edges { node { status processedAt completedAt } } } } }"""
        while True:
            body = (await client.post("/graphql", json={"query": query, "variables": {"id": asset["id"]}})).json()
            data = body["data"]["asset"]
            jobs = [e["node"] for e in data["jobs"]["edges"]]
            if jobs and jobs[0]["status"] in {"COMPLETED", "FAILED"}:
                break
            await asyncio.sleep(0.2)
        segments = [s for t in data["transcriptions"] for s in t["segments"]]
        past_end = sum(1 for s in segments if s["endMs"] > data["durationMs"])
        return " ".join(s["text"] for s in segments), asset["id"], past_end


async def timed_job(base: str, key: str, asset_id: str) -> float:
    """Submit a transcription and wait for its completed event on a subscription (warm worker)."""
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=600) as client, \
            websockets.connect(base.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query":
            "subscription($a: ID!) { jobEvents(assetId: $a, kinds: [TRANSCRIPTION]) { id status } }",
            "variables": {"a": asset_id}}}))
        await asyncio.sleep(0.3)
        started = time.perf_counter()
        job = (await client.post("/graphql", json={"query": """mutation($a: ID!) { transcribe(input: {assetId: $a,
            language: "en"}) { job { id } errors { message } } }""", "variables": {"a": asset_id}})).json()
        job_id = job["data"]["transcribe"]["job"]["id"]
        async for raw in ws:
            message = json.loads(raw)
            event = message.get("payload", {}).get("data", {}).get("jobEvents") if message["type"] == "next" else None
            if event and event["id"] == job_id and event["status"] in {"COMPLETED", "FAILED"}:
                return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clips = {seconds: speech(seconds, folder) for seconds in (10, 30, 60)}
        config = transcriber.WhisperConfig.from_env()
        with running_server(folder / "data", EMBEDDED) as (base, _pid, key):
            wer_rows = [("clip", "format", "WER", "segments past the end")]
            sixty_asset = None
            for seconds, (wav, reference) in clips.items():
                for fmt in ("mp3", "wav", "mp4"):
                    text, asset_id, past_end = asyncio.run(upload_and_transcribe(base, key, encode(wav, fmt)))
                    wer = jiwer.wer(normalise(reference), normalise(text))
                    wer_rows.append((f"{seconds} s", fmt, f"{wer:.3f}", str(past_end)))
                    if seconds == 60 and fmt == "wav":
                        sixty_asset = asset_id
            wav60 = clips[60][0]
            transcriber.transcribe(config, wav60, language="en", beam_size=5, word_timestamps=False)  # warm
            job_times, raw_times = [], []
            for _ in range(ROUNDS):  # interleaved, with the server up for both: same machine state
                started = time.perf_counter()
                segments, _ = transcriber.model(config).transcribe(
                    str(wav60), language="en", beam_size=5, vad_filter=True,
                    temperature=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), condition_on_previous_text=False)
                list(segments)
                raw_times.append(time.perf_counter() - started)
                job_times.append(asyncio.run(timed_job(base, key, sixty_asset)))
        duration = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                                         "csv=p=0", str(wav60)], capture_output=True, text=True).stdout)
    table("WER with the default model and settings (tiny.en, beam 5, VAD), espeak-ng speech through the pipeline", wer_rows)
    job_s, raw_s = statistics.median(job_times), statistics.median(raw_times)
    table(f"{duration:.0f} s clip: transcription job end to end vs raw faster-whisper (median of {ROUNDS})", [
        ("", "seconds", "real-time factor", "ratio", "goal"),
        ("raw faster-whisper", f"{raw_s:.2f}", f"{raw_s / duration:.3f}", "1.00", ""),
        ("Mediagraph job", f"{job_s:.2f}", f"{job_s / duration:.3f}", f"{job_s / raw_s:.2f}", "<= 1.15"),
    ])


if __name__ == "__main__":
    main()
