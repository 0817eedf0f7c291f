"""Editor exports over REST (`/api/export`) and GraphQL: a split, trimmed and graded timeline rendered to one MP4 and
checked by decoding it (every frame's burnt-in source frame number, durations, sound, a grade that shows); the
timeline as OTIO / EDL / FCPXML read back by OpenTimelineIO; another tenant's ids answer 404."""
from __future__ import annotations

import asyncio
from pathlib import Path
from xml.etree import ElementTree

import opentimelineio as otio
import pytest

from tests import editor as ed
from tests.harness import Subscription, gql
from tests.rest_compat.helpers import bearer
from workers.engines.editing import smart_render

MISSING = "00000000-0000-4000-8000-000000000000"
FPS = 25
AAC_FRAME_S = 1024 / 48000


@pytest.fixture(scope="session")
def counter_video(media) -> Path:
    """10 s, 320x240, 25 fps, a keyframe every 2 s, each frame's index burnt in (tests/editor.py); in the served
    media folder."""
    return ed.make_counter_video(next(iter(media.values())).parent / "export-counter.mp4", 10)


@pytest.fixture
async def project(client, tenant, media_server, counter_video) -> dict:
    return await ed.ready_project(client, tenant.key, f"{media_server}/{counter_video.name}")


async def _post(client, key, path, body):
    return await client.post(path, json=body, headers=bearer(key))


def _problem(response, status: int, code: str, text: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"detail", "code"} and body["code"] == code, body
    if text:
        assert text in body["detail"], body
    return body


async def _edit(client, key, project: dict) -> list[dict]:
    """Split at 4 and 7, trim the first piece to [1.32, 3.6) and the last to [7, 9.2), grade the middle [4, 7)."""
    whole = project["timeline"][0]["id"]
    split = (await _post(client, key, f"/api/segment/{whole}/split", {"split_ts": 4})).json()
    again = (await _post(client, key, f"/api/segment/{split['right']['id']}/split", {"split_ts": 7})).json()
    trimmed = await _post(client, key, f"/api/segment/{split['left']['id']}/trim",
                          {"new_start_ts": 1.32, "new_end_ts": 3.6})
    assert trimmed.status_code == 200, trimmed.text
    trimmed = await _post(client, key, f"/api/segment/{again['right']['id']}/trim", {"new_end_ts": 9.2})
    assert trimmed.status_code == 200, trimmed.text
    graded = await _post(client, key, f"/api/segment/{again['left']['id']}/color-grade", {"brightness": 0.3})
    assert graded.status_code == 200 and graded.json()["status"] == "completed", graded.text
    timeline = await ed.timeline(client, key, project["id"])
    assert [(s["start_ts"], s["end_ts"], s["source"]) for s in timeline] == \
        [(1.32, 3.6, "original"), (4.0, 7.0, "generated"), (7.0, 9.2, "original")]
    return timeline


# Source frames the edited timeline plays: [1.32, 3.6) = 33..89, [4, 7) = 100..174 (graded), [7, 9.2) = 175..229.
EXPECTED = list(range(33, 90)) + list(range(100, 175)) + list(range(175, 230))
GRADED = range(57, 57 + 75)  # output frames of the graded piece


async def _finished(client, key, export_id: str, timeout: float = 240) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        got = await client.get(f"/api/export/{export_id}", headers=bearer(key))
        assert got.status_code == 200, got.text
        body = got.json()
        assert body["status"] in {"pending", "running", "completed", "failed"}, body
        if body["status"] in {"completed", "failed"}:
            return body
        assert asyncio.get_running_loop().time() < deadline, body
        await asyncio.sleep(0.2)


