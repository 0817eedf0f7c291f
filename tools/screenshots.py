"""Regenerates the README's screenshots (docs/screenshots/*.png) of the console, GraphiQL and Swagger UI.

Run from the repository root after `make test`'s bootstrap: `.venv/bin/python tools/screenshots.py`. It starts the
embedded server on a free port over a temporary DATA_DIR, makes a tenant, uploads a generated news clip (espeak-ng
speech over three shots, tests/media.py), waits for its pipeline and photographs the pages in Debian's Chromium.
"""
from __future__ import annotations

import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import _create_key, create_app, migrate  # noqa: E402
from domain.settings import Settings  # noqa: E402
from tests import media  # noqa: E402
from tests.browser.conftest import ARGS, CHROMIUM, CODEMIRROR  # noqa: E402
from tests.harness import ThreadedServer, free_port  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
FINAL = {"COMPLETED", "FAILED", "CANCELLED"}
JOBS = "query($id: ID!) { asset(id: $id) { jobs(first: 50) { edges { node { status } } } } }"


def settled(base_url: str, key: str, asset_id: str, timeout: float = 900) -> None:
    deadline, last = time.monotonic() + timeout, None
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as http:
        while time.monotonic() < deadline:
            edges = http.post("/graphql", json={"query": JOBS, "variables": {"id": asset_id}}).json()[
                "data"]["asset"]["jobs"]["edges"]
            state = [edge["node"]["status"] for edge in edges]
            if state and all(s in FINAL for s in state) and state == last:
                return
            last = state
            time.sleep(2)
    raise TimeoutError("the asset's pipeline did not finish")


def shoot(base_url: str, key: str, clip: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(base_url=base_url, viewport={"width": 1440, "height": 900})
        page.set_default_timeout(120_000)
        page.goto("/console/")
        page.get_by_label("API key").wait_for()
        page.screenshot(path=OUT / "console-sign-in.png")
        page.get_by_label("API key").fill(key)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Upload media").set_input_files(clip)
        page.locator(".job", has_text="transcription").first.wait_for()
        page.locator(".assets a", has_text=clip.name).wait_for()
        page.wait_for_timeout(1500)
        page.screenshot(path=OUT / "console-upload.png")
        page.locator(".assets a", has_text=clip.name).click()
        page.locator(".transcript .line").first.wait_for(timeout=600_000)
        asset_id = page.url.rsplit("/", 1)[1]
        settled(base_url, key, asset_id)
        page.reload()
        lines = page.locator(".transcript .line")
        lines.nth(1).wait_for()
        lines.nth(1).locator(".seek").click()
        page.wait_for_timeout(1200)
        page.evaluate("document.querySelector('.player').pause()")
        page.get_by_label("In (s)").fill("2")
        page.get_by_label("In (s)").press("Tab")
        page.get_by_label("Out (s)").fill("6")
        page.get_by_label("Out (s)").press("Tab")
        page.get_by_role("button", name="Make clip").click()
        page.locator(".clip video").wait_for(timeout=600_000)
        page.screenshot(path=OUT / "console-asset.png", full_page=True)
        page.goto("/graphql")
        page.locator(".graphiql-container .CodeMirror").first.wait_for()
        page.evaluate(CODEMIRROR, ["Headers", f'{{\n  "Authorization": "Bearer {key}"\n}}'])
        page.get_by_role("button", name=re.compile("Execute query")).click()
        page.locator(".result-window", has_text="newsroom").wait_for()
        page.evaluate(CODEMIRROR, ["Headers", f'{{\n  "Authorization": "Bearer {key[:8]}…"\n}}'])
        page.screenshot(path=OUT / "graphiql.png")
        page.goto("/swagger")
        page.locator(".opblock").first.wait_for()
        page.screenshot(path=OUT / "swagger.png")
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        speech = media.speak(media.MONOLOGUE, tmp / "monologue.wav")
        clip = media.shots(tmp, speech).rename(tmp / "evening-news.mp4")
        port = free_port()
        settings = Settings.from_env({"DATA_DIR": str(tmp / "data"), "PORT": str(port),
                                      "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
        migrate(settings)
        server = ThreadedServer(create_app(settings), port)
        server.start()
        try:
            key = asyncio.run(_create_key(settings, "newsroom", False))
            shoot(f"http://127.0.0.1:{port}", key, clip)
        finally:
            server.stop()
    print(f"screenshots in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
