"""What the API's origin serves: stored files as passive media or downloads (never a document), pinned IDE pages."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from domain import signing
from domain.storage import serving
from tests.e2e.test_s3_storage import s3_server  # noqa: F401  (fixture: the API on STORAGE=s3 against moto)
from tests.flows import FINISH, START, create_asset, put_parts, ready_asset, upload, wait_asset
from tests.harness import gql
from tests.rest_compat.test_ai_gateway_translations import completed, created, documents, result  # noqa: F401

PAGE = b"<!doctype html><html><body><script>fetch('/graphql')</script></body></html>\n"
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><script>alert(document.domain)</script>'
       b'<rect width="16" height="16" fill="red"/></svg>\n')
FILES = """query($id: ID!) { asset(id: $id) { status original { url contentType }
  thumbnail { url } waveform { url } audioTracks { file { url contentType } } } }"""


async def files_of(client, key, asset_id) -> dict:
    return (await gql(client, key, FILES, {"id": asset_id}))["data"]["asset"]


async def fetch(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as anyone:  # signed URLs need no API key
        return await anyone.get(url)


def assert_guarded(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = response.headers["content-security-policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy


def assert_download(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert_guarded(response)
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment")


def assert_inline(response: httpx.Response, media_type: str) -> None:
    assert response.status_code == 200, response.text
    assert_guarded(response)
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"].startswith("inline")


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.mark.parametrize("name,body", [("page.html", PAGE), ("pic.svg", SVG)])
async def test_documents_uploaded_as_originals_only_ever_download(client, tenant, tmp_path, name, body):
    source = tmp_path / name
    source.write_bytes(body)
    asset = await create_asset(client, tenant.key, f'x"\r\nSet-Cookie: a=b; {name}')
    started = (await gql(client, tenant.key, START, {"id": asset["id"], "parts": 1}))["data"]["startUpload"]
    etags = await put_parts(client, [started["parts"][0]["url"]], [body])
    finished = (await gql(client, tenant.key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]
    assert finished["errors"] == [], finished
    early = (await files_of(client, tenant.key, asset["id"]))["original"]["url"]
    settled = await wait_asset(client, tenant.key, asset["id"])
    later = (await files_of(client, tenant.key, asset["id"]))["original"]
    # Whether the probe refuses the file or reads an SVG as a picture, nothing makes the origin render it.
    urls = [early] + ([later["url"]] if later else [])
    fetched = [await fetch(url) for url in urls]
    assert any(r.status_code == 200 for r in fetched), "the original was never served"
    for response in fetched:
        if response.status_code == 404:  # the refused file is gone: nothing to serve
            continue
        assert_download(response)
        assert response.content == body
        disposition = response.headers["content-disposition"]
        assert "\r" not in disposition and "Set-Cookie" not in response.headers
        assert disposition == (f'attachment; filename="x___Set-Cookie: a=b; {name}"; '
                               f"filename*=UTF-8''x%22%0D%0ASet-Cookie%3A%20a%3Db%3B%20{name}")
    assert settled["status"] in ("READY", "FAILED")


async def test_a_real_video_is_served_inline_by_its_probed_type_whatever_its_name(client, tenant, tmp_path, media):
    disguised = tmp_path / "page.html"
    disguised.write_bytes(media["mp4"].read_bytes())
    asset, _ = await upload(client, tenant.key, disguised, parts=1)
    ready = await wait_asset(client, tenant.key, asset["id"])
    assert ready["status"] == "READY"
    files = await files_of(client, tenant.key, asset["id"])
    original = await fetch(files["original"]["url"])
    assert_inline(original, "video/mp4")
    assert original.content == media["mp4"].read_bytes()
    assert_inline(await fetch(files["thumbnail"]["url"]), "image/jpeg")
    assert_inline(await fetch(files["waveform"]["url"]), "image/png")
    [track] = files["audioTracks"]
    assert_inline(await fetch(track["file"]["url"]), track["file"]["contentType"])


async def test_a_wav_is_served_inline_as_audio(client, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    assert asset["status"] == "READY"
    files = await files_of(client, tenant.key, asset["id"])
    assert_inline(await fetch(files["original"]["url"]), "audio/wav")


async def test_the_type_and_name_are_signed(client, tenant, tmp_path):
    source = tmp_path / "page.html"
    source.write_bytes(PAGE)
    asset, _ = await upload(client, tenant.key, source, parts=1)
    url = (await files_of(client, tenant.key, asset["id"]))["original"]["url"]
    for tampered in (with_query(url, type="video/mp4"), with_query(url, type="text/html"),
                     with_query(url, filename="page.mp4")):
        response = await fetch(tampered)
        assert response.status_code == 403, (tampered, response.status_code, response.headers)
        assert response.json()["error"]["code"] == "FORBIDDEN"


async def test_a_translated_subtitle_downloads_as_plain_text(client, tenant, documents):  # noqa: F811
    job = await created(client, tenant.key, {"input": {
        "type": "document", "url": f"{documents}/talk.srt", "target_language": "es"}})
    done = await completed(client, tenant.key, job["data"]["id"])
    assert done["data"]["attributes"]["status"] == "completed", done
    response = await fetch((await result(client, tenant.key, job["data"]["id"]))["download_url"])
    assert_inline(response, "text/plain; charset=utf-8")
    assert "-->" in response.text


async def test_s3_downloads_carry_the_same_type_and_disposition(s3_server, tmp_path):  # noqa: F811
    base, _ = s3_server
    key = "mg_s3_key"
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        asset = await create_asset(client, key, "page.html")
        started = (await gql(client, key, START, {"id": asset["id"], "parts": 1}))["data"]["startUpload"]
        etags = await put_parts(client, [started["parts"][0]["url"]], [PAGE])
        assert (await gql(client, key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]["errors"] == []
        url = (await files_of(client, key, asset["id"]))["original"]["url"]
        response = await client.get(url)
    assert response.status_code == 200 and response.content == PAGE
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == "attachment; filename=\"page.html\"; filename*=UTF-8''page.html"


def test_a_signed_value_cannot_pass_for_another_parameter():
    signed = dict(parse_qsl(signing.signed_query("s", "GET", "/f", 60, {"filename": "a\ntype=video/mp4"}),
                            keep_blank_values=True))
    assert not signing.verify("s", "GET", "/f", signed["exp"], signed["sig"], {"filename": "a", "type": "video/mp4"})
    assert signing.verify("s", "GET", "/f", signed["exp"], signed["sig"], {"filename": "a\ntype=video/mp4"})


def test_only_containers_a_browser_plays_are_served_as_media():
    assert serving.probed_type({"container": "mov,mp4,m4a,3gp,3g2,mj2", "video_codec": None}) == "audio/mp4"
    for media in (None, {}, {"container": "svg_pipe", "video_codec": "svg"}, {"container": "wav", "video_codec": "x"}):
        assert serving.probed_type(media) == "application/octet-stream"
    for kind in ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/pdf", "", None):
        assert serving.served(kind) == ("application/octet-stream", "attachment")


class _External(HTMLParser):
    """Every <script src> and <link href> of a page, with its attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = attrs.get("src") if tag == "script" else attrs.get("href") if tag == "link" else None
        if url and re.match(r"^(https?:)?//", url):
            self.found.append({"tag": tag, **attrs, "url": url})


def assert_pinned(html: str) -> list[dict]:
    parser = _External()
    parser.feed(html)
    for element in parser.found:
        assert re.search(r"@\d+\.\d+\.\d+/", element["url"]), f"not an exact version: {element['url']}"
        assert (element.get("integrity") or "").startswith("sha384-"), f"no SRI: {element['url']}"
        assert "crossorigin" in element, f"no crossorigin: {element['url']}"
    return parser.found


async def test_graphiql_is_self_hosted_and_keeps_headers_out_of_storage(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert assert_pinned(response.text) == []  # no script or style from another origin (issue 18)
    assert "/vendor/graphiql/graphiql.min.js" in response.text and "<script>" not in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    starter = (await client.get("/ide/graphiql.js")).text
    assert "shouldPersistHeaders: false" in starter and "shouldPersistHeaders: true" not in starter


async def test_swagger_ui_is_self_hosted(client):
    response = await client.get("/swagger")
    assert response.status_code == 200 and "/vendor/swagger-ui/swagger-ui-bundle.js" in response.text
    assert assert_pinned(response.text) == [] and "<script>" not in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "persistAuthorization: false" in (await client.get("/ide/swagger.js")).text