async def test_export_of_a_split_trimmed_graded_timeline_decodes_frame_for_frame(client, server, tenant, project,
                                                                                 counter_video, tmp_path):
    await _edit(client, tenant.key, project)
    async with Subscription(server, tenant.key, "subscription { jobEvents(kinds: [TIMELINE_EXPORT]) { id status "
                                                "progress } }") as events:
        started = await _post(client, tenant.key, "/api/export", {"project_id": project["id"], "format": "mp4"})
        assert started.status_code == 200, started.text
        created = started.json()
        assert set(created) == {"export_job_id", "status", "message"} and created["status"] == "pending"
        seen = await events.collect_until(
            lambda p: p["data"]["jobEvents"]["status"] in ("COMPLETED", "FAILED"), timeout=240)
    assert {p["data"]["jobEvents"]["id"] for p in seen} == {created["export_job_id"]}
    assert seen[-1]["data"]["jobEvents"] == {"id": created["export_job_id"], "status": "COMPLETED", "progress": 100}
    done = await _finished(client, tenant.key, created["export_job_id"])
    assert done["status"] == "completed" and done["error"] is None, done
    assert done["export_job_id"] == created["export_job_id"]

    inline = await client.get(done["export_url"])
    assert inline.status_code == 200 and inline.headers["content-type"] == "video/mp4"
    assert inline.headers["content-disposition"].startswith("inline")
    out = tmp_path / "export.mp4"
    out.write_bytes(inline.content)
    attached = await client.get(done["download_url"])
    assert attached.status_code == 200 and attached.content == inline.content
    assert attached.headers["content-disposition"].startswith("attachment")
    assert f"export-{created['export_job_id']}.mp4" in attached.headers["content-disposition"]

    # Every frame is the source frame the timeline asks for, in order; the total is exact to the frame.
    counters = ed.frame_counters(out)
    assert len(counters) == len(EXPECTED) == 187
    wrong = [(n, got, want) for n, (got, want) in enumerate(zip(counters, EXPECTED)) if got != want]
    assert wrong == [], wrong[:10]
    durations = ed.stream_durations(out)
    assert durations["video"] == pytest.approx(187 / FPS, abs=1e-3)
    assert abs(durations["audio"] - durations["video"]) <= AAC_FRAME_S, durations
    # The graded piece shows its grade: brighter than the same source frame, and the cuts around it are not.
    for at, graded in ((1.0, False), (3.0, True), (6.5, False)):
        source_s = EXPECTED[round(at * FPS)] / FPS
        exported = ed.mean_luma(ed.frame_at(out, at))
        original = ed.mean_luma(ed.frame_at(counter_video, source_s))
        assert (exported - original > 20) if graded else abs(exported - original) < 4, (at, exported, original)
    assert round(1.0 * FPS) not in GRADED and round(3.0 * FPS) in GRADED

    body = await gql(client, tenant.key, """query($id: ID!) { timelineExport(id: $id) { id projectId format status
        durationS copiedFrames encodedFrames exportUrl job { kind status progress } } }""",
                     {"id": created["export_job_id"]})
    export = body["data"]["timelineExport"]
    assert export["projectId"] == project["id"] and export["format"] == "mp4" and export["status"] == "COMPLETED"
    assert export["durationS"] == pytest.approx(187 / FPS) and export["copiedFrames"] + export["encodedFrames"] == 187
    assert export["job"] == {"kind": "TIMELINE_EXPORT", "status": "COMPLETED", "progress": 100}


async def test_smart_render_copies_between_keyframes_and_encodes_only_around_cuts(counter_video, tmp_path):
    """The engine on its own: cut-only pieces of one source are mostly stream-copied, yet frame-exact."""
    pieces = [smart_render.Piece(counter_video, 0.52, 5.0), smart_render.Piece(counter_video, 6.0, 2.12),
              smart_render.Piece(counter_video, 2.0, 2.0, "eq=brightness=0.05")]
    report = await smart_render.render(pieces, tmp_path / "cut.mp4", tmp_path / "work")
    want = list(range(13, 138)) + list(range(150, 203)) + list(range(50, 100))
    assert ed.frame_counters(tmp_path / "cut.mp4") == want
    # 0.52..5.52: frames 13-49 encoded, 50-99 copied (keyframes at 50 and 100), 100-137 encoded; 6.0..8.12: the
    # keyframe at 150 starts it, 150-199 copied, 200-202 encoded; the graded piece is encoded whole.
    assert [(p["kind"], p["frames"]) for p in report.parts] == [
        ("encode", 37), ("copy", 50), ("encode", 38), ("copy", 50), ("encode", 3), ("encode", 50)]
    assert (report.frames, report.copied_frames, report.encoded_frames) == (228, 100, 128)
    durations = ed.stream_durations(tmp_path / "cut.mp4")
    assert durations["video"] == pytest.approx(228 / FPS, abs=1e-3)
    assert abs(durations["audio"] - durations["video"]) <= AAC_FRAME_S


