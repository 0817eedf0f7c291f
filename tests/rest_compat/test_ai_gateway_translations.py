"""AI Gateway translations: text with offline language detection, documents (TXT, SRT, VTT, DOCX), webhooks, limits."""
from __future__ import annotations

import asyncio
import io
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import docx
import pysubs2
import pytest
import srt

from tests.receivers import Receiver
from tests.providers import fake_translate
from tests.rest_compat.helpers import bearer

SRT_DOC = """1
00:00:01,000 --> 00:00:02,500
Good evening, everyone.

2
00:00:03,000 --> 00:00:05,250
Tonight we talk about rivers.
They run to the sea.
"""
VTT_DOC = """WEBVTT

00:00:00.500 --> 00:00:01.750
First cue here.

00:00:02.000 --> 00:00:03.000
Second cue here.
"""


def body(attributes: dict, client: dict | None = None) -> dict:
    data = {"type": "translation-job", "attributes": attributes}
    if client is not None:
        data["meta"] = {"client": client}
    return {"data": data}


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    (folder / "talk.srt").write_text(SRT_DOC)
    (folder / "cues.vtt").write_text(VTT_DOC)
    (folder / "notes.txt").write_text("Il fait beau aujourd'hui.\n\nNous allons à la plage avec les enfants.\n")
    (folder / "binary.txt").write_bytes(b"\0\1\2\3" * 100)
    report = docx.Document()
    report.add_paragraph("Quarterly report")
    report.add_paragraph("Sales grew in every region.")
    table = report.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Cell text"
    report.save(folder / "report.docx")
    # A zip bomb dressed as a DOCX: ~100 KiB that declares 100 MiB of zeros (the cap is 64 MiB unpacked).
    import zipfile

    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("word/document.xml", "<w:document/>")
        with bomb.open("word/media/zeros.bin", "w") as zeros:
            for _ in range(100):
                zeros.write(bytes(1024 * 1024))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(folder)))
    httpd.RequestHandlerClass.log_message = lambda *a: None
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


async def created(client, key, attributes, client_meta=None) -> dict:
    response = await client.post("/v1/translations", json=body(attributes, client_meta), headers=bearer(key))
    assert response.status_code == 202, response.text
    return response.json()


async def completed(client, key, job_id, timeout=60) -> dict:
    for _ in range(timeout * 10):
        got = (await client.get(f"/v1/translations/{job_id}", headers=bearer(key))).json()
        if got["data"]["attributes"]["status"] in {"completed", "failed"}:
            return got
        await asyncio.sleep(0.1)
    raise AssertionError("translation did not finish")


async def result(client, key, job_id) -> dict:
    response = await client.get(f"/v1/translations/{job_id}/result", headers=bearer(key))
    assert response.status_code == 200, response.text
    return response.json()


async def test_text_translation_detects_the_source_offline(client, tenant):
    text = "Hola a todos. Esta noche hablamos de los ríos y del mar."
    job = await created(client, tenant.key, {"input": {"type": "text", "content": text, "target_language": "en"},
                                             "options": {"source_language": "auto"}}, {"ticket": "T-1"})
    assert job["data"]["type"] == "translation-job" and job["data"]["meta"]["client"] == {"ticket": "T-1"}
    assert job["data"]["attributes"]["provider"] == "libre"
    done = await completed(client, tenant.key, job["data"]["id"])
    assert done["data"]["attributes"]["status"] == "completed", done
    out = await result(client, tenant.key, job["data"]["id"])
    assert out == {"source_language": "es-ES", "target_language": "en-US", "character_count": len(text),
                   "content": fake_translate(text, "en")}


