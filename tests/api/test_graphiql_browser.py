"""GraphiQL is served by the app itself and works with no outside network at all."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import ConsoleMessage, Route, async_playwright
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route as StarletteRoute

from yiwang.graphiql import ASSETS_DIR, graphiql_html, graphiql_static

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Belt and braces under page.route: the browser itself cannot resolve any outside name.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
QUERY = "{ residents(first: 3) { edges { node { name } } } }"
# An account that sees the whole seeded city.
ROLE, GRID_CODE = "admin", "4208"
EDITOR_TEXT = "sel => document.querySelector(sel)?.CodeMirror.getValue() ?? ''"
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
HEADERS_EDITOR = 'section[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror'
RESULT_EDITOR = ".result-window .CodeMirror"


def _asset_urls(page: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)


async def test_page_loads_only_local_assets_and_the_mount_serves_them() -> None:
    # Given a bare app with only the page and the asset mount
    def page(request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html())

    app = Starlette(routes=[StarletteRoute("/graphql", page), graphiql_static()])
    html = graphiql_html()

    # Then the page names no outside host, in asset URLs or anywhere else
    assert "http://" not in html and "https://" not in html
    urls = [url for url in _asset_urls(html) if not url.startswith("data:")]
    assert sorted(url.rsplit("/", 1)[-1] for url in urls) == [
        "graphiql.min.css",
        "graphiql.min.js",
        "react-dom.production.min.js",
        "react.production.min.js",
    ]
    assert all(url.startswith("/static/graphiql/") for url in urls), urls

    # And every asset it references is served
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://yiwang.test") as client:
        assert (await client.get("/graphql")).text == html
        for url in urls:
            response = await client.get(url)
            assert response.status_code == 200, url
            assert len(response.content) > 1000, url


def test_inline_bootstrap_is_admitted_by_the_page_csp() -> None:
    html = graphiql_html(endpoint="/api/graphql")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    inline = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert csp is not None and len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    policy = csp.group(1).replace("&#x27;", "'")
    assert f"script-src 'self' 'sha256-{digest}'" in policy
    assert "unsafe-eval" not in policy and "/api/graphql" in inline[0]
    assert not re.search(r"\son[a-z]+=", html), "inline event handlers break the CSP"


def test_vendored_assets_match_their_checksums() -> None:
    for line in (ASSETS_DIR / "SHA256SUMS").read_text().splitlines():
        expected, name = line.split()
        assert hashlib.sha256((ASSETS_DIR / name).read_bytes()).hexdigest() == expected, name


async def test_query_links_open_graphiql(live_server: str) -> None:
    # A browser following /graphql?query=… must get the page, not an executed query.
    async with httpx.AsyncClient(base_url=live_server) as client:
        response = await client.get(
            "/graphql", params={"query": QUERY}, headers={"Accept": "text/html"}
        )
    assert response.status_code == 200
    assert 'id="graphiql"' in response.text, (
        "GET /graphql?query=… from a browser did not render GraphiQL; the view should "
        "override should_render_graphql_ide with yiwang.graphiql.wants_graphiql"
    )


@pytest.mark.browser
async def test_graphiql_runs_an_authorised_query_offline(
    live_server: str, token_for: Callable[[str, str], str], tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; the CI image must install the chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); required in CI")

    # Given a token, and the answer the API gives to it
    token = token_for(ROLE, GRID_CODE)
    headers = json.dumps({"Authorization": f"Bearer {token}"})
    async with httpx.AsyncClient(base_url=live_server) as client:
        response = await client.post(
            "/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {token}"}
        )
    expected = response.json()
    assert "errors" not in expected, expected
    assert expected["data"]["residents"]["edges"], "the seeded store has no residents"

    attempted: list[str] = []
    blocked: list[str] = []
    problems: list[str] = []

    async def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort("blockedbyclient")

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            problems.append(message.text)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            context = await browser.new_context(viewport={"width": 1400, "height": 800})
            await context.route("**/*", only_local)
            context.on("request", lambda request: attempted.append(request.url))
            # GraphiQL keeps headers (shouldPersistHeaders) and the query in localStorage
            # under "graphiql:"; seeding them is what a returning user's browser looks like.
            stored = json.dumps({"graphiql:headers": headers, "graphiql:query": QUERY})
            await context.add_init_script(
                f"for (const [k, v] of Object.entries({stored})) localStorage.setItem(k, v);"
            )
            page = await context.new_page()
            page.on("console", on_console)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("websocket", lambda socket: attempted.append(socket.url))

            # When the page is opened and the execute button clicked
            await page.goto(f"{live_server}/graphql", wait_until="load")
            execute = page.locator("button.graphiql-execute-button")
            try:
                await execute.wait_for(timeout=30_000)
                assert await page.evaluate(EDITOR_TEXT, QUERY_EDITOR) == QUERY
                assert token in await page.evaluate(EDITOR_TEXT, HEADERS_EDITOR)
                await execute.click()
                await page.wait_for_function(
                    f'sel => /"(data|errors)"/.test(({EDITOR_TEXT})(sel))',
                    arg=RESULT_EDITOR,
                    timeout=30_000,
                )
                shown = json.loads(await page.evaluate(EDITOR_TEXT, RESULT_EDITOR))
            except Exception:
                await page.screenshot(path=str(tmp_path / "graphiql.png"))
                raise
        finally:
            await browser.close()

    # Then the result pane shows what the API answers, and nothing left the machine
    assert shown == expected
    assert blocked == []
    assert [url for url in attempted if urlsplit(url).hostname not in LOCAL_HOSTS] == []
    assert problems == []
