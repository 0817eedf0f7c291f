"""Editor projects and their timeline over REST (`/api/...`) and GraphQL: create from a URL, split, trim, delete,
previews of timeline time across segments, colour grades; outputs checked by decoding them."""
from __future__ import annotations

import asyncio

import pytest

from tests import editor as ed
from tests.conftest import new_tenant
from tests.harness import Subscription, gql
from tests.rest_compat.helpers import bearer

MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
async def video_url(media_server, editor_video) -> str:
    return f"{media_server}/{editor_video.name}"


async def _post(client, key, path, body):
    return await client.post(path, json=body, headers=bearer(key))


def _problem(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"detail", "code"} and body["code"] == code, body
    if field:
        assert field in body["detail"], body
    return body


async def _frame(client, tmp_path, url: str, name: str):
    return ed.read_image(await ed.download(client, url, tmp_path / f"{name}.jpg"))


async def test_a_project_from_a_url_opens_one_segment_spanning_the_video(client, tenant, video_url, tmp_path):
    made = await ed.create_project(client, tenant.key, video_url, name="Launch cut")
    assert made["name"] == "Launch cut" and made["description"] == "a test cut" and made["timeline"] == []
    assert made["status"] in {"processing", "ready"} and made["asset_id"]
    project = await ed.wait_timeline(client, tenant.key, made["id"])
    assert project["status"] == "ready" and project["duration"] == 10.0
    (segment,) = project["timeline"]
    assert {k: segment[k] for k in ("project_id", "start_ts", "end_ts", "source", "variant_id", "order_index",
                                    "active")} == {"project_id": made["id"], "start_ts": 0.0, "end_ts": 10.0,
                                                   "source": "original", "variant_id": None, "order_index": 0,
                                                   "active": True}
    played = await ed.download(client, segment["url"], tmp_path / "source.mp4")
    assert abs(ed.duration_s(played) - 10.0) < 0.05
    listed = (await client.get("/api/project", headers=bearer(tenant.key))).json()
    assert [p["id"] for p in listed] == [made["id"]] and listed[0]["timeline"][0]["id"] == segment["id"]
    body = await gql(client, tenant.key, """query($id: ID!) { project(id: $id) { id name status durationS
        asset { id status durationMs } timeline { id startTs endTs source orderIndex active } }
        projects(first: 5) { totalCount edges { node { id } } } }""", {"id": made["id"]})
    assert body["data"]["project"]["asset"]["durationMs"] == 10000
    assert body["data"]["project"]["timeline"] == [{"id": segment["id"], "startTs": 0.0, "endTs": 10.0,
                                                    "source": "ORIGINAL", "orderIndex": 0, "active": True}]
    assert body["data"]["projects"]["totalCount"] == 1


