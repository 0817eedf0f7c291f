"""A client generated from `/openapi.json` by openapi-python-client (default settings) works against the server.

REST clients are usually generated: the document must generate without warnings (every operation and every typed
error response kept), and the generated functions must create, read and parse errors in each dialect.
"""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    """The generated package, imported; generated once per backend from the document that server serves."""
    folder = tmp_path_factory.mktemp("generated-client")
    (folder / "openapi.json").write_bytes(httpx.get(f"{server.base_url}/openapi.json", timeout=30).content)
    # The generator's post-hooks (ruff) come from the same environment as the generator.
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run([str(GENERATOR), "generate", "--path", "openapi.json"], cwd=folder, env=env,
                         capture_output=True, text=True, timeout=600)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    # Anything dropped (an operation, a model, a response type) is reported as a warning: none may be.
    assert "Warning(s) encountered" not in output and "WARNING" not in output, output
    [package] = [p.parent for p in folder.glob("*/*/client.py")]
    sys.path.insert(0, str(package.parent))
    try:
        yield importlib.import_module(package.name), package.name
    finally:
        sys.path.remove(str(package.parent))
        # list() copies sys.modules at once: the server and worker threads may be importing meanwhile
        for name in [m for m in list(sys.modules) if m == package.name or m.startswith(package.name + ".")]:
            del sys.modules[name]


def _mod(generated, name: str):
    return importlib.import_module(f"{generated[1]}.{name}")


def _client(generated, server, key: str | None):
    root = generated[0]
    if key is None:
        return root.Client(base_url=server.base_url, raise_on_unexpected_status=True)
    return root.AuthenticatedClient(base_url=server.base_url, token=key, raise_on_unexpected_status=True)


def test_every_component_is_named_for_its_dialect(generated):
    models = _mod(generated, "models")
    names = [n for n in dir(models) if n[:1].isupper()]
    prefixes = ("MediaCopilot", "Gateway", "MediaPitch", "MetaVision", "Editor")
    # Generated request/response helper models (`PostV1...Body`) aside, every model is a dialect's own component.
    components = [n for n in names if not n.startswith(("Get", "Post", "Patch", "Put", "Delete"))]
    assert components and all(n.startswith(prefixes) for n in components), components
    for name in ("MediaCopilotError", "GatewayError", "MediaPitchError", "MetaVisionError", "EditorError",
                 "GatewayTranscriptionAttributes", "GatewayTranslationAttributes", "GatewayVideoAnalysisAttributes"):
        assert name in names, name


async def test_mediacopilot_create_get_and_typed_error(generated, server, tenant):
    models = _mod(generated, "models")
    create = _mod(generated, "api.media_copilot.post_v1_assets")
    get = _mod(generated, "api.media_copilot.get_v1_assets_asset_id")
    listed = _mod(generated, "api.media_copilot.get_v1_assets")
    async with _client(generated, server, tenant.key) as client:
        created = await create.asyncio(client=client, body=models.MediaCopilotCreateAsset(filename="harbour.mp4"))
        # The 201 answer's model, whatever the document calls it (an asset, with the document's extra names).
        assert type(created).__name__.startswith("MediaCopilot") and created.filename == "harbour.mp4", created
        got = await get.asyncio(asset_id=created.id, client=client)
        assert isinstance(got, models.MediaCopilotAsset) and got.id == created.id and got.status == "uploading"
        # The sentiment filter's enum has one member per value; the server takes any case.
        page = await listed.asyncio(client=client, sentiment=models.MediaCopilotAssetQuerySentimentType0.NEGATIVE)
        assert isinstance(page, models.MediaCopilotAssetList) and page.total == 0
        missing = await get.asyncio_detailed(asset_id="0" * 24, client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.MediaCopilotError) and missing.parsed.error.code == "NOT_FOUND"


