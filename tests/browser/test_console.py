"""The console at /console/ in headless Chromium: sign in, upload, live jobs and transcript, the player synced with
the transcript, editing, subtitle downloads, translation, clips, search; nothing requested from another origin."""
from __future__ import annotations

import asyncio
import re

import httpx

from tests.browser.conftest import sign_in, tab
from tests.conftest import new_tenant
from tests.harness import gql

FINAL = {"COMPLETED", "FAILED", "CANCELLED"}
ASSET_JOBS = "query($id: ID!) { asset(id: $id) { status jobs(first: 50) { edges { node { kind status } } } } }"
SEGMENTS = "query($id: ID!) { asset(id: $id) { transcriptions { segments { text } } speakers { name } } }"
# Every value a job's progress bar shows, in order: the bars must move while the page stays as it is.
WATCH_BARS = """() => { window.__seen = []; new MutationObserver((records) => { for (const r of records) {
  const bar = r.target; if (bar.closest && bar.closest('.jobs')) window.__seen.push(bar.getAttribute('aria-valuenow')); } })
  .observe(document.body, {subtree: true, attributes: true, attributeFilter: ['aria-valuenow']}); window.__sameDocument = true; }"""


async def settled(client: httpx.AsyncClient, key: str, asset_id: str, timeout: float = 600) -> None:
    """Until the asset's pipeline (probe, transcription, analysis, indexing) has no job left to run."""
    deadline = asyncio.get_running_loop().time() + timeout
    last = None
    while True:
        asset = (await gql(client, key, ASSET_JOBS, {"id": asset_id}))["data"]["asset"]
        jobs = [edge["node"] for edge in asset["jobs"]["edges"]]
        state = [(j["kind"], j["status"]) for j in jobs]
        if jobs and all(j["status"] in FINAL for j in jobs) and state == last:
            return
        last = state
        assert asyncio.get_running_loop().time() < deadline, f"the pipeline did not finish: {state}"
        await asyncio.sleep(2)