async def test_split_trim_delete_and_previews_follow_timeline_time(client, tenant, video_url, tmp_path):
    project = await ed.ready_project(client, tenant.key, video_url)
    whole = project["timeline"][0]["id"]
    split = await _post(client, tenant.key, f"/api/segment/{whole}/split", {"split_ts": 4})
    assert split.status_code == 200, split.text
    left, right = split.json()["left"], split.json()["right"]
    assert (left["start_ts"], left["end_ts"], left["order_index"]) == (0.0, 4.0, 0)
    assert (right["start_ts"], right["end_ts"], right["order_index"]) == (4.0, 10.0, 1)
    # The split segment is off the timeline: editing it again is refused, nothing changes.
    _problem(await _post(client, tenant.key, f"/api/segment/{whole}/split", {"split_ts": 2}), 409, "CONFLICT")
    middle = (await _post(client, tenant.key, f"/api/segment/{right['id']}/split", {"split_ts": 7})).json()
    trimmed = await _post(client, tenant.key, f"/api/segment/{left['id']}/trim", {"new_start_ts": 1, "new_end_ts": 3})
    assert (trimmed.json()["start_ts"], trimmed.json()["end_ts"]) == (1.0, 3.0), trimmed.text
    deleted = await client.delete(f"/api/segment/{middle['left']['id']}", headers=bearer(tenant.key))
    assert deleted.json() == {"deleted": True}
    timeline = await ed.timeline(client, tenant.key, project["id"])
    assert [(s["start_ts"], s["end_ts"], s["order_index"]) for s in timeline] == [(1.0, 3.0, 0), (7.0, 10.0, 1)]

    # Timeline [1, 3) then [7, 10) of the source: timeline second t shows source second 1 + t, then 7 + (t - 2).
    for ts, source in ((0.0, 1.0), (1.5, 2.5), (2.0, 7.0), (4.52, 9.52)):
        got = await _post(client, tenant.key, f"/api/project/{project['id']}/preview/frame", {"ts": ts})
        assert got.status_code == 200 and got.json()["timestamp"] == ts, got.text
        image = await _frame(client, tmp_path, got.json()["frame_url"], f"frame-{ts}")
        assert ed.second_of(image) == int(source) and abs(ed.time_of(image) - source) < 0.07, (ts, ed.time_of(image))
    strip = await _post(client, tenant.key, f"/api/project/{project['id']}/preview/strip",
                        {"start": 0.5, "end": 4.5, "fps": 2})
    frames = strip.json()["frames"]
    assert [f["timestamp"] for f in frames] == [0.5 + n / 2 for n in range(8)]
    for frame in frames:
        t = frame["timestamp"]
        source = 1 + t if t < 2 else 7 + (t - 2)
        image = await _frame(client, tmp_path, frame["frame_url"], f"strip-{t}")
        assert ed.second_of(image) == int(source) and abs(ed.time_of(image) - source) < 0.07, (t, ed.time_of(image))

    # Bad input: the documented errors, naming the field; nothing half-written.
    first = timeline[0]["id"]
    for ts in (1, 3, 0.5):
        _problem(await _post(client, tenant.key, f"/api/segment/{first}/split", {"split_ts": ts}), 422,
                 "VALIDATION_FAILED", "split_ts")
    _problem(await _post(client, tenant.key, f"/api/segment/{first}/trim", {"new_start_ts": -1}), 422,
             "VALIDATION_FAILED", "new_start_ts")
    _problem(await _post(client, tenant.key, f"/api/segment/{first}/trim", {"new_end_ts": 10.5}), 422,
             "VALIDATION_FAILED", "new_end_ts")
    _problem(await _post(client, tenant.key, f"/api/segment/{first}/trim", {"new_start_ts": 3}), 422,
             "VALIDATION_FAILED", "new_end_ts")
    _problem(await _post(client, tenant.key, f"/api/project/{project['id']}/preview/frame", {"ts": 5}), 422,
             "VALIDATION_FAILED", "ts")
    _problem(await _post(client, tenant.key, f"/api/project/{project['id']}/preview/strip",
                         {"start": 1, "end": 0.5}), 422, "VALIDATION_FAILED", "end")
    _problem(await _post(client, tenant.key, f"/api/project/{project['id']}/preview/strip",
                         {"start": 0, "end": 4, "fps": 0}), 422, "VALIDATION_FAILED", "fps")
    assert [(s["start_ts"], s["end_ts"]) for s in await ed.timeline(client, tenant.key, project["id"])] == \
        [(1.0, 3.0), (7.0, 10.0)]
    for path in (f"/api/segment/{MISSING}/split", "/api/segment/not-an-id/trim"):
        _problem(await _post(client, tenant.key, path, {"split_ts": 1}), 404, "NOT_FOUND")
    _problem(await client.get(f"/api/project/{MISSING}", headers=bearer(tenant.key)), 404, "NOT_FOUND")
    _problem(await _post(client, tenant.key, f"/api/project/{MISSING}/preview/frame", {"ts": 0}), 404, "NOT_FOUND")
    # Deleting a segment already off the timeline answers the same.
    again = await client.delete(f"/api/segment/{middle['left']['id']}", headers=bearer(tenant.key))
    assert again.json() == {"deleted": True}


