"""Browser fixtures: Debian's Chromium driven by Playwright (never a downloaded browser), one context per test that
records every request the page makes, so a test can assert nothing left our origin."""
from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import async_playwright

CHROMIUM = Path("/usr/bin/chromium")
# --disable-background-networking and friends: Chromium's own calls home (updates, sync, field trials) stay off,
# so "no request to another origin" is about our pages only.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 90_000
# Reads (and with a value, sets) the text of GraphiQL's visible CodeMirror editor whose region has this aria-label.
CODEMIRROR = """([label, value]) => { const editor = [...document.querySelectorAll('.CodeMirror')].find((e) =>
  e.closest('[aria-label]')?.getAttribute('aria-label') === label && !e.closest('.hidden'));
  if (value !== undefined) editor.CodeMirror.setValue(value); return editor.CodeMirror.getValue(); }"""


@pytest.fixture(scope="session")
async def browser():
    if not CHROMIUM.exists():
        # Never skipped: `make test` installs it (tools/system-deps.sh); a missing browser is a broken setup.
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium)", pytrace=False)
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        await launched.close()


class Tab:
    """A page on `base_url` and what it did: requests to other origins, script errors, CSP reports."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
        self.foreign: list[str] = []
        self.urls: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", self._console)

    def _request(self, request) -> None:
        url = request.url
        self.urls.append(url)
        if url.startswith(("data:", "blob:")):
            return
        if "{0.scheme}://{0.netloc}".format(urlsplit(url)).replace("ws", "http", 1) != self.origin:
            self.foreign.append(url)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.errors.append(f"CSP: {message.text}")

    def assert_clean(self) -> None:
        assert self.foreign == [], f"requests to another origin: {self.foreign}"
        assert self.errors == [], self.errors


@contextlib.asynccontextmanager
async def tab(browser, base_url: str, **options):
    context = await browser.new_context(base_url=base_url, accept_downloads=True,
                                        viewport={"width": 1366, "height": 900}, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    try:
        yield Tab(page, base_url)
    finally:
        await context.close()


async def sign_in(page, key: str) -> None:
    await page.goto("/console/")
    await page.get_by_label("API key").fill(key)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_label("Upload media").wait_for()
