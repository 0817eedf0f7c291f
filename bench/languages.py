"""Speech in other languages: detected language, WER and time per language (en, es, de) through the server, against
raw faster-whisper on the same model, file and options. espeak-ng speech, ~15 s a clip; `auto` goes to the
multilingual Whisper base, a named English to tiny.en."""
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
from workers.engines import models, transcriber

SCRIPTS = {
    "en": ("en-us+m3", ("Good morning and welcome to the evening news. The city council approved a new budget for "
                        "public transport. Buses will run every ten minutes in the centre from next spring.")),
    "es": ("es", ("Buenos días y bienvenidos a las noticias. El ayuntamiento aprobó un nuevo presupuesto para el "
                  "transporte público. Los autobuses pasarán cada diez minutos por el centro.")),
    "de": ("de", ("Guten Abend und willkommen zu den Nachrichten. Der Stadtrat hat einen neuen Haushalt für den "
                  "öffentlichen Verkehr beschlossen. Die Busse fahren ab dem Frühjahr alle zehn Minuten.")),
}
RUNS = [("en", "en"), ("en", "auto"), ("es", "auto"), ("de", "auto")]  # (speech, requested language)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
GQL_TRANSCRIBE = """mutation($a: ID!, $l: String) { transcribe(input: {assetId: $a, language: $l}) {
  job { id } errors { message } } }"""
LATEST = """query($id: ID!) { asset(id: $id) { transcriptions { language model segments { text } } } }"""


def normalise(text: str) -> str:
    return " ".join(jiwer.RemovePunctuation()(text.lower()).split())


def speak(code: str, folder: Path) -> Path:
    voice, text = SCRIPTS[code]
    raw = folder / f"{code}-raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True)
    out = folder / f"{code}.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(raw), "-ar", "16000", "-ac", "1", str(out)], check=True)
    return out


async def upload(client: httpx.AsyncClient, path: Path) -> str:
    asset = (await client.post("/v1/assets", json={"filename": path.name})).json()
    url = (await client.post(f"/v1/assets/{asset['id']}/start_upload", json={})).json()["parts"][0]["url"]
    etag = (await client.put(url, content=path.read_bytes())).headers["etag"]
    await client.post(f"/v1/assets/{asset['id']}/finish_upload", json={"etags": [etag]})
    query = """query($id: ID!) { asset(id: $id) { jobs(kinds: [TRANSCRIPTION]) { edges { node { status } } } } }"""
    while True:  # the pipeline's own transcription (English by default) first: the worker is warm after it
        body = (await client.post("/graphql", json={"query": query, "variables": {"id": asset["id"]}})).json()
        jobs = [e["node"] for e in body["data"]["asset"]["jobs"]["edges"]]
        if jobs and jobs[0]["status"] in {"COMPLETED", "FAILED"}:
            return asset["id"]
        await asyncio.sleep(0.2)


async def timed_job(base: str, key: str, asset_id: str, language: str) -> tuple[float, dict]:
    """Submit a transcription and wait for its completed event on a subscription; the transcript it wrote."""
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
        job = (await client.post("/graphql", json={"query": GQL_TRANSCRIBE,
                                                   "variables": {"a": asset_id, "l": language}})).json()
        job_id = job["data"]["transcribe"]["job"]["id"]
        async for raw in ws:
            message = json.loads(raw)
            event = message.get("payload", {}).get("data", {}).get("jobEvents") if message["type"] == "next" else None
            if event and event["id"] == job_id and event["status"] in {"COMPLETED", "FAILED"}:
                elapsed = time.perf_counter() - started
                break
        found = (await client.post("/graphql", json={"query": LATEST, "variables": {"id": asset_id}})).json()
        return elapsed, found["data"]["asset"]["transcriptions"][-1]


def raw_run(config: transcriber.WhisperConfig, wav: Path, language: str | None) -> tuple[float, str, float]:
    started = time.perf_counter()
    segments, info = transcriber.model(config).transcribe(
        str(wav), language=language, beam_size=5, vad_filter=True, temperature=config.temperatures,
        condition_on_previous_text=False)
    list(segments)  # the generator does the work
    return time.perf_counter() - started, info.language, info.language_probability


def main() -> None:
    rows = [("speech", "asked", "model", "detected (p)", "WER", "job s", "raw s", "ratio")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clips = {code: speak(code, folder) for code in SCRIPTS}
        english = transcriber.WhisperConfig.from_env()
        multilingual = english.multilingual(folder / "data")  # where the server joins it too (under a file lock)
        with running_server(folder / "data", EMBEDDED) as (base, _pid, key):
            async def uploads() -> dict[str, str]:
                async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {key}"},
                                             timeout=600) as client:
                    return {code: await upload(client, wav) for code, wav in clips.items()}

            assets = asyncio.run(uploads())
            for code, asked in RUNS:
                config = english if asked == "en" else multilingual
                raw_run(config, clips[code], None if asked == "auto" else asked)  # warm this process's model
                job_times, raw_times = [], []
                for _ in range(ROUNDS):  # interleaved, with the server up for both
                    elapsed, _lang, probability = raw_run(config, clips[code], None if asked == "auto" else asked)
                    raw_times.append(elapsed)
                    elapsed, written = asyncio.run(timed_job(base, key, assets[code], asked))
                    job_times.append(elapsed)
                probability = raw_run(multilingual, clips[code], None)[2]  # the detector's confidence
                heard = " ".join(s["text"] for s in written["segments"])
                wer = jiwer.wer(normalise(SCRIPTS[code][1]), normalise(heard))
                job_s, raw_s = statistics.median(job_times), statistics.median(raw_times)
                detected = f"{written['language']} " + (f"({probability:.2f})" if asked == "auto" else "(named)")
                rows.append((code, asked, written["model"].split(" (beam")[0], detected, f"{wer:.3f}",
                             f"{job_s:.2f}", f"{raw_s:.2f}", f"{job_s / raw_s:.2f}"))
    table(f"Languages: espeak-ng speech (~12 s a clip) through a transcription job vs raw faster-whisper on the same "
          f"model and options (beam 5, VAD), median of {ROUNDS}; detection by {models.DISPLAY}", rows)


if __name__ == "__main__":
    main()