async def test_a_recording_becomes_a_transcript_subtitles_and_a_clip(browser, server, client, media, tmp_path):
    tenant = await new_tenant(server)
    async with tab(browser, server.base_url) as t:
        page = t.page
        await sign_in(page, tenant.key)
        await page.evaluate(WATCH_BARS)

        # Upload: the file's own progress bar fills, then the jobs arrive live and their bars move.
        await page.get_by_label("Upload media").set_input_files(media["speech_mp4"])
        upload_bar = page.get_by_role("progressbar", name="Upload of speech.mp4")
        await upload_bar.and_(page.locator('[aria-valuenow="100"]')).wait_for()
        await page.locator('.job[data-status="COMPLETED"]').filter(has_text="transcription").wait_for(timeout=300_000)
        seen = await page.evaluate("window.__seen")
        assert any(0 < int(v) < 100 for v in seen) and "100" in seen, seen

        # The asset page: the transcript is there without a reload.
        await page.locator(".assets a", has_text="speech.mp4").click()
        await page.locator(".transcript .line").first.wait_for()
        assert await page.evaluate("window.__sameDocument === true")
        asset_id = page.url.rsplit("/", 1)[1]
        await settled(client, tenant.key, asset_id)
        await page.reload()  # the view as it stands once the pipeline is done (no re-render under the test)
        lines = page.locator(".transcript .line")
        await lines.nth(1).wait_for()
        assert await page.locator(".analysis").count() == 1

        # A click on a line seeks the player there, and that line is the highlighted one.
        second = lines.nth(1)
        start_ms = int(await second.get_attribute("data-start"))
        await second.locator(".seek").click()
        await page.wait_for_function("() => document.querySelector('.player').currentTime > 0")
        await page.evaluate("document.querySelector('.player').pause()")
        at = await page.evaluate("document.querySelector('.player').currentTime")
        assert start_ms / 1000 - 0.05 <= at <= start_ms / 1000 + 3, (at, start_ms)
        await page.locator('.transcript .line.current[aria-current="true"]').nth(0).wait_for()
        assert await page.locator(".transcript .line.current").get_attribute("data-start") == str(start_ms)

        # Edit a line: a bad time is refused next to the line, a good edit is saved through the API.
        first = lines.nth(0)
        await first.get_by_role("button", name="Edit line").click()
        await first.get_by_label("End (seconds)").fill("0")
        await first.get_by_role("button", name="Save").click()
        assert (await first.get_by_role("alert").inner_text()).strip()
        await first.get_by_label("End (seconds)").fill(str(int(await first.get_attribute("data-end")) / 1000))
        await first.get_by_label("Line text").fill("Edited in the browser console.")
        await first.get_by_role("button", name="Save").click()
        await page.locator(".transcript .line .text", has_text="Edited in the browser console.").wait_for()
        saved = (await gql(client, tenant.key, SEGMENTS, {"id": asset_id}))["data"]["asset"]
        assert saved["transcriptions"][0]["segments"][0]["text"] == "Edited in the browser console."

        # Rename a speaker in place.
        label = (await page.locator(".speaker-form .label").first.inner_text()).strip()
        await page.get_by_label(f"Name of {label}").fill("Anchor")
        await page.get_by_role("button", name="Rename").first.click()
        renamed = page.locator(".transcript .line .speaker", has_text="Anchor").first
        refused = page.locator(".speaker-form [role=alert]").filter(has_text=re.compile(r"\S"))
        await renamed.or_(refused).first.wait_for()
        assert await refused.count() == 0, await refused.all_inner_texts()
        saved = (await gql(client, tenant.key, SEGMENTS, {"id": asset_id}))["data"]["asset"]
        assert "Anchor" in {s["name"] for s in saved["speakers"]}

        # Subtitles download as files, with the edit in them.
        files = {}
        for name in ("SRT", "VTT", "STL"):
            async with page.expect_download() as info:
                await page.get_by_role("button", name=f"Download {name}").click()
            download = await info.value
            files[name] = (tmp_path / download.suggested_filename)
            await download.save_as(files[name])
        srt = files["SRT"].read_text()
        assert "-->" in srt and "Edited in the browser console." in srt and files["SRT"].suffix == ".srt"
        assert files["VTT"].read_text().startswith("WEBVTT")
        stl = files["STL"].read_bytes()
        assert stl[3:11] == b"STL25.01" and len(stl) % 128 == 0

        # Translate: the job is queued from the picker and shows in the live list.
        spanish = await page.locator("#translate-to option", has_text="(es-").first.get_attribute("value")
        await page.get_by_label("Translate to").select_option(spanish)
        await page.get_by_role("button", name="Translate", exact=True).click()
        await page.locator(".action .status", has_text="queued").first.wait_for()
        await page.locator(".job", has_text="translation").first.wait_for()

        # A clip from 0 to 3 s: its render's progress, then a preview that plays, and a download link.
        await page.get_by_label("In (s)").fill("0")
        await page.get_by_label("In (s)").press("Tab")
        await page.get_by_label("Out (s)").fill("3")
        await page.get_by_label("Out (s)").press("Tab")
        await page.get_by_role("button", name="Make clip").click()
        clip = page.locator(".clip").first
        await clip.locator("video").wait_for(timeout=300_000)
        assert await clip.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
        playable = await page.evaluate("document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"')")
        assert playable in ("probably", "maybe"), "this Chromium cannot play H.264: the clip preview needs WebM"
        await clip.locator("video").evaluate("v => { v.muted = true; return v.play(); }")
        await page.wait_for_function("() => document.querySelector('.clip video').currentTime > 0.2")
        assert await clip.get_by_role("link", name="Download clip").get_attribute("href")

        # Search the catalog: a hit opens the asset at its second.
        await page.get_by_label("Search moments").fill("city council budget")
        await page.get_by_role("button", name="Search").click()
        hit = page.locator(".hits a").first
        await hit.wait_for()
        second_of_hit = float((await hit.get_attribute("href")).split("?t=")[1])
        await hit.click()
        await page.wait_for_function(
            f"() => Math.abs((document.querySelector('.player')?.currentTime ?? -9) - {second_of_hit}) < 0.5")

        # The key stayed in this tab's sessionStorage: never in a URL, never in localStorage.
        assert await page.evaluate("sessionStorage.getItem('mediagraph.apiKey')") == tenant.key
        assert tenant.key not in await page.evaluate("JSON.stringify(localStorage)")
        t.assert_clean()
        assert not [url for url in t.urls if tenant.key in url]

        # Another tenant does not see this asset.
        other = await new_tenant(server)
        await page.evaluate("sessionStorage.clear()")
        await sign_in(page, other.key)
        await page.goto(f"/console/#/asset/{asset_id}")
        await page.get_by_role("heading", name="Not found").wait_for()


async def test_a_wrong_key_is_refused_and_not_kept(browser, server):
    async with tab(browser, server.base_url) as t:
        await t.page.goto("/console/")
        await t.page.get_by_label("API key").fill("mg_not_a_key")
        await t.page.get_by_role("button", name="Sign in").click()
        await t.page.get_by_role("alert").filter(has_text="not accepted").wait_for()
        assert await t.page.evaluate("sessionStorage.length") == 0
        t.assert_clean()


async def test_an_upload_resumes_after_a_failed_part(browser, server, media):
    tenant = await new_tenant(server)
    async with tab(browser, server.base_url) as t:
        page = t.page
        await sign_in(page, tenant.key)
        # The network drops every part PUT (all retries of the part) until the user presses Resume.
        await page.route("**/storage/uploads/**", lambda route: route.abort("connectionreset"))
        await page.get_by_label("Upload media").set_input_files(media["wav"])
        resume = page.get_by_role("button", name="Resume")
        await resume.wait_for()
        assert "failed" in await page.locator(".upload .status").inner_text()
        await page.unroute("**/storage/uploads/**")
        await resume.click()
        await page.locator(".upload .status", has_text="uploaded").wait_for()
        bar = page.get_by_role("progressbar", name="Upload of tone.wav")
        assert await bar.get_attribute("aria-valuenow") == "100"
        await page.locator(".job", has_text="probe").first.wait_for()
