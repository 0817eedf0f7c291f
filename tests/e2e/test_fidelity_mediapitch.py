"""MediaPitch as its document's client reads it: integer ids (audio, submission, task), unknown body keys ignored
as Laravel does, a body that is not JSON answered 422 in the documented error shape, whole-second UTC timestamps."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from app import _create_key
from tests.rest_compat.helpers import bearer

ERRORS_SHAPE = re.compile(r"^[a-z_.]+$")


def laravel_error(response, status: int) -> dict:
    """{"message": "...", "errors": {"field": ["..."]}} as the document's "Error format" shows."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"message", "errors"} and isinstance(body["message"], str)
    assert body["errors"] and all(ERRORS_SHAPE.match(k) and v and all(isinstance(m, str) for m in v)
                                  for k, v in body["errors"].items())
    return body


async def upload(client, key, path, **fields):
    files = {"audio": (path.name, path.read_bytes(), "audio/wav")}
    return await client.post("/api/v1/audios", files=files, data=fields, headers=bearer(key))


async def test_ids_are_the_documented_integers_and_stay_within_the_tenant(server, client, tenant, other_tenant,
                                                                          media, media_server):
    key = tenant.key
    uploaded = await upload(client, key, media["dialogue_wav"], name="Sales call", visibility="public")
    assert uploaded.status_code == 201, uploaded.text  # an unknown form field is ignored
    audio = uploaded.json()["data"]
    assert type(audio["id"]) is int and audio["name"] == "Sales call"

    created = await client.post("/api/v1/submissions", headers=bearer(key), json={
        "audio_name": "Q3 earnings call", "audio_id": audio["id"], "services": ["Transcribe"],
        "context": "Call with investor Q&A", "priority": "high", "meta": {"crm": 7}})  # unknown keys: ignored
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    submission, task = data["submission"]["id"], data["task"]["id"]
    assert type(submission) is int and type(task) is int and len({audio["id"], submission, task}) == 3
    assert data["submission"]["status"] == data["task"]["status"] == "pending"

    detail = await client.get(f"/api/v1/submissions/{submission}", headers=bearer(key))
    assert detail.status_code == 200, detail.text
    assert detail.json()["data"]["id"] == submission and [t["id"] for t in detail.json()["data"]["tasks"]] == [task]
    listed = (await client.get("/api/v1/tasks?per_page=5", headers=bearer(key))).json()
    [row] = [t for t in listed["data"] if t["id"] == task]
    assert row["type"] == "Transcribe" and listed["meta"] == {"current_page": 1, "per_page": 5, "total": 1}
    moment = datetime.strptime(row["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - moment) < timedelta(minutes=5)  # the document's 2024-04-06T12:34:10Z

    # Another tenant's numbers name nothing for this one: the same answers as numbers that exist nowhere.
    stranger = other_tenant.key
    for number in (submission, 9_000_000_000):
        missing = await client.get(f"/api/v1/submissions/{number}", headers=bearer(stranger))
        assert missing.status_code == 404 and set(missing.json()) == {"message"}
        foreign = await client.post("/api/v1/submissions", headers=bearer(stranger), json={
            "audio_name": "not mine", "audio_id": number if number != submission else audio["id"],
            "services": ["Transcribe"]})
        assert laravel_error(foreign, 422)["errors"] == {"audio_id": ["The selected audio id is invalid."]}
    their_worker = await _create_key(server.settings, other_tenant.name, False, worker=True)
    assert (await client.post(f"/api/v1/tasks/{task}/results", headers=bearer(their_worker),
                              json={"status": "completed"})).status_code == 404

    # A worker reports on a task by its number; the answer names it by the same number.
    slow = await client.post("/api/v1/submissions", headers=bearer(key), json={
        "audio_name": "slow origin", "audio_url": f"{media_server}/slow/{media['dialogue_wav'].name}",
        "services": ["Transcribe"]})
    slow_task = slow.json()["data"]["task"]["id"]
    worker = await _create_key(server.settings, tenant.name, False, worker=True)
    reported = await client.post(f"/api/v1/tasks/{slow_task}/results", headers=bearer(worker), json={
        "status": "completed", "result": [{"summary": "from the worker"}], "result_id": 7, "worker_host": "w-3"})
    assert reported.status_code == 200, reported.text
    assert reported.json() == {"data": {"task_id": slow_task, "status": "done"}}


async def test_a_body_that_is_not_json_answers_422_in_the_documented_shape(client, tenant):
    headers = {**bearer(tenant.key), "Content-Type": "application/json"}
    for raw in (b'{"audio_name": "x", ', b"audio_name=x", b"[1, 2]", b'"text"'):
        laravel_error(await client.post("/api/v1/submissions", content=raw, headers=headers), 422)
    # A known key of the wrong type is still refused, under its own name.
    wrong = await client.post("/api/v1/submissions", headers=bearer(tenant.key), json={
        "audio_name": "x", "audio_url": "http://127.0.0.1/a.mp3", "services": "Transcribe", "extra": 1})
    assert "services" in laravel_error(wrong, 422)["errors"]


async def test_a_path_id_that_only_looks_numeric_is_not_found(client, tenant):
    # "²" and "٣" pass str.isdigit(); neither may reach int() unguarded (it answered 500 for "²")
    for ident in ("²", "٣", "1²"):
        missing = await client.get(f"/api/v1/submissions/{ident}", headers=bearer(tenant.key))
        assert missing.status_code == 404 and isinstance(missing.json()["message"], str), missing.text
