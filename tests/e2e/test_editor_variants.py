"""Editor generation end to end: region-edit variants decoded (blur inside the box, untouched outside), black and
white, accept onto the timeline, scores, the remote provider through its 127.0.0.1 server, AI health and timeline,
bad input and other tenants' ids — over the editor REST dialect and GraphQL, on both backends."""
from __future__ import annotations

import asyncio

import cv2
import numpy as np

from tests.editor import HEIGHT, VIDEO_NAME, WIDTH, download, frame_at, read_image, ready_project, timeline
from tests.harness import gql
from tests.rest_compat.helpers import bearer

# The bottom band where the white square slides (x = 56 px/s, y 300..340 of 360): a box over its first 5 s.
BOX = {"x": 0.0, "y": 0.75, "width": 0.5, "height": 0.2}
PX = (0, 270, 320, 72)  # BOX in pixels (x, y, w, h), even-aligned as the server aligns it


async def wait_job(client, key: str, job_id: str, timeout: float = 240) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        got = await client.get(f"/api/job/{job_id}", headers=bearer(key))
        assert got.status_code == 200, got.text
        job = got.json()
        if job["status"] in ("completed", "failed"):
            return job
        assert asyncio.get_running_loop().time() < deadline, job
        await asyncio.sleep(0.2)


async def generate(client, key: str, project_id: str, prompt: str, start: float, end: float, box=BOX, **extra):
    return await client.post("/api/ai/generate", headers=bearer(key), json={
        "project_id": project_id, "prompt": prompt, "start_ts": start, "end_ts": end, "bounding_box": box, **extra})


def inside(image: np.ndarray) -> np.ndarray:
    x, y, w, h = PX
    return image[y: y + h, x: x + w]


def outside_mask() -> np.ndarray:
    x, y, w, h = PX
    mask = np.ones((HEIGHT, WIDTH), bool)
    mask[max(0, y - 4): y + h + 4, max(0, x - 4): x + w + 4] = False  # a 4 px ring: the encoder's blocks straddle it
    return mask


def sharpness(image: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.float64), cv2.CV_64F).var())


def saturation(image: np.ndarray) -> float:
    return float(cv2.cvtColor(image, cv2.COLOR_BGR2HSV)[..., 1].mean() / 255)


async def project_with_video(client, key: str, media_server: str) -> dict:
    return await ready_project(client, key, f"{media_server}/{VIDEO_NAME}")


