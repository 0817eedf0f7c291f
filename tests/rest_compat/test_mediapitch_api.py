"""MediaPitch end to end: audio uploads checked by content, submissions run as tasks, worker reports, mail, credits."""
from __future__ import annotations

import asyncio
import uuid

import pytest

from app import _create_key
from domain.errors import NoProvider
from domain.pitch import service as pitch
from domain.ports import Ports
from domain.providers.registry import ProviderRegistry
from domain.tenancy.service import Viewer
from tests.harness import gql
from tests.media import ffmpeg
from tests.rest_compat.helpers import bearer
from workers.engines import summarizer
from workers.engines.registry import register_local

ACCOUNT = """mutation($email: String) { updateAccount(input: {notificationEmail: $email}) {
  account { name notificationEmail creditsUsed } errors { field code message } } }"""
TASK = """{ pitchTasks(first: 100) { edges { node { number job {
  status error { code message } children { kind status } } } } } }"""


async def upload(client, key, path, name=None, filename=None):
    files = {"audio": (filename or path.name, path.read_bytes(), "application/octet-stream")}
    return await client.post("/api/v1/audios", files=files, data={"name": name} if name else {}, headers=bearer(key))


async def task_done(client, key, task_number, timeout=180) -> dict:
    """Polled through GraphQL (by the task's MediaPitch number): MediaPitch's own paths allow 60 requests a minute."""
    for _ in range(timeout * 5):
        edges = (await gql(client, key, TASK))["data"]["pitchTasks"]["edges"]
        job = next(e["node"]["job"] for e in edges if e["node"]["number"] == task_number)
        if job["status"] in {"COMPLETED", "FAILED"}:
            return job
        await asyncio.sleep(0.2)
    raise AssertionError("task did not finish")


@pytest.fixture(scope="module")
def mp3(media, tmp_path_factory):
    out = tmp_path_factory.mktemp("pitch") / "call.mp3"
    ffmpeg("-i", str(media["dialogue_wav"]), "-c:a", "libmp3lame", "-b:a", "64k", str(out))
    return out


async def test_upload_submit_and_read_the_results(client, tenant, mp3, mailbox):
    email = f"{uuid.uuid4().hex[:8]}@example.test"
    assert (await gql(client, tenant.key, ACCOUNT, {"email": email}))["data"]["updateAccount"]["errors"] == []
    uploaded = await upload(client, tenant.key, mp3, name="Sales call")
    assert uploaded.status_code == 201, uploaded.text
    audio = uploaded.json()["data"]
    assert audio["name"] == "Sales call" and audio["size"] == mp3.stat().st_size and 5 < audio["duration"] < 60
    assert (await client.get(audio["url"])).content == mp3.read_bytes()

    services = ["Transcribe", "Speaker Diarization", "Translate", "Summarize", "Paraphrase"]
    created = await client.post("/api/v1/submissions", headers=bearer(tenant.key), json={
        "audio_name": "Q3 call", "audio_id": audio["id"], "services": services, "audio_language": "English",
        "context": "Call with investor Q&A"})
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    assert data["submission"]["services"] == services and data["submission"]["status"] == "pending"
    assert data["task"]["type"] == "&".join(services)
    job = await task_done(client, tenant.key, data["task"]["id"])
    assert job["status"] == "COMPLETED", job
    assert {c["kind"] for c in job["children"]} == {"TRANSCRIPTION", "TRANSLATION", "GENERATION"}

    detail = (await client.get(f"/api/v1/submissions/{data['submission']['id']}", headers=bearer(tenant.key))).json()
    assert detail["data"]["context"] == "Call with investor Q&A" and detail["data"]["services"] == services
    [task] = detail["data"]["tasks"]
    assert task["status"] == "done" and task["result"]["from"] == "completed"
    payload = task["result"]["payload"]
    assert payload["summary"].startswith("SUMMARY: ") and payload["paraphrase"].startswith("PARAPHRASE: ")
    assert len({c["speaker"] for c in payload["chunks"]}) == 2  # two voices, diarized
    assert all(0 <= c["start"] < c["end"] for c in payload["chunks"])
    assert payload["translation"]["language"] == "es-ES"
    assert [c["start"] for c in payload["translation"]["chunks"]] == [c["start"] for c in payload["chunks"]]
    assert all(c["text"].startswith("(es) ") for c in payload["translation"]["chunks"])
    # The model got the requester's context with the transcript.
    listed = (await client.get("/api/v1/tasks?status=done", headers=bearer(tenant.key))).json()
    assert [t["id"] for t in listed["data"]] == [task["id"]]

    for _ in range(50):
        mails = [m for m in mailbox.messages if email in m["to"]]
        if mails:
            break
        await asyncio.sleep(0.1)
    assert len(mails) == 1 and "is done" in mails[0]["data"]
    account = (await gql(client, tenant.key, "{ account { creditsUsed } }"))["data"]["account"]
    assert audio["duration"] * 0.9 <= account["creditsUsed"]  # the seconds of audio its jobs processed


