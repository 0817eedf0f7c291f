"""Configured translation providers first: every translating job kind goes to the deployment's own provider.

Each server here has two configured providers (LibreTranslate and a chat-completions model on 127.0.0.1) or one,
plus the keyless public endpoints (Google, MyMemory) on offer. The servers on 127.0.0.1 record what they receive,
so each test reads which provider really got the customer's text (a keyless endpoint is unreachable here: had one
been chosen, the job would fail and neither server would see the text)."""
from __future__ import annotations

import asyncio
import uuid
from contextlib import asynccontextmanager

import httpx
import pytest

from tests.conftest import (
    BACKENDS,
    _create_database,
    _settings_env,
    drop_backend,
    new_tenant,
)
from tests.e2e.test_transcription import transcribed
from tests.e2e.test_translation import (
    ADD,
    ES,
    RETRANSLATE,
    TRANSLATE,
    by_language,
    finished,
)
from tests.flows import ready_asset
from tests.harness import Server, ThreadedServer, free_port, gql, start_worker_process
from tests.rest_compat.helpers import bearer

PUBLIC = {"TRANSLATION_PROVIDERS": "google,mymemory"}
TRANSLATE_TEXT = """mutation($input: TranslateTextInput!) { translateText(input: $input) {
  job { id provider } errors { field code message } } }"""
VOICE_OVER = """mutation($input: VoiceOverInput!) { voiceOver(input: $input) { job { id } errors { code message } } }"""
PROVIDERS = "{ providers(resource: TRANSLATIONS) { id } }"


@asynccontextmanager
async def ordered_server(backend: str, config: str, tmp_path_factory, idp, providers):
    """A server whose translation providers are `libre+chat` (both configured) or `chat` alone, with the keyless
    public endpoints also on offer."""
    from app import create_app, migrate
    from domain.settings import Settings

    data_dir = tmp_path_factory.mktemp(f"order-{backend}")
    namespace = f"mgtest-{uuid.uuid4().hex[:8]}"
    db_name = f"mg_test_{uuid.uuid4().hex[:10]}"
    database_url = await _create_database(db_name) if backend == "production" else None
    port = free_port()
    env = {**_settings_env(backend, data_dir, port, database_url, namespace, idp, providers), **PUBLIC}
    if config == "chat":
        env.pop("LIBRETRANSLATE_URL")
    settings = Settings.from_env(env)
    await asyncio.to_thread(migrate, settings)
    worker = start_worker_process(env) if backend == "production" else None
    app = create_app(settings)
    thread = ThreadedServer(app, port)
    thread.start()
    try:
        yield config, Server(backend, f"http://127.0.0.1:{port}", app, app.state.runtime.settings, env)
    finally:
        thread.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=20)
        if backend == "production":
            await drop_backend(db_name, namespace)


CONFIGS = [(b, c) for b in BACKENDS for c in ("libre+chat", "chat")]
BOTH = [(b, "libre+chat") for b in BACKENDS]


@pytest.fixture(scope="module", params=CONFIGS, ids=lambda p: f"{p[0]}-{p[1]}")
async def ordered(request, tmp_path_factory, idp, providers):
    async with ordered_server(*request.param, tmp_path_factory, idp, providers) as found:
        yield found


def expected(config: str) -> str:
    return "libre" if config == "libre+chat" else "openai-compatible"


def receivers(libre, chat, marker: str) -> set[str]:
    return {name for name, server in (("libre", libre), ("openai-compatible", chat)) if server.count(marker)}


async def marked_transcript(client, key, media, marker: str) -> str:
    """An asset (picture and a tone) whose transcript holds two hand-written segments carrying `marker`."""
    asset = await ready_asset(client, key, media["mp4"])
    done = await transcribed(client, key, asset["id"])
    source = done["transcriptions"][0]
    segments = [{"startMs": 200 + n * 1500, "endMs": 1400 + n * 1500, "text": f"Line {n} {marker} here.",
                 "speaker": "SPEAKER_00"} for n in range(2)]
    added = await gql(client, key, ADD, {"input": {"transcriptionId": source["id"], "segments": segments}})
    assert added["data"]["addSegments"]["errors"] == [], added
    return asset["id"]


@pytest.fixture
async def oclient(ordered):
    async with httpx.AsyncClient(base_url=ordered[1].base_url, timeout=60) as client:
        yield client


async def test_the_providers_list_puts_configured_ones_first(ordered, oclient):
    config, server = ordered
    tenant = await new_tenant(server)
    listed = [p["id"] for p in (await gql(oclient, tenant.key, PROVIDERS))["data"]["providers"]]
    configured = ["libre", "openai-compatible"] if config == "libre+chat" else ["openai-compatible"]
    assert listed == configured + ["google", "mymemory"]  # the keyless public endpoints come last