async def test_blur_variants_accept_score_and_tenancy(client, tenant, other_tenant, media_server, editor_video,
                                                      tmp_path):
    project = await project_with_video(client, tenant.key, media_server)
    made = await generate(client, tenant.key, project["id"], "Blur the face", 1.0, 4.0)
    assert made.status_code == 202, made.text
    assert made.json()["status"] in ("pending", "running") and made.json()["project_id"] == project["id"]
    job = await wait_job(client, tenant.key, made.json()["id"])
    assert job["status"] == "completed", job
    assert job["error"] is None and job["project_id"] == project["id"] and job["operation"] == "blur"
    variants = job["variants"]
    assert len(variants) == 3 and [v["strength"] for v in variants] == [0.4, 0.7, 1.0]

    # Decoded: each variant lasts the range; inside the box the detail is gone, outside the pixels are the source's.
    for n, variant in enumerate(variants):
        path = await download(client, variant["url"], tmp_path / f"v{n}.mp4")
        for at in (0.5, 2.0):
            edited, source = frame_at(path, at), frame_at(editor_video, 1.0 + at)
            assert sharpness(inside(edited)) < 0.2 * sharpness(inside(source)), (n, at)
            diff = np.abs(edited.astype(int) - source.astype(int))[outside_mask()]
            assert diff.mean() < 1.5 and np.percentile(diff, 99) <= 6, (n, at, diff.mean())
        preview = read_image(await download(client, variant["preview_url"], tmp_path / f"v{n}.jpg"))
        assert preview.shape[:2] == (HEIGHT, WIDTH)

    strongest = variants[-1]
    by_original = (await client.get(f"/api/variant/{strongest['id']}/score?compare_to=original",
                                    headers=bearer(tenant.key))).json()
    assert by_original["variant_id"] == strongest["id"] and by_original["method"] == "local-metrics"
    assert by_original["score"]["fidelity_to_prompt"] == "high", by_original
    assert "(changed)" in by_original["score"]["details"] and "(untouched)" in by_original["score"]["details"]
    local = (await client.get(f"/api/variant/{strongest['id']}/score?method=local", headers=bearer(tenant.key))).json()
    assert local["method"] == "local-metrics" and local["score"]["fidelity_to_prompt"] == "high", local
    assert "sharpness (Laplacian variance)" in local["score"]["details"]
    judged = (await client.get(f"/api/variant/{strongest['id']}/score", headers=bearer(tenant.key))).json()
    assert judged["method"] == "vision-language" and judged["score"]["overall_rating"] == "good", judged
    assert "compared 2 frames" in judged["score"]["details"]
    bad = await client.get(f"/api/variant/{strongest['id']}/score?compare_to=nothing", headers=bearer(tenant.key))
    assert bad.status_code in (400, 422), bad.text

    # Another tenant sees none of it.
    for method, path in (("GET", f"/api/job/{job['id']}"), ("GET", f"/api/variant/{strongest['id']}/score"),
                         ("POST", f"/api/variant/{strongest['id']}/accept")):
        answer = await client.request(method, path, headers=bearer(other_tenant.key))
        assert answer.status_code == 404 and answer.json()["code"] == "NOT_FOUND", (path, answer.text)
    foreign = await generate(client, other_tenant.key, project["id"], "blur it", 1.0, 2.0)
    assert foreign.status_code == 404, foreign.text

    # Accept: the timeline plays source 0-1, the variant 1-4, source 4-10; a preview frame inside shows the blur.
    accepted = await client.post(f"/api/variant/{strongest['id']}/accept", headers=bearer(tenant.key))
    assert accepted.status_code == 200, accepted.text
    placed = accepted.json()["segment"]
    assert placed["variant_id"] == strongest["id"] and placed["source"] == "variant"
    pieces = await timeline(client, tenant.key, project["id"])
    assert [(s["source"], s["start_ts"], s["end_ts"]) for s in pieces] == [
        ("original", 0.0, 1.0), ("variant", 1.0, 4.0), ("original", 4.0, 10.0)]
    assert [s["order_index"] for s in pieces] == [0, 1, 2]
    again = await client.post(f"/api/variant/{strongest['id']}/accept", headers=bearer(tenant.key))
    assert again.json()["segment"]["id"] == placed["id"]  # accepting twice places it once
    frame = await client.post(f"/api/project/{project['id']}/preview/frame", json={"ts": 2.5},
                              headers=bearer(tenant.key))
    assert frame.status_code == 200, frame.text
    shown = read_image(await download(client, frame.json()["frame_url"], tmp_path / "frame.jpg"))
    assert sharpness(inside(shown)) < 0.2 * sharpness(inside(frame_at(editor_video, 2.5)))

    # A range across the new cut at 1 s is refused, naming the field; nothing is queued.
    before = (await client.get("/api/ai/timeline", headers=bearer(tenant.key))).json()["operations"]
    across = await generate(client, tenant.key, project["id"], "blur", 0.5, 1.5)
    assert across.status_code == 422 and "cut" in across.json()["detail"], across.text
    after = (await client.get("/api/ai/timeline", headers=bearer(tenant.key))).json()["operations"]
    assert len(after) == len(before) and after[0]["id"] == job["id"] and after[0]["kind"] == "region_edit"
    assert after[0]["prompt"] == "Blur the face" and after[0]["status"] == "completed"

    # The same through GraphQL.
    got = await gql(client, tenant.key, """query($id: ID!, $v: ID!) { generationJob(id: $id) { status projectId
      variants { id operation strength } } variantScore(variantId: $v, compareTo: "original") { method
      fidelityToPrompt } aiTimeline(first: 5) { totalCount edges { node { id kind } } } }""",
                    {"id": job["id"], "v": strongest["id"]})
    data = got["data"]
    assert data["generationJob"]["status"] == "COMPLETED" and len(data["generationJob"]["variants"]) == 3
    assert data["variantScore"] == {"method": "local-metrics", "fidelityToPrompt": "high"}
    assert data["aiTimeline"]["edges"][0]["node"] == {"id": job["id"], "kind": "REGION_EDIT"}
    hidden = await gql(client, other_tenant.key, "query($id: ID!) { generationJob(id: $id) { id } }", {"id": job["id"]},
                       expect_errors=True)
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_black_and_white_inside_the_box_only(client, tenant, media_server, editor_video, tmp_path):
    project = await project_with_video(client, tenant.key, media_server)
    made = await generate(client, tenant.key, project["id"], "make it black and white", 5.0, 7.0)
    assert made.status_code == 202, made.text
    job = await wait_job(client, tenant.key, made.json()["id"])
    assert job["status"] == "completed" and job["operation"] == "grayscale", job
    for n, variant in enumerate(job["variants"]):
        path = await download(client, variant["url"], tmp_path / f"bw{n}.mp4")
        edited, source = frame_at(path, 1.0), frame_at(editor_video, 6.0)
        assert saturation(inside(edited)) < 0.03 and saturation(inside(source)) > 0.3, n
        diff = np.abs(edited.astype(int) - source.astype(int))[outside_mask()]
        assert diff.mean() < 1.5, n
    score = (await client.get(f"/api/variant/{job['variants'][0]['id']}/score?method=local",
                              headers=bearer(tenant.key))).json()
    assert score["score"]["fidelity_to_prompt"] == "high" and "saturation inside the box" in score["score"]["details"]