async def test_worker_reports_complete_a_task_once(server, client, tenant, media_server, mailbox, media):
    email = f"{uuid.uuid4().hex[:8]}@example.test"
    await gql(client, tenant.key, ACCOUNT, {"email": email})
    created = await client.post("/api/v1/submissions", headers=bearer(tenant.key), json={
        "audio_name": "slow origin", "audio_url": f"{media_server}/slow/{media['dialogue_wav'].name}",
        "services": ["Transcribe"]})
    assert created.status_code == 201, created.text
    task_id = created.json()["data"]["task"]["id"]
    worker = await _create_key(server.settings, tenant.name, False, worker=True)  # reports need a worker's key
    progress = await client.post(f"/api/v1/tasks/{task_id}/results", headers=bearer(worker),
                                 json={"status": "processing"})
    assert progress.status_code == 200 and progress.json()["data"]["status"] in {"pending", "processing"}
    reported = await client.post(f"/api/v1/tasks/{task_id}/results", headers=bearer(worker), json={
        "status": "completed", "result": [{"summary": "from the worker"}], "result_id": 7, "zip": "results/7.zip"})
    assert reported.status_code == 200, reported.text
    assert reported.json() == {"data": {"task_id": task_id, "status": "done"}}
    again = await client.post(f"/api/v1/tasks/{task_id}/results", headers=bearer(worker), json={"status": "completed"})
    assert again.status_code == 409 and "message" in again.json()
    tasks = (await client.get("/api/v1/tasks?status=done", headers=bearer(tenant.key))).json()["data"]
    assert [t["id"] for t in tasks] == [task_id]
    for _ in range(50):
        if any(email in m["to"] for m in mailbox.messages):
            break
        await asyncio.sleep(0.1)
    assert any(email in m["to"] for m in mailbox.messages)


async def test_bad_audio_and_submissions_answer_422_in_mediapitch_shape(client, tenant, other_tenant, media, mp3):
    not_audio = await upload(client, tenant.key, media["not_media"], filename="song.mp3")
    assert not_audio.status_code == 422 and "audio" in not_audio.json()["errors"]
    video = await upload(client, tenant.key, media["mp4"], filename="clip.m4a")  # a video is not an audio
    assert video.status_code == 422 and "audio" in video.json()["errors"]
    missing = await client.post("/api/v1/audios", data={"name": "x"}, headers=bearer(tenant.key))
    assert missing.status_code == 422 and "audio" in missing.json()["errors"]

    theirs = (await upload(client, other_tenant.key, mp3)).json()["data"]
    foreign = await client.post("/api/v1/submissions", headers=bearer(tenant.key), json={
        "audio_name": "not mine", "audio_id": theirs["id"], "services": ["Transcribe"]})
    assert foreign.status_code == 422 and foreign.json()["errors"] == {"audio_id": ["The selected audio id is invalid."]}
    neither = await client.post("/api/v1/submissions", headers=bearer(tenant.key), json={
        "audio_name": "nothing", "services": ["Transcribe"]})
    assert neither.status_code == 422 and "audio_url" in neither.json()["errors"]
    unknown = await client.post("/api/v1/submissions", headers=bearer(tenant.key), json={
        "audio_name": "x", "audio_url": "http://127.0.0.1/a.mp3", "services": ["Dance"]})
    assert unknown.status_code == 422 and "services" in unknown.json()["errors"]
    spanish = await client.post("/api/v1/submissions", headers=bearer(tenant.key), json={
        "audio_name": "x", "audio_url": "http://127.0.0.1/a.mp3", "services": ["Transcribe"], "audio_language": "Zulu"})
    assert spanish.status_code == 422 and "audio_language" in spanish.json()["errors"]


async def test_paraphrase_without_a_language_model_is_refused_up_front(server):
    ports = Ports(settings=server.settings, storage=None, bus=None, dispatcher=None,
                  registry=register_local(ProviderRegistry()))  # the offline providers only
    with pytest.raises(NoProvider) as refused:
        await pitch.submit(None, ports, Viewer(uuid.uuid4(), "t"), pitch.SubmissionRequest(
            "call", ["Transcribe", "Paraphrase"], audio_url="https://example.com/a.mp3"))
    assert refused.value.field == ["services"]


def test_offline_summaries_are_extractive():
    text = ("Rivers carry water to the sea. The sea is salty. Rivers start in mountains where snow melts. "
            "Many cities grow along rivers because rivers bring water and trade. Trade made river cities rich.")
    summary = summarizer.extractive(text, sentences=2)
    assert summary and all(sentence.strip() + "." in text or sentence in text for sentence in summary.split(". "))
    assert len(summary) < len(text)
