"""MediaCopilot transcripts over HTTP: list, get, subtitles in three formats, segment edits, speakers."""
from __future__ import annotations

import io

import srt
import webvtt

from tests.domain import stl_reader
from tests.e2e.test_transcription import transcribed
from tests.rest_compat.helpers import bearer, mc_upload, mc_wait_ready


async def test_transcript_flow_fix_a_segment_and_download_subtitles(client, tenant, media):
    key = tenant.key
    asset = await mc_upload(client, key, media["speech_mp4"], parts=1)
    await mc_wait_ready(client, key, asset["id"])
    await transcribed(client, key, asset["id"])
    base = f"/v1/assets/{asset['id']}/transcriptions"
    listed = (await client.get(base, headers=bearer(key))).json()
    assert listed["total"] == 1 and listed["page"] == 1
    [entry] = listed["data"]
    assert entry["language"] == "en-US" and entry["status"] == "completed" and entry["source"] == "asr"
    assert all({"start_ms", "end_ms", "text", "speaker"} <= set(s) for s in entry["segments"])
    one = (await client.get(f"{base}/{entry['id']}", headers=bearer(key))).json()
    assert one == entry

    first = one["segments"][0]
    one_field = await gql_update_segment(client, key, entry["id"], first["id"])
    assert one_field["segment"]["text"] == "Good evening!" and one_field["errors"] == []
    fixed = await client.patch(f"{base}/{entry['id']}/segments/{first['id']}", json={"text": "Good evening."},
                               headers=bearer(key))
    assert fixed.status_code == 200 and fixed.json()["text"] == "Good evening."
    bad = await client.patch(f"{base}/{entry['id']}/segments/{first['id']}", json={"end_ms": 0}, headers=bearer(key))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == ["segments", "0", "endMs"]
    past = await client.patch(f"{base}/{entry['id']}/segments/{first['id']}", json={"end_ms": 10**7},
                              headers=bearer(key))
    assert past.status_code == 422 and "past the end of the media" in past.json()["error"]["message"]
    empty = await client.patch(f"{base}/{entry['id']}/segments", json={"segments": [{"id": first["id"], "text": " "}]},
                               headers=bearer(key))
    assert empty.status_code == 422 and empty.json()["error"]["field"] == ["segments", "0", "text"]

    added = await client.post(f"{base}/{entry['id']}/segments", headers=bearer(key), json={"segments": [
        {"text": "Thank you for watching.", "start_ms": 100, "end_ms": 900, "speaker": "Host"}]})
    assert added.status_code == 201
    host = next(s for s in added.json()["segments"] if s["text"] == "Thank you for watching.")
    assert host["speaker"] == "Host"

    srt_text = (await client.get(f"{base}/{entry['id']}/srt", headers=bearer(key)))
    assert srt_text.headers["content-type"].startswith("application/x-subrip")
    contents = [p.content for p in srt.parse(srt_text.text)]
    assert "Thank you for watching." in contents and any(c.startswith("Good evening.") for c in contents)
    vtt = await client.get(f"{base}/{entry['id']}/vtt", headers=bearer(key))
    assert vtt.headers["content-type"].startswith("text/vtt")
    voices = {c.voice for c in webvtt.from_buffer(io.StringIO(vtt.text))}
    assert voices == {"Host", "SPEAKER_00"}
    plain = await client.get(f"{base}/{entry['id']}/vtt?flavor=simplified&include_sound_descriptions=false",
                             headers=bearer(key))
    assert {c.voice for c in webvtt.from_buffer(io.StringIO(plain.text))} == {None}
    stl = await client.get(f"{base}/{entry['id']}/stl", headers=bearer(key))
    header, subtitles = stl_reader.read(stl.content)
    assert header["dfc"] == "STL25.01" and header["language"] == "09"
    assert [s.text for s in subtitles] == [c.replace("\r", "") for c in contents]
    wrong = await client.get(f"{base}/{entry['id']}/vtt?flavor=fancy", headers=bearer(key))
    assert wrong.status_code == 422


async def test_speakers_create_rename_delete_unassigns_segments(client, tenant, media):
    key = tenant.key
    asset = await mc_upload(client, key, media["speech_mp4"], parts=1)
    await mc_wait_ready(client, key, asset["id"])
    await transcribed(client, key, asset["id"])
    base = f"/v1/assets/{asset['id']}"
    made = await client.post(f"{base}/speakers", json={"name": "Presenter"}, headers=bearer(key))
    assert made.status_code == 201 and made.json()["label"] == "SPEAKER_01"
    speaker = made.json()
    renamed = await client.patch(f"{base}/speakers/{speaker['id']}", json={"name": "Anchor"}, headers=bearer(key))
    assert renamed.json() == {**speaker, "name": "Anchor"}
    [entry] = (await client.get(f"{base}/transcriptions", headers=bearer(key))).json()["data"]
    segment = entry["segments"][0]
    moved = await client.patch(f"{base}/transcriptions/{entry['id']}/segments/{segment['id']}",
                               json={"speaker_id": speaker["id"]}, headers=bearer(key))
    assert moved.json()["speaker"] == "Anchor"
    deleted = await client.delete(f"{base}/speakers/{speaker['id']}", headers=bearer(key))
    assert deleted.json() == {"id": speaker["id"], "deleted": True}
    after = (await client.get(f"{base}/transcriptions/{entry['id']}", headers=bearer(key))).json()
    assert after["segments"][0]["speaker"] is None and after["segments"][0]["id"] == segment["id"]
    again = await client.delete(f"{base}/speakers/{speaker['id']}", headers=bearer(key))
    assert again.status_code == 404
    empty_name = await client.post(f"{base}/speakers", json={"name": " "}, headers=bearer(key))
    assert empty_name.status_code == 422


async def gql_update_segment(client, key, transcription_id, segment_id):
    from tests.harness import gql

    body = await gql(client, key, """mutation($t: ID!, $s: ID!) { updateSegment(input: {transcriptionId: $t,
        segment: {id: $s, text: "Good evening!"}}) { segment { id text } errors { field code message } } }""",
                     {"t": transcription_id, "s": segment_id})
    return body["data"]["updateSegment"]