async def test_ai_gateway_create_get_and_typed_error(generated, server, tenant):
    models = _mod(generated, "models")
    create = _mod(generated, "api.ai_gateway.post_v1_translations")
    get = _mod(generated, "api.ai_gateway.get_v1_translations_id")
    result = _mod(generated, "api.ai_gateway.get_v1_translations_id_result")
    body = models.GatewayCreateTranslationRequest(data=models.GatewayCreateTranslationData(
        type_=models.GatewayCreateTranslationDataType("translation-job"),
        attributes=models.GatewayTranslationAttributes(input_=models.GatewayTranslationInput(
            type_=models.GatewayTranslationInputType.TEXT, target_language="es", content="Good morning."))))
    async with _client(generated, server, tenant.key) as client:
        created = await create.asyncio_detailed(client=client, body=body)
        assert created.status_code == 202, created.content
        assert isinstance(created.parsed, models.GatewayJobDocument)
        job_id = created.parsed.data.id
        got = await get.asyncio(id=job_id, client=client)
        assert isinstance(got, models.GatewayJobDocument) and got.data.id == job_id
        assert got.data.attributes.input_["target_language"].startswith("es")
        missing = await result.asyncio_detailed(id="0" * 24, client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.GatewayError) and missing.parsed.error.code == "NOT_FOUND"


async def test_mediapitch_create_get_and_typed_error(generated, server, tenant, media):
    models = _mod(generated, "models")
    types = _mod(generated, "types")
    upload = _mod(generated, "api.media_pitch.post_api_v1_audios")
    submit = _mod(generated, "api.media_pitch.post_api_v1_submissions")
    get = _mod(generated, "api.media_pitch.get_api_v1_submissions_submission")
    wav = media["dialogue_wav"]
    async with _client(generated, server, tenant.key) as client:
        with wav.open("rb") as handle:
            audio = await upload.asyncio(client=client, body=models.MediaPitchAudioFormMultipart(
                audio=types.File(payload=handle, file_name="call.wav"), name="Q3 call"))
        assert isinstance(audio, models.MediaPitchAudioCreated), audio
        created = await submit.asyncio(client=client, body=models.MediaPitchCreateSubmission(
            audio_name="Q3 call", audio_id=audio.data.id,
            services=[models.MediaPitchCreateSubmissionServicesItem.TRANSCRIBE]))
        assert isinstance(created, models.MediaPitchSubmissionCreated), created
        submission = created.data.submission
        got = await get.asyncio(submission=str(submission.id), client=client)
        assert isinstance(got, models.MediaPitchSubmissionDetail) and got.data.services == ["Transcribe"]
        missing = await get.asyncio_detailed(submission="999999999", client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.MediaPitchError) and missing.parsed.message


async def test_metavision_create_get_and_typed_error(generated, server, tenant, media, media_server):
    models = _mod(generated, "models")
    analyze = _mod(generated, "api.meta_vision.post_api_v1_analyze")
    get = _mod(generated, "api.meta_vision.get_api_v1_jobs_job_id")
    async with _client(generated, server, tenant.key) as client:
        submitted = await analyze.asyncio_detailed(client=client, body=models.MetaVisionAnalyze(
            media_type=models.MetaVisionAnalyzeMediaType.VIDEO, media=f"{media_server}/{media['shots_mp4'].name}", categories=["scenes"]))
        assert submitted.status_code == 202, submitted.content
        assert isinstance(submitted.parsed, models.MetaVisionSubmitted)
        job = await get.asyncio(job_id=submitted.parsed.job_id, client=client)
        assert isinstance(job, models.MetaVisionJob) and job.job_id == submitted.parsed.job_id
        missing = await get.asyncio_detailed(job_id="0" * 24, client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.MetaVisionError) and missing.parsed.code == "not_found"


async def test_editor_get_and_typed_error(generated, server, tenant):
    models = _mod(generated, "models")
    me = _mod(generated, "api.video_editor_backend.get_api_me")
    async with _client(generated, server, tenant.key) as client:
        got = await me.asyncio(client=client)
    assert isinstance(got, models.EditorMe) and got.name == tenant.name
    async with _client(generated, server, None) as anonymous:
        refused = await me.asyncio_detailed(client=anonymous)
    assert refused.status_code == 401
    assert isinstance(refused.parsed, models.EditorError) and refused.parsed.code == "UNAUTHENTICATED"
