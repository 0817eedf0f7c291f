"""Local storage's file route answers byte ranges (a media player seeks with them), and refuses one past the end."""
from __future__ import annotations

from tests.flows import ready_asset
from tests.harness import gql

ORIGINAL = "query($id: ID!) { asset(id: $id) { original { url size } } }"


async def test_a_player_can_ask_for_a_byte_range(client, tenant, media, other_tenant):
    asset = await ready_asset(client, tenant.key, media["wav"])
    original = (await gql(client, tenant.key, ORIGINAL, {"id": asset["id"]}))["data"]["asset"]["original"]
    whole = await client.get(original["url"])
    assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
    size = len(whole.content)

    first = await client.get(original["url"], headers={"Range": "bytes=0-9"})
    assert first.status_code == 206 and first.content == whole.content[:10]
    assert first.headers["content-range"] == f"bytes 0-9/{size}"
    assert first.headers["content-security-policy"].endswith("sandbox")  # the stored-file headers stay
    tail = await client.get(original["url"], headers={"Range": "bytes=-5"})
    assert tail.status_code == 206 and tail.content == whole.content[-5:]
    rest = await client.get(original["url"], headers={"Range": f"bytes={size - 3}-"})
    assert rest.content == whole.content[-3:]

    past = await client.get(original["url"], headers={"Range": f"bytes={size}-"})
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{size}"
    # A range is no way around the signature: another tenant (or anyone) needs the signed URL.
    forged = original["url"].replace("sig=", "sig=0")
    assert (await client.get(forged, headers={"Range": "bytes=0-9"})).status_code in (400, 403)
    assert (await gql(client, other_tenant.key, ORIGINAL, {"id": asset["id"]}, expect_errors=True))["data"]["asset"] is None