async def test_color_grade_renders_a_generated_segment_in_place(server, client, tenant, video_url, tmp_path):
    project = await ed.ready_project(client, tenant.key, video_url)
    whole = project["timeline"][0]["id"]
    parts = (await _post(client, tenant.key, f"/api/segment/{whole}/split", {"split_ts": 3})).json()
    target = parts["right"]["id"]
    preview_plain = await _post(client, tenant.key, f"/api/segment/{target}/grade-preview", {})
    preview_bright = await _post(client, tenant.key, f"/api/segment/{target}/grade-preview", {"brightness": 0.3})
    plain = await _frame(client, tmp_path, preview_plain.json()["preview_frame_url"], "plain")
    bright = await _frame(client, tmp_path, preview_bright.json()["preview_frame_url"], "bright")
    assert ed.second_of(plain) == 6 and ed.mean_luma(bright) > ed.mean_luma(plain) + 40

    for body, field in (({"brightness": 1.5}, "brightness"), ({"hue_shift": -200}, "hue_shift"),
                        ({"gamma": "x"}, "gamma")):
        _problem(await _post(client, tenant.key, f"/api/segment/{target}/color-grade", body), 422,
                 "VALIDATION_FAILED", field)
    _problem(await _post(client, tenant.key, f"/api/segment/{MISSING}/color-grade", {}), 404, "NOT_FOUND")

    async with Subscription(server, tenant.key, "subscription { jobEvents(kinds: [COLOR_GRADE]) { id kind status "
                                                "progress } }") as events:
        graded = await _post(client, tenant.key, f"/api/segment/{target}/color-grade",
                             {"brightness": 0.3, "saturation": -0.2})
        assert graded.status_code == 200, graded.text
        answer = graded.json()
        seen = await events.collect_until(lambda p: p["data"]["jobEvents"]["status"] == "COMPLETED")
    assert answer["status"] == "completed" and answer["error"] is None and answer["segment_id"] != target
    assert {p["data"]["jobEvents"]["id"] for p in seen} == {answer["job_id"]}
    assert seen[-1]["data"]["jobEvents"]["progress"] == 100

    timeline = await ed.timeline(client, tenant.key, project["id"])
    assert [(s["start_ts"], s["end_ts"], s["source"]) for s in timeline] == [(0.0, 3.0, "original"),
                                                                             (3.0, 10.0, "generated")]
    assert timeline[1]["id"] == answer["segment_id"]
    rendered = await ed.download(client, answer["graded_url"], tmp_path / "graded.mp4")
    assert abs(ed.duration_s(rendered) - 7.0) < 0.05
    # Timeline second 5 is source second 5 in the graded render: brighter than the source there.
    source = ed.frame_at(await ed.download(client, project["timeline"][0]["url"], tmp_path / "src.mp4"), 5.5)
    shown = await _post(client, tenant.key, f"/api/project/{project['id']}/preview/frame", {"ts": 5.5})
    assert ed.mean_luma(await _frame(client, tmp_path, shown.json()["frame_url"], "shown")) > ed.mean_luma(source) + 40
    assert ed.mean_luma(ed.frame_at(rendered, 2.5)) > ed.mean_luma(source) + 40
    job = (await gql(client, tenant.key, "query($id: ID!) { job(id: $id) { kind status progress } }",
                     {"id": answer["job_id"]}))["data"]["job"]
    assert job == {"kind": "COLOR_GRADE", "status": "COMPLETED", "progress": 100}
    # The graded segment is the one trim and split act on now; the replaced one is history.
    _problem(await _post(client, tenant.key, f"/api/segment/{target}/color-grade", {}), 409, "CONFLICT")


GQL_SEGMENT = "id startTs endTs source orderIndex active"


