"""The GraphQL endpoint: bearer auth, per-request context, error codes, offline GraphiQL."""

from __future__ import annotations

import json
import logging
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from resolvers.context import Context
from resolvers.errors import ErrorCode
from yiwang.auth import AuthError, principal_from_headers
from yiwang.graphiql import graphiql_html, wants_graphiql
from yiwang.metrics import Metrics

log = logging.getLogger("yiwang.graphql")


def error_code(error: GraphQLError) -> str:
    """Parse and validation errors are the caller's (BAD_INPUT); anything not raised on
    purpose is ours and is masked."""
    code = (error.extensions or {}).get("code")
    if code:
        return str(code)
    caller_made = error.original_error is None or isinstance(error.original_error, GraphQLError)
    return ErrorCode.BAD_INPUT.value if caller_made else ErrorCode.INTERNAL.value


def unauthenticated(message: str) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": ErrorCode.UNAUTHENTICATED}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, *args: Any, state: Any, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state = state
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            try:
                scope["yiwang.principal"] = principal_from_headers(
                    self.state.settings.secret, request.headers
                )
            except AuthError as exc:
                await unauthenticated(str(exc))(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context.build(
            self.state.engine,
            request.scope.get("yiwang.principal"),
            self.state.settings.max_page_size,
            self.state.jobs,
            self.state.matchers,
        )

    def encode_json(self, data: object) -> bytes:
        """UTF-8 as is: Chinese names as \\uXXXX escapes would make responses ~20 % larger."""
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A browser asking for HTML gets the page, also with ``?query=`` links; API clients
        (which do not ask for HTML) get JSON."""
        return wants_graphiql(request.method, request.headers.get("accept", ""))

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(graphiql_html())

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [self._format(error) for error in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data

    def _format(self, error: GraphQLError) -> dict[str, Any]:
        code = error_code(error)
        self.metrics.errors.labels(code).inc()
        formatted = error.formatted
        if code == ErrorCode.INTERNAL:
            log.error("Unexpected error in %s", error.path, exc_info=error.original_error)
            formatted["message"] = "Internal error"
        formatted["extensions"] = {**formatted.get("extensions", {}), "code": code}
        return dict(formatted)