async def test_unmappable_prompt_and_bad_input_are_refused(client, tenant, media_server, editor_video):
    project = await project_with_video(client, tenant.key, media_server)
    refused = await generate(client, tenant.key, project["id"], "add a dragon flying over the city", 1.0, 2.0,
                             provider="local")
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["code"] == "UNSUPPORTED_PROMPT"
    for operation in ("blur", "pixelate", "remove", "zoom", "spotlight", "grayscale"):
        assert operation in body["detail"]
    cases = [({"x": 0.8, "y": 0.0, "width": 0.5, "height": 0.5}, 1.0, 2.0, "width"),
             ({"x": 0.0, "y": 0.0, "width": 0.0, "height": 0.5}, 1.0, 2.0, "width"),
             (BOX, 3.0, 2.0, "end_ts"), (BOX, 12.0, 13.0, "start_ts")]
    for box, start, end, word in cases:
        answer = await generate(client, tenant.key, project["id"], "blur", start, end, box=box)
        assert answer.status_code == 422 and word in answer.json()["detail"], (box, start, end, answer.text)
    missing = await generate(client, tenant.key, "00000000-0000-0000-0000-000000000000", "blur", 1.0, 2.0)
    assert missing.status_code == 404
    assert (await client.get("/api/ai/timeline", headers=bearer(tenant.key))).json()["operations"] == []
    unknown = await client.get("/api/variant/00000000-0000-0000-0000-000000000000/score", headers=bearer(tenant.key))
    assert unknown.status_code == 404


async def test_remote_provider_and_ai_health(client, tenant, media_server, editor_video, generation_provider,
                                            tmp_path):
    health = (await client.get("/api/ai/health", headers=bearer(tenant.key))).json()
    rows = {p["id"]: p for p in health["providers"]}
    assert rows["local"]["configured"] and rows["local"]["reachable"] and "blur" in rows["local"]["operations"]
    assert rows["remote"]["configured"] and rows["remote"]["reachable"], rows["remote"]
    assert rows["vision-language"]["configured"] and rows["vision-language"]["reachable"]
    assert rows["local-metrics"]["role"] == "scoring" and health["status"] == "ok"

    project = await project_with_video(client, tenant.key, media_server)
    made = await generate(client, tenant.key, project["id"], "replace the sky with a sunset", 2.0, 4.0)
    assert made.status_code == 202, made.text
    assert made.json()["provider"] == "remote"
    job = await wait_job(client, tenant.key, made.json()["id"])
    assert job["status"] == "completed", job
    assert len(job["variants"]) == 2 and {v["provider"] for v in job["variants"]} == {"remote"}
    sent = generation_provider.requests[-1]
    assert sent["prompt"] == "replace the sky with a sunset" and sent["box"] == BOX and sent["end_s"] == 2.0
    # Variant 0 is the provider's negative of the range, re-encoded to the source's size.
    path = await download(client, job["variants"][0]["url"], tmp_path / "remote.mp4")
    edited, source = frame_at(path, 0.5), frame_at(editor_video, 2.5)
    assert edited.shape == source.shape
    assert np.abs((255 - source[:200].astype(int)) - edited[:200].astype(int)).mean() < 8
    score = (await client.get(f"/api/variant/{job['variants'][0]['id']}/score?compare_to=original",
                              headers=bearer(tenant.key))).json()
    assert "(changed)" in score["score"]["details"]

    failing = await generate(client, tenant.key, project["id"], "PROVIDER-FAILS paint it", 2.0, 4.0,
                             provider="remote")
    failed = await wait_job(client, tenant.key, failing.json()["id"])
    assert failed["status"] == "failed" and "refused the prompt" in failed["error"] and failed["variants"] == []