async def test_text_translations_go_to_the_configured_provider(ordered, oclient, libre, chat):
    """GraphQL translateText and the AI Gateway's POST /v1/translations (both text_translation jobs)."""
    config, server = ordered
    tenant = await new_tenant(server)
    marker = uuid.uuid4().hex[:10]
    made = (await gql(oclient, tenant.key, TRANSLATE_TEXT, {"input": {
        "content": f"Hola {marker}, buenas noches.", "targetLanguage": "en", "sourceLanguage": "es"}}))
    job = made["data"]["translateText"]
    assert job["errors"] == [] and job["job"]["provider"] == expected(config), job
    assert (await finished(oclient, tenant.key, job["job"]["id"]))["status"] == "COMPLETED"
    assert receivers(libre, chat, marker) == {expected(config)}

    rest_marker = uuid.uuid4().hex[:10]
    created = await oclient.post("/v1/translations", headers=bearer(tenant.key), json={"data": {
        "type": "translation-job", "attributes": {
            "input": {"type": "text", "content": f"Guten Abend {rest_marker}.", "target_language": "en"},
            "options": {"source_language": "de"}}}})
    assert created.status_code == 202, created.text
    assert created.json()["data"]["attributes"]["provider"] == expected(config)
    assert (await finished(oclient, tenant.key, created.json()["data"]["id"]))["status"] == "COMPLETED"
    assert receivers(libre, chat, rest_marker) == {expected(config)}


@pytest.mark.parametrize("ordered", BOTH, indirect=True, ids=lambda p: f"{p[0]}-{p[1]}")
async def test_transcript_translation_retranslation_and_voice_over(ordered, oclient, libre, chat, media):
    tenant = await new_tenant(ordered[1])
    marker = uuid.uuid4().hex[:10]
    asset_id = await marked_transcript(oclient, tenant.key, media, marker)
    asked = (await gql(oclient, tenant.key, TRANSLATE, {"input": {"assetId": asset_id, "languageIds": [ES]}}))
    job = asked["data"]["translate"]
    assert job["errors"] == [] and job["job"]["provider"] == "libre", job
    assert (await finished(oclient, tenant.key, job["job"]["id"]))["status"] == "COMPLETED"
    assert receivers(libre, chat, marker) == {"libre"}

    # A changed source segment is retranslated, by the configured provider again.
    source = await by_language(oclient, tenant.key, asset_id, "en-US")
    changed = uuid.uuid4().hex[:10]
    first = next(s for s in source["segments"] if marker in s["text"])
    updated = await gql(oclient, tenant.key, """mutation($input: UpdateSegmentsInput!) { updateSegments(input: $input) {
      errors { code } } }""", {"input": {"transcriptionId": source["id"], "segments": [
        {"id": first["id"], "text": f"Changed {changed} line."}]}})
    assert updated["data"]["updateSegments"]["errors"] == [], updated
    again = (await gql(oclient, tenant.key, RETRANSLATE, {"input": {"assetId": asset_id}}))["data"]["retranslate"]
    assert again["errors"] == [] and again["job"]["provider"] == "libre", again
    assert (await finished(oclient, tenant.key, again["job"]["id"]))["status"] == "COMPLETED"
    assert receivers(libre, chat, changed) == {"libre"}

    # A voice-over into a language not translated yet translates on the way.
    dubbed_marker = uuid.uuid4().hex[:10]
    dub_asset = await marked_transcript(oclient, tenant.key, media, dubbed_marker)
    dub = (await gql(oclient, tenant.key, VOICE_OVER, {"input": {"assetId": dub_asset, "languageIds": [ES]}}))
    assert dub["data"]["voiceOver"]["errors"] == [], dub
    assert (await finished(oclient, tenant.key, dub["data"]["voiceOver"]["job"]["id"], timeout=240))["status"] \
        == "COMPLETED"
    assert receivers(libre, chat, dubbed_marker) == {"libre"}


@pytest.mark.parametrize("ordered", BOTH, indirect=True, ids=lambda p: f"{p[0]}-{p[1]}")
async def test_mediapitch_translate_task(ordered, oclient, libre, chat, media):
    tenant = await new_tenant(ordered[1])
    wav = media["dialogue_wav"]
    uploaded = await oclient.post("/api/v1/audios", headers=bearer(tenant.key),
                                  files={"audio": (wav.name, wav.read_bytes(), "audio/wav")})
    assert uploaded.status_code == 201, uploaded.text
    before = {name: server_.count("football") for name, server_ in (("libre", libre), ("chat", chat))}
    created = await oclient.post("/api/v1/submissions", headers=bearer(tenant.key), json={
        "audio_name": "Order", "audio_id": uploaded.json()["data"]["id"], "services": ["Transcribe", "Translate"],
        "audio_language": "English"})
    assert created.status_code == 201, created.text
    submission = created.json()["data"]["submission"]["id"]
    for _ in range(120):  # MediaPitch allows 60 requests a minute: poll gently
        polled = await oclient.get(f"/api/v1/submissions/{submission}", headers=bearer(tenant.key))
        [task] = polled.json()["data"]["tasks"] if polled.status_code == 200 else [{"status": "pending"}]
        if task["status"] in ("done", "failed"):
            break
        await asyncio.sleep(1.5)
    assert task["status"] == "done", task
    assert libre.count("football") > before["libre"] and chat.count("football") == before["chat"]


def test_the_registry_ranks_local_then_configured_in_order_then_keyless():
    from domain.providers.registry import ProviderRegistry

    registry = ProviderRegistry()
    registry.register("google", "Google", "translations", ["text"], keyless=True)  # registered first, still last
    registry.register("zeta", "Zeta", "translations", ["text"])
    registry.register("libre", "LibreTranslate", "translations", ["text"])
    registry.register("local", "Local", "translations", ["text"])
    assert [p.id for p in registry.all("translations")] == ["local", "zeta", "libre", "google"]
    assert registry.pick("translations", ["text"]).id == "local"
