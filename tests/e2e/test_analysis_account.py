"""MetaVision's account results as typed GraphQL: catalog, prices, balance, and past requests as a connection."""
from __future__ import annotations

import asyncio
import base64

import cv2
from skimage import data

from tests.harness import gql
from tests.rest_compat.helpers import bearer

ANALYZE = """mutation($input: AnalyzeMediaInput!) { analyzeMedia(input: $input) {
  job { id } errors { code message } } }"""
REQUESTS = """query($first: Int, $after: String, $offset: Int! = 0) {
  analysisRequests(first: $first, after: $after, offset: $offset, mediaType: "image") {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { requestId status mediaType categories qualityProfile billedAmount executionTime
      successfulCategories failedCategories tokensIn tokensOut agentName createdAt } } } }"""
ACCOUNT = """query($from: String) {
  analysisPrices { pricePerImage pricePerVideo pricePerAudio qualityProfiles { id name billingMultiplier } billingNote }
  analysisCategories { categories { id mediaTypes needsVisionModel available } models { name vision } }
  analysisBalance(from: $from, to: $from) { apiKeyPrefix overall { totalRequests totalSuccess totalFailed totalBilled }
    today { totalRequests } breakdownByType { mediaType requestCount successCount failedCount totalBilled }
    customRange { from to totalRequests totalBilled } } }"""


async def _finish(client, key, job_id) -> None:
    for _ in range(1500):
        job = (await gql(client, key, "query($id: ID!) { job(id: $id) { status } }", {"id": job_id}))["data"]["job"]
        if job["status"] in {"COMPLETED", "FAILED", "CANCELLED"}:
            assert job["status"] == "COMPLETED", job
            return
        await asyncio.sleep(0.2)
    raise AssertionError("analysis did not finish")


async def test_account_results_are_typed_and_requests_page_as_a_connection(client, tenant):
    key = tenant.key
    empty = await client.get("/api/v1/account/balance", headers=bearer(key))
    # the REST bytes keep MetaVision's integer 0 for nothing billed, though GraphQL's Float reads 0.0
    assert b'"overall":{"total_requests":0,"total_success":0,"total_failed":0,"total_billed":0}' in empty.content

    small = cv2.resize(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR), (160, 160))
    image = base64.b64encode(cv2.imencode(".png", small)[1].tobytes()).decode()
    submitted = []
    for _ in range(3):
        made = (await gql(client, key, ANALYZE, {"input": {"mediaType": "image", "mediaBase64": image,
                                                           "categories": ["faces"]}}))["data"]["analyzeMedia"]
        assert made["errors"] == [], made
        submitted.append(made["job"]["id"])
    for job_id in submitted:
        await _finish(client, key, job_id)

    first = (await gql(client, key, REQUESTS, {"first": 2}))["data"]["analysisRequests"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"] is True
    node = first["edges"][0]["node"]
    assert node["requestId"] == submitted[-1] and node["mediaType"] == "image" and node["categories"] == ["faces"]
    assert node["status"] == "success" and node["billedAmount"] == 0.005 and node["qualityProfile"] == "balanced"
    assert node["successfulCategories"] == 1 and node["failedCategories"] == 0
    assert isinstance(node["executionTime"], float) and node["tokensIn"] == 0 and node["createdAt"]
    rest = (await gql(client, key, REQUESTS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))
    rest = rest["data"]["analysisRequests"]
    assert rest["totalCount"] == 3 and rest["pageInfo"]["hasNextPage"] is False
    paged = [e["node"]["requestId"] for e in first["edges"] + rest["edges"]]
    assert paged == submitted[::-1]
    second = (await gql(client, key, REQUESTS, {"first": 1, "offset": 1}))["data"]["analysisRequests"]
    assert [e["node"]["requestId"] for e in second["edges"]] == [submitted[1]]

    listed = (await client.get("/api/v1/account/requests?page=2&limit=2", headers=bearer(key))).json()
    assert [r["request_id"] for r in listed["requests"]] == [submitted[0]]
    assert (listed["total"], listed["page"], listed["limit"]) == (3, 2, 2)
    too_many = await client.get("/api/v1/account/requests?limit=101", headers=bearer(key))
    assert too_many.status_code == 400
    assert too_many.json() == {"error": "limit must be between 1 and 100", "code": "invalid_request"}

    today = node["createdAt"][:10]
    account = (await gql(client, key, ACCOUNT, {"from": today}))["data"]
    prices = account["analysisPrices"]
    assert prices["pricePerImage"] == 0.005 and "quality_multiplier" in prices["billingNote"]
    assert [(p["id"], p["billingMultiplier"]) for p in prices["qualityProfiles"]] == [
        ("low", 1), ("balanced", 1), ("high", 2), ("ultra", 4)]
    faces = next(c for c in account["analysisCategories"]["categories"] if c["id"] == "faces")
    assert faces == {"id": "faces", "mediaTypes": ["image", "video"], "needsVisionModel": False, "available": True}
    models = account["analysisCategories"]["models"]
    assert {"name": "local-v1", "vision": False} in models and node["agentName"] in [m["name"] for m in models]
    balance = account["analysisBalance"]
    assert balance["overall"] == {"totalRequests": 3, "totalSuccess": 3, "totalFailed": 0, "totalBilled": 0.015}
    assert balance["breakdownByType"] == [{"mediaType": "image", "requestCount": 3, "successCount": 3,
                                           "failedCount": 0, "totalBilled": 0.015}]
    assert balance["customRange"] == {"from": today, "to": today, "totalRequests": 3, "totalBilled": 0.015}
    assert balance["apiKeyPrefix"] and balance["today"]["totalRequests"] == 3
