"""GraphiQL at /graphql and Swagger UI at /swagger, served from our own origin under a strict CSP, in Chromium."""
from __future__ import annotations

import asyncio
import re

from tests.browser.conftest import CODEMIRROR, tab
from tests.conftest import new_tenant
from tests.flows import upload

OPERATIONS = """() => [...document.querySelectorAll('.opblock')].map((o) =>
  o.querySelector('.opblock-summary-method').textContent + ' ' + o.querySelector('.opblock-summary-path').dataset.path)"""


async def test_pages_and_their_files_carry_a_strict_csp(client):
    for path in ("/console/", "/graphql", "/swagger", "/console/main.js", "/ide/graphiql.js",
                 "/vendor/graphql-ws/client.js", "/vendor/swagger-ui/swagger-ui-bundle.js"):
        response = await client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "object-src 'none'" in policy and "unsafe-eval" not in policy, path
    page = (await client.get("/console/")).text
    assert "<script>" not in page and re.findall(r'src="([^"]+)"', page) == ["/console/main.js"]
    # The vendored files keep their licences beside them.
    for folder in ("graphql-ws/LICENSE.md", "graphiql/LICENSE", "react/LICENSE", "swagger-ui/LICENSE"):
        assert (await client.get(f"/vendor/{folder}")).status_code == 200, folder


async def test_graphiql_runs_a_query_and_a_subscription_with_the_key(browser, server, client, media):
    tenant = await new_tenant(server)
    async with tab(browser, server.base_url) as t:
        page = t.page
        await page.goto("/graphql")
        await page.locator(".graphiql-container .CodeMirror").first.wait_for()
        await page.evaluate(CODEMIRROR, ["Headers", f'{{"Authorization": "Bearer {tenant.key}"}}'])
        await page.evaluate(CODEMIRROR, ["Query Editor", "{ me { name } }"])
        await page.get_by_role("button", name=re.compile("Execute query")).click()
        await page.wait_for_function(f"""() => [...document.querySelectorAll('.result-window .CodeMirror')]
            .some((e) => e.CodeMirror.getValue().includes('{tenant.name}'))""")

        await page.evaluate(CODEMIRROR, ["Query Editor", "subscription { jobEvents { id kind status } }"])
        subscribed = asyncio.Event()
        page.on("websocket", lambda socket: socket.on(
            "framesent", lambda frame: '"subscribe"' in str(frame) and subscribed.set()))
        await page.get_by_role("button", name=re.compile("Execute query")).click()
        await asyncio.wait_for(subscribed.wait(), 90)
        _, job = await upload(client, tenant.key, media["wav"], parts=1)
        await page.wait_for_function(f"""() => [...document.querySelectorAll('.result-window .CodeMirror')]
            .some((e) => e.CodeMirror.getValue().includes('{job["id"]}'))""")
        assert tenant.key not in await page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")
        t.assert_clean()
        assert not [url for url in t.urls if tenant.key in url]


async def test_swagger_ui_lists_every_operation(browser, server, client):
    document = (await client.get("/openapi.json")).json()
    wanted = sorted(f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item)
    async with tab(browser, server.base_url) as t:
        page = t.page
        await page.goto("/swagger")
        await page.locator(".opblock").first.wait_for()
        # Swagger UI renders only the operations in view: scroll down the page, collecting what it shows (a pass
        # on a loaded machine may miss a block that was still rendering: a few passes at most).
        listed: set[str] = set()
        for _ in range(4):
            height = await page.evaluate("document.documentElement.scrollHeight")
            for y in range(0, height + 400, 400):
                await page.evaluate(f"window.scrollTo(0, {y})")
                await page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
                listed |= set(await page.evaluate(OPERATIONS))
            if len(listed) >= len(wanted):
                break
        assert sorted(listed) == wanted
        t.assert_clean()