async def test_export_errors_answer_as_documented(client, tenant, other_tenant, project):
    _problem(await _post(client, tenant.key, "/api/export", {"project_id": project["id"], "format": "mov"}), 422,
             "VALIDATION_FAILED", "mp4")
    for project_id in (MISSING, "not-an-id"):
        _problem(await _post(client, tenant.key, "/api/export", {"project_id": project_id}), 404, "NOT_FOUND")
    # Another tenant's project and export are not found, exactly as unknown ids are.
    _problem(await _post(client, other_tenant.key, "/api/export", {"project_id": project["id"]}), 404, "NOT_FOUND")
    started = (await _post(client, tenant.key, "/api/export", {"project_id": project["id"]})).json()
    for export_id in (MISSING, "nope"):
        _problem(await client.get(f"/api/export/{export_id}", headers=bearer(tenant.key)), 404, "NOT_FOUND")
    _problem(await client.get(f"/api/export/{started['export_job_id']}", headers=bearer(other_tenant.key)), 404,
             "NOT_FOUND")
    # A job of another kind is not an export.
    probe = (await gql(client, tenant.key, "{ jobs(first: 5, kinds: [PROBE]) { edges { node { id } } } }"))
    probe_id = probe["data"]["jobs"]["edges"][0]["node"]["id"]
    _problem(await client.get(f"/api/export/{probe_id}", headers=bearer(tenant.key)), 404, "NOT_FOUND")
    done = await _finished(client, tenant.key, started["export_job_id"])
    assert done["status"] == "completed" and done["export_url"] and done["download_url"]
    for suffix in ("otio", "edl", "fcpxml"):
        _problem(await client.get(f"/api/project/{project['id']}/timeline.{suffix}",
                                  headers=bearer(other_tenant.key)), 404, "NOT_FOUND")
        _problem(await client.get(f"/api/project/{MISSING}/timeline.{suffix}", headers=bearer(tenant.key)), 404,
                 "NOT_FOUND")


INTERCHANGE = {"otio": ("otio_json", "application/json"), "edl": ("cmx_3600", "text/plain"),
               "fcpxml": ("fcpx_xml", "application/xml")}


async def test_interchange_files_read_back_with_opentimelineio(client, tenant, project):
    await _edit(client, tenant.key, project)
    for suffix, (adapter, content_type) in INTERCHANGE.items():
        got = await client.get(f"/api/project/{project['id']}/timeline.{suffix}", headers=bearer(tenant.key))
        assert got.status_code == 200, got.text
        assert got.headers["content-type"].split(";")[0] == content_type
        assert got.headers["content-disposition"] == f'attachment; filename="timeline-{project["id"]}.{suffix}"'
        timeline = otio.adapters.read_from_string(got.text, adapter_name=adapter,
                                                  **({"rate": FPS} if suffix == "edl" else {}))
        clips = list(timeline.find_clips())
        ranges = [(round(c.source_range.start_time.to_seconds(), 3), round(c.source_range.duration.to_seconds(), 3))
                  for c in clips]
        # The graded piece plays its own render from its start; the others play the source from their in-point.
        # (The FCPXML reader floors 57/25 s to 56 frames: its exact durations are read from the XML below.)
        slack = 1 / FPS if suffix == "fcpxml" else 1e-6
        want = [(1.32, 2.28), (0.0, 3.0), (7.0, 2.2)]
        assert len(ranges) == 3 and all(abs(a - c) <= 1e-6 and abs(b - d) <= slack + 1e-6
                                        for (a, b), (c, d) in zip(ranges, want)), (suffix, ranges)
        if suffix != "fcpxml":
            assert timeline.duration().to_seconds() == pytest.approx(187 / FPS)
    fcp = (await client.get(f"/api/project/{project['id']}/timeline.fcpxml", headers=bearer(tenant.key))).text
    spine = ElementTree.fromstring(fcp).find("./project/sequence/spine")
    assert [(c.get("start", "0s"), c.get("duration")) for c in spine] == \
        [("33/25s", "57/25s"), ("0s", "3/1s"), ("7s", "11/5s")]
    assert "/storage/files/" in fcp  # media are linked by signed URL
    body = await gql(client, tenant.key, """query($id: ID!) { timelineInterchange(projectId: $id, format: EDL) {
        contentType filename content } }""", {"id": project["id"]})
    edl = body["data"]["timelineInterchange"]
    assert edl["content"].startswith("TITLE: Cut") and edl["filename"].endswith(".edl")