async def test_every_operation_over_graphql(client, tenant, video_url, tmp_path):
    made = (await gql(client, tenant.key, """mutation($u: String!) { createProject(input: {name: "G", videoUrl: $u})
        { project { id status } job { kind } errors { field code message } } }""", {"u": video_url}))
    payload = made["data"]["createProject"]
    assert payload["errors"] == [] and payload["job"]["kind"] == "PROBE"
    project_id = payload["project"]["id"]
    project = await ed.wait_timeline(client, tenant.key, project_id)
    whole = project["timeline"][0]["id"]

    def run(query: str, variables: dict) -> dict:
        return gql(client, tenant.key, query, variables)

    split = (await run(f"""mutation($s: ID!) {{ splitSegment(input: {{segmentId: $s, splitTs: 5}}) {{
        left {{ {GQL_SEGMENT} }} right {{ {GQL_SEGMENT} }} errors {{ field code message }} }} }}""",
                       {"s": whole}))["data"]["splitSegment"]
    assert (split["left"]["endTs"], split["right"]["startTs"]) == (5.0, 5.0)
    edge = (await run("""mutation($s: ID!) { splitSegment(input: {segmentId: $s, splitTs: 5}) {
        left { id } errors { field code message } } }""", {"s": split["left"]["id"]}))["data"]["splitSegment"]
    assert edge["left"] is None and edge["errors"][0]["field"] == ["split_ts"]
    assert edge["errors"][0]["code"] == "VALIDATION_FAILED"
    trim = (await run(f"""mutation($s: ID!) {{ trimSegment(input: {{segmentId: $s, newStartTs: 8}}) {{
        segment {{ {GQL_SEGMENT} }} errors {{ code }} }} }}""", {"s": split["right"]["id"]}))["data"]["trimSegment"]
    assert (trim["segment"]["startTs"], trim["segment"]["endTs"]) == (8.0, 10.0)
    frames = (await run("""mutation($p: ID!) { previewStrip(input: {projectId: $p, start: 0, end: 7, fps: 1}) {
        frames { frameUrl timestamp } errors { code } } }""", {"p": project_id}))["data"]["previewStrip"]["frames"]
    seconds = [ed.second_of(await _frame(client, tmp_path, f["frameUrl"], f"g{n}")) for n, f in enumerate(frames)]
    assert seconds == [0, 1, 2, 3, 4, 8, 9]
    one = (await run("""mutation($p: ID!) { previewFrame(input: {projectId: $p, ts: 6.5}) { frames { frameUrl
        timestamp } } }""", {"p": project_id}))["data"]["previewFrame"]["frames"]
    assert ed.second_of(await _frame(client, tmp_path, one[0]["frameUrl"], "one")) == 9
    preview = (await run("""mutation($s: ID!) { gradePreview(input: {segmentId: $s, saturation: -1}) {
        previewFrameUrl errors { code } } }""", {"s": split["left"]["id"]}))["data"]["gradePreview"]
    grey = await _frame(client, tmp_path, preview["previewFrameUrl"], "grey")
    assert int(grey[:150].max(axis=2).astype(int).mean() - grey[:150].min(axis=2).astype(int).mean()) < 8
    graded = (await run(f"""mutation($s: ID!) {{ colorGradeSegment(input: {{segmentId: $s, brightness: -0.2,
        wait: true}}) {{ job {{ kind status }} segment {{ {GQL_SEGMENT} }} errors {{ code }} }} }}""",
                        {"s": split["left"]["id"]}))["data"]["colorGradeSegment"]
    assert graded["job"] == {"kind": "COLOR_GRADE", "status": "COMPLETED"}
    assert (graded["segment"]["source"], graded["segment"]["startTs"], graded["segment"]["orderIndex"]) == \
        ("GENERATED", 0.0, 0)
    deleted = (await run("""mutation($s: ID!) { deleteSegment(id: $s) { deletedId errors { code } } }""",
                         {"s": trim["segment"]["id"]}))["data"]["deleteSegment"]
    assert deleted == {"deletedId": trim["segment"]["id"], "errors": []}
    history = (await run("query($s: ID!) { timelineSegment(id: $s) { active } }", {"s": whole}))["data"]
    assert history["timelineSegment"] == {"active": False}
    final = (await run(f"query($p: ID!) {{ project(id: $p) {{ durationS timeline {{ {GQL_SEGMENT} }} }} }}",
                       {"p": project_id}))["data"]["project"]
    assert final["durationS"] == 5.0 and [s["source"] for s in final["timeline"]] == ["GENERATED"]
    nodes = (await run("query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
                       {"ids": [project_id, whole]}))["data"]["nodes"]
    assert nodes == [{"__typename": "Project", "id": project_id}, {"__typename": "TimelineSegment", "id": whole}]
    gone = (await run("mutation($p: ID!) { deleteProject(id: $p) { deletedId errors { code } } }",
                      {"p": project_id}))["data"]["deleteProject"]
    assert gone["deletedId"] == project_id
    missing = await gql(client, tenant.key, "query($p: ID!) { project(id: $p) { id } }", {"p": project_id},
                        expect_errors=True)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_deleting_a_project_removes_its_files(client, tenant, video_url, tmp_path):
    project = await ed.ready_project(client, tenant.key, video_url)
    segment = project["timeline"][0]
    graded = (await _post(client, tenant.key, f"/api/segment/{segment['id']}/color-grade", {"contrast": 0.2})).json()
    frame = (await _post(client, tenant.key, f"/api/project/{project['id']}/preview/frame", {"ts": 1})).json()
    urls = [segment["url"], graded["graded_url"], frame["frame_url"]]
    for url in urls:
        assert (await client.get(url)).status_code == 200
    deleted = await client.delete(f"/api/project/{project['id']}", headers=bearer(tenant.key))
    assert deleted.json() == {"deleted": True}
    for url in urls:
        assert (await client.get(url)).status_code == 404, url
    _problem(await client.get(f"/api/project/{project['id']}", headers=bearer(tenant.key)), 404, "NOT_FOUND")
    asset = await gql(client, tenant.key, "query($a: ID!) { asset(id: $a) { id } }", {"a": project["asset_id"]},
                      expect_errors=True)
    assert asset["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    _problem(await client.delete(f"/api/project/{project['id']}", headers=bearer(tenant.key)), 404, "NOT_FOUND")


async def test_another_tenants_projects_and_segments_are_not_found(server, client, tenant, video_url):
    project = await ed.ready_project(client, tenant.key, video_url)
    segment = project["timeline"][0]["id"]
    other = (await new_tenant(server)).key
    assert (await client.get("/api/project", headers=bearer(other))).json() == []
    for method, path, body in (("GET", f"/api/project/{project['id']}", None),
                               ("DELETE", f"/api/project/{project['id']}", None),
                               ("POST", f"/api/project/{project['id']}/preview/frame", {"ts": 1}),
                               ("POST", f"/api/project/{project['id']}/upload", {"file_name": "x.mp4"}),
                               ("POST", f"/api/segment/{segment}/split", {"split_ts": 2}),
                               ("POST", f"/api/segment/{segment}/trim", {"new_start_ts": 2}),
                               ("POST", f"/api/segment/{segment}/color-grade", {}),
                               ("POST", f"/api/segment/{segment}/grade-preview", {}),
                               ("DELETE", f"/api/segment/{segment}", None)):
        response = await client.request(method, path, json=body, headers=bearer(other))
        _problem(response, 404, "NOT_FOUND")
    body = await gql(client, other, "query($p: ID!) { project(id: $p) { id } }", {"p": project["id"]},
                     expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await ed.timeline(client, tenant.key, project["id"]))[0]["id"] == segment  # untouched


async def test_a_url_that_is_not_a_video_fails_the_project(client, tenant, media_server):
    made = await ed.create_project(client, tenant.key, f"{media_server}/notes.mp4")
    for _ in range(600):
        got = (await client.get(f"/api/project/{made['id']}", headers=bearer(tenant.key))).json()
        if got["status"] == "failed":
            break
        await asyncio.sleep(0.1)
    assert got["status"] == "failed" and got["timeline"] == []
    bad = await _post(client, tenant.key, "/api/project", {"name": " ", "video_url": "ftp://x"})
    assert bad.status_code == 422
    _problem(await _post(client, tenant.key, f"/api/project/{made['id']}/preview/frame", {"ts": 0}), 409, "CONFLICT")


async def test_an_upload_is_one_signed_put_probed_when_it_lands(client, tenant, editor_video):
    made = (await _post(client, tenant.key, "/api/project", {"name": "Uploaded", "description": None})).json()
    assert (made["status"], made["asset_id"], made["timeline"]) == ("empty", None, [])
    _problem(await _post(client, tenant.key, f"/api/project/{made['id']}/upload",
                         {"file_name": "cut.txt", "content_type": "text/plain"}), 422, "VALIDATION_FAILED",
             "content_type")
    started = await _post(client, tenant.key, f"/api/project/{made['id']}/upload",
                          {"file_name": "cut.mp4", "content_type": "video/mp4"})
    assert started.status_code == 200 and set(started.json()) == {"upload_url", "asset_id"}, started.text
    waiting = (await client.get(f"/api/project/{made['id']}", headers=bearer(tenant.key))).json()
    assert (waiting["status"], waiting["asset_id"]) == ("uploading", started.json()["asset_id"])
    put = await client.put(started.json()["upload_url"], content=editor_video.read_bytes())
    assert put.status_code == 200, put.text
    project = await ed.wait_timeline(client, tenant.key, made["id"])
    assert [(s["start_ts"], s["end_ts"], s["source"]) for s in project["timeline"]] == [(0.0, 10.0, "original")]
    _problem(await _post(client, tenant.key, f"/api/project/{made['id']}/upload", {"file_name": "again.mp4"}),
             409, "CONFLICT")
