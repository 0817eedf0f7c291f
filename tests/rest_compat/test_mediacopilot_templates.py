"""Templates and word lists over MediaCopilot REST, and their effect on an asset's transcript."""
from __future__ import annotations

from domain import languages
from tests.e2e.test_transcription import transcribed
from tests.rest_compat.helpers import bearer, mc_upload, mc_wait_ready

EN = str(languages.by_code("en").id)


async def test_crud_for_every_word_list_kind_and_templates(client, tenant, other_tenant):
    key = tenant.key
    black = await client.post("/v1/blacklists", json={"name": "Rude", "words": "darn, heck", "language_id": EN},
                              headers=bearer(key))
    assert black.status_code == 201 and black.json()["words"] == ["darn", "heck"] and black.json()["language_id"] == EN
    white = await client.post("/v1/whitelists", json={"name": "Brands", "words": ["Mediagraph"]}, headers=bearer(key))
    words = await client.post("/v1/dictionaries", json={"name": "Tech", "dictionary": {"AI": ["Artificial Intelligence"]}},
                              headers=bearer(key))
    assert white.status_code == 201 and words.status_code == 201
    template = await client.post("/v1/templates", headers=bearer(key), json={
        "name": "News", "blacklist_ids": [black.json()["id"]], "whitelist_ids": [white.json()["id"]],
        "domain_dictionary_ids": words.json()["id"], "translation_language_ids": [EN], "enabled_ocr": True,
        "voice_over_config": {"mute_original_voice": True}})
    assert template.status_code == 201, template.text
    body = template.json()
    assert body["domain_dictionary_ids"] == [words.json()["id"]] and body["enabled_ocr"] is True
    assert body["voice_over_config"] == {"clone_voice": False, "mute_original_voice": True}
    renamed = await client.patch(f"/v1/templates/{body['id']}", json={"name": "Evening news"}, headers=bearer(key))
    assert renamed.json()["name"] == "Evening news" and renamed.json()["blacklist_ids"] == body["blacklist_ids"]
    for path in ("/v1/templates", "/v1/blacklists", "/v1/whitelists", "/v1/dictionaries"):
        listed = (await client.get(path, headers=bearer(key))).json()
        assert listed["total"] == 1 and listed["page"] == 1 and len(listed["data"]) == 1
        assert (await client.get(path, headers=bearer(other_tenant.key))).json()["total"] == 0
    assert (await client.get(f"/v1/whitelists/{black.json()['id']}", headers=bearer(key))).status_code == 404
    patched = await client.patch(f"/v1/blacklists/{black.json()['id']}", json={"words": ["darn"]}, headers=bearer(key))
    assert patched.json()["words"] == ["darn"]
    gone = await client.delete(f"/v1/dictionaries/{words.json()['id']}", headers=bearer(key))
    assert gone.json() == {"id": words.json()["id"], "deleted": True}
    assert (await client.get(f"/v1/dictionaries/{words.json()['id']}", headers=bearer(key))).status_code == 404


async def test_bad_input_names_the_field(client, tenant):
    key = tenant.key
    no_language = await client.post("/v1/blacklists", json={"name": "x", "words": "a"}, headers=bearer(key))
    assert no_language.status_code == 422 and no_language.json()["error"]["field"] == ["language_id"]
    bad_language = await client.post("/v1/blacklists", json={"name": "x", "words": "a", "language_id": "nope"},
                                     headers=bearer(key))
    assert bad_language.status_code == 422 and bad_language.json()["error"]["field"] == ["input", "languageId"]
    empty = await client.post("/v1/whitelists", json={"name": "x", "words": " , "}, headers=bearer(key))
    assert empty.status_code == 422 and empty.json()["error"]["field"] == ["input", "words"]
    bad_dict = await client.post("/v1/dictionaries", json={"name": "x", "dictionary": {"AI": []}}, headers=bearer(key))
    assert bad_dict.status_code == 422
    ghost = await client.post("/v1/templates", json={"name": "x", "blacklist_ids": ["5f0c7b6e-0000-4000-8000-000000000000"]},
                              headers=bearer(key))
    assert ghost.status_code == 404 and ghost.json()["error"]["field"] == ["input", "blacklist_ids"]
    unknown_template = await client.post("/v1/assets", json={"filename": "a.mp4",
                                                             "template_id": "5f0c7b6e-0000-4000-8000-000000000000"},
                                         headers=bearer(key))
    assert unknown_template.status_code == 404 and unknown_template.json()["error"]["field"] == ["input", "templateId"]


async def test_a_template_masks_blacklisted_words_and_expands_dictionary_terms(client, tenant, media):
    key = tenant.key
    black = (await client.post("/v1/blacklists", json={"name": "Money", "words": ["budget"], "language_id": EN},
                               headers=bearer(key))).json()
    words = (await client.post("/v1/dictionaries", json={"name": "Transit",
                                                         "dictionary": {"news": ["headlines"]}},
                               headers=bearer(key))).json()
    white = (await client.post("/v1/whitelists", json={"name": "Days", "words": ["Monday"]}, headers=bearer(key))).json()
    template = (await client.post("/v1/templates", json={"name": "City", "blacklist_ids": [black["id"]],
                                                         "whitelist_ids": [white["id"]],
                                                         "domain_dictionary_ids": [words["id"]]},
                                  headers=bearer(key))).json()
    asset = await mc_upload(client, key, media["speech_mp4"], parts=1, template_id=template["id"])
    assert asset["template_id"] == template["id"]
    await mc_wait_ready(client, key, asset["id"])
    await transcribed(client, key, asset["id"])
    [transcript] = (await client.get(f"/v1/assets/{asset['id']}/transcriptions", headers=bearer(key))).json()["data"]
    text = " ".join(s["text"] for s in transcript["segments"])
    assert "budget" not in text.lower() and "******" in text
    assert "evening headlines" in text and "news" not in text
