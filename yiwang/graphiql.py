"""GraphiQL served entirely by this app.

Strawberry's own GraphiQL page loads React and GraphiQL from unpkg, which renders a blank
page on isolated government networks. This page loads only the pinned copies in
``yiwang/static/graphiql`` (see the README there) and carries a Content-Security-Policy that
allows nothing else: the one inline bootstrap script is admitted by its SHA-256 hash.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

__all__ = ["ASSETS_DIR", "graphiql_html", "graphiql_static", "wants_graphiql"]

ASSETS_DIR = Path(__file__).parent / "static" / "graphiql"
ASSETS_PATH = "/static/graphiql"
STYLESHEETS = ("graphiql.min.css",)
SCRIPTS = ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js")
HEADERS_HINT = '{\n  "Authorization": "Bearer <token>"\n}'

# Inline <style> elements are injected at runtime by GraphiQL's dialogs (react-remove-scroll),
# so styles need 'unsafe-inline'; scripts do not.
_CSP = (
    "default-src 'none'; "
    "script-src 'self' '{script_hash}'; "
    "style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; "
    "img-src 'self' data:; "
    "connect-src 'self'; "
    "base-uri 'none'; "
    "form-action 'none'"
)

_BOOTSTRAP = """
(function () {
  "use strict";
  var config = %(config)s;
  var endpoint = new URL(config.endpoint, window.location.href);
  var subscriptions = new URL(endpoint.href);
  subscriptions.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";
  var props = {
    fetcher: GraphiQL.createFetcher({url: endpoint.href, subscriptionUrl: subscriptions.href}),
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultHeaders: config.headersHint,
    defaultEditorToolsVisibility: "headers"
  };
  var query = new URLSearchParams(window.location.search).get("query");
  if (query !== null) {
    props.query = query;
  }
  ReactDOM.createRoot(document.getElementById("graphiql"))
    .render(React.createElement(GraphiQL, props));
})();
"""

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>yiwang GraphiQL</title>
<link rel="icon" href="data:,">
{stylesheets}
</head>
<body style="margin: 0">
<div id="graphiql" style="height: 100vh">Loading GraphiQL…</div>
{scripts}
<script>{bootstrap}</script>
</body>
</html>
"""


def _script_json(value: object) -> str:
    """JSON that cannot close the surrounding <script> element."""
    text = json.dumps(value)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def graphiql_html(endpoint: str = "/graphql", assets: str = ASSETS_PATH) -> str:
    """The GraphiQL page for ``endpoint``, loading its assets from ``assets`` only.

    Headers typed into the headers editor persist in the browser's localStorage; until
    something is stored the editor shows an ``Authorization: Bearer <token>`` template.
    A ``?query=`` URL parameter, if given, becomes the initial query.
    """
    base = assets.rstrip("/")
    bootstrap = _BOOTSTRAP % {
        "config": _script_json({"endpoint": endpoint, "headersHint": HEADERS_HINT})
    }
    digest = base64.b64encode(hashlib.sha256(bootstrap.encode()).digest()).decode()
    stylesheets = "\n".join(
        f'<link rel="stylesheet" href="{html.escape(f"{base}/{name}")}">' for name in STYLESHEETS
    )
    scripts = "\n".join(
        f'<script src="{html.escape(f"{base}/{name}")}"></script>' for name in SCRIPTS
    )
    return _PAGE.format(
        csp=html.escape(_CSP.format(script_hash=f"sha256-{digest}")),
        stylesheets=stylesheets,
        scripts=scripts,
        bootstrap=bootstrap,
    )


def graphiql_static() -> Mount:
    """Serve the pinned GraphiQL assets at ``/static/graphiql``."""
    return Mount(ASSETS_PATH, app=StaticFiles(directory=ASSETS_DIR), name="graphiql-static")


def wants_graphiql(method: str, accept: str) -> bool:
    """Whether a request to the GraphQL endpoint is a browser asking for the page.

    Strawberry executes ``GET /graphql?query=…`` instead of rendering the IDE, which would
    break shared ``?query=`` links; a view that overrides ``should_render_graphql_ide`` with
    this keeps them working, while API clients (which do not ask for HTML) still get JSON.
    """
    return method == "GET" and "text/html" in accept