async def test_documents_keep_their_format_and_timing(client, tenant, documents):
    jobs = {}
    for name in ("talk.srt", "cues.vtt", "notes.txt", "report.docx"):
        jobs[name] = (await created(client, tenant.key, {"input": {
            "type": "document", "url": f"{documents}/{name}", "target_language": "es"}}))["data"]["id"]
    outputs = {}
    for name, job_id in jobs.items():
        done = await completed(client, tenant.key, job_id)
        assert done["data"]["attributes"]["status"] == "completed", done
        out = await result(client, tenant.key, job_id)
        assert out["download_url"] and "content" not in out
        outputs[name] = (await client.get(out["download_url"])).content
        assert out["source_language"] == ("fr-FR" if name == "notes.txt" else "en-US")
    cues = list(srt.parse(outputs["talk.srt"].decode()))
    original = list(srt.parse(SRT_DOC))
    assert [(c.start, c.end) for c in cues] == [(c.start, c.end) for c in original]
    # A cue's lines travel as one line inside the batch (markers need one line per item).
    assert [c.content for c in cues] == ["(es) Good evening, everyone.", "(es) Tonight we talk about rivers. They run to the sea."]
    vtt = pysubs2.SSAFile.from_string(outputs["cues.vtt"].decode(), format_="vtt")
    assert [(e.start, e.end, e.plaintext) for e in vtt] == [(500, 1750, "(es) First cue here."),
                                                           (2000, 3000, "(es) Second cue here.")]
    assert outputs["notes.txt"].decode() == ("(es) Il fait beau aujourd'hui.\n\n"
                                             "(es) Nous allons à la plage avec les enfants.\n")
    translated = docx.Document(io.BytesIO(outputs["report.docx"]))
    assert [p.text for p in translated.paragraphs if p.text] == ["(es) Quarterly report", "(es) Sales grew in every region."]
    assert translated.tables[0].cell(0, 0).text == "(es) Cell text"


async def test_translation_webhooks(client, tenant):
    receiver = Receiver()
    job = await created(client, tenant.key, {"input": {"type": "text", "content": "Good morning.", "target_language": "fr"},
                                             "webhook": {"url": f"{receiver.base}/hook", "headers": {"X-Token": "t"}}})
    await completed(client, tenant.key, job["data"]["id"])
    for _ in range(100):
        events = [json.loads(b)["event"] for _, _, b in receiver.requests]
        if "translation.completed" in events:
            break
        await asyncio.sleep(0.1)
    assert "translation.completed" in events and set(events) <= {"translation.progress", "translation.completed"}
    completed_body = next(json.loads(b) for _, _, b in receiver.requests if json.loads(b)["event"] == "translation.completed")
    assert completed_body["data"]["type"] == "translation-job"
    assert completed_body["data"]["attributes"]["result"]["content"] == "(fr) Good morning."
    receiver.server.shutdown()


async def test_bad_translation_requests(client, tenant, documents, server):
    key = tenant.key
    unknown = await client.post("/v1/translations", headers=bearer(key), json=body(
        {"input": {"type": "text", "content": "Hi", "target_language": "xx-YY"}}))
    assert unknown.status_code == 422 and "xx-YY" in unknown.json()["error"]["message"]
    too_long = await client.post("/v1/translations", headers=bearer(key), json=body(
        {"input": {"type": "text", "content": "a" * (server.settings.max_text_chars + 1), "target_language": "es"}}))
    assert too_long.status_code == 413 and too_long.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    missing = await client.post("/v1/translations", headers=bearer(key), json=body(
        {"input": {"type": "document", "target_language": "es"}}))
    assert missing.status_code == 422
    pending = await created(client, key, {"input": {"type": "document", "url": f"{documents}/binary.txt",
                                                    "target_language": "es"}})
    failed = await completed(client, key, pending["data"]["id"])
    assert failed["data"]["attributes"]["status"] == "failed"
    assert failed["data"]["attributes"]["error"]["code"] == "VALIDATION_FAILED"
    not_ready = await client.get(f"/v1/translations/{pending['data']['id']}/result", headers=bearer(key))
    assert not_ready.status_code == 404 and not_ready.json()["error"]["code"] == "RESULT_NOT_READY"
    for magic in ("PROVIDER-DOWN", "SLOW-PROVIDER"):  # errors, then timeouts: retried, then the job fails
        down = await created(client, key, {"input": {"type": "text", "content": f"{magic} now", "target_language": "es"}})
        failed = await completed(client, key, down["data"]["id"])
        assert failed["data"]["attributes"]["error"]["code"] == "PROVIDER_UNAVAILABLE", failed


async def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked(client, tenant, documents):
    job = await created(client, tenant.key, {"input": {"type": "document", "url": f"{documents}/bomb.docx",
                                                       "target_language": "es"}})
    done = await completed(client, tenant.key, job["data"]["id"])
    attributes = done["data"]["attributes"]
    assert attributes["status"] == "failed", done
    assert attributes["error"]["code"] == "PAYLOAD_TOO_LARGE" and "unpacks to 104857" in attributes["error"]["message"]
